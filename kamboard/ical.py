"""An account's workshop days and due support actions as an RFC 5545 calendar.

Each day of a workshop is its own event: all day for a workshop without times, else from its
start (day 1: the workshop's; a later day: its first agenda item's, else ``DAY_HOURS``) to its end
(the last day: the workshop's end; else when its agenda ends, else ``DAY_HOURS``). Times are
written in UTC (``...Z``), converted from the workshop's wall-clock times in ``tz`` (default:
this computer's time zone), so every calendar shows them at the right hour. Open support actions
with a due date are all-day items; done or dropped ones are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .agenda import DAY_HOURS, AgendaDay, agenda_days, next_working_day
from .i18n import N_, _
from .model import is_open_action
from .reports import SIDE_LABELS, STATUS_LABELS, Doc, clean, participant, support_actions

PRODID = "-//kamboard//kamboard key account board//EN"


def ics_escape(value: object) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped."""
    text = clean(value)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 sequence); CRLF-terminated."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(ch)
        size += n
    parts.append("".join(current))
    return "\r\n".join(parts) + "\r\n"


def _ics_stamp(value: object, fallback: dt.datetime) -> str:
    """A UTC DATE-TIME from an ISO timestamp (record's updated_at), else ``fallback``."""
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        when = when.astimezone(dt.UTC) if when.tzinfo else when
    except ValueError:
        when = fallback
    return when.strftime("%Y%m%dT%H%M%SZ")


def _when(value: object) -> dt.date | dt.datetime | None:
    """A date ('YYYY-MM-DD') or a date and time ('YYYY-MM-DDTHH:MM[:SS]', wall-clock), else None."""
    text = str(value or "").strip().replace(" ", "T")
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) > 10 else None
    except ValueError:
        return None


