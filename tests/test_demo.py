"""The demo board: realistic content, one transaction, scale for benchmarks, `kamboard demo`."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import kamboard.tui
from kamboard.check import check_board
from kamboard.cli import cli
from kamboard.demo import build_demo, demo_records
from kamboard.model import LANES, is_overdue
from kamboard.store import BoardStore

TODAY = dt.date(2026, 11, 28)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KAMBOARD_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    return BoardStore(tmp_path / "demo.json", create=True)


def test_demo_board_is_realistic(store: BoardStore) -> None:
    counts = build_demo(store, today=TODAY)
    assert counts == {"accounts": 3, "cards": len(store.cards()), "workshops": 3}
    names = [a["name"] for a in store.accounts()]
    assert names == ["Hansa Logistik AG", "Müller Maschinenbau GmbH", "Northbridge Hospital Group"]
    overdue = 0
    for account in store.accounts():
        cards = store.cards(account["id"])
        assert {c["lane"] for c in cards} == set(LANES)
        by_id = {c["id"]: c for c in cards}
        for card in cards:
            if card["lane"] != "support":
                continue
            assert card["owner"] and card["side"] in ("us", "customer") and card["due"] and card["status"]
            assert card["customer_benefit"] and card["our_benefit"]
            assert card["links"], card["title"]
            assert all(by_id[link]["lane"] in ("topic", "challenge") for link in card["links"])
            overdue += is_overdue(card, TODAY)
        (workshop,) = store.workshops(account["id"])
        assert workshop["start"] < TODAY.isoformat()
        assert all(set(p) == {"name", "side", "role"} and p["name"] for p in workshop["participants"])
        assert {p["side"] for p in workshop["participants"]} == {"us", "customer"}
        assert all(item["title"] and item["minutes"] > 0 for item in workshop["agenda"])
        assert {item["lane"] for item in workshop["agenda"]} >= set(LANES)
    assert overdue >= 3
    assert store.meta["demo"] is True
    assert check_board(store.path) == []


def test_demo_is_one_transaction(store: BoardStore) -> None:
    before = store.last_event_key()
    build_demo(store, today=TODAY)
    events = store.events(after=before)
    assert [e["kind"] for _, e in events] == ["bulk.insert"]
    assert events[0][1]["by"] == "tester"


def test_demo_replaces_what_was_there(store: BoardStore) -> None:
    build_demo(store, accounts=5, today=TODAY)
    build_demo(store, today=TODAY)
    assert len(store.accounts()) == 3
    assert len(store.workshops()) == 3


@pytest.mark.parametrize(("accounts", "cards"), [(0, None), (1, None), (5, 7), (4, 0)])
def test_demo_records_scale(accounts: int, cards: int | None) -> None:
    out_accounts, out_cards, _ = demo_records(accounts, cards, TODAY)
    assert len(out_accounts) == accounts
    if cards is not None:
        assert len(out_cards) == accounts * cards
    per_lane: dict[str, int] = {}
    for card in out_cards:
        per_lane[card["lane"]] = per_lane.get(card["lane"], 0) + 1
    if out_cards and cards is not None and cards >= 3:
        assert set(per_lane) == set(LANES)
        assert max(per_lane.values()) - min(per_lane.values()) <= accounts


def test_large_demo_is_fast_and_sound(store: BoardStore) -> None:
    start = time.perf_counter()
    counts = build_demo(store, accounts=200, cards=50, today=TODAY)
    took = time.perf_counter() - start
    assert counts["accounts"] == 200 and counts["cards"] == 10_000
    assert took < 5.0, f"10,000 cards took {took:.2f} s"
    fresh = BoardStore(store.path)
    assert len(fresh.cards()) == 10_000
    assert len({a["name"].casefold() for a in fresh.accounts()}) == 200
    assert check_board(store.path) == []


def test_bulk_insert_checks_before_writing(store: BoardStore) -> None:
    build_demo(store, today=TODAY)
    before = Path(store.path).read_bytes()
    accounts, cards, workshops = demo_records(3, None, TODAY)
    from kamboard.model import ValidationError

    cards[-1]["status"] = "someday"
    with pytest.raises(ValidationError, match="Unknown status 'someday'"):
        store.bulk_insert(accounts, cards, workshops, replace=True)
    cards[-1]["status"] = "done"
    cards[-1]["links"] = ["f" * 32]
    with pytest.raises(ValidationError, match="missing card"):
        store.bulk_insert(accounts, cards, workshops, replace=True)
    with pytest.raises(ValidationError, match="already exists"):
        store.bulk_insert(accounts[:1], [], [])
    assert Path(store.path).read_bytes() == before
    assert len(store.accounts()) == 3


# the command
@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    calls: list[tuple[str, Any]] = []
    module = types.ModuleType("kamboard.tui.app")
    module.run = lambda store, account=None: calls.append((store.path, account))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kamboard.tui.app", module)
    monkeypatch.setattr(kamboard.tui, "app", module, raising=False)
    return calls


def test_demo_command_from_an_empty_folder(
    tmp_path: Path, _data_dir: Path, fake_tui: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "empty"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run("demo")
    assert result.exit_code == 0, result.stderr
    demo_file = _data_dir / "demo.json"
    assert fake_tui == [(str(demo_file), None)]
    assert os.listdir(work) == []
    first_ids = {a["id"] for a in BoardStore(demo_file).accounts()}
    assert run("demo", "--no-open").exit_code == 0
    again = BoardStore(demo_file).accounts()
    assert len(again) == 3 and {a["id"] for a in again}.isdisjoint(first_ids)
    assert len(fake_tui) == 1


def test_demo_command_scales(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    result = run("demo", str(path), "--no-open", "--accounts", "12", "--cards", "30")
    assert result.exit_code == 0, result.stderr
    assert "12 accounts, 360 cards" in result.stdout
    listed = json.loads(run("card", "list", "--json", "-f", str(path)).stdout)
    assert len(listed) == 360


def test_demo_never_replaces_a_real_board_without_force(tmp_path: Path) -> None:
    path = tmp_path / "real.json"
    BoardStore(path, create=True).add_account("Our only customer")
    before = path.read_bytes()
    result = run("demo", str(path), "--no-open")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path} exists and is not a demo board; not replaced. Give another FILE or add --force."
    )
    assert path.read_bytes() == before
    assert run("-f", str(path), "demo", "--no-open").exit_code == 2
    forced = run("demo", str(path), "--no-open", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert len(BoardStore(path).accounts()) == 3
    backups = list((tmp_path / ".kamboard-backups").iterdir())
    assert before in [b.read_bytes() for b in backups]


def test_demo_rebuilds_a_demo_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    assert run("demo", str(path), "--no-open", "--accounts", "5").exit_code == 0
    assert run("demo", str(path), "--no-open").exit_code == 0
    assert len(BoardStore(path).accounts()) == 3


def test_demo_force_keeps_an_unreadable_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "junk.json"
    path.write_text("not json")
    assert run("demo", str(path), "--no-open").exit_code == 2
    assert path.read_text() == "not json"
    result = run("demo", str(path), "--no-open", "--force")
    assert result.exit_code == 0, result.stderr
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("junk.json.replaced-")]
    assert [p.read_text() for p in aside] == ["not json"]
    assert len(BoardStore(path).accounts()) == 3


def test_demo_in_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = run("demo", str(tmp_path / "no" / "demo.json"), "--no-open")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()
