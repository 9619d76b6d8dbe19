"""Exports of one account: Markdown minutes, CSV of support actions, iCalendar, JSON.

Pure functions of record dicts (as BoardStore returns them): no I/O, no textual.
User text is always escaped for the target format so it cannot break the layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .gaps import find_gaps
from .model import LANE_TITLES, is_overdue
from .workshop import first_day

Doc = dict[str, Any]
EXPORT_VERSION = 1
STATUS_LABELS = {
    "": "",
    "proposed": "proposed",
    "agreed": "agreed",
    "in_progress": "in progress",
    "done": "done",
    "dropped": "dropped",
}
SIDE_LABELS = {"": "", "us": "us", "customer": "customer"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(value: object) -> str:
    """Text without control characters (tabs become spaces), newlines normalised to \\n."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


# ---------------------------------------------------------------- links and selection
def answered_by(cards: Sequence[Doc]) -> dict[str, list[Doc]]:
    """For each support action id, the topic/challenge cards it answers (links in either direction)."""
    by_id = {c["id"]: c for c in cards}
    pairs: set[tuple[str, str]] = set()
    for card in cards:
        for other_id in card.get("links", ()) or ():
            other = by_id.get(other_id)
            if other is None:
                continue
            if card.get("lane") == "support" and other.get("lane") in ("topic", "challenge"):
                pairs.add((card["id"], other_id))
            elif other.get("lane") == "support" and card.get("lane") in ("topic", "challenge"):
                pairs.add((other_id, card["id"]))
    order = {c["id"]: i for i, c in enumerate(cards)}
    out: dict[str, list[Doc]] = {c["id"]: [] for c in cards if c.get("lane") == "support"}
    for action_id, need_id in sorted(pairs, key=lambda p: (order[p[0]], order[p[1]])):
        out.setdefault(action_id, []).append(by_id[need_id])
    return out


def pick_workshop(workshops: Sequence[Doc], today: dt.date, workshop_id: str | None = None) -> Doc | None:
    """The chosen workshop (id or unique id prefix), else the latest held one, else the next planned one.

    Minutes are of a workshop held, so this prefers the past, unlike ``workshop.board_workshop``
    (the board works on the next one); an undated workshop counts as held here.
    """
    if workshop_id:
        matches = [w for w in workshops if w.get("id") == workshop_id]
        matches = matches or [
            w for w in workshops if len(workshop_id) >= 4 and str(w.get("id", "")).startswith(workshop_id)
        ]
        if len(matches) != 1:
            return None
        return matches[0]
    dated = sorted(workshops, key=lambda w: str(w.get("start", "")))
    held = [w for w in dated if first_day(w) <= today.isoformat()]
    if held:
        return held[-1]
    return dated[0] if dated else None


def support_actions(cards: Iterable[Doc]) -> list[Doc]:
    return [c for c in cards if c.get("lane") == "support"]


# ---------------------------------------------------------------- Markdown
_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&#])")
_MD_LEADING = re.compile(r"^([-+=>:])|^(\d+)([.)])")


def md_escape(value: object) -> str:
    """One line of user text as inline CommonMark that renders literally (no markup, HTML, tables)."""
    text = " ".join(_clean(value).split("\n")).strip()
    text = re.sub(r" {2,}", " ", text)
    text = _MD_ALWAYS.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def md_cell(value: object) -> str:
    """User text for a table cell: escaped, lines joined with <br>."""
    lines = [md_escape(line) for line in _clean(value).split("\n")]
    return "<br>".join(line for line in lines if line)


