"""The agenda by day: stored days, the guess for old agendas, planned times, a day running past its end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamboard import agenda as a
from kamboard import workshop as w
from kamboard.errors import Conflict
from kamboard.model import ValidationError
from kamboard.store import BoardStore

START, END = "2026-03-10T09:00", "2026-03-11T13:00"
WELCOME_BACK = "Welcome back: recap of day 1"


def old_agenda() -> list[dict[str, Any]]:
    """The default agenda as written before days were stored."""
    return [{k: v for k, v in item.items() if k != "day"} for item in a.default_agenda()]


def workshop(agenda: list[dict[str, Any]], start: str = START, end: str = END) -> dict[str, Any]:
    return {"start": start, "end": end, "agenda": agenda}


def day_of_title(ws: dict[str, Any], title: str) -> int:
    return next(day.number for day in a.agenda_days(ws) for _, item in day.items if item["title"] == title)


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    board = BoardStore(tmp_path / "board.json", user="anna", create=True)
    board.add_account("ACME")
    return board


def test_the_default_agenda_stores_its_days() -> None:
    days = a.agenda_days(workshop(a.default_agenda()))
    assert [(d.number, d.date, d.starts, d.ends, d.limit, d.over_minutes) for d in days] == [
        (1, "2026-03-10", "09:00", "17:00", "17:00", 0),
        (2, "2026-03-11", "09:00", "13:00", "13:00", 0),
    ]
    assert [len(d.items) for d in days] == [len(a.DEFAULT_AGENDA[0]), len(a.DEFAULT_AGENDA[1])]
    assert days[1].items[0] == ("09:00", days[1].items[0][1]) and days[1].items[0][1]["title"] == WELCOME_BACK
    assert days[0].items[-1][0] == "16:45" and days[1].minutes == 240 and not days[0].warning


def test_an_old_agenda_looks_as_before_and_is_not_changed_by_reading() -> None:
    agenda = old_agenda()
    before = [dict(i) for i in agenda]
    assert a.item_days(agenda, START) == [1] * 10 + [2] * 5
    assert a.schedule(agenda, START) == a.schedule(a.default_agenda(), START)
    assert day_of_title(workshop(agenda), WELCOME_BACK) == 2
    assert agenda == before  # read, not written


def test_shortening_item_one_keeps_welcome_back_on_day_two_once_days_are_stored() -> None:
    agenda = a.pin_days(old_agenda(), START)  # what the first change of an old agenda stores
    agenda[0] = {**agenda[0], "minutes": 20}
    ws = workshop(agenda)
    assert day_of_title(ws, WELCOME_BACK) == 2
    assert a.agenda_days(ws)[0].ends == "16:50" and a.agenda_days(ws)[1].starts == "09:00"


def test_an_insert_that_runs_past_the_day_is_a_warning() -> None:
    agenda = a.default_agenda()
    agenda.insert(3, a.new_agenda_item("Site tour", "", 50, day=1))
    ws = workshop(agenda, start="2026-03-10T08:40", end="2026-03-11T13:00")
    day1 = a.agenda_days(ws)[0]
    assert (day1.ends, day1.over_minutes) == ("17:30", 30)
    assert a.day_warnings(ws) == ["Day 1 ends at 17:30, 30 min after 17:00"]
    agenda.append(a.new_agenda_item("Long lunch", "", 80, day=2))
    assert a.day_warnings(workshop(agenda)) == [
        "Day 1 ends at 17:50, 50 min after 17:00",
        "Day 2 ends at 14:20, 1 h 20 min after 13:00",
    ]


def test_the_last_day_ends_by_the_workshop_end_time() -> None:
    ws = workshop(a.default_agenda(), end="2026-03-11T12:30")
    assert a.agenda_days(ws)[1].warning == "Day 2 ends at 13:00, 30 min after 12:30"
    one_day = workshop([a.new_agenda_item("All day", "", 420, day=1)], "2026-03-10T10:00", "2026-03-10T16:30")
    assert a.agenda_days(one_day)[0].warning == "Day 1 ends at 17:00, 30 min after 16:30"


def test_days_without_times_or_dates() -> None:
    days = a.agenda_days(workshop(a.default_agenda(), start="", end=""))
    assert [(d.number, d.date, d.starts, d.ends, d.over_minutes) for d in days] == [
        (1, "", "", "", 0),
        (2, "", "", "", 0),
    ]
    dated = a.agenda_days(workshop(a.default_agenda(), start="2026-03-13", end=""))  # a Friday
    assert [d.date for d in dated] == ["2026-03-13", "2026-03-16"] and dated[0].ends == ""
    assert a.agenda_days(workshop([])) == []


def test_days_keep_the_agenda_order() -> None:
    items = [a.new_agenda_item(t, "", 30, day=d) for t, d in (("A", 2), ("B", 1), ("C", 0 + 1), ("D", 3))]
    items[2].pop("day")  # no day: stays on the day above
    assert a.item_days(items) == [2, 2, 2, 3]
    days = a.agenda_days(workshop(items))
    assert [d.number for d in days] == [1, 2, 3] and days[0].items == [] and days[0].ends == ""


def test_set_day_and_shift_move_items_over_the_day_line() -> None:
    agenda = [a.new_agenda_item(t, "", 30, day=d) for t, d in (("A", 1), ("B", 1), ("C", 2), ("D", 2))]
    moved, at = a.set_day(agenda, 0, 2)  # later day: its start
    assert [(i["title"], i["day"]) for i in moved] == [("B", 1), ("A", 2), ("C", 2), ("D", 2)] and at == 1
    moved, at = a.set_day(agenda, 3, 1)  # earlier day: its end
    assert [(i["title"], i["day"]) for i in moved] == [("A", 1), ("B", 1), ("D", 1), ("C", 2)] and at == 2
    shifted, at = a.shift_item(agenda, 2, -1)  # first of day 2, up: last of day 1, same place
    assert [i["day"] for i in shifted] == [1, 1, 1, 2] and at == 2
    shifted, at = a.shift_item(agenda, 0, 1)  # within the day: swapped
    assert [i["title"] for i in shifted] == ["B", "A", "C", "D"] and at == 1
    shifted, at = a.shift_item(agenda, 0, -1)  # the very first: stays
    assert shifted == agenda and at == 0
    shifted, _ = a.shift_item(agenda, 3, 1)  # down from the last day opens the next
    assert shifted[3]["day"] == 3


def test_agenda_item_fields() -> None:
    assert a.validate_agenda_fields({"day": "2", "notes": "Decided: pilot in Q3"}) == {
        "day": 2,
        "notes": "Decided: pilot in Q3",
    }
    with pytest.raises(ValidationError, match="Day 0 must be a whole number from 1 to 9"):
        a.validate_agenda_fields({"day": 0})
    with pytest.raises(ValidationError, match="Day True"):
        a.validate_agenda_fields({"day": True})
    with pytest.raises(ValidationError, match="control"):
        w.validate_workshop_fields({"agenda": [{"title": "X", "minutes": 5, "notes": "\x1b[2J"}]})


def test_planned_start_and_behind_schedule() -> None:
    agenda = [a.new_agenda_item(t, "", m, day=d) for t, m, d in (("Welcome", 30, 1), ("Topics", 60, 1), ("B", 30, 2))]
    ws = workshop(agenda)
    assert a.planned_start(ws, 1) == dt.datetime(2026, 3, 10, 9, 30)
    assert a.planned_start(ws, 2) == dt.datetime(2026, 3, 11, 9, 0)
    assert a.planned_start(workshop(agenda, start="2026-03-10"), 1) is None

    def local(hour: int, minute: int, day: int = 10) -> dt.datetime:  # a clock that gives aware times
        return dt.datetime(2026, 3, day, hour, minute).astimezone()

    assert w.behind_schedule(ws, local(8, 50)) == 0  # before the start: not behind
    assert w.behind_schedule(ws, local(9, 12)) == 12  # not started: each minute late counts
    ws["agenda_state"] = w.apply(None, agenda, "start", local(9, 12))
    assert w.behind_schedule(ws, local(9, 30)) == 12  # running: as late as it started
    ws["agenda_state"] = w.apply(ws["agenda_state"], agenda, "extend", local(9, 30))
    assert w.behind_schedule(ws, local(9, 30)) == 17  # 5 more minutes: 5 more behind
    ws["agenda_state"] = w.apply(ws["agenda_state"], agenda, "next", local(9, 50))
    assert w.behind_schedule(ws, local(9, 50)) == 20 and w.view(ws, local(9, 50)).behind == 20
    assert w.view(ws, local(9, 50)).schedule_note == "behind schedule by 20 min"
    assert w.behind_schedule(ws, local(11, 35)) == 65  # overrun by 5 min: 1 h 5 min behind
    assert w.view(ws, local(11, 35)).schedule_note == "behind schedule by 1 h 5 min"
    assert w.behind_schedule(ws, local(11, 35, day=11)) == 0  # not the item's day


def test_overrun_reads_in_minutes() -> None:
    assert [w.format_over(s) for s in (-5, -300, -301, -3600, -3900)] == [
        "1 min over",
        "5 min over",
        "6 min over",
        "1 h over",
        "1 h 5 min over",
    ]
    view = w.TimerView(None, 0, 1, -300, True, True)
    assert view.status == "5 min over" and view.label == "-05:00"
    assert w.TimerView(None, 0, 1, 754.5, True, False).status == "12:35 left"


# the store keeps the days
def test_store_agenda_changes_store_the_guessed_days_first(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "Old", start=START, end=END, agenda=old_agenda())
    assert all("day" not in i for i in store.workshop(ws["id"])["agenda"])  # added as given
    store.update_agenda_item(ws["id"], "1", minutes=20)
    saved = store.workshop(ws["id"])
    assert day_of_title(saved, WELCOME_BACK) == 2 and all("day" in i for i in saved["agenda"])
    store.update_workshop(ws["id"], {"start": "2026-03-10T11:00"})  # a later start moves no item
    assert day_of_title(store.workshop(ws["id"]), WELCOME_BACK) == 2


def test_store_a_new_start_stores_the_days_shown_before(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "Old", start=START, end=END, agenda=old_agenda())
    store.update_workshop(ws["id"], {"start": "2026-03-10T11:00"})
    assert a.item_days(store.workshop(ws["id"])["agenda"]) == [1] * 10 + [2] * 5


def test_store_add_move_and_day_changes(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "Spring", start=START, end=END, agenda=a.default_agenda())
    first_of_day2 = len(a.DEFAULT_AGENDA[0])
    added = store.add_agenda_item(ws["id"], "Site tour", "", 45, index=first_of_day2)
    assert added["day"] == 1  # follows the last item of day 1
    dinner = store.add_agenda_item(ws["id"], "Dinner", "", 60, day=1)
    assert dinner["day"] == 1
    agenda = store.workshop(ws["id"])["agenda"]
    assert [i["title"] for i in agenda].index("Dinner") == first_of_day2 + 1  # the end of day 1
    assert a.day_warnings(store.workshop(ws["id"])) == ["Day 1 ends at 18:45, 1 h 45 min after 17:00"]
    moved = store.update_agenda_item(ws["id"], dinner["id"], day=2)
    assert moved["day"] == 2 and store.workshop(ws["id"])["agenda"][first_of_day2 + 1]["title"] == "Dinner"
    with pytest.raises(ValidationError, match="Day 10"):
        store.update_agenda_item(ws["id"], "1", day=10)


def test_store_notes_merge_with_their_base(store: BoardStore) -> None:
    ws = store.add_workshop("ACME", "Spring", start=START, agenda=a.default_agenda())
    item = store.workshop(ws["id"])["agenda"][1]
    saved = store.update_agenda_item(ws["id"], item["id"], notes="Pilot agreed", base=item)
    assert saved["notes"] == "Pilot agreed"
    rev = store.workshop(ws["id"])["rev"]
    store.update_agenda_item(ws["id"], item["id"], notes="Pilot agreed", base=item)  # nothing new
    assert store.workshop(ws["id"])["rev"] == rev
    store.update_agenda_item(ws["id"], item["id"], minutes=50, base=item)  # another field: merged
    assert store.workshop(ws["id"])["agenda"][1]["notes"] == "Pilot agreed"
    with pytest.raises(Conflict, match="notes"):
        store.update_agenda_item(ws["id"], item["id"], notes="Pilot postponed", base=item)


def test_two_copies_merge_agenda_notes_and_days_item_by_item() -> None:
    """Notes taken on two laptops merge per item; the same item's notes on both: a conflict to review."""
    from test_merge import board, both_ways, edit, find, two
    from test_merge import workshop as merge_workshop

    a, b = two(board(workshop=merge_workshop()))

    def anna(ws: dict[str, Any]) -> None:
        ws["agenda"] = [dict(i) for i in ws["agenda"]]
        ws["agenda"][0]["notes"] = "Goals agreed"
        ws["agenda"][2]["day"] = 2

    def bob(ws: dict[str, Any]) -> None:
        ws["agenda"] = [dict(i) for i in ws["agenda"]]
        ws["agenda"][1]["notes"] = "Pilot in Q3"

    edit(a, "w0", "anna", "2026-02-01T10:00:00Z", anna)
    edit(b, "w0", "bob", "2026-02-01T11:00:00Z", bob)
    merged, report = both_ways(a, b)
    agenda = find(merged, "w0")["agenda"]
    assert [(i.get("notes"), i.get("day")) for i in agenda] == [
        ("Goals agreed", None),
        ("Pilot in Q3", None),
        (None, 2),
    ]
    assert not report.conflicts

    edit(a, "w0", "anna", "2026-02-02T10:00:00Z", lambda ws: ws["agenda"][1].update(notes="Pilot in Q4"))
    edit(b, "w0", "bob", "2026-02-02T11:00:00Z", lambda ws: ws["agenda"][1].update(notes="Pilot cancelled"))
    _, report = both_ways(a, b)
    assert report.conflicts