def _day_of(when: dt.date) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _utc(when: dt.datetime, tz: dt.tzinfo | None) -> str:
    """A wall-clock time (or an aware one) as a UTC DATE-TIME: ``tz``, else this computer's zone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz) if tz is not None else when.astimezone()
    return when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date_prop(name: str, day: dt.date) -> str:
    return f"{name};VALUE=DATE:{day.strftime('%Y%m%d')}"


def workshop_dates(first: dt.date, last: dt.date) -> list[dt.date]:
    """The days of a workshop from ``first`` to ``last``: both, and the working days between."""
    dates = [first]
    while dates[-1] < last:
        following = next_working_day(dates[-1])
        dates.append(min(following, last))
    return dates


def _clock(day: dt.date, text: str) -> dt.datetime | None:
    """'HH:MM' on ``day`` (hours past 23 run into the next day), None for ''."""
    if not text:
        return None
    hours, minutes = text.split(":")
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=int(hours), minutes=int(minutes))


Day = tuple[dt.date, dt.datetime | None, dt.datetime | None]


def workshop_days(workshop: Doc) -> list[Day]:
    """(date, start, end) of each day of ``workshop``, start and end None for an all-day event
    (a workshop without times); no days without a usable start."""
    start, end = _when(workshop.get("start")), _when(workshop.get("end"))
    if start is None:
        return []
    first = _day_of(start)
    dates = workshop_dates(first, max(first, _day_of(end)) if end is not None else first)
    if not isinstance(start, dt.datetime):
        return [(day, None, None) for day in dates]
    planned = {day.date: day for day in agenda_days(workshop) if day.items}
    return [
        _timed_day(day, number, len(dates), start, end, planned.get(day.isoformat()))
        for number, day in enumerate(dates, 1)
    ]


def _timed_day(
    day: dt.date, number: int, count: int, start: dt.datetime, end: dt.date | None, planned: AgendaDay | None
) -> Day:
    hours = DAY_HOURS[min(number, len(DAY_HOURS)) - 1]
    begin = start if number == 1 else _clock(day, planned.starts if planned else "")
    begin = begin or dt.datetime.combine(day, hours[0])
    finish: dt.datetime | None = None
    if number == count and isinstance(end, dt.datetime):
        finish = end
    elif planned is not None and planned.ends:
        finish = _clock(day, planned.ends)
    elif number < count:
        finish = dt.datetime.combine(day, hours[1])
    if finish is None or finish.replace(tzinfo=None) <= begin.replace(tzinfo=None):
        finish = begin + dt.timedelta(minutes=60)  # no end known: an hour
    return day, begin, finish


def calendar_ics(
    account: Doc,
    cards: Sequence[Doc],
    workshops: Sequence[Doc],
    *,
    now: dt.datetime,
    tz: dt.tzinfo | None = None,
) -> str:
    """Each workshop day, and the due dates of open support actions, as an RFC 5545 calendar.

    UIDs come from record ids (a workshop's first day ``ID@kamboard``, its later days
    ``ID-dayN@kamboard``), so importing the file again updates events instead of duplicating
    them. ``now`` is the DTSTAMP of records without a usable updated_at; ``tz`` the time zone of
    the workshops' times (None: this computer's).
    """
    name = str(account.get("name", ""))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_escape('kamboard: ' + name)}",
    ]
    for w in workshops:
        lines += _workshop_events(w, name, now, tz)
    for c in support_actions(cards):
        lines += _due_event(c, name, now)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) for line in lines)


def _workshop_events(w: Doc, name: str, now: dt.datetime, tz: dt.tzinfo | None) -> list[str]:
    days = workshop_days(w)
    participants = [participant(p)[0] for p in w.get("participants", []) or []]
    description = [_("Account: {name}").format(name=name)]
    if participants:
        description.append(_("Participants: {names}").format(names=", ".join(participants)))
    if w.get("notes"):
        description.append(clean(w["notes"]))
    lines: list[str] = []
    for number, (day, begin, finish) in enumerate(days, 1):
        if len(days) > 1:
            which = _("Workshop day {number} of {count}: ").format(number=number, count=len(days))
        else:
            which = _("Workshop: ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{w['id']}{f'-day{number}' if number > 1 else ''}@kamboard",
            f"DTSTAMP:{_ics_stamp(w.get('updated_at'), now)}",
        ]
        if begin is None or finish is None:
            lines += [_date_prop("DTSTART", day), _date_prop("DTEND", day + dt.timedelta(days=1))]  # DTEND exclusive
        else:
            lines += [f"DTSTART:{_utc(begin, tz)}", f"DTEND:{_utc(finish, tz)}"]
        lines += [
            f"SUMMARY:{ics_escape(which + str(w.get('title', '')) + ' (' + name + ')')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        ]
        if w.get("location"):
            lines.append(f"LOCATION:{ics_escape(w['location'])}")
        lines.append("END:VEVENT")
    return lines


_DUE_FIELDS = (  # a due item's description: label, card field
    (N_("Owner"), "owner"),
    (N_("Side"), "side"),
    (N_("Status"), "status"),
    (N_("Value for the customer"), "customer_benefit"),
    (N_("Value for us"), "our_benefit"),
)


def _due_event(c: Doc, name: str, now: dt.datetime) -> list[str]:
    """An all-day item on an open support action's due date (none for one done or dropped)."""
    due = _when(c.get("due"))
    if not is_open_action(c) or due is None or isinstance(due, dt.datetime):
        return []
    description = [_("Account: {name}").format(name=name)]
    for label, key in _DUE_FIELDS:
        if c.get(key):
            labels = STATUS_LABELS if key == "status" else SIDE_LABELS if key == "side" else {}
            description.append(f"{_(label)}: {labels.get(c[key], c[key])}")
    summary = _("Due: ") + str(c.get("title", "")) + " (" + name + ")"
    return [
        "BEGIN:VEVENT",
        f"UID:{c['id']}-due@kamboard",
        f"DTSTAMP:{_ics_stamp(c.get('updated_at'), now)}",
        _date_prop("DTSTART", due),
        _date_prop("DTEND", due + dt.timedelta(days=1)),
        f"SUMMARY:{ics_escape(summary)}",
        f"DESCRIPTION:{ics_escape(chr(10).join(clean(d) for d in description))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
