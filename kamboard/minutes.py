"""The Markdown minutes of an account's workshop (CommonMark with GFM tables), in two versions.

``team`` (the default) is the full record: every card with its votes and notes, both benefits of
each support action, the gaps, the open commitments, the workshop's notes. ``customer`` is what
the customer can receive: nothing internal (no gaps, no "value for us", no card or workshop
notes, no vote column where no one voted), the agreed support actions once each, with owner,
due date and the value for the customer. Both show the agenda by day with its planned times and
the notes or decisions taken on each item.

Pure: record dicts in, text out. User text goes through ``md_text`` so it cannot break the layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from .agenda import AgendaDay, agenda_days
from .followup import is_carried_over
from .gaps import find_gaps
from .md_text import md_block, md_cell, md_escape, md_table
from .model import LANE_TITLES, is_overdue
from .reports import SIDE_LABELS, STATUS_LABELS, Doc, answered_by, participant, pick_workshop, support_actions

AUDIENCES = ("team", "customer")
AGREED = ("agreed", "in_progress", "done")  # what the customer's minutes list as agreed support
COMMITTED = ("agreed", "in_progress")  # open commitments
NONE = "*None.*"


def _date_range(workshop: Doc) -> str:
    start, end = str(workshop.get("start", "")), str(workshop.get("end", ""))
    start, end = start.replace("T", " ")[:16], end.replace("T", " ")[:16]
    if start and end and end != start:
        same_day = len(start) == len(end) == 16 and start[:10] == end[:10]
        return f"{start} to {end[11:] if same_day else end}"
    return start or end


_MISSING = {
    "no_benefit": "value for the customer",
    "no_our_benefit": "value for us",
    "no_owner": "owner",
    "no_due": "due date",
}


def minutes_markdown(
    account: Doc,
    cards: Sequence[Doc],
    workshops: Sequence[Doc],
    *,
    today: dt.date,
    workshop_id: str | None = None,
    audience: str = "team",
) -> str:
    """Minutes of an account's latest (or the chosen) workshop for ``audience`` (team or customer).

    Raises ValueError when ``workshop_id`` names no workshop of this account, or for an unknown
    ``audience``.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"Minutes are for the team or the customer, not {audience!r}.")
    workshop = pick_workshop(workshops, today, workshop_id)
    if workshop_id and workshop is None:
        raise ValueError(f"No workshop {workshop_id!r} for account {account.get('name', '')!r}.")
    customer = audience == "customer"
    out = [*_header(account, workshop, today, customer), *_participants(account, workshop, customer)]
    out += _agenda(workshop, customer)
    for lane in ("topic", "challenge"):
        out += _lane(cards, lane, customer)
    if customer:
        out += _agreed_actions(cards)
        return "\n\n".join(out) + "\n"
    out += _support_actions(cards)
    out += _gaps(cards)
    out += _commitments(cards, today)
    if workshop and str(workshop.get("notes", "")).strip():
        out += ["## Notes", md_block(workshop["notes"])]
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- both versions
def _header(account: Doc, workshop: Doc | None, today: dt.date, customer: bool) -> list[str]:
    name = md_escape(account.get("name", ""), line_start=False)
    if workshop:
        title = f"# Minutes: {md_escape(workshop.get('title', ''), line_start=False)} ({name})"
    else:
        title = f"# Minutes: {name}"
    facts = []
    if workshop:
        facts.append(("Date", md_escape(_date_range(workshop), line_start=False) or "not set"))
        if workshop.get("location"):
            facts.append(("Location", md_escape(workshop["location"], line_start=False)))
    else:
        facts.append(("Workshop", "none recorded yet"))
    if account.get("owner"):
        facts.append(("Key account manager", md_escape(account["owner"], line_start=False)))
    facts.append(("As of" if customer else "Board as of", today.isoformat()))
    return [title, "\n".join(f"- **{label}:** {value}" for label, value in facts)]


def _participants(account: Doc, workshop: Doc | None, customer: bool) -> list[str]:
    people = [participant(p) for p in (workshop or {}).get("participants", []) or []]
    if not people:
        return ["## Participants", "*None recorded.*"]
    if customer:  # "us" and "customer" are the key account team's words, not the reader's
        sides = {"customer": md_cell(account.get("name", "")), "us": "Key account team"}
        rows = [[md_cell(n), sides.get(s, md_cell(s)), md_cell(r)] for n, s, r in people]
    else:
        rows = [[md_cell(n), md_cell(s), md_cell(r)] for n, s, r in people]
    return ["## Participants", md_table(["Name", "Side", "Role"], rows)]


def _agenda(workshop: Doc | None, customer: bool) -> list[str]:
    """The agenda by day (a heading per day when there are several), with planned start times and
    each item's notes; the team also sees each item's number and minutes and a day that runs over."""
    days = [day for day in agenda_days(workshop or {}) if day.items]
    if not days:
        return ["## Agenda", "*None recorded.*"]
    out = ["## Agenda"]
    number = 0  # the days keep the agenda's order: an item's number is its place in the agenda
    timed = any(start for day in days for start, _ in day.items)
    noted = any(str(item.get("notes") or "").strip() for day in days for _, item in day.items)
    for day in days:
        if len(days) > 1:
            out.append(f"### {_day_title(day)}")
        if customer:
            headers = ["Time" if timed else "Minutes", "Item"] + (["Notes"] if noted else [])
            rows = [
                [start if timed else str(item.get("minutes", "")), md_cell(item.get("title"))]
                + ([md_cell(item.get("notes"))] if noted else [])
                for start, item in day.items
            ]
        else:
            headers = ["#", "Start", "Item", "Minutes", "Notes"]
            rows = []
            for start, item in day.items:
                number += 1
                rows.append(
                    [
                        str(number),
                        start,
                        md_cell(item.get("title")),
                        md_cell(item.get("minutes")),
                        md_cell(item.get("notes")),
                    ]
                )
        out.append(md_table(headers, rows))
        if not customer and day.warning:
            out.append(f"*{md_escape(day.warning, line_start=False)}.*")
    return out


