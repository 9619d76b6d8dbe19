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
from .i18n import N_, _, format_date
from .md_text import md_block, md_cell, md_escape, md_table
from .model import LANE_TITLES, is_overdue
from .reports import SIDE_LABELS, STATUS_LABELS, Doc, answered_by, participant, pick_workshop, support_actions

AUDIENCES = ("team", "customer")
AGREED = ("agreed", "in_progress", "done")  # what the customer's minutes list as agreed support
COMMITTED = ("agreed", "in_progress")  # open commitments
LANE_ITEMS = {"topic": N_("Topic"), "challenge": N_("Challenge")}  # a lane table's column header


def _none() -> str:
    return _("*None.*")


def _date_range(workshop: Doc) -> str:
    start, end = str(workshop.get("start", "")), str(workshop.get("end", ""))
    start, end = start.replace("T", " ")[:16], end.replace("T", " ")[:16]
    if start and end and end != start:
        same_day = len(start) == len(end) == 16 and start[:10] == end[:10]
        return _("{start} to {end}").format(start=_when(start), end=end[11:] if same_day else _when(end))
    return _when(start or end)


def _when(text: str) -> str:
    """'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' with the date as the language writes it."""
    return " ".join([format_date(text[:10]), *text[11:].split()]) if len(text) >= 10 else text


_MISSING = {
    "no_benefit": N_("no value for the customer"),
    "no_our_benefit": N_("no value for us"),
    "no_owner": N_("no owner"),
    "no_due": N_("no due date"),
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
        raise ValueError(_("Minutes are for the team or the customer, not {audience!r}.").format(audience=audience))
    workshop = pick_workshop(workshops, today, workshop_id)
    if workshop_id and workshop is None:
        raise ValueError(
            _("No workshop {workshop!r} for account {account!r}.").format(
                workshop=workshop_id, account=account.get("name", "")
            )
        )
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
        out += [_("## Notes"), md_block(workshop["notes"])]
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- both versions
def _header(account: Doc, workshop: Doc | None, today: dt.date, customer: bool) -> list[str]:
    name = md_escape(account.get("name", ""), line_start=False)
    if workshop:
        title = _("# Minutes: {workshop} ({account})").format(
            workshop=md_escape(workshop.get("title", ""), line_start=False), account=name
        )
    else:
        title = _("# Minutes: {account}").format(account=name)
    facts = []
    if workshop:
        facts.append((_("Date"), md_escape(_date_range(workshop), line_start=False) or _("not set")))
        if workshop.get("location"):
            facts.append((_("Location"), md_escape(workshop["location"], line_start=False)))
    else:
        facts.append((_("Workshop"), _("none recorded yet")))
    if account.get("owner"):
        facts.append((_("Key account manager"), md_escape(account["owner"], line_start=False)))
    facts.append((_("As of") if customer else _("Board as of"), format_date(today.isoformat())))
    return [title, "\n".join(f"- **{label}:** {value}" for label, value in facts)]


def _participants(account: Doc, workshop: Doc | None, customer: bool) -> list[str]:
    people = [participant(p) for p in (workshop or {}).get("participants", []) or []]
    if not people:
        return [_("## Participants"), _("*None recorded.*")]
    if customer:  # "us" and "customer" are the key account team's words, not the reader's
        sides = {"customer": md_cell(account.get("name", "")), "us": _("Key account team")}
        rows = [[md_cell(n), sides.get(s, md_cell(s)), md_cell(r)] for n, s, r in people]
    else:
        rows = [[md_cell(n), SIDE_LABELS.get(s, md_cell(s)), md_cell(r)] for n, s, r in people]
    return [_("## Participants"), md_table([_("Name"), _("Side"), _("Role")], rows)]


def _agenda(workshop: Doc | None, customer: bool) -> list[str]:
    """The agenda by day (a heading per day when there are several), with planned start times and
    each item's notes; the team also sees each item's number and minutes and a day that runs over."""
    days = [day for day in agenda_days(workshop or {}) if day.items]
    if not days:
        return [_("## Agenda"), _("*None recorded.*")]
    out = [_("## Agenda")]
    number = 0  # the days keep the agenda's order: an item's number is its place in the agenda
    timed = any(start for day in days for start, _item in day.items)
    noted = any(str(item.get("notes") or "").strip() for day in days for _start, item in day.items)
    for day in days:
        if len(days) > 1:
            out.append(f"### {_day_title(day)}")
        if customer:
            headers = [_("Time") if timed else _("Minutes"), _("Item")] + ([_("Notes")] if noted else [])
            rows = [
                [start if timed else str(item.get("minutes", "")), md_cell(item.get("title"))]
                + ([md_cell(item.get("notes"))] if noted else [])
                for start, item in day.items
            ]
        else:
            headers = ["#", _("Start"), _("Item"), _("Minutes"), _("Notes")]
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
    hours = _("{start} to {end}").format(start=day.starts, end=day.ends) if day.starts else ""
    when = ", ".join(part for part in (format_date(day.date), hours) if part)
    title = _("Day {number}").format(number=day.number)
    return title + (f" ({when})" if when else "")


def _lane(cards: Sequence[Doc], lane: str, customer: bool) -> list[str]:
    """A lane's cards, most votes first (board order within equal votes); the customer sees no
    notes, and no vote column where no one voted."""
    lane_cards = sorted((c for c in cards if c.get("lane") == lane), key=lambda c: -_votes(c))
    if not lane_cards:
        return [f"## {LANE_TITLES[lane]}", _none()]
    columns: list[tuple[str, Callable[[Doc], str]]] = [(_(LANE_ITEMS[lane]), lambda c: md_cell(c.get("title")))]
    if not customer or any(_votes(c) for c in lane_cards):
        columns.append((_("Votes"), lambda c: str(_votes(c))))
    if not customer:
        columns.append((_("Notes"), lambda c: md_cell(c.get("notes"))))
    rows = ([cell(c) for _header, cell in columns] for c in lane_cards)
    return [f"## {LANE_TITLES[lane]}", md_table([header for header, _cell in columns], rows)]


def _votes(card: Doc) -> int:
    votes = card.get("votes", 0)
    return votes if isinstance(votes, int) and not isinstance(votes, bool) else 0


def _status(card: Doc) -> str:
    status = STATUS_LABELS.get(card.get("status", ""), md_cell(card.get("status")))
    return _("{status} (carried over)").format(status=status) if is_carried_over(card) and status else status


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
        return [_("## Agreed support actions"), _none()]
    headers = [_("Action"), _("Owner"), _("Due"), _("Status"), _("Value for the customer"), _("Answers")]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            md_cell(format_date(str(c.get("due") or ""))),
            _status(c),
            md_cell(c.get("customer_benefit")),
            _answers(answers, c),
        ]
        for c in agreed
    )
    return [_("## Agreed support actions"), md_table(headers, rows)]


