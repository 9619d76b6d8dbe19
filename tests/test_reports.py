"""Exports: Markdown minutes (parsed with markdown-it-py), CSV, iCalendar (parsed with icalendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kamboard import csv_export, ical, md_text, minutes, reports
from kamboard.store import BoardStore

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
HOSTILE = 'Müller & Söhne [red]x[/] | pipe `tick` *bold* _u_ <b>html</b> &amp; # "quoted", comma; 🎉'
HOSTILE_LINES = "first | line\n# not a heading\n- not a list\n=SUM(A1)\n---\n<script>alert(1)</script>\n```"
FORMULAS = ["=1+2", "+49 30 1234", "-5", "@SUM(A1)"]


def build(tmp_path: Path, hostile: bool = True) -> tuple[BoardStore, dict[str, Any]]:
    """A board with one demo-like account (and optionally hostile text everywhere)."""
    store = BoardStore(tmp_path / "board.json", "tester", create=True)
    name = "ACME Müller | GmbH 🎉" if hostile else "ACME"
    acc = store.add_account(name, owner="Dana [b]KAM[/b]")
    t1 = store.add_card(acc["id"], "topic", "Growth in Asia " + (HOSTILE if hostile else ""), notes=HOSTILE_LINES)
    c1 = store.add_card(acc["id"], "challenge", "Supply chain | delays" if hostile else "Supply chain delays")
    c2 = store.add_card(acc["id"], "challenge", "# Unanswered challenge")
    s1 = store.add_card(
        acc["id"],
        "support",
        HOSTILE if hostile else "Joint forecast",
        owner="Ann, O'Neil",
        side="us",
        due="2026-03-01",
        status="agreed",
        customer_benefit=HOSTILE_LINES if hostile else "Fewer stock-outs",
        our_benefit='=HYPERLINK("http://x")' if hostile else "Bigger share",
        links=[c1["id"], t1["id"]],
    )
    s2 = store.add_card(acc["id"], "support", FORMULAS[0], status="proposed")  # no owner, due, benefit, links
    s3 = store.add_card(
        acc["id"], "support", "Training", owner="Bo", side="customer", due="2026-03-20", status="in_progress",
        customer_benefit="Skills", links=[c1["id"]],
    )  # fmt: skip
    ws_old = store.add_workshop(acc["id"], "Workshop 2025", start="2025-03-01")
    ws = store.add_workshop(
        acc["id"],
        "Yearly workshop; 2026, part 1" + (" | [i]x[/i]" if hostile else ""),
        start="2026-03-02",
        end="2026-03-03",
        location="Berlin, Room 1; \\ floor",
        participants=[
            {"name": "Ann, O'Neil", "side": "us", "role": "KAM | lead"},
            {"name": "Jürgen 😀", "side": "customer", "role": "<i>CFO</i>"},
        ],
        agenda=[{"title": "Topics | round", "minutes": 30}, {"title": "Challenges [b]and[/b] more", "minutes": 45}],
        notes=HOSTILE_LINES,
    )
    store._test_ids = {"t1": t1, "c1": c1, "c2": c2, "s1": s1, "s2": s2, "s3": s3, "ws": ws, "ws_old": ws_old}  # type: ignore[attr-defined]
    return store, acc


def _data(store: BoardStore, acc: dict[str, Any]) -> tuple[dict, list, list]:
    return store.account(acc["id"]), store.cards(acc["id"]), store.workshops(acc["id"])


# ---------------------------------------------------------------- Markdown helpers
def inline_text(token: Token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif (child.type == "html_inline" and child.content == "<br>") or child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [(tok.tag, inline_text(tokens[i + 1])) for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def table_after(tokens: list[Token], heading: str) -> list[list[str]]:
    """Rows (header first) of the first table after the heading with that text."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and tokens[i - 1].type == "heading_open" and inline_text(t) == heading
    )
    rows: list[list[str]] = []
    for i in range(start + 1, len(tokens)):
        tok = tokens[i]
        if tok.type == "heading_open":
            break  # the next heading came before any table
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and tokens[i - 1].type in ("td_open", "th_open"):
            rows[-1].append(inline_text(tok))
        elif tok.type == "table_close":
            return rows
    raise AssertionError(f"no table after {heading!r}")


def list_after(tokens: list[Token], heading: str) -> list[str]:
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and tokens[i - 1].type == "heading_open" and inline_text(t) == heading
    )
    items = []
    for i in range(start + 2, len(tokens)):
        if tokens[i].type == "heading_open":
            break
        if tokens[i].type == "inline" and tokens[i - 2].type == "list_item_open":
            items.append(inline_text(tokens[i]))
    return items


# ---------------------------------------------------------------- Markdown tests
def test_minutes_structure_and_cells_survive_hostile_text(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = minutes.minutes_markdown(*_data(store, acc), today=TODAY)
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
    tokens = parse(minutes.minutes_markdown(*_data(store, acc), today=TODAY))
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
    "raw",
    [
        "# x",
        "- x",
        "+ x",
        "1. x",
        "2) x",
        "> x",
        "=== ",
        "--- ",
        "***",
        "a|b",
        "`a`",
        "<div>",
        "&copy;",
        "[a](b)",
        "![i](x)",
        "~~s~~",
        "__u__",
        "a #",
        "\\",
    ],
)
def test_md_escape_renders_literally(raw: str) -> None:
    tokens = parse(f"Before\n\n{md_text.md_escape(raw)}\n")
    paragraphs = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert paragraphs == ["Before", raw.strip()]
    assert [t.type for t in tokens].count("paragraph_open") == 2


