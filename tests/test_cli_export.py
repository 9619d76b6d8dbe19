"""`kamboard export`, `kamboard import` and `kamboard due` from the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from kamboard.cli import cli
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]
NAME = "ACME Müller | [red]x[/] 🎉"


@pytest.fixture
def board(tmp_path: Path) -> dict[str, Any]:
    store = BoardStore(tmp_path / "board.json", "tester", create=True)
    acc = store.add_account(NAME, owner="Dana")
    challenge = store.add_card(acc["id"], "challenge", 'Delays, "quoted" | piped')
    action = store.add_card(
        acc["id"],
        "support",
        "=HYPERLINK(1)",
        owner="Ann",
        side="us",
        due="2026-03-01",
        status="agreed",
        customer_benefit="line 1\nline 2",
        links=[challenge["id"]],
    )
    store.add_card(acc["id"], "support", "Soon", due="2026-03-15", status="proposed")
    old = store.add_workshop(acc["id"], "Workshop 2025", start="2025-03-01")
    new = store.add_workshop(acc["id"], "Workshop 2026", start="2026-03-02T09:00", end="2026-03-03T13:00")
    return {
        "path": str(tmp_path / "board.json"),
        "store": store,
        "account": acc,
        "action": action,
        "old": old,
        "new": new,
    }


def run(*args: str, input: bytes | None = None) -> Any:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_error(result: Any, *needles: str) -> None:
    """Exit code 2 and one line on stderr containing each needle; no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


def test_export_markdown_to_stdout(board: dict[str, Any]) -> None:
    result = run("export", NAME, "--format", "md", "-f", board["path"], "--today", "2026-03-10")
    assert result.exit_code == 0, result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    h1 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h1" and t.type == "heading_open"]
    assert h1 == ["Minutes: Workshop 2026 (ACME Müller | \\[red]x\\[/] 🎉)"]  # escaped only where needed
    assert "| =HYPERLINK(1) | Ann | us | 2026-03-01 (overdue) | agreed |" in result.stdout