# ---------------------------------------------------------------- the team's version
def _support_actions(cards: Sequence[Doc]) -> list[str]:
    actions = support_actions(cards)
    if not actions:
        return [_("## Support actions"), _none()]
    answers = answered_by(cards)
    headers = [
        _("Action"),
        _("Owner"),
        _("Side"),
        _("Due"),
        _("Status"),
        _("Value for the customer"),
        _("Value for us"),
        _("Answers"),
    ]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
            md_cell(format_date(str(c.get("due") or ""))),
            _status(c),
            md_cell(c.get("customer_benefit")),
            md_cell(c.get("our_benefit")),
            _answers(answers, c),
        ]
        for c in actions
    )
    return [_("## Support actions"), md_table(headers, rows)]


def _gaps(cards: Sequence[Doc]) -> list[str]:
    out = [_("## Gaps")]
    found = find_gaps(list(cards))
    incomplete: dict[str, list[str]] = {}
    for gap in found:
        if gap.kind in _MISSING:
            incomplete.setdefault(gap.card_id, []).append(_MISSING[gap.kind])
    titles = {c["id"]: c.get("title", "") for c in cards}
    sections = [
        (_("Challenges no support action answers"), [md_escape(g.title) for g in found if g.kind == "unanswered"]),
        (
            _("Support actions answering no topic or challenge"),
            [md_escape(g.title) for g in found if g.kind == "pitch"],
        ),
        (
            _("Support actions without value for the customer, value for us, owner or due date"),
            [f"{md_escape(titles[cid])}: {', '.join(_(w) for w in what)}" for cid, what in incomplete.items()],
        ),
    ]
    for title, items in sections:
        out.append(f"### {title}")
        out.append("\n".join(f"- {item}" for item in items) if items else _none())
    return out


def _commitments(cards: Sequence[Doc], today: dt.date) -> list[str]:
    commitments = sorted(
        (c for c in support_actions(cards) if c.get("status") in COMMITTED),
        key=lambda c: (not c.get("due"), c.get("due", "")),
    )
    if not commitments:
        return [_("## Open commitments"), _none()]
    rows = (
        [
            md_cell(c.get("title")),
            md_cell(c.get("owner")),
            SIDE_LABELS.get(c.get("side", ""), md_cell(c.get("side"))),
            md_cell(format_date(str(c.get("due") or ""))) + (_(" (overdue)") if is_overdue(c, today) else ""),
            _status(c),
        ]
        for c in commitments
    )
    headers = [_("Action"), _("Owner"), _("Side"), _("Due"), _("Status")]
    return [_("## Open commitments"), md_table(headers, rows)]
