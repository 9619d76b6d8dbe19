"""Dates as people type them (kamboard.dates): every form, relative to a fixed today, and clear refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamboard.dates import describe, examples, parse_date
from kamboard.model import ValidationError

SUNDAY = dt.date(2026, 11, 29)
MONDAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+14", "2026-12-13"),
        ("+14d", "2026-12-13"),
        ("+ 3", "2026-12-02"),
        ("+0", "2026-11-29"),
        ("+2w", "2026-12-13"),
        ("+2W", "2026-12-13"),
        ("14.12.2026", "2026-12-14"),
        ("4.1.2027", "2027-01-04"),
        ("14.12.26", "2026-12-14"),
        ("14.12.", "2026-12-14"),
        ("14.12", "2026-12-14"),
        ("29.11.", "2026-11-29"),  # today is the next 29 November
        ("28.11.", "2027-11-28"),  # yesterday's date: next year's
        ("29.02.", "2028-02-29"),  # the next leap day
        ("2026-12-14", "2026-12-14"),
        ("2027-1-5", "2027-01-05"),
        ("2020-03-31", "2020-03-31"),  # a past date written out is taken as written
        ("today", "2026-11-29"),
        ("tomorrow", "2026-11-30"),
        ("Tom", "2026-11-30"),
        ("mon", "2026-11-30"),
        ("monday", "2026-11-30"),
        ("MONDAY", "2026-11-30"),
        ("fri", "2026-12-04"),
        ("fr", "2026-12-04"),
        ("thurs", "2026-12-03"),
        ("sun", "2026-12-06"),  # today is Sunday: the next one is a week away
        ("  wed  ", "2026-12-02"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_forms_people_type(text: str, expected: str) -> None:
    assert parse_date(text, SUNDAY) == expected


def test_weekday_is_the_next_one_after_today() -> None:
    assert parse_date("monday", MONDAY) == "2026-12-07"
    assert parse_date("tuesday", MONDAY) == "2026-12-01"


def _refused(text: str, today: dt.date = SUNDAY) -> str:
    with pytest.raises(ValidationError) as info:
        parse_date(text, today)
    assert info.value.field == "due"
    return info.value.message


@pytest.mark.parametrize("text", ["soon", "31/03/2026", "-3", "14", "t", "next week", "2026-12", "+2m"])
def test_what_is_not_a_date_is_refused_with_the_forms_to_use(text: str) -> None:
    message = _refused(text)
    assert message == (f"Date {text!r} is not understood; write e.g. +14, +2w, fri, 13.12., 13.12.2026 or 2026-12-13.")


@pytest.mark.parametrize("text", ["31.02.", "30.02.2027", "2026-02-30", "2026-13-01", "0.5.", "1.13.2026"])
def test_dates_the_calendar_lacks_are_refused(text: str) -> None:
    assert _refused(text) == f"Date {text!r} does not exist in the calendar."


def test_an_ambiguous_word_asks_for_more_letters() -> None:
    assert _refused("to") == "Date 'to' could be today or tomorrow: type more letters."
    assert _refused("s").startswith("Date 's' is not understood")  # one letter is too few
    assert parse_date("sa", SUNDAY) == "2026-12-05"
    assert parse_date("su", SUNDAY) == "2026-12-06"


def test_too_far_away_is_refused_not_a_crash() -> None:
    assert _refused("+99999w", dt.date(9990, 1, 1)) == "Date '+99999w' is too far away."


def test_the_field_is_named_in_the_error() -> None:
    with pytest.raises(ValidationError) as info:
        parse_date("soon", SUNDAY, field="today")
    assert info.value.field == "today"


@pytest.mark.parametrize("today", [SUNDAY, dt.date(2026, 12, 31), dt.date(2027, 2, 20)])
def test_the_examples_are_future_dates_that_parse(today: dt.date) -> None:
    text = examples(today)
    forms = text.replace(" or ", ", ").split(", ")
    parsed = [parse_date(form, today) for form in forms]
    assert all(date > today.isoformat() for date in parsed), parsed
    assert len(set(parsed[3:])) == 1  # the three ways to write one date agree


def test_describe_says_the_weekday_and_how_far() -> None:
    assert describe("2026-12-13", SUNDAY) == "Sun 13 Dec 2026, in 14 days"
    assert describe("2026-11-29", SUNDAY) == "Sun 29 Nov 2026, today"
    assert describe("2026-11-30", SUNDAY) == "Mon 30 Nov 2026, tomorrow"
    assert describe("2026-11-28", SUNDAY) == "Sat 28 Nov 2026, yesterday"
    assert describe("2026-11-19", SUNDAY) == "Thu 19 Nov 2026, 10 days ago"


def test_cli_due_takes_the_same_forms_and_stores_iso(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kamboard.cli import cli
    from kamboard.store import BoardStore

    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("ACME")
    today = dt.date.today()  # the CLI takes the real today
    runner = CliRunner()
    for typed in ("+14", "+2w", "fri", f"{today + dt.timedelta(days=3):%d.%m.}", "tomorrow", "2027-01-05"):
        result = runner.invoke(cli, ["card", "add", "ACME", "support", typed, "--due", typed, "-f", str(path)])
        assert result.exit_code == 0, result.stderr
    dues = {c["title"]: c["due"] for c in BoardStore(path, "check").cards()}
    assert dues == {typed: parse_date(typed, today) for typed in dues}
    assert dues["+14"] == (today + dt.timedelta(days=14)).isoformat()
    assert dues["2027-01-05"] == "2027-01-05"
    card = next(iter(BoardStore(path, "check").cards()))
    result = runner.invoke(cli, ["card", "edit", card["id"], "--due", "", "-f", str(path)])
    assert result.exit_code == 0, result.stderr
    assert BoardStore(path, "check").card(card["id"])["due"] == ""
    result = runner.invoke(cli, ["card", "edit", card["id"], "--due", "soon", "-f", str(path)])
    assert result.exit_code == 2
    assert "Date 'soon' is not understood; write e.g. +14" in result.stderr
