"""Opening a board for one account first (``BoardStore(preview=True)``, the TUI's start with an
account): the account's board reads as from the whole file, and nothing that needs the whole file
(another read, a change, ``finish_opening``) happens before it was parsed and checked whole."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamboard import jsonparse
from kamboard.errors import BoardFileError, ReadOnlyError
from kamboard.storage import dumps
from kamboard.store import BoardStore


@pytest.fixture
def whole_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Files of a few hundred bytes count as big (previewed), and each whole parse is recorded."""
    monkeypatch.setattr(jsonparse, "SLICE", 64)
    return _count_parses(monkeypatch)


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    parses: list[int] = []
    real = jsonparse.load_checked

    def counting(handle: IO[bytes]) -> Any:
        parses.append(1)
        return real(handle)

    monkeypatch.setattr("kamboard.storage.load_checked", counting)
    return parses


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """ACME (3 cards) and Beta (2 cards, one with a workshop) and an event log."""
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    for name in ("ACME", "Beta"):
        store.add_account(name)
    for title in ("Energy costs", "Skills gap", "Heat pumps"):
        store.add_card("ACME", "topic", title)
    store.add_card("Beta", "challenge", "Supply")
    store.add_card("Beta", "support", "Training")
    store.add_workshop("Beta", "Yearly workshop", start="2026-03-01")
    return path


def _same_reads(store: BoardStore, whole: BoardStore, account: str) -> None:
    account_id = whole.account(account)["id"]
    assert store.account(account) == whole.account(account)
    assert store.accounts(include_archived=True) == whole.accounts(include_archived=True)
    assert store.cards(account_id) == whole.cards(account_id)
    assert store.cards(account_id, "topic") == whole.cards(account_id, "topic")
    assert store.workshops(account_id) == whole.workshops(account_id)
    assert store.events() == whole.events() and store.last_event_key() == whole.last_event_key()
    assert store.conflicts() == whole.conflicts() == []
    assert not store.readonly


def _edit(path: Path, change: Any) -> bytes:
    """Change the file as another program would (same layout), with a newer modification time."""
    data = json.loads(path.read_bytes())
    change(data)
    path.write_bytes(dumps(data, indent=2, sort_keys=True))
    later = time.time_ns() + 10**9
    os.utime(path, ns=(later, later))
    return path.read_bytes()


def _card(data: dict[str, Any], title: str) -> dict[str, Any]:
    return next(c for c in data["cards"].values() if c["title"] == title)


def test_one_accounts_board_reads_as_from_the_whole_file(board: Path, whole_parses: list[int]) -> None:
    store = BoardStore(board, preview=True)
    with store.snapshot():
        _same_reads(store, BoardStore(board), "ACME")
        _same_reads(store, BoardStore(board), "Beta")
    assert len(whole_parses) == 2  # the two stores read whole; the preview none
    store.finish_opening()
    assert len(whole_parses) == 3
    _same_reads(store, BoardStore(board), "Beta")


@pytest.mark.parametrize(
    "read",
    [
        lambda s: s.cards(),
        lambda s: s.summaries(),
        lambda s: s.card(s.cards(s.account("ACME")["id"])[0]["id"][:8]),
        lambda s: s.meta,
        lambda s: s.finish_opening(),
    ],
)
def test_any_other_read_parses_the_whole_file_first(board: Path, whole_parses: list[int], read: Any) -> None:
    store = BoardStore(board, preview=True)
    store.cards(store.account("ACME")["id"])
    assert whole_parses == []
    read(store)
    assert len(whole_parses) == 1
    assert len(store.cards()) == 5


def test_a_change_is_made_on_the_whole_file(board: Path, whole_parses: list[int]) -> None:
    store = BoardStore(board, user="alice", preview=True)
    acme = store.account("ACME")["id"]
    card = store.cards(acme)[0]
    store.update_card(card["id"], {"title": "Energy prices"})
    assert len(whole_parses) == 1
    whole = BoardStore(board)
    assert len(whole.cards()) == 5 and whole.card(card["id"])["title"] == "Energy prices"


def test_a_damaged_record_of_another_account_is_found_before_any_write(board: Path, whole_parses: list[int]) -> None:
    before = _edit(board, lambda data: _card(data, "Supply").update(position="first"))
    store = BoardStore(board, user="alice", preview=True)
    acme = store.account("ACME")["id"]
    assert [c["title"] for c in store.cards(acme)] == ["Energy costs", "Skills gap", "Heat pumps"]
    assert not store.readonly  # the preview cannot know yet
    with pytest.raises(ReadOnlyError, match="field 'position' is \"first\", not a number"):
        store.add_card(acme, "topic", "Lost?")
    assert store.readonly and store.damage
    assert board.read_bytes() == before


def test_finish_opening_finds_what_only_the_whole_file_shows(board: Path, whole_parses: list[int]) -> None:
    _edit(board, lambda data: _card(data, "Supply").update(rev="x"))
    store = BoardStore(board, preview=True)
    with store.snapshot() as first:
        store.cards(store.account("ACME")["id"])
    store.finish_opening()
    assert store.readonly and "field 'rev' is \"x\", not an integer" in store.damage
    with store.snapshot() as then:
        assert then > first  # a new parse: the screens reload at the next poll
        assert [c["title"] for c in store.cards(store.account("Beta")["id"])] == ["Training"]