def test_export_chosen_workshop_by_prefix(board: dict[str, Any]) -> None:
    result = run("export", board["account"]["id"][:6], "--workshop", board["old"]["id"][:6], "-f", board["path"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Minutes: Workshop 2025 (")


def test_export_csv_has_bom_and_neutralised_formula(board: dict[str, Any]) -> None:
    result = run("export", NAME, "--format", "CSV", "-f", board["path"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][7] == "line 1\nline 2"
    assert rows[1][9] == 'Delays, "quoted" | piped'
    assert rows[1][1] == NAME


def test_export_ics_to_file_by_suffix(board: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "dates.ics"
    result = run("export", NAME, "-o", str(out), "-f", board["path"])
    assert result.exit_code == 0, result.stderr
    assert "Wrote ics export" in result.stderr and result.stdout == ""
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert f"{board['action']['id']}-due@kamboard" in uids and f"{board['new']['id']}@kamboard" in uids
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".dates.ics.", ".kamboard-export-"))]  # no temp


def test_export_minutes_for_the_customer(board: dict[str, Any], tmp_path: Path) -> None:
    store, acc = board["store"], board["account"]
    store.update_card(board["action"]["id"], {"our_benefit": "Secret margin", "notes": "Internal remark"})
    out = tmp_path / "customer.md"
    result = run("export", NAME, "--for", "customer", "-o", str(out), "-f", board["path"], "--today", "2026-03-10")
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8")
    assert "Secret margin" not in text and "Internal remark" not in text and "## Gaps" not in text
    assert "## Agreed support actions" in text and "line 1<br>line 2" in text  # value for the customer
    team = run("export", acc["id"][:8], "-f", board["path"], "--today", "2026-03-10").stdout
    assert "Secret margin" in team and "## Gaps" in team  # --for team is the default
    assert team == run("export", NAME, "--for", "TEAM", "-f", board["path"], "--today", "2026-03-10").stdout


def test_export_csv_for_german_excel(board: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "actions.csv"
    assert run("export", NAME, "--excel", "-o", str(out), "-f", board["path"]).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID;Account;Action;") and raw.count(b"\r\n") >= 3
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][7] == "line 1\nline 2"
    same = run("export", NAME, "--format", "csv", "--delimiter", ";", "-f", board["path"]).stdout_bytes
    assert same == raw
    tabs = run("export", NAME, "--delimiter", "tab", "-f", board["path"]).stdout_bytes  # csv without --format
    assert tabs.startswith(b"\xef\xbb\xbfID\tAccount\t")


def test_export_ics_in_a_time_zone(board: dict[str, Any]) -> None:
    result = run("export", NAME, "--timezone", "Europe/Berlin", "-f", board["path"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")
    assert "DTSTART:20260302T080000Z\r\n" in text and "DTEND:20260303T120000Z\r\n" in text  # day 1, day 2
    assert text.count("BEGIN:VEVENT") == 5  # two workshop days, the 2025 workshop, two open actions
    assert "Soon" in text and "=HYPERLINK(1)" in text


def test_export_help_documents_the_options() -> None:
    text = run("export", "--help").stdout
    for needle in ("--for [team|customer]", "--delimiter", "--excel", "byte order mark", "--timezone", "UTC"):
        assert needle in text


def test_json_export_then_import_round_trip_and_twice(board: dict[str, Any], tmp_path: Path) -> None:
    export = tmp_path / "acme.json"
    assert run("export", NAME, "--format", "json", "-o", str(export), "-f", board["path"]).exit_code == 0
    assert json.loads(export.read_text("utf-8"))["kamboard_export"] == 1
    target = tmp_path / "other.json"
    first = run("import", str(export), "--into", str(target))
    assert first.exit_code == 0, first.stderr
    assert "Imported the account, 3 cards, 2 workshops" in first.stdout
    src, dst = board["store"], BoardStore(target, "x")
    aid = board["account"]["id"]
    assert dst.account(aid) == src.account(aid)
    assert dst.cards(aid) == src.cards(aid)
    assert dst.workshops(aid) == src.workshops(aid)
    before = target.read_bytes()
    second = run("import", str(export), "-f", str(target))
    assert second.exit_code == 0 and "nothing to import" in second.stdout
    assert target.read_bytes() == before


def test_import_from_stdin(board: dict[str, Any], tmp_path: Path) -> None:
    data = run("export", NAME, "--format", "json", "-f", board["path"]).stdout_bytes
    result = run("import", "-", "--into", str(tmp_path / "new.json"), input=data)
    assert result.exit_code == 0 and "Imported the account" in result.stdout


def test_import_conflict_is_one_line_and_changes_nothing(board: dict[str, Any], tmp_path: Path) -> None:
    export = tmp_path / "acme.json"
    run("export", NAME, "--format", "json", "-o", str(export), "-f", board["path"])
    target = BoardStore(tmp_path / "other.json", "x", create=True)
    target.add_account(NAME.upper())
    before = (tmp_path / "other.json").read_bytes()
    assert_error(
        run("import", str(export), "--into", str(tmp_path / "other.json")), "already has another account named"
    )
    assert (tmp_path / "other.json").read_bytes() == before


def test_due_text_and_json(board: dict[str, Any]) -> None:
    text = run("due", "-f", board["path"], "--today", "2026-03-10")
    assert text.exit_code == 0
    assert "Overdue actions (1):" in text.stdout and "=HYPERLINK(1)" in text.stdout
    assert "Due within 14 days (1):" in text.stdout and "Soon" in text.stdout
    assert "Yearly workshop due (0):" in text.stdout
    data = json.loads(run("due", "--json", "--days", "3", "-f", board["path"], "--today", "2027-03-10").stdout)
    assert data["days"] == 3 and len(data["overdue"]) == 2 and data["due_soon"] == []
    assert [w["name"] for w in data["workshops_due"]] == [NAME]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("export", "Nope"), ("No account 'Nope'",)),
        (("export", NAME, "--workshop", "zzzz"), ("No workshop 'zzzz'",)),
        (("export", NAME, "--format", "csv", "--workshop", "abcd"), ("--workshop applies",)),
        (("export", NAME, "--format", "pdf"), ("'pdf' is not one of",)),
        (("export", NAME, "--format", "csv", "--for", "customer"), ("--for applies to the Markdown minutes",)),
        (("export", NAME, "--excel", "--format", "md"), ("--excel applies to CSV",)),
        (("export", NAME, "--delimiter", ";", "-o", "x.ics"), ("--delimiter applies to CSV",)),
        (("export", NAME, "--timezone", "UTC", "--format", "md"), ("--timezone applies to the calendar",)),
        (("export", NAME, "--excel", "--delimiter", ","), ("--excel writes semicolons",)),
        (("export", NAME, "--timezone", "Mars/Olympus"), ("Unknown time zone 'Mars/Olympus'",)),
        (("export", NAME, "--for", "board"), ("'board' is not one of",)),
        (("export", NAME, "-o", "/no/such/folder/x.md"), ("the folder /no/such/folder does not exist",)),
        (("due", "--today", "2026-02-30"), ("does not exist in the calendar",)),
        (("due", "--days", "-1"), ("--days",)),
        (("import", "missing.json"), ("missing.json does not exist",)),
    ],
)
def test_errors_exit_2_with_one_line(board: dict[str, Any], args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    assert_error(run(*args, "-f", board["path"]), *needles)


def test_errors_on_missing_board_and_bad_import_file(tmp_path: Path) -> None:
    assert_error(run("due", "-f", str(tmp_path / "none.json")), "none.json does not exist")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    assert_error(run("import", str(bad), "--into", str(tmp_path / "x.json")), "bad.json is not valid JSON")
    assert not (tmp_path / "x.json").exists()
    assert_error(run("import", str(tmp_path)), "is a folder")


def test_real_process_writes_utf8_under_an_ascii_locale(board: dict[str, Any]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    out = subprocess.run(
        [sys.executable, "-m", "kamboard", "export", NAME, "-f", board["path"]],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "🎉".encode() in out.stdout
    code = "import sys, kamboard.cli.export; print('textual' in sys.modules)"
    check = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert check.stdout.strip() == "False", check.stderr
