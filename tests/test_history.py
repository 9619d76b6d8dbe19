"""Undo and redo are changes made from a base like any other (issue 8, item 1), without Textual.

"me" records my changes in a History, as the board does; carol is another BoardStore on the
same file (another TUI, or the CLI).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kamboard.errors import Conflict, UndoError
from kamboard.model import ValidationError
from kamboard.store import BoardStore
from kamboard.tui.history import History

Doc = dict[str, Any]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "board.json"


@pytest.fixture
def me(path: Path) -> BoardStore:
    store = BoardStore(path, user="me", create=True)
    store.add_account("ACME")
    return store


@pytest.fixture
def carol(me: BoardStore, path: Path) -> BoardStore:
    return BoardStore(path, user="carol")


@pytest.fixture
def history() -> History:
    return History()


def _add(me: BoardStore, history: History, title: str, lane: str = "topic") -> Doc:
    card = me.add_card("ACME", lane, title)
    history.added(card)
    return card


def _move(me: BoardStore, history: History, card: Doc, lane: str) -> Doc:
    """Move ``card`` (as my board shows it) to the end of ``lane``, as the L/H keys do."""
    source = (card["lane"], [c["id"] for c in me.cards(lane=card["lane"])].index(card["id"]))
    target = (lane, len(me.cards(lane=lane)))
    moved = me.move_card(card["id"], lane, base=card)
    history.moved(moved, source, target)
    return moved


def test_undo_add_refuses_to_delete_a_card_someone_changed(
    me: BoardStore, carol: BoardStore, history: History, path: Path
) -> None:
    card = _add(me, history, "UNDO-ME")
    carol.update_card(card["id"], {"notes": "carol important notes"})
    before = path.read_bytes()
    with pytest.raises(UndoError) as info:
        history.undo(me)
    assert str(info.value) == (
        "Could not undo: 'UNDO-ME' was changed meanwhile by carol: notes. Dropped from the undo list."
    )
    assert info.value.dropped and isinstance(info.value.cause, Conflict)
    assert path.read_bytes() == before
    assert carol.card(card["id"])["notes"] == "carol important notes"
    assert not history.can_undo and not history.can_redo  # the refused step is gone, not retried


def test_undo_move_refuses_to_undo_someone_elses_move(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = _add(me, history, "X")
    _move(me, history, card, "challenge")
    carol.move_card(card["id"], "support")
    with pytest.raises(UndoError) as info:
        history.undo(me)
    assert "was changed meanwhile by carol: lane" in str(info.value)
    assert carol.card(card["id"])["lane"] == "support"
    assert history.can_undo  # the add is still there; undoing it is refused too: the card moved
    with pytest.raises(UndoError, match="by carol: lane"):
        history.undo(me)
    assert carol.card(card["id"])["lane"] == "support"


def test_undo_of_my_own_moves_then_of_the_add(me: BoardStore, history: History) -> None:
    card = _add(me, history, "X")
    moved = _move(me, history, card, "challenge")
    _move(me, history, moved, "support")
    assert history.undo(me)[0] == "moving 'X'"
    assert me.card(card["id"])["lane"] == "challenge"
    history.undo(me)
    assert me.card(card["id"])["lane"] == "topic"
    assert history.undo(me) == ("adding 'X'", None)  # the card as my undos left it: deleted
    assert me.cards() == []
    history.redo(me)
    history.redo(me)
    assert me.card(card["id"])["lane"] == "challenge"


def test_undo_add_after_my_move_still_sees_carols_notes(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = _add(me, history, "UNDO-ME")
    carol.update_card(card["id"], {"notes": "carol's"})
    moved = _move(me, history, card, "challenge")  # allowed: carol changed no lane or position
    assert moved["notes"] == "carol's"
    history.undo(me)  # my move back is mine to undo
    with pytest.raises(UndoError, match="by carol: notes"):
        history.undo(me)
    assert carol.card(card["id"])["notes"] == "carol's"


def test_redo_uses_the_card_as_the_undo_left_it(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = _add(me, history, "X")
    _move(me, history, card, "challenge")
    history.undo(me)
    carol.move_card(card["id"], "support")
    with pytest.raises(UndoError, match="Could not redo: 'X' was changed meanwhile by carol: lane") as info:
        history.redo(me)
    assert info.value.dropped and not history.can_redo
    assert carol.card(card["id"])["lane"] == "support"


def test_undo_delete_restores_and_redo_refuses_when_changed(
    me: BoardStore, carol: BoardStore, history: History
) -> None:
    seen = me.add_card("ACME", "topic", "X")
    deleted = me.delete_card(seen["id"], base=seen)
    history.deleted(deleted)
    assert history.undo(me) == ("deleting 'X'", seen["id"])
    assert me.card(seen["id"])["title"] == "X"
    carol.update_card(seen["id"], {"title": "X by carol"})
    with pytest.raises(UndoError, match="by carol: title"):
        history.redo(me)
    assert carol.card(seen["id"])["title"] == "X by carol"


def test_redo_add_refuses_when_the_card_is_back_already(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = _add(me, history, "X")
    deleted = history.undo(me)
    assert deleted == ("adding 'X'", None)
    carol.restore_card(card)
    with pytest.raises(UndoError) as info:
        history.redo(me)
    assert str(info.value) == "Could not redo: Card 'X' exists already. Dropped from the redo list."
    assert len(me.cards()) == 1


def test_undo_edit_refuses_to_overwrite_carols_value(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = me.add_card("ACME", "topic", "X")
    saved = me.update_card(card["id"], {"title": "Mine"}, base=card)
    history.edited(saved, {"title": "X"}, {"title": "Mine"})
    carol.update_card(card["id"], {"title": "Carol's"})
    with pytest.raises(UndoError, match="by carol: title"):
        history.undo(me)
    assert carol.card(card["id"])["title"] == "Carol's"


def test_a_failed_undo_that_was_not_refused_stays(me: BoardStore, history: History, path: Path) -> None:
    card = _add(me, history, "X")
    readonly = BoardStore(path, user="me", readonly=True)
    with pytest.raises(UndoError) as info:
        history.undo(readonly)
    assert str(info.value) == "Could not undo: read-only mode was asked for"
    assert not info.value.dropped and history.can_undo
    history.undo(me)  # another try works
    assert me.cards() == [] and card["id"] not in json.loads(path.read_bytes())["cards"]


# ---- the commitments review and the action plan (issue 10, item 12) ----------------------------


def _review(me: BoardStore, history: History, card: Doc, workshop: Doc, outcome: str) -> Doc:
    """Decide on ``card`` in the review of ``workshop``, as the review screen does."""
    before = me.card(card["id"])
    saved = me.review_commitment(card["id"], workshop["id"], outcome)
    history.reviewed(saved, before, f"{outcome} {card['title']!r}")
    return saved


@pytest.fixture
def workshops(me: BoardStore) -> tuple[Doc, Doc]:
    return (
        me.add_workshop("ACME", "Workshop 2025", start="2025-03-10"),
        me.add_workshop("ACME", "Workshop 2026", start="2026-03-16"),
    )


def test_review_decisions_are_undone_and_redone(me: BoardStore, history: History, workshops: tuple[Doc, Doc]) -> None:
    old, new = workshops
    pilot = me.add_card("ACME", "support", "Pilot", workshop_id=old["id"], status="agreed")
    audit = me.add_card("ACME", "support", "Audit", workshop_id=old["id"], status="in_progress")
    _review(me, history, pilot, new, "done")
    _review(me, history, audit, new, "carry")
    assert me.card(audit["id"])["carried_from"] == old["id"]
    assert history.undo(me)[0] == "carry 'Audit'"
    back = me.card(audit["id"])
    assert back["workshop_id"] == old["id"] and "carried_from" not in back and back["status"] == "in_progress"
    assert history.undo(me)[0] == "done 'Pilot'"
    assert me.card(pilot["id"])["status"] == "agreed"
    assert [c["title"] for c in me.open_commitments(new["id"])] == ["Pilot", "Audit"]  # to review again
    history.redo(me)
    history.redo(me)
    assert me.card(pilot["id"])["status"] == "done"
    carried = me.card(audit["id"])
    assert (carried["workshop_id"], carried["carried_from"]) == (new["id"], old["id"])
    assert me.events()[-1][1]["summary"] == "edited 'Audit' (carried_from, workshop_id)"


def test_undo_of_a_decision_refuses_when_carol_changed_it(
    me: BoardStore, carol: BoardStore, history: History, workshops: tuple[Doc, Doc], path: Path
) -> None:
    old, new = workshops
    pilot = me.add_card("ACME", "support", "Pilot", workshop_id=old["id"], status="agreed")
    _review(me, history, pilot, new, "drop")
    carol.update_card(pilot["id"], {"status": "in_progress"})
    before = path.read_bytes()
    with pytest.raises(UndoError) as info:
        history.undo(me)
    assert str(info.value) == (
        "Could not undo: 'Pilot' was changed meanwhile by carol: status. Dropped from the undo list."
    )
    assert path.read_bytes() == before and not history.can_undo


def test_undo_of_a_decision_keeps_what_carol_changed_elsewhere(
    me: BoardStore, carol: BoardStore, history: History, workshops: tuple[Doc, Doc]
) -> None:
    old, new = workshops
    pilot = me.add_card("ACME", "support", "Pilot", workshop_id=old["id"], status="agreed")
    _review(me, history, pilot, new, "carry")
    carol.update_card(pilot["id"], {"status": "done", "notes": "carol's"})  # not what the carry changed
    history.undo(me)
    back = carol.card(pilot["id"])
    assert (back["workshop_id"], back["status"], back["notes"]) == (old["id"], "done", "carol's")
    assert "carried_from" not in back


def test_review_fields_are_the_only_ones_put_back(me: BoardStore, workshops: tuple[Doc, Doc]) -> None:
    card = me.add_card("ACME", "support", "Pilot", workshop_id=workshops[0]["id"])
    with pytest.raises(ValidationError, match="Not changed by a review decision: title"):
        me.set_review_fields(card["id"], {"title": "x"}, base=card)
    with pytest.raises(ValidationError, match="Unknown status"):
        me.set_review_fields(card["id"], {"status": "finished"}, base=card)


def test_a_status_change_is_undone_under_its_own_name(me: BoardStore, carol: BoardStore, history: History) -> None:
    card = me.add_card("ACME", "support", "Pilot", status="agreed")
    saved = me.update_card(card["id"], {"status": "done"}, base=card)
    history.edited(saved, {"status": "agreed"}, {"status": "done"}, label="setting 'Pilot' to done")
    carol.update_card(card["id"], {"owner": "Carol"})  # another field: no conflict
    assert history.undo(me)[0] == "setting 'Pilot' to done"
    assert (me.card(card["id"])["status"], me.card(card["id"])["owner"]) == ("agreed", "Carol")
