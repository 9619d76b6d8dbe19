"""`kamboard workshop ...` and `kamboard gaps`: happy paths, JSON, and errors (exit 2, one line, file unchanged)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kamboard import workshop as rules
from kamboard.cli import cli
from kamboard.store import BoardStore


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("ACME")
    store.add_account("Globex")
    return path


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "-f", str(path)])


def ok(path: Path, *args: str) -> str:
    result = run(path, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def fails(path: Path, *args: str, message: str) -> None:
    """Exit 2, one line on stderr with ``message``, and the file left byte for byte as it was."""
    before = path.read_bytes()
    result = run(path, *args)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert "\n" not in err and err.startswith("Error: "), err
    assert message in err, err
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def workshops(path: Path) -> list[dict[str, Any]]:
    return json.loads(ok(path, "workshop", "list", "--json"))


def test_add_with_default_agenda_and_times(board: Path) -> None:
    out = ok(board, "workshop", "add", "ACME", "--start", "2026-03-10", "--participant", "Eva Berg:customer:CIO")
    assert "Added workshop" in out and "15 agenda items" in out
    (ws,) = workshops(board)
    assert ws["account"] == "ACME" and ws["title"] == "Key account workshop 2026"
    assert (ws["start"], ws["end"]) == ("2026-03-10T09:00", "2026-03-11T13:00")
    assert ws["participants"] == [{"name": "Eva Berg", "side": "customer", "role": "CIO"}]
    assert rules.agenda_minutes(ws["agenda"]) == 720


def test_add_options(board: Path) -> None:
    args = ("--start", "2026-03-10T10:00", "--end", "2026-03-10T16:00", "--location", "Berlin")
    ws = json.loads(
        ok(board, "workshop", "add", "Globex", "Kick-off", *args, "--empty-agenda", "--budget", "7", "--json")
    )
    assert ws["title"] == "Kick-off" and ws["agenda"] == [] and ws["vote_budget"] == 7
    assert (ws["start"], ws["end"], ws["location"]) == ("2026-03-10T10:00", "2026-03-10T16:00", "Berlin")


def test_list_and_show(board: Path) -> None:
    ok(board, "workshop", "add", "ACME", "Spring", "--start", "2026-03-10", "--participant", "Tom:us:KAM")
    ok(board, "workshop", "add", "Globex", "Autumn", "--start", "2026-10-01", "--empty-agenda")
    listing = ok(board, "workshop", "list", "ACME")
    assert "Spring" in listing and "Autumn" not in listing
    shown = ok(board, "workshop", "show", "spring")
    assert "Tom (us, KAM)" in shown
    assert "agenda (12 h 00 min)" in shown
    assert "Review of last year's commitments" in shown
    assert "agenda: empty" in ok(board, "workshop", "show", "Autumn")
    ws_id = workshops(board)[0]["id"]
    assert json.loads(ok(board, "workshop", "show", ws_id[:6], "--json"))["title"] == "Spring"
    empty = BoardStore(board, "x")
    empty.add_account("Initech")
    assert ok(board, "workshop", "list", "Initech").strip() == "No workshops."


def test_edit(board: Path) -> None:
    ok(board, "workshop", "add", "ACME", "Spring", "--start", "2026-03-10", "--participant", "Tom:us")
    ok(board, "workshop", "edit", "Spring", "--location", "Hamburg", "--participant", "Eva:customer:CFO")
    ok(board, "workshop", "edit", "Spring", "--remove-participant", "tom", "--hide-votes", "--per-card", "2")
    (ws,) = workshops(board)
    assert ws["location"] == "Hamburg" and ws["votes_hidden"] is True and ws["vote_per_card"] == 2
    assert [p["name"] for p in ws["participants"]] == ["Eva"]
    ok(board, "workshop", "edit", "Spring", "--participant", "eva:customer:CEO")
    assert workshops(board)[0]["participants"] == [{"name": "eva", "side": "customer", "role": "CEO"}]


def test_agenda_items(board: Path) -> None:
    ok(board, "workshop", "add", "ACME", "Spring", "--empty-agenda")
    ok(board, "workshop", "agenda", "add", "Spring", "Topics", "--lane", "Topics", "--minutes", "45")
    ok(board, "workshop", "agenda", "add", "Spring", "Intro", "--minutes", "15", "--at", "1")
    ok(board, "workshop", "agenda", "add", "Spring", "Support", "--lane", "support")
    assert [(i["title"], i["lane"], i["minutes"]) for i in workshops(board)[0]["agenda"]] == [
        ("Intro", "", 15),
        ("Topics", "topic", 45),
        ("Support", "support", 30),
    ]
    ok(board, "workshop", "agenda", "edit", "Spring", "2", "--minutes", "60", "--lane", "challenge")
    ok(board, "workshop", "agenda", "move", "Spring", "1", "3")
    ok(board, "workshop", "agenda", "remove", "Spring", "1")
    assert [(i["title"], i["lane"], i["minutes"]) for i in workshops(board)[0]["agenda"]] == [
        ("Support", "support", 30),
        ("Intro", "", 15),
    ]


def test_agenda_days_notes_and_a_day_past_its_end(board: Path) -> None:
    ok(board, "workshop", "add", "ACME", "Spring", "--start", "2026-03-10T09:00")
    result = run(board, "workshop", "agenda", "add", "Spring", "Site tour", "--minutes", "45", "--at", "4")
    assert "(45 min, day 1)" in result.stdout
    assert "warning: Day 1 ends at 17:45, 45 min after 17:00" in result.stderr
    added = run(board, "workshop", "agenda", "add", "Spring", "Dinner", "--minutes", "60", "--day", "1")
    assert "Dinner' (60 min, day 1)" in added.stdout and "Day 1 ends at 18:45" in added.stderr
    ok(board, "workshop", "agenda", "edit", "Spring", "2", "--notes", "Pilot agreed\nOwner: Bob")
    moved = run(board, "workshop", "agenda", "edit", "Spring", "4", "--day", "2")  # the tour: start of day 2
    assert moved.exit_code == 0 and "Day 1 ends at 18:00, 1 h after 17:00" in moved.stderr
    agenda = workshops(board)[0]["agenda"]
    assert [i["day"] for i in agenda] == [1] * 11 + [2] * 6 and agenda[11]["title"] == "Site tour"
    assert agenda[1]["notes"] == "Pilot agreed\nOwner: Bob"
    shown = ok(board, "workshop", "show", "Spring")
    assert "day 1 2026-03-10: 09:00-18:00 (9 h)" in shown
    assert "warning: Day 1 ends at 18:00, 1 h after 17:00" in shown
    assert "day 2 2026-03-11: 09:00-13:45 (4 h 45 min)" in shown and "Day 2 ends at 13:45" in shown
    assert "Review of last year's commitments (notes)" in shown and "    Owner: Bob" in shown
    fails(board, "workshop", "agenda", "edit", "Spring", "1", "--day", "0", message="Invalid value for '--day'")


def test_timer_and_review(board: Path) -> None:
    store = BoardStore(board, "setup")
    old = store.add_workshop("ACME", "2025", start="2025-03-10")
    store.add_card("ACME", "support", "Pilot", workshop_id=old["id"], status="agreed")
    store.add_card("ACME", "support", "Audit", workshop_id=old["id"])
    ok(board, "workshop", "add", "ACME", "2026", "--start", "2026-03-10")
    assert "1/15 Welcome" in ok(board, "workshop", "timer", "2026", "start")
    out = ok(board, "workshop", "timer", "2026", "next")
    assert re.match(r"2/15 Review of last year's commitments: (1:00:00|59:\d\d) left, running$", out)
    assert re.search(r"(1:05:00|1:04:\d\d) left", ok(board, "workshop", "timer", "2026", "extend"))
    assert "paused" in ok(board, "workshop", "timer", "2026", "pause")
    listed = ok(board, "workshop", "review", "2026")
    assert "Pilot (agreed)" in listed and "Audit (open)" in listed
    pilot = store.cards(lane="support")[0]["id"]
    assert "'Pilot' carried over." in ok(board, "workshop", "review", "2026", pilot[:8], "carry")
    store.refresh()
    assert store.card(pilot)["workshop_id"] == workshops(board)[1]["id"]
    assert "Pilot" not in ok(board, "workshop", "review", "2026")


def test_gaps(board: Path) -> None:
    store = BoardStore(board, "setup")
    challenge = store.add_card("ACME", "challenge", "Costs")
    store.add_card("ACME", "support", "Premium licence", owner="Tom", due="2026-06-30", customer_benefit="x")
    out = ok(board, "gaps", "ACME")
    assert "Challenges no support action answers (1):" in out and "Costs: no support action answers it" in out
    assert "Premium licence: no customer need behind it: a sales pitch?" in out
    data = json.loads(ok(board, "gaps", "acme", "--json"))
    assert [(g["kind"], g["title"]) for g in data["gaps"]] == [
        ("unanswered", "Costs"),
        ("pitch", "Premium licence"),
        ("no_our_benefit", "Premium licence"),  # no value for us stated
    ]
    assert data["gaps"][0]["card_id"] == challenge["id"]
    assert data["mutual_benefit"] == {"both": 0, "support_actions": 1}
    assert "No gaps" in ok(board, "gaps", "Globex")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("workshop", "add", "Nobody"), "No account 'Nobody'"),
        (("workshop", "add", "ACME", "--start", "2026-02-30"), "does not exist in the calendar"),
        (("workshop", "add", "ACME", "--start", "soon"), "not in the form YYYY-MM-DD"),
        (("workshop", "add", "ACME", "--participant", "Eva:partner"), "Unknown side 'partner'"),
        (("workshop", "add", "ACME", "--budget", "2", "--per-card", "3"), "cannot exceed the vote budget"),
        (("workshop", "add", "ACME", "--start", "2026-03-10", "--end", "2026-03-01"), "before it starts"),
        (("workshop", "show", "Nope"), "No workshop 'Nope'"),
        (("workshop", "show", "Spring"), "2 workshops match 'Spring'"),
        (("workshop", "edit", "Spring 26"), "Nothing to change"),
        (("workshop", "edit", "Spring 26", "--remove-participant", "Zed"), "No participant 'Zed'"),
        (("workshop", "edit", "Spring 26", "--title", ""), "must not be empty"),
        (("workshop", "agenda", "add", "Spring 26", "X", "--lane", "money"), "Unknown lane 'money'"),
        (("workshop", "agenda", "add", "Spring 26", "X", "--minutes", "0"), "from 1 to 600"),
        (("workshop", "agenda", "edit", "Spring 26", "99", "--minutes", "5"), "No agenda item '99'"),
        (("workshop", "agenda", "edit", "Spring 26", "1"), "Nothing to change"),
        (("workshop", "agenda", "move", "Spring 26", "1", "0"), "not in the range"),
        (("workshop", "agenda", "remove", "Spring 26", "abcdef"), "No agenda item 'abcdef'"),
        (("workshop", "timer", "Empty", "start"), "agenda is empty"),
        (("workshop", "timer", "Spring 26", "fly"), "'fly' is not one of"),
        (("workshop", "review", "Spring 26", "deadbeef", "done"), "No card 'deadbeef'"),
        (("gaps", "Nobody"), "No account 'Nobody'"),
    ],
)
def test_errors(board: Path, args: tuple[str, ...], message: str) -> None:
    store = BoardStore(board, "setup")
    store.add_workshop("ACME", "Spring 26", agenda=rules.default_agenda(), participants=[{"name": "Eva"}])
    store.add_workshop("ACME", "Spring", start="2025-03-01")
    store.add_workshop("Globex", "Spring", start="2024-03-01")
    store.add_workshop("Globex", "Empty")
    fails(board, *args, message=message)


def test_missing_board(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["workshop", "list", "-f", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "none.json").exists()


@pytest.fixture
def presented(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str]]:
    """Stand-in for the presenter TUI: records (store, workshop id)."""
    from kamboard.tui.screens import presenter

    calls: list[tuple[Any, str]] = []
    monkeypatch.setattr(presenter, "run_presenter", lambda store, workshop_id: calls.append((store, workshop_id)))
    return calls


def test_present(board: Path, presented: list[tuple[Any, str]]) -> None:
    store = BoardStore(board, "setup")
    old = store.add_workshop("ACME", "Old", start="2020-03-10", agenda=rules.default_agenda())
    store.add_workshop("Globex", "Future", start="2999-01-01")
    result = CliRunner().invoke(cli, ["present", str(board)])
    assert result.exit_code == 0, result.stderr
    assert presented[-1][1] == old["id"] and presented[-1][0].readonly
    running = store.add_workshop("Globex", "Now", start="2019-01-01", agenda=rules.default_agenda())
    store.timer(running["id"], "start")
    ok(board, "present")
    assert presented[-1][1] == running["id"]
    ok(board, "present", "--workshop", "Future")
    ok(board, "present", "--account", "ACME")
    assert [w for _, w in presented[-2:]] == [store.workshops()[-1]["id"], old["id"]]
    fails(board, "present", "--workshop", "Nope", message="No workshop 'Nope'")
    fails(board, "present", "--account", "Nobody", message="No account 'Nobody'")


def test_present_without_workshops(board: Path, presented: list[tuple[Any, str]]) -> None:
    fails(board, "present", message="No workshop in")
    assert presented == []
