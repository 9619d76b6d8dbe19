"""Workshops: default agenda, validation, the agenda timer (injected clock) and the commitments review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamboard import followup
from kamboard import workshop as w
from kamboard.errors import NotFound
from kamboard.model import ValidationError
from kamboard.store import BoardStore

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def agenda(*minutes: int) -> list[dict[str, Any]]:
    return [w.new_agenda_item(f"Item {i + 1}", "topic", m) for i, m in enumerate(minutes)]


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    board = BoardStore(tmp_path / "board.json", user="anna", create=True)
    board.add_account("ACME")
    return board


# default agenda
def test_default_agenda_fills_both_days_exactly() -> None:
    items = w.default_agenda()
    assert w.day_minutes() == [480, 240]
    assert w.agenda_minutes(items) == 12 * 60
    # the day boundary falls between two items: day 1's items add up to 8 hours
    running = 0
    sums = []
    for item in items:
        running += item["minutes"]
        sums.append(running)
    assert 480 in sums
    assert sum(m for _, _, m in w.DEFAULT_AGENDA[0]) == 480
    assert sum(m for _, _, m in w.DEFAULT_AGENDA[1]) == 240


def test_default_agenda_covers_the_workshop_questions() -> None:
    items = w.default_agenda()
    titles = [i["title"].casefold() for i in items]
    assert "commitments" in titles[1]
    assert {i["lane"] for i in items} == {"", "topic", "challenge", "support"}
    assert any("break" in t or "lunch" in t for t in titles)
    assert "wrap-up" in titles[-1]
    order = [i["lane"] for i in items if i["lane"] and "commitments" not in i["title"].casefold()]
    assert order.index("topic") < order.index("challenge") < order.index("support")
    assert len({i["id"] for i in items}) == len(items)
    assert {i["id"] for i in w.default_agenda()}.isdisjoint(i["id"] for i in items)


def test_default_agenda_schedule_starts_each_day_at_nine() -> None:
    items = w.default_agenda()
    times = w.schedule(items, "2026-03-10T09:00")
    assert times[0] == "09:00"
    day2 = len(w.DEFAULT_AGENDA[0])
    assert times[day2] == "09:00"
    assert times[day2 - 1] == "16:45"
    assert w.schedule(items, "2026-03-10") == [""] * len(items)


def test_default_times_span_one_and_a_half_days() -> None:
    assert w.default_times(dt.date(2026, 3, 10)) == ("2026-03-10T09:00", "2026-03-11T13:00")
    assert w.default_times(dt.date(2026, 3, 13)) == ("2026-03-13T09:00", "2026-03-16T13:00")  # Friday


# validation
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": "2026-02-31"}, "start", "does not exist"),
        ({"start": "March 3"}, "start", "YYYY-MM-DD"),
        ({"end": "2026-03-10T25:00"}, "end", "YYYY-MM-DD"),
        ({"start": "2026-03-11", "end": "2026-03-10"}, "end", "before it starts"),
        ({"participants": [{"name": "Eva", "side": "them"}]}, "participants", "Unknown side"),
        ({"participants": [{"name": "Eva"}, {"name": "eva"}]}, "participants", "listed twice"),
        ({"agenda": [{"title": "x", "lane": "", "minutes": 0}]}, "minutes", "1 to 600"),
        ({"vote_budget": 0}, "vote_budget", "1 to 99"),
        ({"vote_budget": 2, "vote_per_card": 3}, "vote_per_card", "exceed"),
        ({"colour": "red"}, "colour", "Unknown workshop field"),
    ],
)
def test_bad_workshop_fields(fields: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        w.validate_workshop_fields(fields)
    assert info.value.field == field
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_workshop_fields_are_normalised() -> None:
    out = w.validate_workshop_fields(
        {"start": "2026-03-10 09:00", "end": "2026-03-11", "participants": [{"name": " Eva ", "side": "us"}]}
    )
    assert out["start"] == "2026-03-10T09:00"
    assert out["end"] == "2026-03-11"
    assert out["participants"] == [{"name": "Eva", "side": "us", "role": ""}]


def test_parse_participant() -> None:
    assert w.parse_participant("Eva Berg:customer:CIO") == {"name": "Eva Berg", "side": "customer", "role": "CIO"}
    assert w.parse_participant("Tom") == {"name": "Tom", "side": "", "role": ""}
    with pytest.raises(ValidationError, match="Unknown side"):
        w.parse_participant("Tom:partner")


def test_find_and_move_items() -> None:
    items = agenda(10, 20, 30)
    assert w.find_item(items, "2") == 1
    assert w.find_item(items, items[2]["id"][:6]) == 2
    with pytest.raises(ValidationError, match="No agenda item '4'"):
        w.find_item(items, "4")
    moved = w.move_item(items, "3", 0)
    assert [i["minutes"] for i in moved] == [30, 10, 20]
    assert [i["minutes"] for i in items] == [10, 20, 30]  # pure


# timer
def test_timer_start_pause_and_time_left() -> None:
    items = agenda(30, 15)
    state = w.initial_state()
    assert w.time_left(state, items, at(100)) == 30 * 60  # not started: the clock does not run
    state = w.apply(state, items, "start", at(0))
    assert state["running"]
    assert w.time_left(state, items, at(600)) == 1200
    state = w.apply(state, items, "pause", at(600))
    assert not state["running"]
    assert w.time_left(state, items, at(5000)) == 1200  # paused time is not counted
    state = w.apply(state, items, "start", at(5000))
    assert w.time_left(state, items, at(5060)) == 1140
    assert w.apply(state, items, "start", at(9999)) == state  # start while running changes nothing


def test_timer_overrun_and_extend() -> None:
    items = agenda(1, 15)
    state = w.apply(None, items, "start", at(0))
    assert not w.is_overrun(state, items, at(60))
    assert w.is_overrun(state, items, at(61))
    view = w.view({"agenda": items, "agenda_state": state}, at(75))
    assert view.overrun and view.running and view.label == "-00:15"
    state = w.apply(state, items, "extend", at(75))
    assert not w.is_overrun(state, items, at(75))
    assert w.time_left(state, items, at(75)) == 60 + 300 - 75
    state = w.apply(state, items, "extend", at(80), 2)
    assert w.time_left(state, items, at(80)) == 60 + 420 - 80


def test_timer_next_and_prev_give_a_fresh_timebox() -> None:
    items = agenda(10, 20, 30)
    state = w.apply(None, items, "start", at(0))
    state = w.apply(state, items, "next", at(300))
    assert w.current_item(state, items) == items[1]
    assert w.time_left(state, items, at(300)) == 20 * 60
    assert w.time_left(state, items, at(360)) == 20 * 60 - 60
    state = w.apply(state, items, "next", at(400))
    assert w.apply(state, items, "next", at(500)) == state  # already at the last item
    state = w.apply(state, items, "prev", at(500))
    state = w.apply(state, items, "prev", at(500))
    assert w.current_index(state, items) == 0
    assert w.apply(state, items, "prev", at(500)) == state
    paused = w.apply(w.apply(state, items, "pause", at(600)), items, "next", at(700))
    assert not paused["running"] and w.time_left(paused, items, at(900)) == 20 * 60


def test_timer_follows_the_item_when_the_agenda_is_reordered() -> None:
    items = agenda(10, 20, 30)
    state = w.apply(w.apply(None, items, "start", at(0)), items, "next", at(1))
    reordered = w.move_item(items, "2", 2)
    assert w.current_item(state, reordered) == items[1]
    shorter = [items[0]]
    assert w.current_item(state, shorter) == items[0]  # the current item was deleted: clamp


def test_timer_errors() -> None:
    with pytest.raises(ValidationError, match="agenda is empty"):
        w.apply(None, [], "start", at(0))
    with pytest.raises(ValidationError, match="Unknown timer action"):
        w.apply(None, agenda(5), "jump", at(0))


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(1800, "30:00"), (59.5, "01:00"), (-0.5, "-00:01"), (0, "00:00"), (-61, "-01:01"), (3725, "1:02:05")],
)
def test_format_left(seconds: float, label: str) -> None:
    assert w.format_left(seconds) == label


def test_timer_state_is_shared_through_the_file(store: BoardStore, tmp_path: Path) -> None:
    ws = store.add_workshop("ACME", "Workshop 2026", agenda=agenda(10, 20))
    store.timer(ws["id"], "start", at(0))
    store.timer(ws["id"], "next", at(120))
    other = BoardStore(tmp_path / "board.json", user="ben")
    view = w.view(other.workshop(ws["id"]), at(180))
    assert view.index == 1 and view.running and view.left == 20 * 60 - 60
    other.timer(ws["id"], "extend", at(200))
    store.refresh()
    assert w.view(store.workshop(ws["id"]), at(200)).left == 25 * 60 - 80
    assert store.events()[-1][1]["kind"] == "workshop.timer"
    with pytest.raises(ValidationError):
        store.timer(ws["id"], "sprint", at(0))
    assert w.view(store.workshop(ws["id"]), at(200)).left == 25 * 60 - 80


def test_set_agenda_state(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "W", agenda=agenda(10, 20))
    state = w.apply(None, ws["agenda"], "next", at(0))
    saved = store.set_agenda_state(ws["id"], state)
    assert saved["agenda_state"]["index"] == 1
    with pytest.raises(ValidationError):
        store.set_agenda_state(ws["id"], "running")  # type: ignore[arg-type]


# agenda items in the store
def test_agenda_item_changes(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "W")
    a = store.add_agenda_item(ws["id"], "Topics", "topic", 45)
    b = store.add_agenda_item(ws["id"], "Intro", "", 15, index=0)
    assert [i["title"] for i in store.workshop(ws["id"])["agenda"]] == ["Intro", "Topics"]
    changed = store.update_agenda_item(ws["id"], a["id"], minutes=60, lane="challenge")
    assert changed["minutes"] == 60 and changed["lane"] == "challenge" and changed["id"] == a["id"]
    store.move_agenda_item(ws["id"], "1", 1)
    assert [i["id"] for i in store.workshop(ws["id"])["agenda"]] == [a["id"], b["id"]]
    assert store.delete_agenda_item(ws["id"], b["id"])["title"] == "Intro"
    assert [i["title"] for i in store.workshop(ws["id"])["agenda"]] == ["Topics"]
    before = store.workshop(ws["id"])
    for bad in (
        lambda: store.add_agenda_item(ws["id"], "", "topic"),
        lambda: store.update_agenda_item(ws["id"], "7", minutes=5),
        lambda: store.update_agenda_item(ws["id"], "1", lane="money"),
        lambda: store.update_agenda_item(ws["id"], "1", minutes="lots"),
    ):
        with pytest.raises(ValidationError):
            bad()
    assert store.workshop(ws["id"]) == before
    with pytest.raises(NotFound):
        store.add_agenda_item("nope", "x")


def test_store_validates_workshops(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "W", start="2026-03-10T09:00", end="2026-03-11T13:00")
    with pytest.raises(ValidationError, match="before it starts"):
        store.update_workshop(ws["id"], {"end": "2026-03-09"})
    with pytest.raises(ValidationError):
        store.add_workshop("ACME", "W2", participants="Eva")
    assert store.workshop(ws["id"])["end"] == "2026-03-11T13:00"


# cards record their workshop
def test_cards_record_the_workshop(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "W")
    card = store.add_card("ACME", "topic", "Cloud", workshop_id=ws["id"])
    assert store.card(card["id"])["workshop_id"] == ws["id"]
    assert "workshop_id" not in store.add_card("ACME", "topic", "Plain")
    store.add_account("Globex")
    other = store.add_workshop("Globex", "G")
    with pytest.raises(ValidationError, match="another account"):
        store.add_card("ACME", "topic", "Wrong", workshop_id=other["id"])
    with pytest.raises(NotFound):
        store.add_card("ACME", "topic", "Missing", workshop_id="deadbeef")
    assert [c["title"] for c in store.cards()] == ["Cloud", "Plain"]


# commitments review
def _two_workshops(store: BoardStore) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    old = store.add_workshop("ACME", "2025", start="2025-03-10")
    older = store.add_workshop("ACME", "2024", start="2024-03-10")
    new = store.add_workshop("ACME", "2026", start="2026-03-10")
    cards = {
        name: store.add_card("ACME", "support", name, workshop_id=old["id"], status=status)
        for name, status in (("Pilot", "agreed"), ("Training", ""), ("Audit", "in_progress"), ("Done", "done"))
    }
    store.add_card("ACME", "support", "Ancient", workshop_id=older["id"], status="agreed")
    store.add_card("ACME", "support", "New idea", workshop_id=new["id"])
    return old, new, cards


def test_open_commitments_come_from_the_previous_workshop(store: BoardStore) -> None:
    old, new, _ = _two_workshops(store)
    assert store.previous_workshop(new["id"])["id"] == old["id"]
    assert [c["title"] for c in store.open_commitments(new["id"])] == ["Pilot", "Training", "Audit"]
    assert store.previous_workshop(store.workshops()[0]["id"]) is None
    assert store.open_commitments(store.workshops()[0]["id"]) == []


def test_commitments_review_outcomes(store: BoardStore) -> None:
    old, new, cards = _two_workshops(store)
    done = store.review_commitment(cards["Pilot"]["id"], new["id"], "done")
    assert done["status"] == "done" and done["workshop_id"] == old["id"]
    carried = store.review_commitment(cards["Training"]["id"], new["id"], "carry")
    assert carried["workshop_id"] == new["id"] and carried["carried_from"] == old["id"] and carried["status"] == ""
    dropped = store.review_commitment(cards["Audit"]["id"], new["id"], "drop")
    assert dropped["status"] == "dropped"
    assert store.open_commitments(new["id"]) == []
    # the carried-over one is marked on its card (the lane draws followup.is_carried_over)
    assert followup.is_carried_over(carried) and followup.is_carried_over(store.card(carried["id"]))
    assert not any(followup.is_carried_over(c) for c in (done, dropped, cards["Pilot"]))
    before = store.cards()
    with pytest.raises(ValidationError, match="not an open commitment"):
        store.review_commitment(cards["Pilot"]["id"], new["id"], "carry")
    with pytest.raises(ValidationError, match="Unknown review outcome"):
        store.review_commitment(cards["Done"]["id"], new["id"], "later")
    assert store.cards() == before
    assert any("carried over 'Training'" in e["summary"] for _, e in store.events())


def test_pick_workshop() -> None:
    today = dt.date(2026, 3, 16)
    old = {"id": "a", "start": "2025-03-10"}
    current = {"id": "b", "start": "2026-03-16T09:00"}
    future = {"id": "c", "start": "2027-03-01"}
    undated = {"id": "d", "start": ""}
    assert rules_pick([old, current, future, undated], today) == "b"
    assert rules_pick([future, undated], today) == "c"
    assert rules_pick([undated], today) == "d"
    running = {**old, "agenda_state": {"running": True}}
    assert rules_pick([running, current, future], today) == "a"
    assert w.pick_workshop([], today) is None


def rules_pick(workshops: list[dict[str, Any]], today: dt.date) -> str:
    found = w.pick_workshop(workshops, today)
    assert found is not None
    return str(found["id"])


DAY = dt.date(2026, 3, 16)
PAST = {"id": "a", "start": "2025-03-10T09:00", "end": "2025-03-11T13:00"}
LATER = {"id": "b", "start": "2026-09-01T09:00", "end": "2026-09-02T13:00"}
UNDATED = {"id": "c", "start": "", "end": ""}
NOW_ON = {"id": "d", "start": "2026-03-15T09:00", "end": "2026-03-16T13:00"}
RUNNING_PAST = {**PAST, "agenda_state": {"running": True}}


def test_the_board_runs_the_running_then_current_then_next_workshop() -> None:
    def pick(*workshops: dict[str, Any]) -> str:
        found = w.board_workshop(list(workshops), DAY)
        assert found is not None
        return str(found["id"])

    assert w.board_workshop([], DAY) is None
    assert pick(PAST) == "a"  # only a past one: it is shown (votes, notes)
    assert pick(PAST, UNDATED, LATER) == "b"  # the next dated one before an undated one
    assert pick(PAST, UNDATED) == "c"  # undated counts as being planned
    assert pick(PAST, LATER, NOW_ON) == "d"  # under way today (its second day)
    assert pick(RUNNING_PAST, LATER, NOW_ON) == "a"  # a running timer wins


def test_the_timer_shows_while_running_and_until_the_last_day_has_passed() -> None:
    assert w.timer_shown(NOW_ON, DAY)  # its last day is today
    assert w.timer_shown(LATER, DAY)
    assert w.timer_shown(UNDATED, DAY)
    assert not w.timer_shown(PAST, DAY)
    assert w.timer_shown(RUNNING_PAST, DAY)
    assert w.timer_shown({"id": "e", "start": "2026-03-16T09:00"}, DAY)  # no end: its start is its last day
    assert not w.timer_shown({"id": "e", "start": "2026-03-15T09:00"}, DAY)


def test_new_cards_record_the_workshop_under_way_only() -> None:
    assert w.capture_workshop_id(None, DAY) == ""
    assert w.capture_workshop_id(NOW_ON, DAY) == "d"
    assert w.capture_workshop_id(NOW_ON, dt.date(2026, 3, 15)) == "d"  # its first day
    assert w.capture_workshop_id(NOW_ON, dt.date(2026, 3, 17)) == ""  # the day after
    assert w.capture_workshop_id(LATER, DAY) == ""
    assert w.capture_workshop_id(UNDATED, DAY) == ""
    assert w.capture_workshop_id(RUNNING_PAST, DAY) == "a"  # its timer runs
    assert w.capture_workshop_id({"id": "e", "start": "2026-03-16"}, DAY) == "e"  # no end: one day


def test_next_year_proposes_the_people_the_title_and_the_dates_a_year_later() -> None:
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}, {"name": "Bob", "side": "us", "role": ""}]
    last = {
        "id": "a",
        "title": "ACME Workshop 2026",
        "start": "2026-03-10T09:00",
        "end": "2026-03-11T13:00",
        "location": "Berlin",
        "participants": people,
        "vote_budget": 7,
        "notes": "not carried",
        "agenda": [{"id": "x", "title": "Old", "minutes": 5, "notes": "Decided"}],
    }
    proposal = w.next_year(last, dt.date(2026, 11, 29))
    (item,) = proposal.pop("agenda")  # last year's items again: new ids, their days, no notes
    assert item["id"] not in ("x", "") and {k: v for k, v in item.items() if k != "id"} == {
        "title": "Old",
        "minutes": 5,
        "day": 1,
    }
    assert proposal == {
        "title": "ACME Workshop 2027",
        "start": "2027-03-10T09:00",
        "end": "2027-03-11T13:00",
        "location": "Berlin",
        "participants": people,
        "vote_budget": 7,
    }
    assert proposal["participants"] is not people and proposal["participants"][0] is not people[0]
    # a weekend a year later moves to the Monday, the span kept
    friday = {"title": "Kick-off 2025/2026", "start": "2025-03-14T10:00", "end": "2025-03-17T12:00"}
    assert w.next_year(friday, dt.date(2025, 6, 1)) | {"participants": []} == {
        "title": "Kick-off 2026/2027",
        "start": "2026-03-16T10:00",  # 2026-03-14 is a Saturday
        "end": "2026-03-19T12:00",
        "participants": [],
    }
    # overdue: from today; a dated title without a year gets one; undated: the title as it was
    overdue = w.next_year({"title": "Yearly", "start": "2024-03-10", "end": ""}, dt.date(2026, 3, 14))
    assert (overdue["title"], overdue["start"]) == ("Yearly 2026", "2026-03-16") and "end" not in overdue
    assert w.next_year({"title": "Yearly", "start": ""}, dt.date(2026, 3, 14)) == {"participants": []}