def md_block(value: object) -> str:
    """Multi-line user text as paragraphs: each line escaped, hard line breaks kept."""
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", _clean(value).strip()):
        lines = [md_escape(line) for line in chunk.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _date_range(workshop: Doc) -> str:
    start, end = str(workshop.get("start", "")), str(workshop.get("end", ""))
    start, end = start.replace("T", " ")[:16], end.replace("T", " ")[:16]
    if start and end and end != start:
        same_day = len(start) == len(end) == 16 and start[:10] == end[:10]
        return f"{start} to {end[11:] if same_day else end}"
    return start or end


def _participant(item: object) -> tuple[str, str, str]:
    if isinstance(item, dict):
        return str(item.get("name", "")), str(item.get("side", "")), str(item.get("role", ""))
    return str(item), "", ""


def _agenda_item(item: object) -> tuple[str, str]:
    if isinstance(item, dict):
        minutes = item.get("minutes", "")
        return str(item.get("title", item.get("item", ""))), "" if minutes in (None, "") else str(minutes)
    return str(item), ""


_MISSING = {"no_benefit": "value for the customer", "no_owner": "owner", "no_due": "due date"}


def minutes_markdown(
    account: Doc,
    cards: Sequence[Doc],
    workshops: Sequence[Doc],
    *,
    today: dt.date,
    workshop_id: str | None = None,
) -> str:
    """Minutes of an account's latest (or the chosen) workshop, as CommonMark with GFM tables.

    Raises ValueError when ``workshop_id`` names no workshop of this account.
    """
    workshop = pick_workshop(workshops, today, workshop_id)
    if workshop_id and workshop is None:
        raise ValueError(f"No workshop {workshop_id!r} for account {account.get('name', '')!r}.")
    name = md_escape(account.get("name", ""))
    out: list[str] = []
    if workshop:
        out.append(f"# Minutes: {md_escape(workshop.get('title', ''))} ({name})")
    else:
        out.append(f"# Minutes: {name}")
    facts = []
    if workshop:
        facts.append(("Date", md_escape(_date_range(workshop)) or "not set"))
        if workshop.get("location"):
            facts.append(("Location", md_escape(workshop["location"])))
    else:
        facts.append(("Workshop", "none recorded yet"))
    if account.get("owner"):
        facts.append(("Key account manager", md_escape(account["owner"])))
    facts.append(("Board as of", today.isoformat()))
    out.append("\n".join(f"- **{label}:** {value}" for label, value in facts))

    participants = [_participant(p) for p in (workshop or {}).get("participants", []) or []]
    out.append("## Participants")
    if participants:
        out.append(
            md_table(["Name", "Side", "Role"], ([md_cell(n), md_cell(s), md_cell(r)] for n, s, r in participants))
        )
    else:
        out.append("*None recorded.*")

    agenda = [_agenda_item(a) for a in (workshop or {}).get("agenda", []) or []]
    out.append("## Agenda")
    if agenda:
        out.append(
            md_table(["#", "Item", "Minutes"], ([str(i), md_cell(t), md_cell(m)] for i, (t, m) in enumerate(agenda, 1)))
        )
    else:
        out.append("*None recorded.*")

    for lane in ("topic", "challenge"):
        out.append(f"## {LANE_TITLES[lane]}")
        lane_cards = sorted(
            (c for c in cards if c.get("lane") == lane), key=lambda c: -int(c.get("votes", 0) or 0)
        )  # stable: board order within equal votes
        if lane_cards:
            rows = (
                [md_cell(c.get("title")), str(int(c.get("votes", 0) or 0)), md_cell(c.get("notes"))] for c in lane_cards
            )
            out.append(md_table([LANE_TITLES[lane][:-1], "Votes", "Notes"], rows))
        else:
            out.append("*None.*")

    actions = support_actions(cards)
    answers = answered_by(cards)
    out.append("## Support actions")
    if actions:
        headers = ["Action", "Owner", "Side", "Due", "Status", "Value for the customer", "Value for us", "Answers"]
        rows = (
            [
                md_cell(c.get("title")),
                md_cell(c.get("owner")),
                SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
                md_cell(c.get("due")),
                STATUS_LABELS.get(c.get("status", ""), md_cell(c.get("status"))),
                md_cell(c.get("customer_benefit")),
                md_cell(c.get("our_benefit")),
                "<br>".join(md_escape(n.get("title")) for n in answers.get(c["id"], [])),
            ]
            for c in actions
        )
        out.append(md_table(headers, rows))
    else:
        out.append("*None.*")

    out.append("## Gaps")
    found = find_gaps(list(cards))
    incomplete: dict[str, list[str]] = {}
    for gap in found:
        if gap.kind in _MISSING:
            incomplete.setdefault(gap.card_id, []).append(_MISSING[gap.kind])
    titles = {c["id"]: c.get("title", "") for c in cards}
    gap_sections = [
        ("Challenges no support action answers", [md_escape(g.title) for g in found if g.kind == "unanswered"]),
        ("Support actions answering no topic or challenge", [md_escape(g.title) for g in found if g.kind == "pitch"]),
        (
            "Support actions without value for the customer, owner or due date",
            [f"{md_escape(titles[cid])}: no {', no '.join(what)}" for cid, what in incomplete.items()],
        ),
    ]
    for title, items in gap_sections:
        out.append(f"### {title}")
        out.append("\n".join(f"- {item}" for item in items) if items else "*None.*")

    out.append("## Open commitments")
    commitments = sorted(
        (c for c in actions if c.get("status") in ("agreed", "in_progress")),
        key=lambda c: (not c.get("due"), c.get("due", "")),
    )
    if commitments:
        rows = (
            [
                md_cell(c.get("title")),
                md_cell(c.get("owner")),
                SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
                md_cell(c.get("due")) + (" (overdue)" if is_overdue(c, today) else ""),
                STATUS_LABELS.get(c.get("status", ""), ""),
            ]
            for c in commitments
        )
        out.append(md_table(["Action", "Owner", "Side", "Due", "Status"], rows))
    else:
        out.append("*None.*")

    if workshop and str(workshop.get("notes", "")).strip():
        out.append("## Notes")
        out.append(md_block(workshop["notes"]))
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- CSV
CSV_HEADERS = (
    "ID",
    "Account",
    "Action",
    "Owner",
    "Side",
    "Due",
    "Status",
    "Value for the customer",
    "Value for us",
    "Answers",
    "Tags",
    "Notes",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell value a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return "'" + text if text.startswith(_FORMULA_START) else text


def actions_csv(account: Doc, cards: Sequence[Doc]) -> str:
    """Support actions as CSV text starting with a UTF-8 BOM (write it with encoding='utf-8', newline='')."""
    answers = answered_by(cards)
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for c in support_actions(cards):
        row = [
            c.get("id", ""),
            account.get("name", ""),
            c.get("title", ""),
            c.get("owner", ""),
            c.get("side", ""),
            c.get("due", ""),
            c.get("status", ""),
            c.get("customer_benefit", ""),
            c.get("our_benefit", ""),
            "; ".join(str(n.get("title", "")) for n in answers.get(c["id"], [])),
            ", ".join(str(t) for t in c.get("tags", []) or []),
            c.get("notes", ""),
        ]
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


# ---------------------------------------------------------------- iCalendar
PRODID = "-//kamboard//kamboard key account board//EN"


def ics_escape(value: object) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped."""
    text = _clean(value)
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
        participants = [_participant(p)[0] for p in w.get("participants", []) or []]
        description = [f"Account: {name}"]
        if participants:
            description.append("Participants: " + ", ".join(participants))
        if w.get("notes"):
            description.append(_clean(w["notes"]))
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
            f"DESCRIPTION:{ics_escape(chr(10).join(_clean(d) for d in description))}",
            "TRANSP:TRANSPARENT",
        ]
        if c.get("status") == "done":
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) for line in lines)


# ---------------------------------------------------------------- JSON
def account_export(
    account: Doc, cards: Sequence[Doc], workshops: Sequence[Doc], *, exported_at: str, exported_by: str = ""
) -> Doc:
    """The documented JSON shape of one account (records as stored, all fields kept)::

    {"kamboard_export": 1, "exported_at": "...Z", "exported_by": "...",
     "account": {...}, "cards": [{...}, ...], "workshops": [{...}, ...]}
    """
    return {
        "kamboard_export": EXPORT_VERSION,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "account": dict(account),
        "cards": [dict(c) for c in cards],
        "workshops": [dict(w) for w in workshops],
    }


def account_json(
    account: Doc, cards: Sequence[Doc], workshops: Sequence[Doc], *, exported_at: str, exported_by: str = ""
) -> str:
    data = account_export(account, cards, workshops, exported_at=exported_at, exported_by=exported_by)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