def test_a_key_held_twice_among_the_other_cards_makes_it_read_only(board: Path, whole_parses: list[int]) -> None:
    text = board.read_text()
    cards = json.loads(text)["cards"]
    beta_key = next(k for k, c in cards.items() if c["title"] == "Supply")
    other_key = next(k for k in cards if k != beta_key)
    board.write_text(text.replace(f'"{beta_key}": {{', f'"{other_key}": {{', 1))
    before = board.read_bytes()
    store = BoardStore(board, user="alice", preview=True)
    store.cards(store.account("ACME")["id"])
    store.finish_opening()
    assert store.readonly and "holds key" in store.readonly_reason
    with pytest.raises(ReadOnlyError):
        store.add_account("Other")
    assert board.read_bytes() == before


def test_broken_json_among_the_other_cards_is_said_by_every_read_after_finishing(
    board: Path, whole_parses: list[int]
) -> None:
    text = board.read_text().replace('"title": "Supply"', '"title": "Supply" "broken"')
    board.write_text(text)
    store = BoardStore(board, user="alice", preview=True)
    acme = store.account("ACME")["id"]
    assert len(store.cards(acme)) == 3
    store.finish_opening()  # never raises: the TUI calls it after its first paint
    with pytest.raises(BoardFileError, match="is not valid JSON"), store.snapshot():  # as a poll does
        pass
    for read in (lambda: store.cards(acme), lambda: store.add_card(acme, "topic", "x")):
        with pytest.raises(BoardFileError, match="is not valid JSON"):
            read()
    assert board.read_text() == text


def test_a_damaged_card_of_the_account_shown_is_found_at_once(board: Path, whole_parses: list[int]) -> None:
    _edit(board, lambda data: _card(data, "Skills gap").update(links="abc"))
    store = BoardStore(board, preview=True)
    cards = store.cards(store.account("ACME")["id"])
    assert [c["title"] for c in cards] == ["Energy costs", "Heat pumps"]  # as from the whole file
    assert store.readonly and "field 'links'" in store.damage
    assert len(whole_parses) == 1


def test_conflicts_anywhere_are_read_from_the_whole_file(board: Path, whole_parses: list[int]) -> None:
    conflict = {"title": [{"value": "Supply chain", "by": "bob", "at": "2026-01-01T00:00:00Z", "replica": "bob#1"}]}
    _edit(board, lambda data: _card(data, "Supply").update(_conflicts=conflict))
    store = BoardStore(board, preview=True)
    store.cards(store.account("ACME")["id"])
    assert whole_parses == []
    assert store.conflicts() == BoardStore(board).conflicts()
    assert len(whole_parses) == 2


def test_a_change_by_another_process_is_read_whole(board: Path, whole_parses: list[int]) -> None:
    store = BoardStore(board, preview=True)
    acme = store.account("ACME")["id"]
    store.cards(acme)
    BoardStore(board, user="bob").add_card("ACME", "support", "Audit")
    assert "Audit" in [c["title"] for c in store.cards(acme)]
    assert len(whole_parses) == 2  # bob's store, then this one's next read


def test_a_small_file_is_read_whole_at_once(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _count_parses(monkeypatch)
    store = BoardStore(board, preview=True)  # a few KB: parsing it whole is as fast
    assert len(parses) == 1
    _same_reads(store, BoardStore(board), "ACME")
    store.finish_opening()
    assert len(parses) == 2  # the other store's


# ---- the raw-text parts, against orjson over any board in our layout ------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=6)
IDS = st.sampled_from(["a1", "b2", "c3", "é"])
RECORD = st.fixed_dictionaries(
    {"account_id": IDS, "title": TEXT},
    optional={"notes": TEXT, "tags": st.lists(TEXT, max_size=2), "x": st.dictionaries(TEXT, IDS, max_size=2)},
)
BOARD = st.fixed_dictionaries(
    {
        "cards": st.dictionaries(st.integers(1, 10**6).map(str), RECORD, max_size=12),
        "accounts": st.dictionaries(st.integers(1, 99).map(str), st.fixed_dictionaries({"id": IDS}), max_size=3),
        "events": st.dictionaries(st.integers(1, 99).map(str), st.fixed_dictionaries({"account_id": IDS}), max_size=3),
    }
)


@settings(max_examples=150, deadline=None)
@given(board=BOARD, account=IDS)
def test_a_preview_and_the_records_it_finds_are_what_orjson_reads(board: dict[str, Any], account: str) -> None:
    raw = dumps(board, indent=2, sort_keys=True)
    whole = orjson.loads(raw)
    preview = jsonparse.loads_preview(raw, "cards")
    assert preview is not None
    assert preview.data == {**whole, "cards": {}} and list(preview.data) == list(whole)
    found = preview.records_with("account_id", account)
    if account.isascii():
        want = {k: c for k, c in whole["cards"].items() if c["account_id"] == account}
        assert found == want and list(found or {}) == list(want)
    else:
        assert found is None  # not searched for: read whole


@pytest.mark.parametrize(
    "raw",
    [
        b'{"cards": {"1": {"account_id": "a"}}}',  # compact
        b'{\n  "cards": {\n    "1": {\n      "account_id": "a"\n    }\n  },\n  "cards": {}\n}',  # a table twice
        b'{\n  "t": {\n    "1": {\n      "a": 1\n    }\n  }\n}',  # no cards table
        b'{\n  "cards": {\n    "1": {\n      "account_id": "a"\n    }\n',  # cut short
    ],
)
def test_what_cannot_be_previewed_is_read_whole(raw: bytes) -> None:
    assert jsonparse.loads_preview(raw, "cards") is None
