"""Capture open or closed per lane (where participants may add cards), and who has voted: the
rules, ``BoardStore.set_capture`` between processes, and merges of diverged copies."""

from __future__ import annotations

import itertools
import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamboard import records, voting
from kamboard import workshop as rules
from kamboard.errors import Conflict
from kamboard.model import ValidationError
from kamboard.store import BoardStore

Doc = dict[str, Any]
PEOPLE = [{"name": n, "side": "customer", "role": ""} for n in ("Eva", "tom", "Ada", "Bo")]


def ticking(hour: int) -> Callable[[], str]:
    seconds = itertools.count()
    return lambda: f"2026-03-01T{hour:02d}:{(n := next(seconds)) // 60:02d}:{n % 60:02d}Z"


@pytest.fixture
def board(tmp_path: Path) -> tuple[Path, str]:
    """A board with ACME's workshop: its path and the workshop id."""
    path = tmp_path / "board.json"
    store = BoardStore(path, "seed", create=True, clock=ticking(9))
    store.add_account("ACME")
    return path, store.add_workshop("ACME", "Spring", participants=PEOPLE)["id"]


def on_disk(path: Path, workshop_id: str) -> Doc:
    workshops = json.loads(path.read_bytes())["workshops"].values()
    return next(w for w in workshops if w["id"] == workshop_id)


# ---- the rules ---------------------------------------------------------------------------------
def test_capture_is_stored_once_per_lane_in_board_order() -> None:
    assert rules.validate_capture(["support", "topic", "support"]) == ["topic", "support"]
    assert rules.validate_capture(()) == [] and rules.validate_capture(None) == []
    fields = rules.validate_workshop_fields({"capture": ["challenge", "topic"]})
    assert fields == {"capture": ["topic", "challenge"]}