def _day_title(day: AgendaDay) -> str:
    when = ", ".join(part for part in (day.date, f"{day.starts} to {day.ends}" if day.starts else "") if part)
    return f"Day {day.number}" + (f" ({when})" if when else "")


def _lane(cards: Sequence[Doc], lane: str, customer: bool) -> list[str]:
    """A lane's cards, most votes first (board order within equal votes); the customer sees no
    notes, and no vote column where no one voted."""
    lane_cards = sorted((c for c in cards if c.get("lane") == lane), key=lambda c: -_votes(c))
    if not lane_cards:
        return [f"## {LANE_TITLES[lane]}", NONE]
    columns: list[tuple[str, Callable[[Doc], str]]] = [(LANE_TITLES[lane][:-1], lambda c: md_cell(c.get("title")))]
    if not customer or any(_votes(c) for c in lane_cards):
        columns.append(("Votes", lambda c: str(_votes(c))))
    if not customer:
        columns.append(("Notes", lambda c: md_cell(c.get("notes"))))
    rows = ([cell(c) for _, cell in columns] for c in lane_cards)
    return [f"## {LANE_TITLES[lane]}", md_table([header for header, _ in columns], rows)]


def _votes(card: Doc) -> int:
    votes = card.get("votes", 0)
    return votes if isinstance(votes, int) and not isinstance(votes, bool) else 0


def _status(card: Doc) -> str:
    status = STATUS_LABELS.get(card.get("status", ""), md_cell(card.get("status")))
    return f"{status} (carried over)" if is_carried_over(card) and status else status


def _answers(answers: dict[str, list[Doc]], card: Doc) -> str:
    return "<br>".join(md_cell(n.get("title")) for n in answers.get(card["id"], []))


# ---------------------------------------------------------------- the customer's version
def _agreed_actions(cards: Sequence[Doc]) -> list[str]:
    """The support actions agreed on (open or done), each once, by due date."""
    answers = answered_by(cards)
    agreed = sorted(
        (c for c in support_actions(cards) if c.get("status") in AGREED),
        key=lambda c: (not c.get("due"), str(c.get("due", ""))),
    )
    if not agreed:
        return ["## Agreed support actions", NONE]
    headers = ["Action", "Owner", "Due", "Status", "Value for the customer", "Answers"]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            md_cell(c.get("due")),
            _status(c),
            md_cell(c.get("customer_benefit")),
            _answers(answers, c),
        ]
        for c in agreed
    )
    return ["## Agreed support actions", md_table(headers, rows)]


# ---------------------------------------------------------------- the team's version
def _support_actions(cards: Sequence[Doc]) -> list[str]:
    actions = support_actions(cards)
    if not actions:
        return ["## Support actions", NONE]
    answers = answered_by(cards)
    headers = ["Action", "Owner", "Side", "Due", "Status", "Value for the customer", "Value for us", "Answers"]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
            md_cell(c.get("due")),
            _status(c),
            md_cell(c.get("customer_benefit")),
            md_cell(c.get("our_benefit")),
            _answers(answers, c),
        ]
        for c in actions
    )
    return ["## Support actions", md_table(headers, rows)]


def _gaps(cards: Sequence[Doc]) -> list[str]:
    out = ["## Gaps"]
    found = find_gaps(list(cards))
    incomplete: dict[str, list[str]] = {}
    for gap in found:
        if gap.kind in _MISSING:
            incomplete.setdefault(gap.card_id, []).append(_MISSING[gap.kind])
    titles = {c["id"]: c.get("title", "") for c in cards}
    sections = [
        ("Challenges no support action answers", [md_escape(g.title) for g in found if g.kind == "unanswered"]),
        ("Support actions answering no topic or challenge", [md_escape(g.title) for g in found if g.kind == "pitch"]),
        (
            "Support actions without value for the customer, value for us, owner or due date",
            [f"{md_escape(titles[cid])}: no {', no '.join(what)}" for cid, what in incomplete.items()],
        ),
    ]
    for title, items in sections:
        out.append(f"### {title}")
        out.append("\n".join(f"- {item}" for item in items) if items else NONE)
    return out


def _commitments(cards: Sequence[Doc], today: dt.date) -> list[str]:
    commitments = sorted(
        (c for c in support_actions(cards) if c.get("status") in COMMITTED),
        key=lambda c: (not c.get("due"), c.get("due", "")),
    )
    if not commitments:
        return ["## Open commitments", NONE]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
            md_cell(c.get("due")) + (" (overdue)" if is_overdue(c, today) else ""),
            _status(c),
        ]
        for c in commitments
    )
    return ["## Open commitments", md_table(["Action", "Owner", "Side", "Due", "Status"], rows)]
