"""Exports: CSV, iCalendar (parsed with icalendar), JSON; the formats import no textual."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from export_board import FORMULAS, HOSTILE, HOSTILE_LINES, NOW, build, records_of

from kamboard import csv_export, ical, reports
from kamboard.store import BoardStore


# ---------------------------------------------------------------- CSV
def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_quoting_bom_and_formula_neutralised(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = csv_export.actions_csv(store.account(acc["id"]), store.cards(acc["id"]))
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf") and "Müller".encode() in raw and "🎉".encode() in raw
    rows = read_csv(text)
    assert rows[0] == list(csv_export.CSV_HEADERS)
    assert len(rows) == 4 and all(len(r) == len(csv_export.CSV_HEADERS) for r in rows)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["ID"] == ids["s1"]["id"]
    assert first["Action"] == HOSTILE
    assert first["Owner"] == "Ann, O'Neil"
    assert first["Value for the customer"] == HOSTILE_LINES  # newlines and quotes kept inside one cell
    assert first["Value for us"] == '\'=HYPERLINK("http://x")'
    assert first["Answers"] == f"{ids['t1']['title']}; {ids['c1']['title']}"
    assert rows[2][2] == "'=1+2"


@pytest.mark.parametrize("value", [*FORMULAS, "\tx", "\rx"])
def test_csv_cell_neutralises_formula_prefixes(value: str) -> None:
    assert csv_export.csv_cell(value).startswith("'")


@pytest.mark.parametrize("value", ["plain", "Müller", "a=b", "", "'quoted"])
def test_csv_cell_leaves_plain_text(value: str) -> None:
    assert csv_export.csv_cell(value) == value


# ---------------------------------------------------------------- iCalendar
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
    assert str(ws["SUMMARY"]) == f"Workshop: {ids['ws']['title']} ({acc['name']})"
    assert str(ws["LOCATION"]) == "Berlin, Room 1; \\ floor"
    assert ws.decoded("DTSTART") == dt.date(2026, 3, 2) and ws.decoded("DTEND") == dt.date(2026, 3, 4)
    assert "Participants: Ann, O'Neil, Jürgen 😀" in str(ws["DESCRIPTION"])


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


def test_ics_timed_workshop_and_skipped_actions(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("Timed")
    store.add_workshop(acc["id"], "Morning", start="2026-05-04T09:00", agenda=[{"title": "a", "minutes": 90}])
    store.add_card(acc["id"], "support", "Dropped", due="2026-05-01", status="dropped")
    store.add_card(acc["id"], "support", "No due", status="agreed")
    cal = icalendar.Calendar.from_ical(ical.calendar_ics(*records_of(store, acc), now=NOW))
    events = cal.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("DTSTART") == dt.datetime(2026, 5, 4, 9, 0)
    assert events[0].decoded("DTEND") == dt.datetime(2026, 5, 4, 10, 30)


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


# ---------------------------------------------------------------- JSON and hygiene
def test_account_json_shape(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    text = reports.account_json(*records_of(store, acc), exported_at="2026-03-10T12:00:00Z", exported_by="tester")
    data = json.loads(text)
    assert data["kamboard_export"] == reports.EXPORT_VERSION
    assert set(data) == {"kamboard_export", "exported_at", "exported_by", "account", "cards", "workshops"}
    assert data["account"] == store.account(acc["id"])
    assert data["cards"] == store.cards(acc["id"])
    assert data["workshops"] == store.workshops(acc["id"])
    assert "Müller" in text  # not \u-escaped


def test_reports_and_followup_do_not_import_textual() -> None:
    code = "import sys, kamboard.exporting, kamboard.followup, kamboard.transfer; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