@pytest.mark.parametrize(
    "value, message",
    [
        (["topic", "ideas"], "Unknown lane 'ideas' for capture: use topic, challenge, support."),
        ("topic", "Capture must be a list of lanes."),
        ([None], "Unknown lane 'None' for capture"),
    ],
)
def test_an_unknown_lane_or_no_list_is_refused_clearly(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        rules.validate_workshop_fields({"capture": value})
    assert info.value.field == "capture"


def test_capture_open_reads_the_record_as_stored_or_merged() -> None:
    workshop: Doc = {"capture": ["support", "topic"]}  # a merge may leave another order
    assert rules.capture_lanes(workshop) == ["topic", "support"]
    assert rules.capture_open(workshop, "topic") and rules.capture_open(workshop, "support")
    assert not rules.capture_open(workshop, "challenge")
    assert not rules.capture_open({}, "topic") and not rules.capture_open({"capture": []}, "topic")
    assert not rules.capture_open({"capture": "topic"}, "topic")  # not a list: closed


def test_a_capture_that_is_no_list_of_text_is_a_problem_of_the_file() -> None:
    data: Doc = {"meta": {}, "accounts": {}, "cards": {}, "events": {}}
    data["workshops"] = {"1": {"id": "w1", "account_id": "a1", "title": "Spring", "capture": "topic"}}
    problems = records.scan(data)
    assert [p.field for p in problems] == ["capture"]
    data["workshops"]["1"]["capture"] = ["topic"]
    assert records.scan(data) == []


def test_who_voted_and_the_total_count_this_workshops_votes_only() -> None:
    cards: list[Doc] = [
        {"id": "1", "voted_in": "w1", "voters": {"tom": 2, "Eva": 1}, "votes": 3},
        {"id": "2", "voted_in": "w1", "voters": {"Ada": 1, "Bo": 0}, "votes": 1},
        {"id": "3", "voted_in": "w0", "voters": {"Bo": 3}, "votes": 3},  # an earlier workshop's
        {"id": "4", "votes": 0},
    ]
    assert voting.who_voted(cards, "w1") == ["Ada", "Eva", "tom"]  # case-insensitively sorted
    assert voting.total_votes(cards, "w1") == 4
    assert voting.who_voted(cards, "w0") == ["Bo"] and voting.total_votes(cards, "w0") == 3
    assert voting.who_voted(cards, "w9") == [] and voting.total_votes(cards, "w9") == 0


# ---- the store ---------------------------------------------------------------------------------
def test_set_capture_opens_and_closes_a_lane_and_logs_it(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    anna = BoardStore(path, "anna")
    assert anna.set_capture(workshop_id, "topic", True)["capture"] == ["topic"]
    anna.set_capture(workshop_id, "support", True)
    assert on_disk(path, workshop_id)["capture"] == ["topic", "support"]
    assert anna.set_capture(workshop_id, "topic", False)["capture"] == ["support"]
    logged = [(e["kind"], e["by"], e["summary"]) for _, e in anna.events()[-3:]]
    assert logged == [
        ("workshop.capture", "anna", "opened capture in Topics for participants"),
        ("workshop.capture", "anna", "opened capture in Support for participants"),
        ("workshop.capture", "anna", "closed capture in Topics for participants"),
    ]


def test_set_capture_is_idempotent_and_writes_nothing_when_already_so(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    anna = BoardStore(path, "anna")
    anna.set_capture(workshop_id, "challenge", True)
    before, events = path.read_bytes(), len(anna.events())
    assert anna.set_capture(workshop_id, "challenge", True)["capture"] == ["challenge"]
    assert anna.set_capture(workshop_id, "topic", False)["capture"] == ["challenge"]
    assert path.read_bytes() == before and len(anna.events()) == events


def test_set_capture_refuses_an_unknown_lane_and_changes_nothing(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    before = path.read_bytes()
    with pytest.raises(ValidationError, match="Unknown lane 'Topics'"):
        BoardStore(path, "anna").set_capture(workshop_id, "Topics", True)
    assert path.read_bytes() == before


def test_two_facilitators_on_one_file_each_opening_a_lane_keep_both(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    anna, bob = BoardStore(path, "anna"), BoardStore(path, "bob")
    anna.workshop(workshop_id), bob.workshop(workshop_id)  # both have read the file before either writes
    anna.set_capture(workshop_id, "topic", True)
    bob.set_capture(workshop_id, "challenge", True)  # computed from the file, not from bob's last read
    assert on_disk(path, workshop_id)["capture"] == ["topic", "challenge"]
    bob.set_capture(workshop_id, "topic", False)
    anna.set_capture(workshop_id, "support", True)
    assert anna.workshop(workshop_id)["capture"] == ["challenge", "support"]


def test_two_processes_toggling_different_lanes_at_once_lose_no_toggle(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    errors: list[BaseException] = []

    def toggle(user: str, lane: str) -> None:
        store = BoardStore(path, user)
        try:
            for i in range(15):  # ends open: an odd number of opens
                store.set_capture(workshop_id, lane, i % 2 == 0)
        except BaseException as exc:  # shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=toggle, args=a) for a in (("anna", "topic"), ("bob", "support"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert on_disk(path, workshop_id)["capture"] == ["topic", "support"]
    summaries = [e["summary"] for _, e in BoardStore(path, "x").events() if e["kind"] == "workshop.capture"]
    assert len(summaries) == 30


def test_an_edit_from_a_view_before_a_capture_change_names_who_changed_it(board: tuple[Path, str]) -> None:
    path, workshop_id = board
    anna, bob = BoardStore(path, "anna"), BoardStore(path, "bob")
    seen = anna.workshop(workshop_id)
    bob.set_capture(workshop_id, "topic", True)
    with pytest.raises(Conflict, match="by bob") as info:
        anna.update_workshop(workshop_id, {"capture": ["support"]}, base=seen)
    assert set(info.value.fields) == {"capture"}
    anna.update_workshop(workshop_id, {"title": "Spring 2026"}, base=seen)  # other fields still merge
    assert anna.workshop(workshop_id)["capture"] == ["topic"]


# ---- diverged copies ---------------------------------------------------------------------------
@pytest.fixture
def copies(board: tuple[Path, str], tmp_path: Path) -> tuple[Path, Path, str]:
    """The board copied to two laptops (ours, theirs) with Topics open for capture."""
    ours, workshop_id = board
    BoardStore(ours, "seed", clock=ticking(9)).set_capture(workshop_id, "topic", True)
    theirs = tmp_path / "laptop-bob" / "board.json"
    theirs.parent.mkdir()
    shutil.copy(ours, theirs)
    return ours, theirs, workshop_id


def test_copies_each_opening_another_lane_merge_with_both_open(copies: tuple[Path, Path, str]) -> None:
    ours, theirs, workshop_id = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.set_capture(workshop_id, "challenge", True)
    BoardStore(theirs, "bob", clock=ticking(11)).set_capture(workshop_id, "support", True)
    anna.merge_from(theirs)
    assert rules.capture_lanes(anna.workshop(workshop_id)) == ["topic", "challenge", "support"]
    assert anna.conflicts() == []
    bob = BoardStore(theirs, "bob", clock=ticking(12))  # and the other way round
    bob.merge_from(ours)
    assert rules.capture_lanes(bob.workshop(workshop_id)) == ["topic", "challenge", "support"]


def test_a_lane_closed_in_one_copy_stays_closed_beside_one_opened_in_the_other(
    copies: tuple[Path, Path, str],
) -> None:
    ours, theirs, workshop_id = copies
    anna = BoardStore(ours, "anna", clock=ticking(10))
    anna.set_capture(workshop_id, "topic", False)
    BoardStore(theirs, "bob", clock=ticking(11)).set_capture(workshop_id, "support", True)
    anna.merge_from(theirs)
    merged = anna.workshop(workshop_id)
    assert rules.capture_lanes(merged) == ["support"] and anna.conflicts() == []
    anna.set_capture(workshop_id, "challenge", True)  # and it goes on from the merged state
    assert anna.workshop(workshop_id)["capture"] == ["challenge", "support"]
