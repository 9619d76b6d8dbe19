"""An account's workshop days and due support actions as an RFC 5545 calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .reports import STATUS_LABELS, Doc, clean, participant, support_actions

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


def _ics_when(value: str) -> tuple[str, dt.date | dt.datetime] | None:
    """('DATE' | 'DATE-TIME', parsed) for 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]' (floating time)."""
    value = value.strip().replace(" ", "T")
    if not value:
        return None
    try:
        if len(value) <= 10:
            return "DATE", dt.date.fromisoformat(value)
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "DATE-TIME", when
    except ValueError:
        return None


def _minutes(item: object) -> int:
    try:
        return max(0, int(item.get("minutes") or 0)) if isinstance(item, dict) else 0
    except (TypeError, ValueError):
        return 0


def _ics_prop(name: str, kind: str, when: dt.date | dt.datetime) -> str:
    if kind == "DATE":
        return f"{name};VALUE=DATE:{when.strftime('%Y%m%d')}"
    assert isinstance(when, dt.datetime)
    if when.tzinfo:
        return f"{name}:{when.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}"
    return f"{name}:{when.strftime('%Y%m%dT%H%M%S')}"


def calendar_ics(account: Doc, cards: Sequence[Doc], workshops: Sequence[Doc], *, now: dt.datetime) -> str:
    """Due dates of support actions (not dropped) and workshop dates as an RFC 5545 calendar.

    UIDs come from record ids, so re-importing the file updates events instead of
    duplicating them. ``now`` is the DTSTAMP of records without a usable updated_at.
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
        start = _ics_when(str(w.get("start", "")))
        if start is None:
            continue
        kind, begin = start
        end = _ics_when(str(w.get("end", "")))
        if kind == "DATE":
            last = end[1] if end and end[0] == "DATE" and end[1] >= begin else begin
            finish: dt.date | dt.datetime = last + dt.timedelta(days=1)  # DTEND of a DATE is exclusive
        elif end and end[0] == "DATE-TIME" and end[1] > begin:
            finish = end[1]
        else:
            total = sum(_minutes(a) for a in w.get("agenda", []) or []) or 60
            finish = begin + dt.timedelta(minutes=total)
        participants = [participant(p)[0] for p in w.get("participants", []) or []]
        description = [f"Account: {name}"]
        if participants:
            description.append("Participants: " + ", ".join(participants))
        if w.get("notes"):
            description.append(clean(w["notes"]))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{w['id']}@kamboard",
            f"DTSTAMP:{_ics_stamp(w.get('updated_at'), now)}",
            _ics_prop("DTSTART", kind, begin),
            _ics_prop("DTEND", kind, finish),
            f"SUMMARY:{ics_escape('Workshop: ' + str(w.get('title', '')) + ' (' + name + ')')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        ]
        if w.get("location"):
            lines.append(f"LOCATION:{ics_escape(w['location'])}")
        lines.append("END:VEVENT")
    for c in support_actions(cards):
        due = _ics_when(str(c.get("due", "")))
        if due is None or due[0] != "DATE" or c.get("status") == "dropped":
            continue
        day = due[1]
        description = [f"Account: {name}"]
        for label, key in (
            ("Owner", "owner"),
            ("Side", "side"),
            ("Status", "status"),
            ("Value for the customer", "customer_benefit"),
            ("Value for us", "our_benefit"),
        ):
            if c.get(key):
                description.append(f"{label}: {STATUS_LABELS.get(c[key], c[key]) if key == 'status' else c[key]}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{c['id']}-due@kamboard",
            f"DTSTAMP:{_ics_stamp(c.get('updated_at'), now)}",
            _ics_prop("DTSTART", "DATE", day),
            _ics_prop("DTEND", "DATE", day + dt.timedelta(days=1)),
            f"SUMMARY:{ics_escape('Due: ' + str(c.get('title', '')) + ' (' + name + ')')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(clean(d) for d in description))}",
            "TRANSP:TRANSPARENT",
        ]
        if c.get("status") == "done":
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) for line in lines)
