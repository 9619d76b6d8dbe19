"""The Markdown minutes (parsed back with markdown-it-py): the team's full version and the customer's."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from export_board import AGENDA_NOTES, FORMULAS, HOSTILE, HOSTILE_LINES, TODAY, build, records_of
from markdown_helpers import headings, list_after, parse, table_after

from kamboard import demo, minutes
from kamboard.agenda import default_agenda
from kamboard.store import BoardStore

GOLDEN = Path(__file__).parent / "golden"
DEMO_FILES = ("mueller-maschinenbau", "northbridge-hospital-group", "hansa-logistik")


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
        "Day 1 (2026-03-02)",
        "Day 2 (2026-03-03)",
        "Challenges no support action answers",
        "Support actions answering no topic or challenge",
        "Support actions without value for the customer, value for us, owner or due date",
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
    assert table_after(tokens, "Day 1 (2026-03-02)") == [
        ["#", "Start", "Item", "Minutes", "Notes"],
        ["1", "", "Topics | round", "30", AGENDA_NOTES],
    ]
    assert table_after(tokens, "Day 2 (2026-03-03)")[1:] == [["2", "", "Challenges [b]and[/b] more", "45", ""]]
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
    assert list_after(tokens, "Support actions without value for the customer, value for us, owner or due date") == [
        f"{FORMULAS[0]}: no value for the customer, no value for us, no owner, no due date",
        "Training: no value for us",
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


# ---------------------------------------------------------------- the customer's version
def customer_minutes(store: BoardStore, acc: dict) -> str:
    return minutes.minutes_markdown(*records_of(store, acc), today=TODAY, audience="customer")


def test_customer_minutes_leave_out_what_is_internal(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = customer_minutes(store, acc)
    tokens = parse(text)
    heads = headings(tokens)
    assert heads[0] == ("h1", f"Minutes: {ids['ws']['title']} ({acc['name']})")
    assert [t for tag, t in heads if tag == "h2"] == [
        "Participants",
        "Agenda",
        "Topics",
        "Challenges",
        "Agreed support actions",
    ]  # no gaps, no second list of open commitments, no workshop notes
    assert [t for tag, t in heads if tag == "h3"] == ["Day 1 (2026-03-02)", "Day 2 (2026-03-03)"]
    assert "Value for us" not in text and "HYPERLINK" not in text  # the value for us
    assert "Board as of" not in text and f"- **As of:** {TODAY.isoformat()}" in text
    inline_types = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert not inline_types & {"link_open", "em_open", "code_inline", "image", "s_open"}

    assert table_after(tokens, "Participants") == [
        ["Name", "Side", "Role"],
        ["Ann, O'Neil", "Key account team", "KAM | lead"],
        ["Jürgen 😀", acc["name"], "<i>CFO</i>"],
    ]
    assert table_after(tokens, "Day 1 (2026-03-02)") == [
        ["Minutes", "Item", "Notes"],  # no times without a start time: the minutes instead
        ["30", "Topics | round", AGENDA_NOTES],  # the notes or decisions on an item are for the customer
    ]
    # no notes on cards, no vote column where no one voted
    assert table_after(tokens, "Topics") == [["Topic"], [ids["t1"]["title"]]]
    assert table_after(tokens, "Challenges") == [["Challenge"], [ids["c1"]["title"]], [ids["c2"]["title"]]]
    assert table_after(tokens, "Agreed support actions") == [
        ["Action", "Owner", "Due", "Status", "Value for the customer", "Answers"],
        [HOSTILE, "Ann, O'Neil", "2026-03-01", "agreed", HOSTILE_LINES, f"{ids['t1']['title']}\n{ids['c1']['title']}"],
        ["Training", "Bo", "2026-03-20", "in progress", "Skills", ids["c1"]["title"]],
    ]  # the proposed action is not agreed; each commitment once
    assert text.count("| Training |") == 1 and FORMULAS[0] not in text


def test_customer_minutes_rank_by_votes_only_where_voted_and_show_done_and_carried(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    ids = store._test_ids  # type: ignore[attr-defined]
    store.update_card(ids["s3"]["id"], {"status": "done"})
    cards = store.cards(acc["id"])
    for card in cards:
        card["votes"] = {ids["c2"]["id"]: 4, ids["c1"]["id"]: 1}.get(card["id"], 0)
        if card["id"] == ids["s1"]["id"]:
            card["carried_from"] = ids["ws_old"]["id"]
    text = minutes.minutes_markdown(acc, cards, store.workshops(acc["id"]), today=TODAY, audience="customer")
    tokens = parse(text)
    assert table_after(tokens, "Topics")[0] == ["Topic"]  # no one voted on a topic
    assert table_after(tokens, "Challenges") == [
        ["Challenge", "Votes"],
        ["# Unanswered challenge", "4"],
        ["Supply chain delays", "1"],
    ]
    actions = table_after(tokens, "Agreed support actions")
    assert [(row[0], row[3]) for row in actions[1:]] == [
        ("Joint forecast", "agreed (carried over)"),
        ("Training", "done"),
    ]


def test_customer_agenda_shows_each_day_with_its_times(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("Schreiner & Partner")
    agenda = default_agenda()
    agenda[1] = {**agenda[1], "notes": "Two of three done; the portal moves to Q3."}
    store.add_workshop(acc["id"], "Jahresworkshop", start="2026-03-05T09:00", end="2026-03-06T13:00", agenda=agenda)
    text = customer_minutes(store, acc)
    tokens = parse(text)
    assert text.startswith("# Minutes: Jahresworkshop (Schreiner & Partner)\n")  # no needless escapes
    assert [t for tag, t in headings(tokens) if tag == "h3"] == [
        "Day 1 (2026-03-05, 09:00 to 17:00)",
        "Day 2 (2026-03-06, 09:00 to 13:00)",  # Thursday and Friday
    ]
    day1 = table_after(tokens, "Day 1 (2026-03-05, 09:00 to 17:00)")
    assert day1[:3] == [
        ["Time", "Item", "Notes"],
        ["09:00", "Welcome, goals and agenda", ""],
        ["09:30", "Review of last year's commitments", "Two of three done; the portal moves to Q3."],
    ]
    day2 = table_after(tokens, "Day 2 (2026-03-06, 09:00 to 13:00)")
    assert [row[:2] for row in day2[1:]] == [
        ["09:00", "Welcome back: recap of day 1"],
        ["09:15", "How we support them: actions and mutual benefit"],
        ["10:45", "Coffee break"],
        ["11:00", "What we commit to: owners and due dates"],
        ["12:15", "Wrap-up: commitments, next steps, feedback"],
    ]
    team = parse(minutes.minutes_markdown(*records_of(store, acc), today=TODAY))
    assert table_after(team, "Day 2 (2026-03-06, 09:00 to 13:00)")[:2] == [
        ["#", "Start", "Item", "Minutes", "Notes"],
        ["11", "09:00", "Welcome back: recap of day 1", "15", ""],
    ]


def test_the_team_sees_a_day_that_runs_over(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("ACME")
    agenda = default_agenda()
    agenda[0] = {**agenda[0], "minutes": 50}  # 20 minutes more on day 1
    store.add_workshop(acc["id"], "W", start="2026-03-05T09:00", end="2026-03-06T13:00", agenda=agenda)
    team = minutes.minutes_markdown(*records_of(store, acc), today=TODAY)
    assert "*Day 1 ends at 17:20, 20 min after 17:00.*" in team
    customer = customer_minutes(store, acc)
    assert "Day 1 (2026-03-05, 09:00 to 17:20)" in customer and "min after" not in customer


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="team or the customer"):
        minutes.minutes_markdown({"name": "x"}, [], [], today=TODAY, audience="board")


@pytest.mark.parametrize("index", [0, 1, 2])
def test_customer_minutes_of_the_demo_board_match_the_golden_file(index: int) -> None:
    """The customer's minutes of each demo account, exactly as a customer would get them.

    After a deliberate change, rewrite them with ``KAMBOARD_UPDATE_GOLDEN=1 pytest tests/test_minutes.py``
    and read the diff before committing."""
    accounts, cards, workshops = demo.demo_records(today=dt.date(2026, 3, 10))
    account = accounts[index]
    text = minutes.minutes_markdown(
        account,
        [c for c in cards if c["account_id"] == account["id"]],
        [w for w in workshops if w["account_id"] == account["id"]],
        today=dt.date(2026, 3, 10),
        audience="customer",
    )
    golden = GOLDEN / f"customer-minutes-{DEMO_FILES[index]}.md"
    if os.environ.get("KAMBOARD_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")
    assert not re.search(r"\\[&|#_]", text)  # plain text reads cleanly: no needless escapes


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
