"""The Markdown minutes (parsed back with markdown-it-py): the team's full version and the customer's."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_board import FORMULAS, HOSTILE, HOSTILE_LINES, TODAY, build, records_of
from markdown_helpers import headings, list_after, parse, table_after

from kamboard import minutes
from kamboard.store import BoardStore


def test_minutes_structure_and_cells_survive_hostile_text(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = minutes.minutes_markdown(*records_of(store, acc), today=TODAY)
    tokens = parse(text)
    heads = headings(tokens)
    assert heads[0] == ("h1", f"Minutes: {ids['ws']['title']} ({acc['name']})")
    h2 = [t for tag, t in heads if tag == "h2"]
    assert h2 == [
        "Participants",
        "Agenda",
        "Topics",
        "Challenges",
        "Support actions",
        "Gaps",
        "Open commitments",
        "Notes",
    ]
    assert [t for tag, t in heads if tag == "h3"] == [
        "Challenges no support action answers",
        "Support actions answering no topic or challenge",
        "Support actions without value for the customer, owner or due date",
    ]
    # no user text became markup: no links, emphasis outside our labels, code, or raw HTML but <br>
    inline_types = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert not inline_types & {"link_open", "em_open", "code_inline", "image", "s_open"}
    html = [c.content for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "html_inline"]
    assert set(html) <= {"<br>"}
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence", "blockquote_open", "hr")]

    participants = table_after(tokens, "Participants")
    assert participants == [
        ["Name", "Side", "Role"],
        ["Ann, O'Neil", "us", "KAM | lead"],
        ["Jürgen 😀", "customer", "<i>CFO</i>"],
    ]
    agenda = table_after(tokens, "Agenda")
    assert agenda[1:] == [["1", "Topics | round", "30"], ["2", "Challenges [b]and[/b] more", "45"]]
    topics = table_after(tokens, "Topics")
    assert topics[1][0] == ids["t1"]["title"]
    assert topics[1][2] == HOSTILE_LINES

    actions = table_after(tokens, "Support actions")
    assert actions[0] == [
        "Action",
        "Owner",
        "Side",
        "Due",
        "Status",
        "Value for the customer",
        "Value for us",
        "Answers",
    ]
    assert len(actions) == 4 and all(len(row) == 8 for row in actions)
    assert actions[1] == [
        HOSTILE,
        "Ann, O'Neil",
        "us",
        "2026-03-01",
        "agreed",
        HOSTILE_LINES,
        '=HYPERLINK("http://x")',
        ids["t1"]["title"] + "\n" + ids["c1"]["title"],
    ]
    assert actions[3][4] == "in progress"


def test_minutes_gaps_and_commitments(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    tokens = parse(minutes.minutes_markdown(*records_of(store, acc), today=TODAY))
    assert list_after(tokens, "Challenges no support action answers") == [ids["c2"]["title"]]
    assert list_after(tokens, "Support actions answering no topic or challenge") == [FORMULAS[0]]
    assert list_after(tokens, "Support actions without value for the customer, owner or due date") == [
        f"{FORMULAS[0]}: no value for the customer, no owner, no due date"
    ]
    commitments = table_after(tokens, "Open commitments")
    assert [row[0] for row in commitments[1:]] == [HOSTILE, "Training"]  # proposed is not a commitment; by due
    assert commitments[1][3] == "2026-03-01 (overdue)"
    assert commitments[2][3] == "2026-03-20"


def test_minutes_votes_order_and_chosen_workshop(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    ids = store._test_ids  # type: ignore[attr-defined]
    cards = store.cards(acc["id"])
    for card in cards:
        card["votes"] = 5 if card["id"] == ids["c2"]["id"] else 1
    text = minutes.minutes_markdown(
        acc, cards, store.workshops(acc["id"]), today=TODAY, workshop_id=ids["ws_old"]["id"][:6]
    )
    tokens = parse(text)
    assert headings(tokens)[0][1] == "Minutes: Workshop 2025 (ACME)"
    challenges = table_after(tokens, "Challenges")
    assert challenges[1] == ["# Unanswered challenge", "5", ""]
    assert challenges[2][:2] == ["Supply chain delays", "1"]
    with pytest.raises(ValueError, match="No workshop 'nope'"):
        minutes.minutes_markdown(acc, cards, [], today=TODAY, workshop_id="nope")


def test_minutes_without_workshop_or_cards(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("Empty")
    tokens = parse(minutes.minutes_markdown(acc, [], [], today=TODAY))
    assert headings(tokens)[0] == ("h1", "Minutes: Empty")
    assert "Notes" not in [t for _, t in headings(tokens)]


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2026-03-02", "2026-03-03", "2026-03-02 to 2026-03-03"),
        ("2026-03-02T09:00", "2026-03-02T16:00", "2026-03-02 09:00 to 16:00"),
        ("2026-03-02T09:00", "2026-03-03T13:00", "2026-03-02 09:00 to 2026-03-03 13:00"),
        ("2026-03-02", "", "2026-03-02"),
        ("", "", ""),
    ],
)
def test_workshop_date_range(start: str, end: str, shown: str) -> None:
    assert minutes._date_range({"start": start, "end": end}) == shown
