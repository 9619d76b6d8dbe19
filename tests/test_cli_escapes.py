"""Text from the board file or the command line never reaches the terminal raw.

Human output shows control characters (C0 but the newline, DEL, C1) and bidi overrides and
isolates as Python-style escapes (ESC as ``\\x1b``); ``--json`` output stays exact; names given
on the command line refuse them (exit 2, one line).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kamboard.cli import cli
from kamboard.store import BoardStore

POISON = "\x1b[2J\x1b]0;pwned\x07"  # clears the screen, sets the window title
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CARD_ID = "c0ffee00" + "0" * 24
WORKSHOP_ID = "feed0000" + "0" * 24


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """A board whose texts (written by another program) hold escape sequences."""
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("ACME", owner="Kim")
    store.add_card("ACME", "challenge", "Costs", id=CARD_ID, tags=["cost"], notes="first")
    store.add_card("ACME", "support", "Pilot", owner="Bob", due="2020-01-01", status="agreed", links=[CARD_ID])
    store.add_workshop("ACME", "Workshop", start="2020-03-02T09:00", participants=[{"name": "Ann"}])
    ws = store.workshops()[0]
    store.add_agenda_item(ws["id"], "Welcome", minutes=15)
    data = json.loads(path.read_bytes())
    account = next(iter(data["accounts"].values()))
    account["name"] = "ACME" + POISON
    account["owner"] = "Kim\x9b31m"
    for card in data["cards"].values():
        card["title"] = card["title"] + POISON
        card["owner"] = card["owner"] and "Bob\u202e"
        card["tags"] = ["tag" + POISON]
        card["notes"] = "line one\nline two" + POISON
    workshop = next(iter(data["workshops"].values()))
    workshop["title"] = "Workshop" + POISON
    workshop["id"] = WORKSHOP_ID
    workshop["participants"] = [{"name": "Ann" + POISON, "side": "", "role": "CFO\x1b[5m"}]
    workshop["agenda"][0]["title"] = "Welcome" + POISON
    workshop["location"] = "Room\x07"
    path.write_text(json.dumps(data, indent=2))
    return path


def shown(result: Result) -> str:
    """Everything printed (stdout and stderr), checked for raw control characters."""
    text = result.stdout + result.stderr
    assert not RAW.search(text), repr(text)
    return text


@pytest.mark.parametrize(
    "args",
    [
        ("card", "list"),
        ("card", "show", CARD_ID[:8]),
        ("account", "list"),
        ("workshop", "list"),
        ("workshop", "show", WORKSHOP_ID),
        ("due", "--today", "2020-06-01"),
        ("gaps", "ACME" + POISON),
        ("workshop", "timer", WORKSHOP_ID, "status"),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_human_output_escapes_text_from_the_file(board: Path, args: tuple[str, ...]) -> None:
    result = run(*args, "-f", str(board))
    assert result.exit_code == 0, result.output
    assert SHOWN in shown(result)


def test_card_show_keeps_the_notes_lines(board: Path) -> None:
    out = shown(run("card", "show", CARD_ID[:8], "-f", str(board)))
    assert "  line one\n" in out and f"  line two{SHOWN}\n" in out
    assert "Bob\\u202e" not in out  # the challenge has no owner
    assert f"tags:             tag{SHOWN}" in out


def test_workshop_show_escapes_people_and_agenda(board: Path) -> None:
    out = shown(run("workshop", "show", "Workshop" + POISON, "-f", str(board)))
    assert f"Ann{SHOWN} (CFO\\x1b[5m)" in out
    assert f"Welcome{SHOWN}" in out and "Room\\x07" in out


def test_account_list_escapes_c1_and_bidi(board: Path) -> None:
    out = shown(run("account", "list", "-f", str(board)))
    assert "Kim\\x9b31m" in out


def test_json_output_stays_exact(board: Path) -> None:
    cards = json.loads(run("card", "list", "--json", "-f", str(board)).stdout)
    assert {c["title"] for c in cards} == {"Costs" + POISON, "Pilot" + POISON}
    assert cards[0]["account"] == "ACME" + POISON
    accounts = json.loads(run("account", "list", "--json", "-f", str(board)).stdout)
    assert accounts[0]["owner"] == "Kim\x9b31m"
    assert next(c for c in cards if c["owner"])["owner"] == "Bob\u202e"


def test_error_messages_quoting_user_text_are_escaped(board: Path, tmp_path: Path) -> None:
    for args in (
        ("card", "show", "zz" + POISON),
        ("card", "list", "NoSuch" + POISON),
        ("workshop", "show", "NoSuch\u202e"),
        ("card", "list", "-f", str(tmp_path / f"missing{POISON}.json")),
    ):
        result = run(*args, "-f", str(board)) if "-f" not in args else run(*args)
        assert result.exit_code == 2
        err = shown(result)
        assert err.count("\n") == 1 and err.startswith("Error: "), err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("account", "add", "ACME" + POISON), "Account name must not contain control characters."),
        (("account", "add", "ACME\u202e"), "Account name must not contain bidi override or isolate characters"),
        (("account", "add", "Other", "--owner", "Kim\x9b"), "Owner must not contain control characters."),
        (("account", "rename", "Clean", "X\u2066"), "Account name must not contain bidi override"),
        (("card", "add", "Clean", "topic", "Costs" + POISON), "Title must not contain control characters."),
        (("card", "add", "Clean", "topic", "Costs\u202e"), "Title must not contain bidi override"),
        (("card", "add", "Clean", "support", "x", "--owner", "Bob\x1b"), "Owner must not contain control characters."),
        (("card", "add", "Clean", "support", "x", "--owner", "Bob\u2067"), "Owner must not contain bidi override"),
        (("card", "add", "Clean", "topic", "x", "--tag", "a\u202d"), "A tag must not contain bidi override"),
        (("workshop", "add", "Clean", "WS" + POISON), "Workshop title must not contain control characters."),
        (("workshop", "add", "Clean", "WS\u202b"), "Workshop title must not contain bidi override"),
        (("workshop", "add", "Clean", "WS", "--participant", "Ann\x1b"), "Participant name must not contain control"),
        (("workshop", "add", "Clean", "WS", "--participant", "Ann\u202e"), "Participant name must not contain bidi"),
    ],
)
def test_names_on_the_command_line_refuse_control_and_bidi_characters(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "clean.json"
    BoardStore(path, "setup", create=True).add_account("Clean")
    before = path.read_bytes()
    result = run(*args, "-f", str(path))
    assert result.exit_code == 2, result.output
    err = shown(result)
    assert err.count("\n") == 1 and message in err, err
    assert path.read_bytes() == before


@pytest.mark.parametrize("how", ["--user", "KAMBOARD_USER"])
def test_the_user_name_refuses_control_characters(tmp_path: Path, how: str) -> None:
    path = tmp_path / "clean.json"
    BoardStore(path, "setup", create=True).add_account("Clean")
    before = path.read_bytes()
    bad = "carol\x1b]0;pwned\x07"
    args = ["card", "add", "Clean", "topic", "Costs", "-f", str(path)]
    result = run(*args, "--user", bad) if how == "--user" else run(*args, env={"KAMBOARD_USER": bad})
    assert result.exit_code == 2, result.output
    err = shown(result)
    assert "The user name (--user, else $KAMBOARD_USER, else git's user.name) must not contain control" in err
    assert path.read_bytes() == before  # not stored as updated_by


def test_the_tui_refuses_such_a_user_before_it_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamboard.tui import app as tui_app

    def never(*args: Any, **kwargs: Any) -> int:
        raise AssertionError("the TUI must not start")

    monkeypatch.setattr(tui_app, "run", never)
    path = tmp_path / "clean.json"
    BoardStore(path, "setup", create=True).add_account("Clean")
    result = run(str(path), "--user", "bob\u202e")
    assert result.exit_code == 2
    assert "bidi override" in shown(result)


def test_notes_from_the_command_line_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "clean.json"
    BoardStore(path, "setup", create=True).add_account("Clean")
    result = run("card", "add", "Clean", "topic", "Costs", "--notes", "one\ntwo", "--json", "-f", str(path))
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["notes"] == "one\ntwo"
    out = shown(run("card", "show", card["id"], "-f", str(path)))
    assert "  one\n  two\n" in out
