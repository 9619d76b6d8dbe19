"""Every change made from a view carries its base: a change to something that changed since is refused.

Two BoardStore objects on one file play two people ("me" and carol); each test is one
scenario of issue 8 (items 1 to 3) at the store level.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from kamboard.errors import Conflict
from kamboard.model import ValidationError
from kamboard.store import BoardStore

Doc = dict[str, Any]


def _clock() -> Any:
    counter = itertools.count(1)
    return lambda: (lambda n: f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}Z")(next(counter))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "board.json"


@pytest.fixture
def me(path: Path) -> BoardStore:
    store = BoardStore(path, user="me", create=True, clock=_clock())
    store.add_account("ACME")
    return store


@pytest.fixture
def carol(me: BoardStore, path: Path) -> BoardStore:
    return BoardStore(path, user="carol", clock=_clock())


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


# moves and reorders (issue item 2)
def test_move_from_a_stale_view_is_refused_and_the_card_stays(me: BoardStore, carol: BoardStore, path: Path) -> None:
    seen = me.add_card("ACME", "topic", "X")  # my board shows X in Topics
    me.add_card("ACME", "support", "Y")
    carol.move_card(seen["id"], "support")
    before = _bytes(path)
    with pytest.raises(Conflict) as info:
        me.move_card(seen["id"], "challenge", base=seen)
    stored = carol.card(seen["id"])
    assert stored["lane"] == "support"
    assert _bytes(path) == before  # refused: nothing written, no event
    assert info.value.fields["lane"] == ("challenge", "support")
    assert info.value.fields["position"] == (None, stored["position"])  # mine: the index asked for
    assert str(info.value) == "'X' was changed meanwhile by carol: lane, position"


def test_reorder_from_a_stale_view_is_refused(me: BoardStore, carol: BoardStore) -> None:
    a = me.add_card("ACME", "topic", "A")
    me.add_card("ACME", "topic", "B")
    me.add_card("ACME", "topic", "C")
    carol.move_card(a["id"], "topic", 2)  # carol puts A last
    with pytest.raises(Conflict) as info:
        me.move_card(a["id"], "topic", 1, base=a)
    assert set(info.value.fields) == {"position"}
    assert [c["title"] for c in carol.cards(lane="topic")] == ["B", "C", "A"]


def test_move_from_a_current_view_and_without_base(me: BoardStore, carol: BoardStore) -> None:
    seen = me.add_card("ACME", "topic", "X")
    carol.update_card(seen["id"], {"notes": "carol's"})  # another field: no reason to refuse a move
    moved = me.move_card(seen["id"], "challenge", base=seen)
    assert (moved["lane"], moved["notes"]) == ("challenge", "carol's")
    again = carol.move_card(seen["id"], "support")  # the CLI gives no base: as before
    assert again["lane"] == "support"


# deletes
def test_delete_from_a_stale_view_is_refused(me: BoardStore, carol: BoardStore, path: Path) -> None:
    seen = me.add_card("ACME", "topic", "X")
    carol.update_card(seen["id"], {"notes": "carol important notes", "owner": "Carol"})
    before = _bytes(path)
    with pytest.raises(Conflict) as info:
        me.delete_card(seen["id"], base=seen)
    assert _bytes(path) == before
    assert info.value.fields == {"notes": ("", "carol important notes"), "owner": ("", "Carol")}
    assert str(info.value) == "'X' was changed meanwhile by carol: notes, owner"
    assert carol.card(seen["id"])["notes"] == "carol important notes"


def test_delete_ignores_stamps_only_changes(me: BoardStore, carol: BoardStore) -> None:
    seen = me.add_card("ACME", "topic", "X")  # the only card of its lane
    unchanged = carol.move_card(seen["id"], "topic")  # to where it is: only the stamps change
    assert unchanged["rev"] > seen["rev"] and unchanged["position"] == seen["position"]
    deleted = me.delete_card(seen["id"], base=seen)
    assert deleted["id"] == seen["id"]
    assert me.cards() == []


def test_restore_is_refused_when_another_process_restored_the_card(me: BoardStore, carol: BoardStore) -> None:
    card = me.add_card("ACME", "topic", "X")
    deleted = me.delete_card(card["id"])
    carol.restore_card(deleted)
    with pytest.raises(ValidationError, match="exists already"):
        me.restore_card(deleted)  # my store has not read carol's restore yet
    assert [c["id"] for c in carol.cards()] == [card["id"]]


def test_the_conflict_names_who_changed_the_field_not_the_last_writer(me: BoardStore, carol: BoardStore) -> None:
    seen = me.add_card("ACME", "topic", "X")
    carol.update_card(seen["id"], {"notes": "carol's"})
    moved = me.move_card(seen["id"], "challenge", base=seen)
    assert moved["updated_by"] == "me"
    with pytest.raises(Conflict) as info:
        me.delete_card(seen["id"], base={**seen, "lane": moved["lane"], "position": moved["position"]})
    assert str(info.value) == "'X' was changed meanwhile by carol: notes"


# edits: the vanished link (issue item 3)
def test_a_vanished_link_is_dropped_and_the_rest_saved(me: BoardStore, carol: BoardStore) -> None:
    t1 = me.add_card("ACME", "topic", "T1")
    t2 = me.add_card("ACME", "topic", "T2")
    opened = me.add_card("ACME", "challenge", "S", links=[t1["id"]])  # the editor opens S
    carol.delete_card(t2["id"])
    saved = me.update_card(opened["id"], {"title": "S2", "links": [t1["id"], t2["id"]]}, base=opened)
    assert saved.dropped_links == [t2["id"]]
    stored = carol.card(opened["id"])
    assert (stored["title"], stored["links"]) == ("S2", [t1["id"]])
    assert saved == stored


def test_unticking_a_link_while_another_vanished_is_no_conflict(me: BoardStore, carol: BoardStore) -> None:
    t1 = me.add_card("ACME", "topic", "T1")
    t2 = me.add_card("ACME", "topic", "T2")
    opened = me.add_card("ACME", "challenge", "S", links=[t1["id"], t2["id"]])
    carol.delete_card(t2["id"])  # takes T2 out of S's links too
    saved = me.update_card(opened["id"], {"links": [t2["id"]]}, base=opened)  # I unticked T1
    assert saved["links"] == [] and saved.dropped_links == [t2["id"]]


def test_only_a_vanished_link_saves_nothing_and_says_so(me: BoardStore, carol: BoardStore, path: Path) -> None:
    t1 = me.add_card("ACME", "topic", "T1")
    opened = me.add_card("ACME", "challenge", "S")
    carol.delete_card(t1["id"])
    before = _bytes(path)
    saved = me.update_card(opened["id"], {"links": [t1["id"]]}, base=opened)
    assert saved.dropped_links == [t1["id"]] and saved["links"] == []
    assert _bytes(path) == before


def test_a_self_link_stays_an_error_and_plain_edits_report_no_drops(me: BoardStore) -> None:
    opened = me.add_card("ACME", "topic", "S")
    with pytest.raises(ValidationError, match="cannot link to itself"):
        me.update_card(opened["id"], {"title": "S2", "links": [opened["id"]]}, base=opened)
    assert me.card(opened["id"])["title"] == "S"
    saved = me.update_card(opened["id"], {"title": "S2"}, base=opened)
    assert saved.dropped_links == []
    with pytest.raises(ValidationError, match="no such card"):  # a typed id without base: an error, as before
        me.update_card(opened["id"], {"links": ["deadbeef"]})


# votes
@pytest.fixture
def ws(me: BoardStore) -> Doc:
    people = [{"name": "Eva", "side": "customer"}, {"name": "Tom", "side": "us"}]
    return me.add_workshop("ACME", "2026", start="2026-03-10", participants=people)


def test_two_voters_on_one_card_at_once_never_conflict(me: BoardStore, carol: BoardStore, ws: Doc) -> None:
    card = me.add_card("ACME", "challenge", "Costs")
    me.vote(card["id"], "Eva", ws["id"], 1, base=0)  # both screens saw no votes at all
    after = carol.vote(card["id"], "Tom", ws["id"], 1, base=0)
    assert after["voters"] == {"Eva": 1, "Tom": 1} and after["votes"] == 2


def test_the_same_voter_from_a_stale_view_is_refused(me: BoardStore, carol: BoardStore, ws: Doc, path: Path) -> None:
    card = me.add_card("ACME", "challenge", "Costs")
    me.vote(card["id"], "Eva", ws["id"], 1, base=0)
    before = _bytes(path)
    with pytest.raises(Conflict) as info:
        carol.vote(card["id"], "Eva", ws["id"], 1, base=0)  # carol's screen still showed Eva with none
    assert _bytes(path) == before
    assert info.value.fields == {"votes of Eva": (1, 1)}
    assert str(info.value) == "'Costs' was changed meanwhile by me: votes of Eva"
    assert carol.vote(card["id"], "Eva", ws["id"], 1, base=1)["voters"] == {"Eva": 2}
    assert carol.vote(card["id"], "Eva", ws["id"], -1)["voters"] == {"Eva": 1}  # without base: as before


# workshops and the agenda
def test_next_pressed_twice_from_one_view_moves_one_item(me: BoardStore, carol: BoardStore, ws: Doc) -> None:
    for title in ("One", "Two", "Three"):
        me.add_agenda_item(ws["id"], title)
    started = me.timer(ws["id"], "start", base={})
    seen = started["agenda_state"]
    me.timer(ws["id"], "next", base=seen)
    with pytest.raises(Conflict) as info:
        carol.timer(ws["id"], "next", base=seen)
    assert set(info.value.fields) == {"agenda_state"}
    assert carol.workshop(ws["id"])["agenda_state"]["index"] == 1
    with pytest.raises(Conflict):
        carol.timer(ws["id"], "start", base={})  # a fresh view: no state yet; but it started meanwhile


def test_votes_hidden_from_a_stale_view(me: BoardStore, carol: BoardStore, ws: Doc, path: Path) -> None:
    assert me.set_votes_hidden(ws["id"], True, base=False)["votes_hidden"] is True
    before = _bytes(path)
    again = carol.set_votes_hidden(ws["id"], True, base=False)  # both hid from one view: one change
    assert again["votes_hidden"] is True and _bytes(path) == before
    assert carol.set_votes_hidden(ws["id"], False, base=True)["votes_hidden"] is False
    assert me.set_votes_hidden(ws["id"], True)["votes_hidden"] is True  # no base: as before


def test_update_workshop_merges_field_by_field(me: BoardStore, carol: BoardStore, ws: Doc) -> None:
    carol.update_workshop(ws["id"], {"location": "Berlin"}, base=ws)
    saved = me.update_workshop(ws["id"], {"notes": "Bring badges", "location": ws.get("location", "")}, base=ws)
    assert (saved["location"], saved["notes"]) == ("Berlin", "Bring badges")  # carol's field kept
    with pytest.raises(Conflict) as info:
        me.update_workshop(ws["id"], {"location": "Munich"}, base=ws)
    assert info.value.fields == {"location": ("Munich", "Berlin")}
    assert me.update_workshop(ws["id"], {"location": "Berlin"}, base=ws)["location"] == "Berlin"
    assert me.update_workshop(ws["id"], {"location": "Hamburg"})["location"] == "Hamburg"  # no base: as before
