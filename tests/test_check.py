"""`kamboard check` and check_board: every kind of problem, and a sound board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from kamboard.check import check_board
from kamboard.cli import cli
from kamboard.demo import build_demo
from kamboard.store import BoardStore


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    build_demo(BoardStore(path, create=True))
    return path


def load(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


def save(path: Path, data: dict[str, Any]) -> None:
    path.write_bytes(orjson.dumps(data))


def first(data: dict[str, Any], table: str, lane: str | None = None) -> dict[str, Any]:
    return next(d for d in data[table].values() if lane is None or d.get("lane") == lane)


def test_sound_board(board: Path) -> None:
    assert check_board(board) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b'{"meta": {"1": ', "not valid JSON"),
        (b"[1, 2]", "not a kamboard board"),
        (b'{"users": {}}', "no meta record"),
        (b'{"meta": []}', "table 'meta' is not an object of records"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    problems = check_board(path)
    assert len(problems) == 1 and problem in problems[0], problems


def test_missing_file(tmp_path: Path) -> None:
    assert check_board(tmp_path / "none.json") == ["cannot read the file: No such file or directory"]


def break_board(data: dict[str, Any], kind: str) -> None:
    card = first(data, "cards", "support")
    if kind == "missing id":
        del card["id"]
    elif kind == "duplicate id":
        first(data, "cards", "topic")["id"] = first(data, "accounts")["id"]
    elif kind == "missing account":
        card["account_id"] = "0" * 32
    elif kind == "missing link":
        card["links"] = ["f" * 32]
    elif kind == "bad lane":
        card["lane"] = "backlog"
    elif kind == "bad status":
        card["status"] = "someday"
    elif kind == "bad date":
        card["due"] = "31.12.2026"
    elif kind == "missing title":
        del card["title"]
    elif kind == "empty title":
        card["title"] = " "
    elif kind == "bad position":
        card["position"] = "first"
    elif kind == "duplicate account name":
        accounts = list(data["accounts"].values())
        accounts[1]["name"] = accounts[0]["name"].upper()
    elif kind == "missing table":
        del data["cards"]
    elif kind == "bad workshop date":
        first(data, "workshops")["start"] = "soon"
    elif kind == "newer schema":
        first(data, "meta")["schema"] = 99


EXPECTED = {
    "missing id": "field 'id' is missing",
    "duplicate id": "duplicate id",
    "missing account": "points at missing account",
    "missing link": "links to missing card",
    "bad lane": "field 'lane' is \"backlog\", not one of topic, challenge, support",
    "bad status": "Unknown status 'someday'",
    "bad date": "YYYY-MM-DD",
    "missing title": "field 'title' is missing",
    "empty title": "Title must not be empty",
    "bad position": "field 'position' is \"first\", not a number",
    "duplicate account name": "duplicate account name",
    "missing table": "table 'cards' is missing",
    "bad workshop date": "field 'start' is \"soon\", not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
    "newer schema": "newer than this kamboard",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_problem_is_found(board: Path, kind: str) -> None:
    data = load(board)
    break_board(data, kind)
    save(board, data)
    problems = check_board(board)
    assert any(EXPECTED[kind] in p for p in problems), problems


def test_check_names_the_record(board: Path) -> None:
    data = load(board)
    card = first(data, "cards", "support")
    card["lane"] = "backlog"
    save(board, data)
    key = next(k for k, v in data["cards"].items() if v is card)
    (problem,) = check_board(board)
    assert problem.startswith(f"cards[{key}] {card['title'][:40]!r}: ")


def test_check_command_ok(board: Path) -> None:
    before = board.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(board)])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ok: 3 accounts, {len(load(board)['cards'])} cards in {board}"
    assert board.read_bytes() == before
    assert CliRunner().invoke(cli, ["-f", str(board), "check"]).exit_code == 0


def test_check_command_reports_problems(board: Path) -> None:
    data = load(board)
    break_board(data, "bad lane")
    break_board(data, "missing link")
    save(board, data)
    before = board.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(board)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{board}: cards[") for line in lines)
    assert "2 problem(s) found" in result.stderr
    assert board.read_bytes() == before


def test_check_command_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'none.json'} does not exist."


def test_check_lists_every_record_of_the_wrong_shape(board: Path) -> None:
    data = load(board)
    cards = list(data["cards"].values())
    cards[0]["position"] = "first"
    cards[1]["rev"] = None
    cards[2]["links"] = "abc"
    cards[3]["tags"] = "a,b"
    del cards[4]["lane"]
    first(data, "accounts")["name"] = 42
    first(data, "workshops")["agenda"] = [1]
    first(data, "events")["by"] = 5
    save(board, data)
    before = board.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(board)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    wanted = [
        "field 'position' is \"first\", not a number",
        "field 'rev' is null, not an integer",
        "field 'links' is \"abc\", not a list of text",
        "field 'tags' is \"a,b\", not a list of text",
        "field 'lane' is missing",
        "field 'name' is 42, not text",
        "field 'agenda' is [1], not a list of agenda items",
        "field 'by' is 5, not text",
    ]
    for text in wanted:
        assert sum(text in line for line in lines) == 1, (text, lines)
    assert len(lines) == len(wanted), lines  # each problem once (not again as 'Unknown lane', say)
    assert all(line.startswith(f"{board}: ") for line in lines)
    assert f"{len(wanted)} problem(s) found" in result.stderr
    assert board.read_bytes() == before


@pytest.mark.parametrize(
    ("table", "field", "value", "problem"),
    [
        ("cards", "title", "Cost \u202epressure", "Title must not contain bidi override or isolate characters"),
        ("cards", "title", "Cost \u2066x\u2069", "Title must not contain bidi override or isolate characters"),
        ("cards", "owner", "Bob\u202d", "Owner must not contain bidi override or isolate characters"),
        ("accounts", "name", "ACME \u202b", "Account name must not contain bidi override or isolate characters"),
        ("workshops", "title", "WS \u202a", "Workshop title must not contain bidi override or isolate characters"),
        ("cards", "title", "Clear\x1b[2J", "Title must not contain control characters"),
        ("accounts", "name", "ACME\x9b", "Account name must not contain control characters"),
    ],
)
def test_check_flags_bidi_overrides_and_control_characters(
    board: Path, table: str, field: str, value: str, problem: str
) -> None:
    data = load(board)
    first(data, table)[field] = value
    save(board, data)
    problems = check_board(board)
    assert len(problems) == 1 and problem in problems[0], problems


def test_check_output_is_escaped(board: Path) -> None:
    data = load(board)
    first(data, "cards")["title"] = "\x1b]0;pwned\x07"
    save(board, data)
    result = CliRunner().invoke(cli, ["check", str(board)])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;pwned\\x07" in result.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"null", "the file holds JSON null, not a board"),
        (
            b'{"meta": {"1": {"schema": "1"}}, "accounts": {}, "cards": {}, "workshops": {}}',
            "meta[1]: field 'schema' is \"1\", not an integer",
        ),
        (
            b'{"meta":\n {"1":\n {"title": "\xc3\x28"}}}',
            "not valid JSON: invalid UTF-8 at line 3, column 13 (byte 0xc3)",
        ),
    ],
)
def test_check_says_what_is_wrong_where(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    assert check_board(path) == [problem]
