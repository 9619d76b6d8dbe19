"""The calendar export, read back with icalendar: each workshop day an event in UTC, open due actions."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from export_board import HOSTILE, HOSTILE_LINES, NOW, build, records_of

from kamboard import ical
from kamboard.agenda import default_agenda
from kamboard.store import BoardStore

BERLIN = ZoneInfo("Europe/Berlin")


def test_ics_parses_with_icalendar_and_round_trips_text(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = ical.calendar_ics(*records_of(store, acc), now=NOW)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")  # never cut inside a UTF-8 sequence
    cal = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        f"{ids['ws']['id']}@kamboard",
        f"{ids['ws']['id']}-day2@kamboard",  # each workshop day its own event
        f"{ids['ws_old']['id']}@kamboard",
        f"{ids['s1']['id']}-due@kamboard",
        f"{ids['s3']['id']}-due@kamboard",
    }
    due = events[f"{ids['s1']['id']}-due@kamboard"]
    assert str(due["SUMMARY"]) == f"Due: {HOSTILE} ({acc['name']})"
    assert due.decoded("DTSTART") == dt.date(2026, 3, 1)
    assert due.decoded("DTEND") == dt.date(2026, 3, 2)
    assert f"Value for the customer: {HOSTILE_LINES}" in str(due["DESCRIPTION"])
    ws = events[f"{ids['ws']['id']}@kamboard"]
    assert str(ws["SUMMARY"]) == f"Workshop day 1 of 2: {ids['ws']['title']} ({acc['name']})"
    assert str(ws["LOCATION"]) == "Berlin, Room 1; \\ floor"
    assert ws.decoded("DTSTART") == dt.date(2026, 3, 2) and ws.decoded("DTEND") == dt.date(2026, 3, 3)  # all day
    assert "Participants: Ann, O'Neil, Jürgen 😀" in str(ws["DESCRIPTION"])
    day2 = events[f"{ids['ws']['id']}-day2@kamboard"]
    assert str(day2["SUMMARY"]) == f"Workshop day 2 of 2: {ids['ws']['title']} ({acc['name']})"
    assert day2.decoded("DTSTART") == dt.date(2026, 3, 3) and day2.decoded("DTEND") == dt.date(2026, 3, 4)
    assert events[f"{ids['ws_old']['id']}@kamboard"].decoded("DTSTART") == dt.date(2025, 3, 1)


def test_ics_uids_stable_and_output_deterministic(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    ids = store._test_ids  # type: ignore[attr-defined]
    first = ical.calendar_ics(*records_of(store, acc), now=NOW)
    assert first == ical.calendar_ics(*records_of(store, acc), now=NOW + dt.timedelta(days=1))
    store.update_card(ids["s1"]["id"], {"title": "Renamed", "due": "2026-04-01"})
    uids = [
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(ical.calendar_ics(*records_of(store, acc), now=NOW)).walk("VEVENT")
    ]
    assert f"{ids['s1']['id']}-due@kamboard" in uids


def test_ics_timed_workshop_in_utc_and_only_open_actions_due(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("Timed")
    store.add_workshop(acc["id"], "Morning", start="2026-05-04T09:00", agenda=[{"title": "a", "minutes": 90}])
    store.add_card(acc["id"], "support", "Dropped", due="2026-05-01", status="dropped")
    store.add_card(acc["id"], "support", "Done", due="2026-05-02", status="done")
    store.add_card(acc["id"], "support", "No due", status="agreed")
    open_ones = [
        store.add_card(acc["id"], "support", s or "no status", due="2026-05-03", status=s) for s in ("", "proposed")
    ]
    text = ical.calendar_ics(*records_of(store, acc), now=NOW, tz=BERLIN)
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Due: no status (Timed)",
        "Due: proposed (Timed)",
        "Workshop: Morning (Timed)",
    ]  # done and dropped actions are not due
    assert {str(e["UID"]) for e in events} >= {f"{c['id']}-due@kamboard" for c in open_ones}
    assert "DTSTART:20260504T070000Z\r\n" in text and "DTEND:20260504T083000Z\r\n" in text  # 09:00 CEST, 90 min
    morning = next(e for e in events if str(e["SUMMARY"]).startswith("Workshop"))
    assert morning.decoded("DTSTART") == dt.datetime(2026, 5, 4, 7, 0, tzinfo=dt.UTC)
    assert "STATUS:CANCELLED" not in text


@pytest.mark.parametrize("text", ["a" * 200, "ü" * 100, "😀" * 60, "x" + "€" * 80, ""])
def test_ics_fold_limits_octets_and_unfolds_back(text: str) -> None:
    folded = ical.ics_fold("SUMMARY:" + text)
    assert folded.endswith("\r\n")
    lines = folded[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert re.sub(r"\r\n ", "", folded[:-2]) == "SUMMARY:" + text


def test_ics_escape() -> None:
    assert ical.ics_escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def workshop_events(store: BoardStore, acc: dict, tz: dt.tzinfo | None = BERLIN) -> list[tuple[str, str, str]]:
    text = ical.calendar_ics(*records_of(store, acc), now=NOW, tz=tz)
    starts = re.findall(r"DTSTART:(\S+)\r\n", text)
    ends = re.findall(r"DTEND:(\S+)\r\n", text)
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    return list(zip(summaries, starts, ends, strict=True))


def test_each_workshop_day_is_an_event_at_its_hours(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("ACME")
    agenda = default_agenda()
    store.add_workshop(acc["id"], "W", start="2026-03-05T09:00", end="2026-03-06T13:00", agenda=agenda)
    assert workshop_events(store, acc) == [  # Thursday 09:00-17:00, Friday 09:00-13:00 CET
        ("Workshop day 1 of 2: W (ACME)", "20260305T080000Z", "20260305T160000Z"),
        ("Workshop day 2 of 2: W (ACME)", "20260306T080000Z", "20260306T120000Z"),
    ]
    assert workshop_events(store, acc, ZoneInfo("UTC"))[0][1:] == ("20260305T090000Z", "20260305T170000Z")


def test_a_workshop_over_a_weekend_has_no_weekend_days_and_its_agenda_sets_the_hours(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("ACME")
    agenda = default_agenda()
    agenda[0] = {**agenda[0], "minutes": 50}  # day 1 runs 20 minutes over
    store.add_workshop(acc["id"], "W", start="2026-07-03T10:00", end="2026-07-06T12:30", agenda=agenda)
    assert workshop_events(store, acc) == [  # Friday from 10:00 to 18:20, Monday to the end; CEST
        ("Workshop day 1 of 2: W (ACME)", "20260703T080000Z", "20260703T162000Z"),
        ("Workshop day 2 of 2: W (ACME)", "20260706T070000Z", "20260706T103000Z"),
    ]


def test_workshop_times_default_to_this_computers_time_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("ACME")
    store.add_workshop(acc["id"], "W", start="2026-03-05T09:00", end="2026-03-05T12:00")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert workshop_events(store, acc, None) == [("Workshop: W (ACME)", "20260305T000000Z", "20260305T030000Z")]
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("first", "last", "dates"),
    [
        ("2026-03-05", "2026-03-05", ["2026-03-05"]),
        ("2026-03-05", "2026-03-06", ["2026-03-05", "2026-03-06"]),
        ("2026-03-06", "2026-03-09", ["2026-03-06", "2026-03-09"]),  # Friday to Monday
        ("2026-03-06", "2026-03-07", ["2026-03-06", "2026-03-07"]),  # a Saturday named as the end counts
        ("2026-03-02", "2026-03-04", ["2026-03-02", "2026-03-03", "2026-03-04"]),
    ],
)
def test_workshop_dates(first: str, last: str, dates: list[str]) -> None:
    got = ical.workshop_dates(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    assert [d.isoformat() for d in got] == dates
