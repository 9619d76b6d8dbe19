"""Account JSON export and import: round trip keeping ids, idempotence, conflicts, bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from support_actions import add_support_action

from kamboard import reports, transfer
from kamboard.store import BoardStore

HOSTILE = 'Müller [red]x[/] | "q", =1+2 🎉'


def source_board(tmp_path: Path) -> tuple[BoardStore, dict[str, Any]]:
    store = BoardStore(tmp_path / "source.json", "alice", create=True)
    store.add_account("Other account")
    acc = store.add_account(HOSTILE, owner="Ann", notes="line 1\nline 2")
    ws = store.add_workshop(
        acc["id"],
        "Yearly workshop",
        start="2026-03-02T09:00",
        end="2026-03-03T13:00",
        participants=[{"name": "Jürgen", "side": "customer", "role": "CFO"}],
        agenda=[{"title": "Topics", "lane": "topic", "minutes": 30}],
    )
    topic = store.add_card(acc["id"], "topic", "Growth 🎉", notes="a\nb")
    challenge = store.add_card(acc["id"], "challenge", "Delays | pipes")
    add_support_action(store, acc["id"], HOSTILE, links=[challenge["id"], topic["id"]], workshop_id=ws["id"])
    store.vote(challenge["id"], "Jürgen", ws["id"])
    store.add_workshop(acc["id"], "Last year", start="2025-03-01")
    return store, store.account(acc["id"])


def export_text(store: BoardStore, acc: dict[str, Any]) -> str:
    return reports.account_json(
        store.account(acc["id"]), store.cards(acc["id"]), store.workshops(acc["id"]), exported_at="2026-03-10T00:00:00Z"
    )


def do_import(target: BoardStore, text: str) -> transfer.ImportResult:
    return transfer.import_account(target, transfer.parse_export(text, "acme.json"), "acme.json")


def test_round_trip_gives_the_same_account_cards_and_workshops(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    result = do_import(target, export_text(source, acc))
    assert (result.account_added, result.cards_added, result.workshops_added) == (True, 3, 2)
    assert target.account(acc["id"]) == source.account(acc["id"])
    assert target.cards(acc["id"]) == source.cards(acc["id"])
    assert target.workshops(acc["id"]) == source.workshops(acc["id"])
    assert [c["votes"] for c in target.cards(acc["id"], "challenge")] == [1]
    assert "Other account" not in [a["name"] for a in target.accounts()]
    # a fresh store on the same file reads the same (it was really written)
    again = BoardStore(tmp_path / "target.json", "carol")
    assert again.cards(acc["id"]) == source.cards(acc["id"])
    assert again.events()[-1][1]["kind"] == "account.import"


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    text = export_text(source, acc)
    do_import(target, text)
    before = (tmp_path / "target.json").read_bytes()
    stat = os.stat(tmp_path / "target.json")
    result = do_import(target, text)
    assert not result.changed and result.unchanged == 6
    assert "nothing to import" in result.summary("target.json")
    assert (tmp_path / "target.json").read_bytes() == before
    assert os.stat(tmp_path / "target.json").st_mtime_ns == stat.st_mtime_ns
    # and importing into the board it came from changes nothing either
    assert not do_import(source, text).changed


def test_a_newer_export_adds_only_new_records(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    do_import(target, export_text(source, acc))
    new = source.add_card(acc["id"], "challenge", "New challenge")
    result = do_import(target, export_text(source, acc))
    assert (result.account_added, result.cards_added, result.workshops_added, result.unchanged) == (False, 1, 0, 6)
    assert target.card(new["id"]) == source.card(new["id"])


def test_changed_record_is_a_conflict_and_nothing_is_imported(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    do_import(target, export_text(source, acc))
    topic = target.cards(acc["id"], "topic")[0]
    target.update_card(topic["id"], {"title": "Edited on the target"})
    new = source.add_card(acc["id"], "topic", "Also new")
    before = (tmp_path / "target.json").read_bytes()
    with pytest.raises(transfer.TransferError) as info:
        do_import(target, export_text(source, acc))
    message = str(info.value)
    assert "\n" not in message and "1 record(s) there differ from the file: card 'Growth 🎉' (rev, title, " in message
    assert "Nothing was imported" in message
    assert (tmp_path / "target.json").read_bytes() == before
    with pytest.raises(Exception, match="No card"):
        target.card(new["id"])


def test_same_name_other_id_is_a_conflict(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    target.add_account(HOSTILE.upper().lower())  # same name, case-insensitively, another id
    target.update_account(target.accounts()[0]["id"], name=HOSTILE.swapcase())
    with pytest.raises(transfer.TransferError, match=r"already has another account named .*rename one of them"):
        do_import(target, export_text(source, acc))
    assert len(target.cards()) == 0


def test_id_of_another_kind_is_a_conflict(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    other = target.add_account("Someone else")
    target.add_card(other["id"], "topic", "Clash", id=source.cards(acc["id"])[0]["id"])
    with pytest.raises(transfer.TransferError, match=r"card 'Growth 🎉' has the id of a card of another account"):
        do_import(target, export_text(source, acc))
    data = json.loads(export_text(source, acc))
    data["cards"][0]["id"] = other["id"]
    with pytest.raises(transfer.TransferError, match="has the id of an account on the board"):
        do_import(target, json.dumps(data))


def _mutate(text: str, change: Any) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("kamboard_export"), "not a kamboard account export"),
        (lambda d: d.update(kamboard_export=99), "newer kamboard"),
        (lambda d: d.update(kamboard_export="1"), "invalid export version"),
        (lambda d: d.update(account=[]), "'account' must be a record"),
        (lambda d: d["account"].update(name="a\nb"), "Account name must be a single line"),
        (lambda d: d.update(cards={}), "'cards' must be a list"),
        (lambda d: d["cards"][0].update(lane="nope"), "Unknown lane"),
        (lambda d: d["cards"][0].update(title=""), "Title must not be empty"),
        (lambda d: d["cards"][0].update(due="31.03.2026"), "YYYY-MM-DD"),
        (lambda d: d["cards"][0].update(votes=-1), "votes must be"),
        (lambda d: d["cards"][0].update(account_id="x"), "belongs to another account"),
        (lambda d: d["cards"][1].update(id=d["cards"][0]["id"]), "occurs twice"),
        (lambda d: d["cards"][0].pop("id"), "no valid 'id'"),
        (lambda d: d["cards"][2].update(links=["missing"]), "links to card missing"),
        (lambda d: d["workshops"][0].update(start="soon"), "not in the form"),
    ],
)
def test_bad_files_give_one_line_messages(tmp_path: Path, change: Any, message: str) -> None:
    source, acc = source_board(tmp_path)
    target = BoardStore(tmp_path / "target.json", "bob", create=True)
    with pytest.raises(transfer.TransferError, match=message) as info:
        do_import(target, _mutate(export_text(source, acc), change))
    assert "\n" not in str(info.value)
    assert target.accounts() == [] and target.cards() == []


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe", b"[]", b'"text"'])
def test_not_json_or_not_an_export(raw: bytes) -> None:
    with pytest.raises(transfer.TransferError, match=r"acme\.json"):
        transfer.parse_export(raw, "acme.json")


def test_bom_prefixed_file_is_accepted(tmp_path: Path) -> None:
    source, acc = source_board(tmp_path)
    data = transfer.parse_export(("\ufeff" + export_text(source, acc)).encode("utf-8"), "acme.json")
    assert data["account"]["id"] == acc["id"]
