"""The Markdown minutes of an account's workshop (CommonMark with GFM tables).

Pure: record dicts in, text out. User text goes through ``md_text`` so it cannot break the layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .gaps import find_gaps
from .md_text import md_block, md_cell, md_escape, md_table
from .model import LANE_TITLES, is_overdue
from .reports import SIDE_LABELS, STATUS_LABELS, Doc, answered_by, participant, pick_workshop, support_actions


def _date_range(workshop: Doc) -> str:
    start, end = str(workshop.get("start", "")), str(workshop.get("end", ""))
    start, end = start.replace("T", " ")[:16], end.replace("T", " ")[:16]
    if start and end and end != start:
        same_day = len(start) == len(end) == 16 and start[:10] == end[:10]
        return f"{start} to {end[11:] if same_day else end}"
    return start or end


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
    name = md_escape(account.get("name", ""), line_start=False)
    out: list[str] = []
    if workshop:
        out.append(f"# Minutes: {md_escape(workshop.get('title', ''), line_start=False)} ({name})")
    else:
        out.append(f"# Minutes: {name}")
    facts = []
    if workshop:
        facts.append(("Date", md_escape(_date_range(workshop), line_start=False) or "not set"))
        if workshop.get("location"):
            facts.append(("Location", md_escape(workshop["location"], line_start=False)))
    else:
        facts.append(("Workshop", "none recorded yet"))
    if account.get("owner"):
        facts.append(("Key account manager", md_escape(account["owner"], line_start=False)))
    facts.append(("Board as of", today.isoformat()))
    out.append("\n".join(f"- **{label}:** {value}" for label, value in facts))

    participants = [participant(p) for p in (workshop or {}).get("participants", []) or []]
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
                "<br>".join(md_cell(n.get("title")) for n in answers.get(c["id"], [])),
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