# ---------------------------------------------------------------- CSV
def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_quoting_bom_and_formula_neutralised(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = csv_export.actions_csv(store.account(acc["id"]), store.cards(acc["id"]))
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf") and "Müller".encode() in raw and "🎉".encode() in raw
    rows = read_csv(text)
    assert rows[0] == list(csv_export.CSV_HEADERS)
    assert len(rows) == 4 and all(len(r) == len(csv_export.CSV_HEADERS) for r in rows)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["ID"] == ids["s1"]["id"]
    assert first["Action"] == HOSTILE
    assert first["Owner"] == "Ann, O'Neil"
    assert first["Value for the customer"] == HOSTILE_LINES  # newlines and quotes kept inside one cell
    assert first["Value for us"] == '\'=HYPERLINK("http://x")'
    assert first["Answers"] == f"{ids['t1']['title']}; {ids['c1']['title']}"
    assert rows[2][2] == "'=1+2"


@pytest.mark.parametrize("value", [*FORMULAS, "\tx", "\rx"])
def test_csv_cell_neutralises_formula_prefixes(value: str) -> None:
    assert csv_export.csv_cell(value).startswith("'")


@pytest.mark.parametrize("value", ["plain", "Müller", "a=b", "", "'quoted"])
def test_csv_cell_leaves_plain_text(value: str) -> None:
    assert csv_export.csv_cell(value) == value


# ---------------------------------------------------------------- iCalendar
def test_ics_parses_with_icalendar_and_round_trips_text(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    ids = store._test_ids  # type: ignore[attr-defined]
    text = ical.calendar_ics(*_data(store, acc), now=NOW)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")  # never cut inside a UTF-8 sequence
    cal = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        f"{ids['ws']['id']}@kamboard",
        f"{ids['ws_old']['id']}@kamboard",
        f"{ids['s1']['id']}-due@kamboard",
        f"{ids['s3']['id']}-due@kamboard",
    }
    due = events[f"{ids['s1']['id']}-due@kamboard"]
    assert str(due["SUMMARY"]) == f"Due: {HOSTILE} ({acc['name']})"
    assert due.decoded("DTSTART") == dt.date(2026, 3, 1)
    assert due.decoded("DTEND") == dt.date(2026, 3, 2)
    assert f"Value for the customer: {HOSTILE_LINES}" in str(due["DESCRIPTION"])
    ws = events[f"{ids['ws']['id']}@kamboard"]
    assert str(ws["SUMMARY"]) == f"Workshop: {ids['ws']['title']} ({acc['name']})"
    assert str(ws["LOCATION"]) == "Berlin, Room 1; \\ floor"
    assert ws.decoded("DTSTART") == dt.date(2026, 3, 2) and ws.decoded("DTEND") == dt.date(2026, 3, 4)
    assert "Participants: Ann, O'Neil, Jürgen 😀" in str(ws["DESCRIPTION"])


def test_ics_uids_stable_and_output_deterministic(tmp_path: Path) -> None:
    store, acc = build(tmp_path, hostile=False)
    ids = store._test_ids  # type: ignore[attr-defined]
    first = ical.calendar_ics(*_data(store, acc), now=NOW)
    assert first == ical.calendar_ics(*_data(store, acc), now=NOW + dt.timedelta(days=1))
    store.update_card(ids["s1"]["id"], {"title": "Renamed", "due": "2026-04-01"})
    uids = [
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(ical.calendar_ics(*_data(store, acc), now=NOW)).walk("VEVENT")
    ]
    assert f"{ids['s1']['id']}-due@kamboard" in uids


def test_ics_timed_workshop_and_skipped_actions(tmp_path: Path) -> None:
    store = BoardStore(tmp_path / "b.json", "t", create=True)
    acc = store.add_account("Timed")
    store.add_workshop(acc["id"], "Morning", start="2026-05-04T09:00", agenda=[{"title": "a", "minutes": 90}])
    store.add_card(acc["id"], "support", "Dropped", due="2026-05-01", status="dropped")
    store.add_card(acc["id"], "support", "No due", status="agreed")
    cal = icalendar.Calendar.from_ical(ical.calendar_ics(*_data(store, acc), now=NOW))
    events = cal.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("DTSTART") == dt.datetime(2026, 5, 4, 9, 0)
    assert events[0].decoded("DTEND") == dt.datetime(2026, 5, 4, 10, 30)


@pytest.mark.parametrize("text", ["a" * 200, "ü" * 100, "😀" * 60, "x" + "€" * 80, ""])
def test_ics_fold_limits_octets_and_unfolds_back(text: str) -> None:
    folded = ical.ics_fold("SUMMARY:" + text)
    assert folded.endswith("\r\n")
    lines = folded[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert re.sub(r"\r\n ", "", folded[:-2]) == "SUMMARY:" + text


def test_ics_escape() -> None:
    assert ical.ics_escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


# ---------------------------------------------------------------- JSON and hygiene
def test_account_json_shape(tmp_path: Path) -> None:
    store, acc = build(tmp_path)
    text = reports.account_json(*_data(store, acc), exported_at="2026-03-10T12:00:00Z", exported_by="tester")
    data = json.loads(text)
    assert data["kamboard_export"] == reports.EXPORT_VERSION
    assert set(data) == {"kamboard_export", "exported_at", "exported_by", "account", "cards", "workshops"}
    assert data["account"] == store.account(acc["id"])
    assert data["cards"] == store.cards(acc["id"])
    assert data["workshops"] == store.workshops(acc["id"])
    assert "Müller" in text  # not \u-escaped


def test_reports_and_followup_do_not_import_textual() -> None:
    code = "import sys, kamboard.exporting, kamboard.followup, kamboard.transfer; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


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
