"""Duplicate document keys (as a `git merge` can leave them) never drop a record; new keys come from ids.

A table holding one key twice hides all but the last record from a JSON reader, and a save
would then drop the others for good. Such a board opens read-only, `kamboard check` reports
it, and `kamboard check --repair` gives each record its own key after a backup copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from kamboard import jsonparse
from kamboard import store as store_mod
from kamboard.check import check_board
from kamboard.cli import cli
from kamboard.errors import ReadOnlyError
from kamboard.jsonparse import duplicates, loads_checked
from kamboard.storage import (
    BACKUP_DIR,
    DuplicateKeysError,
    SharedJSONStorage,
    document_key,
    dumps,
)
from kamboard.store import BoardStore


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")
    for title in ("Energy costs", "Supply chain", "Audit"):
        store.add_card("ACME", "topic", title)
    return path


def merged(path: Path, title: str = "Theirs", same_id: bool = False, rev: int = 1) -> tuple[str, str]:
    """Write ``path`` as a merge leaves it: a card's key held a second time, by card ``title``.

    Returns the key and the title of the card a JSON reader no longer shows (the first of the two)."""
    data = orjson.loads(path.read_bytes())
    key, card = next(iter(data["cards"].items()))
    other = dict(card, title=title, rev=rev) if same_id else dict(card, id="f" * 32, title=title)
    data["cards"][key + "~"] = other  # sorts right after key; renamed to it below
    raw = dumps(data, indent=2, sort_keys=True)
    path.write_bytes(raw.replace(f'"{key}~": {{'.encode(), f'"{key}": {{'.encode()))
    return key, card["title"]


def all_titles(path: Path) -> list[str]:
    return sorted(c["title"] for c in orjson.loads(path.read_bytes())["cards"].values())


# ---- detection ----------------------------------------------------------------------------


def test_a_board_with_a_key_held_twice_opens_read_only_and_refuses_every_write(board: Path) -> None:
    key, _ = merged(board)
    before = board.read_bytes()
    store = BoardStore(board, user="bob")
    assert store.readonly
    reason = store.readonly_reason
    assert "\n" not in reason
    assert f"table 'cards' holds key '{key}' twice" in reason
    assert f"run `kamboard check --repair {board}`" in reason
    card = store.cards()[0]
    for write in (
        lambda: store.add_card("ACME", "topic", "New"),
        lambda: store.update_card(card["id"], {"title": "Changed"}),
        lambda: store.move_card(card["id"], "support"),
        lambda: store.delete_card(card["id"]),
        lambda: store.add_account("Other"),
    ):
        with pytest.raises(ReadOnlyError) as info:
            write()
        assert str(info.value) == reason
    assert board.read_bytes() == before


def test_the_plain_storage_refuses_to_write_data_read_from_such_a_file(board: Path) -> None:
    key, _ = merged(board)
    before = board.read_bytes()
    storage = SharedJSONStorage(board, indent=2, sort_keys=True)
    data = storage.read()
    assert storage.duplicates == [("cards", key, 2)]
    with pytest.raises(DuplicateKeysError, match=f"table 'cards' holds key '{key}' twice"):
        storage.write(data)
    with TinyDB(board, storage=SharedJSONStorage) as db, pytest.raises(DuplicateKeysError):
        db.table("cards").insert({"title": "x"})
    assert board.read_bytes() == before


def test_check_reports_it_naming_both_records(board: Path) -> None:
    key, hidden = merged(board)
    problems = check_board(board)
    (line,) = [p for p in problems if "twice" in p]
    assert line.startswith(f"table 'cards' holds key '{key}' twice (card {hidden!r} (id ")
    assert "), card 'Theirs' (id ffffffff…)): " in line
    assert line.endswith(f"only the last is used; run `kamboard check --repair {board}`")
    result = CliRunner().invoke(cli, ["check", str(board)])
    assert result.exit_code == 1
    assert f"holds key '{key}' twice" in result.output


def test_a_repaired_board_is_whole_again(board: Path) -> None:
    key, hidden = merged(board)
    damaged = board.read_bytes()
    titles = all_titles(board)  # what a JSON reader shows: 3 cards, the first of the two missing
    assert hidden not in titles
    result = CliRunner().invoke(cli, ["check", "--repair", str(board)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(f"card 'Theirs' (id ffffffff…) moved from key '{key}' (held twice) to key" in line for line in lines)
    assert f"ok: 1 accounts, 4 cards in {board}" in lines[-1]
    assert all_titles(board) == sorted([*titles, hidden])
    assert duplicates(board.read_bytes()) == []
    # the damaged file is kept, byte for byte
    backups = sorted((board.parent / BACKUP_DIR).iterdir())
    assert backups[-1].read_bytes() == damaged
    assert f"the damaged file is kept as {board.parent}/{BACKUP_DIR}/{backups[-1].name}" in result.output
    # and the board can be changed again, nothing lost
    store = BoardStore(board, user="bob")
    assert not store.readonly
    store.add_card("ACME", "topic", "After the repair")
    assert len(store.cards()) == 5


def test_two_copies_of_one_record_keep_the_newer(board: Path) -> None:
    key, _ = merged(board, title="Newer edit", same_id=True, rev=7)
    result = CliRunner().invoke(cli, ["check", "--repair", str(board)])
    assert result.exit_code == 0, result.output
    assert f"cards: key '{key}' held two versions of card " in result.output
    assert "kept the newer (rev 7" in result.output and "dropped rev 1" in result.output
    data = orjson.loads(board.read_bytes())
    assert data["cards"][key]["title"] == "Newer edit"
    assert len(data["cards"]) == 3


def test_repair_with_nothing_to_repair_changes_nothing(board: Path) -> None:
    before = board.read_bytes()
    result = CliRunner().invoke(cli, ["check", "--repair", str(board)])
    assert result.exit_code == 0
    assert "no table holds a key twice; nothing to repair" in result.output
    assert board.read_bytes() == before


def test_a_table_held_twice_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    BoardStore(path, create=True).add_account("ACME")
    data = orjson.loads(path.read_bytes())
    raw = dumps(data, indent=2, sort_keys=True)
    extra = b'  "workshops": {\n    "1": {\n      "id": "' + b"e" * 32 + b'",\n      "title": "W"\n    }\n  },\n'
    path.write_bytes(raw.replace(b'  "workshops": {}', extra + b'  "workshops": {}'))
    assert duplicates(path.read_bytes()) == [("", "workshops", 2)]
    store = BoardStore(path)
    assert "the file holds table 'workshops' twice" in store.readonly_reason
    result = CliRunner().invoke(cli, ["check", "--repair", str(path)])
    assert "the file held table 'workshops' twice: merged the two" in result.output
    assert [w["title"] for w in orjson.loads(path.read_bytes())["workshops"].values()] == ["W"]


def test_a_store_that_is_open_sees_the_repair(board: Path) -> None:
    merged(board)
    store = BoardStore(board, user="bob")
    assert store.readonly
    assert CliRunner().invoke(cli, ["check", "--repair", str(board)]).exit_code == 0
    store.refresh()
    assert not store.readonly
    assert len(store.cards()) == 4
    store.add_card("ACME", "topic", "Works")


# ---- the fast check while parsing: exact, in every layout and slice size ---------------------

BOARDS = st.dictionaries(
    st.sampled_from(["accounts", "cards", "events", "meta", "x"]),
    st.dictionaries(
        st.integers(1, 60).map(str),
        st.dictionaries(
            st.sampled_from(["id", "title", "tags", "n"]),
            st.text(max_size=6) | st.integers(-(2**40), 2**40),
            min_size=1,
        ),
        max_size=8,
    ),
    min_size=1,
)


@settings(max_examples=150, deadline=None)
@given(board=BOARDS, pick=st.integers(0, 10**6), slice_size=st.sampled_from([8, 40, 200, 1 << 19]))
def test_a_duplicate_is_found_wherever_it_is(board: dict[str, Any], pick: int, slice_size: int) -> None:
    raw = dumps(board, indent=2, sort_keys=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jsonparse, "SLICE", slice_size)
        data, found = loads_checked(raw)
        assert data == orjson.loads(raw) and found == []  # no false alarm
        entries = [(t, k) for t in sorted(board) for k in board[t]]
        if not entries:
            return
        table, key = entries[pick % len(entries)]
        # the record once more at the head of its table, under the same key (as a merge adds it)
        record = dumps({key: board[table][key]}, indent=2, sort_keys=True)  # '{\n  "k": {...}\n}'
        body = b"\n".join(b"  " + line for line in record[2:-2].split(b"\n"))  # indented to depth 2
        head = b"\n  " + json.dumps(table).encode() + b": {\n"
        start = raw.index(head) + len(head)
        twice = raw[:start] + body + b",\n" + raw[start:]
        data, found = loads_checked(twice)
        assert data == orjson.loads(twice)
        assert found == [(table, key, 2)]


def test_other_layouts_are_checked_too(tmp_path: Path) -> None:
    compact = b'{"cards": {"6": {"id": "a"}, "6": {"id": "b"}}, "meta": {"1": {"schema": 1}}}'
    assert loads_checked(compact) == ({"cards": {"6": {"id": "b"}}, "meta": {"1": {"schema": 1}}}, [("cards", "6", 2)])
    indent4 = json.dumps({"cards": {"1": {"id": "a"}, "2": {"id": "b"}}}, indent=4).encode()
    assert loads_checked(indent4.replace(b'"2"', b'"1"'))[1] == [("cards", "1", 2)]
    assert loads_checked(indent4)[1] == []


# ---- new keys: from the record's random id --------------------------------------------------


def test_new_records_get_keys_from_their_ids(board: Path) -> None:
    data = orjson.loads(board.read_bytes())
    for table in ("accounts", "cards", "events"):
        for key, doc in data[table].items():
            assert key == str(int(doc["id"][:12], 16)), (table, key)
    # plain TinyDB still reads them, as document ids
    with TinyDB(board) as db:
        cards = db.table("cards").all()
        assert sorted(c["title"] for c in cards) == ["Audit", "Energy costs", "Supply chain"]
        assert {c.doc_id for c in cards} == {int(c["id"][:12], 16) for c in cards}


def test_two_copies_that_each_add_a_card_pick_different_keys(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    BoardStore(path, create=True).add_account("ACME")
    copies = []
    for name in ("ours", "theirs"):
        copy = tmp_path / f"{name}.json"
        copy.write_bytes(path.read_bytes())
        BoardStore(copy, user=name).add_card("ACME", "topic", name)
        copies.append(set(orjson.loads(copy.read_bytes())["cards"]))
    assert copies[0] != copies[1]  # today's scheme gave both "1"


def test_a_key_taken_already_gives_the_next_free_one(board: Path) -> None:
    store = BoardStore(board, user="bob")
    first = store.add_card("ACME", "topic", "One", id="abcdef012345" + "0" * 20)
    second = store.add_card("ACME", "topic", "Two", id="abcdef012345" + "1" * 20)
    keys = {d["title"]: k for k, d in orjson.loads(board.read_bytes())["cards"].items()}
    assert keys["One"] == str(0xABCDEF012345)
    assert keys["Two"] == str(0xABCDEF012345 + 1)
    assert store.card(first["id"])["title"] == "One" and store.card(second["id"])["title"] == "Two"
    assert document_key("not hex at all", {}).isdigit()
    assert document_key(None, {}).isdigit()


def test_existing_files_keep_their_keys(board: Path) -> None:
    data = orjson.loads(board.read_bytes())
    data["cards"] = {str(i): doc for i, doc in enumerate(data["cards"].values(), start=1)}
    board.write_bytes(dumps(data, indent=2, sort_keys=True))
    store = BoardStore(board, user="bob")
    card = store.cards()[0]
    store.update_card(card["id"], {"title": "Edited"})
    keys = orjson.loads(board.read_bytes())["cards"]
    assert {"1", "2", "3"} <= set(keys)
    assert next(d for d in keys.values() if d["id"] == card["id"])["title"] == "Edited"


# ---- the activity log: in order although keys are random ------------------------------------


def test_events_come_in_the_order_they_were_made(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True, clock=lambda: "2026-01-01T09:00:00Z")  # one second
    store.add_account("ACME")
    titles = [f"Card {i}" for i in range(30)]
    for title in titles:
        store.add_card("ACME", "topic", title)
    summaries = [e["summary"] for _, e in store.events()]
    assert summaries == ["added account 'ACME'", *(f"added {t!r} to Topics" for t in titles)]
    cursors = [c for c, _ in store.events()]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    last = store.last_event_key()
    assert store.events(after=last) == []
    other = BoardStore(path, user="bob")
    other.add_card("ACME", "topic", "Bob's")
    store.refresh()
    assert [e["summary"] for _, e in store.events(after=last)] == ['added "Bob\'s" to Topics']


def test_the_log_keeps_the_newest_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "EVENT_LIMIT", 5)
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True, clock=lambda: "2026-01-01T09:00:00Z")
    store.add_account("ACME")
    for i in range(120):
        store.add_card("ACME", "topic", f"Card {i}")
    summaries = [e["summary"] for _, e in store.events()]
    assert len(summaries) <= 105
    assert summaries[-1] == "added 'Card 119' to Topics"
    assert summaries == [f"added 'Card {i}' to Topics" for i in range(120 - len(summaries), 120)]


def test_an_older_log_without_sequence_numbers_continues_in_order(board: Path) -> None:
    data = orjson.loads(board.read_bytes())
    old = sorted(data["events"].values(), key=lambda e: e["seq"])
    for event in old:
        del event["seq"]
    data["events"] = {str(i): e for i, e in enumerate(old, start=1)}  # as older kamboards wrote it
    board.write_bytes(dumps(data, indent=2, sort_keys=True))
    store = BoardStore(board, user="bob")
    assert [c for c, _ in store.events()] == [1, 2, 3, 4]
    store.add_card("ACME", "topic", "Newest")
    assert [c for c, _ in store.events()] == [1, 2, 3, 4, 5]
    assert store.events(after=4)[0][1]["summary"] == "added 'Newest' to Topics"
    assert os.path.exists(board)
