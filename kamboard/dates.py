"""Dates as people type them in a workshop, turned into the stored form YYYY-MM-DD. Pure, no I/O.

``parse_date`` understands, relative to ``today``:

- ``2026-12-14`` (ISO), ``14.12.2026`` and ``14.12.26`` (day first, as written in Germany);
- ``14.12.`` or ``14.12``: the next 14 December, today included;
- ``+14`` or ``+14d``: in 14 days; ``+2w``: in two weeks;
- ``today``, ``tomorrow``; a weekday (``mon``, ``monday``, ``fr``): the next one after today;
- the German words too, whatever the language: ``heute``, ``morgen``, ``übermorgen``, ``freitag``,
  and the German two-letter weekdays ``mo di mi do fr sa so`` (``mo`` is Monday, not ``morgen``).

Words may be shortened to any unambiguous beginning of at least two letters (``we``, ``tom``).
"""

from __future__ import annotations

import datetime as dt
import re

from kamboard.i18n import N_, _, format_date, language
from kamboard.model import ValidationError

# N_: an ambiguous word's error names what it could mean in the language in use
WEEKDAYS = (N_("monday"), N_("tuesday"), N_("wednesday"), N_("thursday"), N_("friday"), N_("saturday"), N_("sunday"))
WORDS = (N_("today"), N_("tomorrow"), *WEEKDAYS)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# the German words, each with the English one it means ("day after tomorrow": 2 days ahead)
GERMAN_WORDS = {
    "heute": "today",
    "morgen": "tomorrow",
    "übermorgen": N_("day after tomorrow"),
    "montag": "monday",
    "dienstag": "tuesday",
    "mittwoch": "wednesday",
    "donnerstag": "thursday",
    "freitag": "friday",
    "samstag": "saturday",
    "sonnabend": "saturday",
    "sonntag": "sunday",
}
GERMAN_SHORT = dict(zip(("mo", "di", "mi", "do", "fr", "sa", "so"), WEEKDAYS, strict=True))  # exact, before prefixes
_MEANINGS = {**{word: word for word in WORDS}, **GERMAN_WORDS}
WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?")
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})")
_OFFSET = re.compile(r"\+\s*(\d{1,5})\s*([dw]?)")
LEAP_SEARCH = 8  # years to look ahead for the next 29.02.


def examples(today: dt.date) -> str:
    """The forms ``parse_date`` takes, with dates after ``today`` (a hint never shows a past date)."""
    soon = today + dt.timedelta(days=14)
    forms = _("+14, +2w, fri, {day_month}, {dotted} or {iso}")
    return forms.format(day_month=f"{soon.day}.{soon.month}.", dotted=f"{soon:%d.%m.%Y}", iso=soon.isoformat())


def _real(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, _("Date {value!r} does not exist in the calendar.").format(value=text)) from None


def _next_day_month(day: int, month: int, today: dt.date, text: str, field: str) -> dt.date:
    """The first ``day``.``month``. on or after ``today`` (29.02. waits for a leap year)."""
    _real(2000, month, day, text, field)  # a leap year: is it a date at all?
    for year in range(today.year, today.year + LEAP_SEARCH + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date >= today:
            return date
    raise ValidationError(field, _("Date {value!r} does not exist in the calendar.").format(value=text))  # not reached


def _word(word: str, field: str) -> str | None:
    """What ``word`` means: the one meaning (a word of ``WORDS``, or 'day after tomorrow') of the
    English and German words it begins (two letters at least), else None."""
    if len(word) < 2 or not word.isalpha():
        return None
    if word in GERMAN_SHORT:
        return GERMAN_SHORT[word]
    found = list(dict.fromkeys(meaning for name, meaning in _MEANINGS.items() if name.startswith(word)))
    if len(found) > 1:
        either = _("or")
        choices = f" {either} ".join(_(meaning) for meaning in found)
        message = _("Date {word!r} could be {choices}: type more letters.")
        raise ValidationError(field, message.format(word=word, choices=choices))
    return found[0] if found else None


def parse_date(text: str, today: dt.date, field: str = "due") -> str:
    """``text`` as typed (see the module's docstring) as YYYY-MM-DD; '' stays '' (no date).

    Raises ``ValidationError`` (for ``field``) with a message that shows the forms understood."""
    raw = text.strip()
    if not raw:
        return ""
    key = raw.casefold()
    try:
        date = _parse(raw, key, today, field)
    except OverflowError:
        raise ValidationError(field, _("Date {value!r} is too far away.").format(value=raw)) from None
    if date is None:
        message = _("Date {value!r} is not understood; write e.g. {examples}.")
        raise ValidationError(field, message.format(value=raw, examples=examples(today)))
    return date.isoformat()


def _parse(raw: str, key: str, today: dt.date, field: str) -> dt.date | None:
    if match := _ISO.fullmatch(key):
        year, month, day = (int(part) for part in match.groups())
        return _real(year, month, day, raw, field)
    if match := _DOTTED.fullmatch(key):
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            return _next_day_month(day, month, today, raw, field)
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _real(year, month, day, raw, field)
    if match := _DAY_MONTH.fullmatch(key):
        return _next_day_month(int(match[1]), int(match[2]), today, raw, field)
    if match := _OFFSET.fullmatch(key):
        count = int(match[1])
        return today + dt.timedelta(weeks=count) if match[2] == "w" else today + dt.timedelta(days=count)
    word = _word(key, field)
    if word == "today":
        return today
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    if word == "day after tomorrow":
        return today + dt.timedelta(days=2)
    if word in WEEKDAYS:
        ahead = (WEEKDAYS.index(word) - today.weekday() - 1) % 7 + 1  # 1..7: the next one, never today
        return today + dt.timedelta(days=ahead)
    return None


def describe(iso: str, today: dt.date) -> str:
    """A stored date for people: 'Mon 14 Dec 2026, in 15 days' ('today', 'tomorrow', '3 days ago');
    in German 'Mo 14.12.2026, in 15 Tagen' (the language's names, never the system locale's)."""
    date = dt.date.fromisoformat(iso)
    days = (date - today).days
    if days == 0:
        when = _("today")
    elif days == 1:
        when = _("tomorrow")
    elif days == -1:
        when = _("yesterday")
    elif days > 0:
        when = _("in {days} days").format(days=days)
    else:
        when = _("{days} days ago").format(days=-days)
    weekday = _(WEEKDAY_SHORT[date.weekday()])
    if language() == "de":
        return f"{weekday} {format_date(iso)}, {when}"
    return f"{weekday} {date.day} {MONTHS[date.month - 1]} {date.year}, {when}"
