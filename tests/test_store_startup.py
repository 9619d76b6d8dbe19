"""BoardStore opening cheaply: user and lock looked up when needed; one-pass check and index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from kamboard import store as store_mod
from kamboard.errors import BoardFileError, NotFound
from kamboard.storage import TEMP_SUFFIX
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    acme = store.add_account("ACME")
    for n in range(3):
        store.add_card(acme["id"], "topic", f"T{n}")
    return path


def test_the_user_is_looked_up_only_when_a_change_needs_it(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lookups: list[int] = []

    def lookup() -> str:
        lookups.append(1)
        return "bob"

    monkeypatch.setattr(store_mod, "default_user", lookup)
    store = BoardStore(board)
    assert [c["title"] for c in store.cards()] == ["T0", "T1", "T2"]
    assert lookups == []  # reading needs no user: no git subprocess at start
    card = store.add_card("ACME", "topic", "T3")
    assert card["created_by"] == "bob" and store.events()[-1][1]["by"] == "bob"
    store.add_card("ACME", "topic", "T4")
    assert lookups == [1]  # once
    assert BoardStore(board, user="carol").user == "carol"
    assert lookups == [1]


def test_opening_imports_neither_filelock_nor_subprocess(board: Path) -> None:
    script = (
        "import sys\n"
        "from kamboard.store import BoardStore\n"
        "store = BoardStore(sys.argv[1])\n"
        "assert store.cards()\n"
        "print(sorted(m for m in ('filelock', 'subprocess') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "KAMBOARD_USER"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", script, str(board)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_leftover_temp_files_still_need_the_lock_to_be_removed(board: Path) -> None:
    holder = BoardStore(board, user="x").storage.lock
    leftover = board.parent / f".board.json.abcd1234{TEMP_SUFFIX}"
    leftover.write_bytes(b'{"half": ')
    with holder:  # someone is saving: the temp file may be theirs
        BoardStore(board)
        assert leftover.exists()
    BoardStore(board)
    assert not leftover.exists()


def test_index_follows_another_process_change(board: Path) -> None:
    mine, theirs = BoardStore(board, user="me"), BoardStore(board, user="them")
    gone = mine.cards()[0]
    added = theirs.add_card("ACME", "challenge", "C0")
    theirs.delete_card(gone["id"])
    assert mine.refresh()
    assert mine.card(added["id"])["title"] == "C0"
    with pytest.raises(NotFound):
        mine.card(gone["id"])
    moved = mine.move_card(added["id"], "support")
    assert theirs.card(added["id"])["lane"] == "support" == moved["lane"]


def test_a_non_record_is_refused_wherever_it_is(board: Path) -> None:
    data = json.loads(board.read_bytes())
    data["cards"]["99"] = ["not", "a", "record"]
    board.write_text(json.dumps(data, indent=2))
    with pytest.raises(BoardFileError, match="table 'cards' holds a non-record"):
        BoardStore(board)


def _titles(store: BoardStore, account_id: str) -> list[str]:
    return [c["title"] for c in store.cards(account_id)]


def test_account_index_follows_own_and_others_changes(board: Path) -> None:
    mine, theirs = BoardStore(board, user="me"), BoardStore(board, user="them")
    acme = mine.account("ACME")["id"]
    beta = mine.add_account("Beta")["id"]
    assert _titles(mine, acme) == ["T0", "T1", "T2"] and _titles(mine, beta) == []
    # my own changes: the index is kept up to date, not rebuilt from stale data
    mine.add_card(beta, "topic", "B0")
    mine.delete_card(mine.cards(acme)[0]["id"])
    assert _titles(mine, acme) == ["T1", "T2"] and _titles(mine, beta) == ["B0"]
    restored = mine.add_card(acme, "topic", "T3", index=0)
    assert _titles(mine, acme) == ["T3", "T1", "T2"]
    # another process's changes: the next read rebuilds it
    theirs.add_card(beta, "support", "B1")
    theirs.delete_card(restored["id"])
    theirs.move_card(mine.cards(acme)[0]["id"], "challenge")
    assert mine.refresh()
    assert _titles(mine, acme) == ["T2", "T1"] and _titles(mine, beta) == ["B0", "B1"]
    assert [c["title"] for c in mine.cards(acme, "challenge")] == ["T1"]
    # a bulk import that replaces the tables
    mine.bulk_insert([{"name": "Gamma"}], [], replace=True)
    gamma = mine.account("Gamma")["id"]
    assert _titles(mine, gamma) == [] and mine.cards() == []
    mine.add_card(gamma, "topic", "G0")
    assert _titles(mine, gamma) == ["G0"] and _titles(theirs, gamma) == ["G0"]


def test_account_index_when_a_deleted_cards_key_is_given_out_again(board: Path) -> None:
    mine, theirs = BoardStore(board, user="me"), BoardStore(board, user="them")
    acme = mine.account("ACME")["id"]
    for card in theirs.cards(acme):
        theirs.delete_card(card["id"])
    card = theirs.add_card(acme, "topic", "Only")
    assert _titles(mine, acme) == ["Only"]  # mine re-reads: its index now has this card's key
    gone = mine.delete_card(card["id"])  # the table is empty: the next key is the same again
    mine.restore_card(gone)
    assert _titles(mine, acme) == ["Only"]
    assert _titles(theirs, acme) == ["Only"]


@pytest.mark.parametrize(("args", "expected"), [([], "lazy"), (["--user", " Dana "], "Dana")])
def test_kamboard_file_opens_without_looking_up_the_user(
    board: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    from click.testing import CliRunner

    from kamboard.cli import board as cli_board
    from kamboard.cli import cli

    lookups: list[int] = []
    opened: list[tuple[BoardStore, str | None]] = []

    def lookup() -> str:
        lookups.append(1)
        return "lazy"

    monkeypatch.setattr(store_mod, "default_user", lookup)
    monkeypatch.setattr(cli_board, "_tui_runner", lambda: lambda store, account=None: opened.append((store, account)))
    result = CliRunner().invoke(cli, ["open", str(board), "--account", "ACME", *args])
    assert result.exit_code == 0, result.output
    [(store, account)] = opened
    assert account == store.account("ACME")["id"]
    assert lookups == []  # not at start
    assert store.user == expected


def test_kamboard_file_pauses_the_collector_from_the_open_to_the_apps_first_paint(
    board: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's start pauses the collector before its imports and the board's parse (the app
    resumes it after its first paint); whatever happens, the command leaves it on again."""
    import gc

    from click.testing import CliRunner

    from kamboard.cli import board as cli_board
    from kamboard.cli import cli

    seen: dict[str, bool] = {}
    opening = BoardStore.__init__
    importing = cli_board._tui_runner

    def import_tui() -> object:
        seen["import"] = gc.isenabled()
        importing()
        return run

    def open_store(store: BoardStore, *args: object, **kwargs: object) -> None:
        seen["open"] = gc.isenabled()
        opening(store, *args, **kwargs)  # type: ignore[arg-type]

    def run(store: BoardStore, account: str | None = None) -> int:
        seen["run"] = gc.isenabled()
        return 0

    monkeypatch.setattr(BoardStore, "__init__", open_store)
    monkeypatch.setattr(cli_board, "_tui_runner", import_tui)
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["open", str(board), "--account", "ACME"])
    assert result.exit_code == 0, result.output
    assert seen == {"import": False, "open": False, "run": False}  # from the TUI's imports on
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["open", str(board), "--account", "Nobody"])
    assert result.exit_code != 0 and "No account 'Nobody'" in result.output
    assert gc.isenabled()  # also when the board never opened in the app


