"""The command modules load lazily: a command line imports only the module of the command it runs.

``kamboard.cli.base.COMMAND_MODULES`` names each command's module; the group imports that module
on first use. The map must name exactly the commands the modules register (else a new command
would be missing from help, or shown only once its module happened to be loaded).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any, TypedDict

import click
import pytest

import kamboard.cli
from kamboard.cli import cli
from kamboard.cli.base import COMMAND_MODULES
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]
EVERY_COMMAND_MODULE = set(COMMAND_MODULES.values())
OPEN_PATH = ["kamboard.cli", "kamboard.cli.base", "kamboard.cli.board"]

# Runs kamboard's main in a fresh interpreter with a stand-in TUI (as tests/test_cli.py's fake_tui);
# prints the exit code, the TUI runs and the kamboard.cli modules loaded, as JSON.
SCRIPT = """
import json, sys, types
import kamboard.tui
runs = []
app = types.ModuleType("kamboard.tui.app")
app.run = lambda store, account=None: runs.append([store.path, account]) or 0
sys.modules["kamboard.tui.app"] = app
kamboard.tui.app = app
from kamboard.cli import main
code = main(sys.argv[1:], standalone_mode=False)
loaded = sorted(name for name in sys.modules if name.startswith("kamboard.cli"))
print(json.dumps({"code": code, "runs": runs, "loaded": loaded}))
"""


class Fresh(TypedDict):
    code: int
    runs: list[list[Any]]
    loaded: list[str]


def run_fresh(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Fresh:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result: Fresh = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("Northbridge")
    store.add_card("Northbridge", "challenge", "Nurse shortage")
    return path


def test_the_map_names_exactly_the_commands_the_modules_register() -> None:
    for module in pkgutil.iter_modules(kamboard.cli.__path__, "kamboard.cli."):
        importlib.import_module(module.name)  # every module of the package, named in the map or not
    registered = {name: command.callback.__module__ for name, command in cli.commands.items() if command.callback}
    assert registered == COMMAND_MODULES
    assert set(cli.commands) == set(COMMAND_MODULES)
    assert cli.list_commands(click.Context(cli)) == sorted(COMMAND_MODULES)


@pytest.mark.parametrize("account", [None, "Northbridge"], ids=["file", "file --account"])
def test_opening_a_board_loads_only_the_open_command(board: Path, account: str | None) -> None:
    args = [str(board), *(["--account", account] if account else [])]
    result = run_fresh(*args, cwd=board.parent)
    assert result["code"] == 0
    account_id = BoardStore(board).account(account)["id"] if account else None
    assert result["runs"] == [[str(board), account_id]]
    assert result["loaded"] == OPEN_PATH
    others = {
        "kamboard.cli.merge",
        "kamboard.cli.export",
        "kamboard.cli.workshop",
        "kamboard.cli.cards",
        "kamboard.cli.accounts",
    }
    assert not others & set(result["loaded"])


def test_no_arguments_open_the_default_board_with_the_open_command_only(board: Path) -> None:
    result = run_fresh(cwd=board.parent, env={"KAMBOARD_FILE": str(board)})
    assert result["runs"] == [[str(board), None]]
    assert result["loaded"] == OPEN_PATH


# a command line and the one command module it loads (None: none)
ONE_MODULE = [
    (("--version",), None),
    (("card", "list"), "kamboard.cli.cards"),
    (("account", "list"), "kamboard.cli.accounts"),
    (("workshop", "list"), "kamboard.cli.workshop"),
    (("gaps", "Northbridge"), "kamboard.cli.workshop"),
    (("due",), "kamboard.cli.export"),
    (("conflicts",), "kamboard.cli.merge"),
    (("check",), "kamboard.cli.board"),
]


@pytest.mark.parametrize(("args", "module"), ONE_MODULE, ids=[" ".join(args) for args, _ in ONE_MODULE])
def test_a_command_loads_its_own_module_only(board: Path, args: tuple[str, ...], module: str | None) -> None:
    result = run_fresh(*args, cwd=board.parent, env={"KAMBOARD_FILE": str(board)})
    assert result["code"] == 0
    assert result["runs"] == []
    assert result["loaded"] == sorted(["kamboard.cli", "kamboard.cli.base", *([module] if module else [])])


def run_kamboard(*args: str, cwd: Path, load_all: bool = False) -> subprocess.CompletedProcess[str]:
    """``kamboard ARGS`` in a fresh interpreter; ``load_all``: every command module imported first,
    as before the group loaded them lazily."""
    preload = "".join(f"import {name}\n" for name in sorted(EVERY_COMMAND_MODULE)) if load_all else ""
    code = f"import sys\n{preload}from kamboard.cli import main\nmain(sys.argv[1:])\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def test_help_lists_the_commands_as_when_every_module_is_loaded(board: Path) -> None:
    lazy = run_kamboard("--help", cwd=board.parent)
    assert lazy.returncode == 0, lazy.stderr
    assert lazy.stdout == run_kamboard("--help", cwd=board.parent, load_all=True).stdout
    listed = [line.split()[0] for line in lazy.stdout.split("Commands:\n", 1)[1].splitlines() if line[2:3].strip()]
    visible = sorted(set(COMMAND_MODULES) - {"open", "merge-driver", "participant"})  # the hidden ones stay hidden
    assert [word for word in listed if word in COMMAND_MODULES] == visible
    assert "  card       Cards in an account's lanes (topic, challenge, support)." in lazy.stdout


@pytest.mark.parametrize("word", ["mrge", "conflict", "acount", "zzz", "opn"])
def test_typo_hints_are_as_when_every_module_is_loaded(board: Path, word: str) -> None:
    lazy = run_kamboard(word, cwd=board.parent)
    assert lazy.returncode == 2
    assert lazy.stderr == run_kamboard(word, cwd=board.parent, load_all=True).stderr
    assert lazy.stderr.startswith(f"Error: No such command or file {word!r}.")


def test_typo_hints_name_the_visible_commands(board: Path) -> None:
    assert "Did you mean 'merge'?" in run_kamboard("mrge", cwd=board.parent).stderr
    assert "Did you mean 'conflicts'?" in run_kamboard("conflict", cwd=board.parent).stderr
    visible = ", ".join(sorted(set(COMMAND_MODULES) - {"open", "merge-driver", "participant"}))
    assert f"No such command or file 'zzz'. Commands: {visible}." in run_kamboard("zzz", cwd=board.parent).stderr


def test_the_agenda_subcommands_load_with_workshop_agenda_only(board: Path) -> None:
    """`workshop agenda ...` lives in cli/agenda.py (SUBCOMMAND_MODULES of the workshop group)."""
    from kamboard.cli.workshop import SUBCOMMAND_MODULES

    assert SUBCOMMAND_MODULES == {"agenda": "kamboard.cli.agenda"}
    env = {"KAMBOARD_FILE": str(board)}
    result = run_fresh("workshop", "agenda", "--help", cwd=board.parent, env=env)
    assert "kamboard.cli.agenda" in result["loaded"] and "kamboard.cli.workshop" in result["loaded"]
    assert "kamboard.cli.agenda" not in run_fresh("workshop", "list", cwd=board.parent, env=env)["loaded"]
