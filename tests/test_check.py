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
    "missing id": "missing id",
    "duplicate id": "duplicate id",
    "missing account": "points at missing account",
    "missing link": "links to missing card",
    "bad lane": "Unknown lane 'backlog'",
    "bad status": "Unknown status 'someday'",
    "bad date": "YYYY-MM-DD",
    "missing title": "missing title",
    "empty title": "Title must not be empty",
    "bad position": "position 'first' is not a number",
    "duplicate account name": "duplicate account name",
    "missing table": "table 'cards' is missing",
    "bad workshop date": "start:",
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