@pytest.fixture
def big_board(board: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[int]]:
    """The board counts as big (opened for a preview), and each parse of the whole file is recorded."""
    from kamboard import jsonparse

    monkeypatch.setattr(jsonparse, "SLICE", 64)
    parses: list[int] = []
    real = jsonparse.load_checked

    def counting(handle: IO[bytes]) -> object:
        parses.append(1)
        return real(handle)

    monkeypatch.setattr("kamboard.storage.load_checked", counting)
    return board, parses


@pytest.mark.parametrize(("args", "whole_before_paint"), [(["--account", "ACME"], 0), ([], 1)])
def test_kamboard_file_on_an_account_reads_only_a_preview_of_a_big_file_before_the_app_runs(
    big_board: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch, args: list[str], whole_before_paint: int
) -> None:
    from click.testing import CliRunner

    from kamboard.cli import board as cli_board
    from kamboard.cli import cli

    board, parses = big_board
    shown: list[int] = []

    def run(store: BoardStore, account: str | None = None) -> int:  # the app up to its first paint
        if account:
            store.cards(account)
        shown.append(len(parses))
        return 0

    monkeypatch.setattr(cli_board, "_tui_runner", lambda: run)
    result = CliRunner().invoke(cli, ["open", str(board), *args])
    assert result.exit_code == 0, result.output
    assert shown == [whole_before_paint]
    assert len(parses) == whole_before_paint  # the app reads the rest after its first paint


async def test_a_damaged_record_of_another_account_shows_its_banner_after_the_first_paint(
    big_board: tuple[Path, list[int]],
) -> None:
    from kamboard.tui.app import KamboardApp

    board, parses = big_board
    data = json.loads(board.read_bytes())
    other = {**next(iter(data["accounts"].values())), "id": "b" * 32, "name": "Beta"}
    data["accounts"]["99"] = other
    data["cards"]["99"] = {"id": "c" * 32, "account_id": other["id"], "lane": "topic", "title": "X", "position": "1"}
    board.write_text(json.dumps(data, indent=2, sort_keys=True))
    before = board.read_bytes()
    store = BoardStore(board, user="alice", preview=True)  # as `kamboard FILE --account ACME` opens it
    app = KamboardApp(store, account=store.account("ACME")["id"])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()  # the first paint: the app reads the whole file and the board shows it, no poll needed
        await pilot.pause()
        assert len(parses) == 1
        banner = app.screen.query_one("#readonly-banner")
        assert banner.display and "field 'position' is \"1\", not a number" in str(banner.render())
        await pilot.press("n")  # quick-add: refused, read-only
        await pilot.pause()
    assert board.read_bytes() == before
