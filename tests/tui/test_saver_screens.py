"""The accounts screen and the commitments review answer at once while another process holds
the board's lock; their changes reach the file through the app's saver once it is free."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from board_helpers import TODAY, fixed_clock, notifications, wait_for, wait_for_saves
from filelock import FileLock
from textual.widgets import DataTable, Input, OptionList

from kamboard.errors import BoardError
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.saver import WAITING
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.commitments import CommitmentsScreen
from kamboard.tui.screens.dialogs import TextPrompt
from kamboard.tui.widgets.save_status import SaveStatus

# A write on the UI thread would block the Pilot this long, then fail; long enough for a
# test's steps while it holds the lock (it ends a hung test, it measures nothing).
LOCK_TIMEOUT = 5
DEADLOCK = 10


def short_lock_app(board_path: Path) -> KamboardApp:
    return KamboardApp(BoardStore(board_path, user="tester", clock=fixed_clock, lock_timeout=LOCK_TIMEOUT), today=TODAY)


def names_shown(app: KamboardApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def in_file(board_path: Path) -> dict[str, dict[str, Any]]:
    """The accounts as another process reads them, by name."""
    return {a["name"]: a for a in BoardStore(board_path, user="reader").accounts(include_archived=True)}


async def held_and_waiting(app: KamboardApp, pilot: Any) -> None:
    """The saver waits for the lock and the accounts screen says so."""
    assert await wait_for(pilot, lambda: app.saver.waiting, timeout=DEADLOCK)
    await pilot.pause()
    status = app.screen.query_one(SaveStatus)
    assert status.display and str(status.render()) == WAITING


async def test_rename_shows_at_once_while_the_file_is_held(store: BoardStore, board_path: Path) -> None:
    app = short_lock_app(board_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        with FileLock(str(board_path) + ".lock"):  # another process is saving
            await pilot.press("down", "r", "ctrl+a", "ctrl+k", *"Globex Corp", "enter")
            await pilot.pause()
            assert isinstance(app.screen, AccountsScreen)
            assert names_shown(app) == ["ACME", "Globex Corp"]
            await held_and_waiting(app, pilot)
            assert "Globex" in in_file(board_path)
        await wait_for_saves(app)
        await pilot.pause()
        assert names_shown(app) == ["ACME", "Globex Corp"]
        assert not app.screen.query_one(SaveStatus).display
    assert sorted(in_file(board_path)) == ["ACME", "Globex Corp"]


async def test_add_shows_at_once_while_the_file_is_held(store: BoardStore, board_path: Path) -> None:
    app = short_lock_app(board_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("a", *"Initech", "enter", "ctrl+a", "ctrl+k", *"Ivan", "enter")
            await pilot.pause()
            assert isinstance(app.screen, AccountsScreen)
            assert names_shown(app) == ["ACME", "Globex", "Initech"]
            new_id = app.screen.selected_id()
            await held_and_waiting(app, pilot)
            # a second account typed meanwhile: the duplicate check knows the first one
            await pilot.press("a", *"initech", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TextPrompt)
            assert "already exists" in str(app.screen.query_one("#prompt-error").render())
            await pilot.press("escape")
            assert "Initech" not in in_file(board_path)
        await wait_for_saves(app)
        await pilot.pause()
        assert names_shown(app) == ["ACME", "Globex", "Initech"]
        assert app.screen.selected_id() == new_id
        assert "Added account Initech" in notifications(app)
    saved = in_file(board_path)["Initech"]
    assert saved["owner"] == "Ivan" and saved["id"] == new_id


async def test_archive_and_restore_show_at_once_while_the_file_is_held(store: BoardStore, board_path: Path) -> None:
    app = short_lock_app(board_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("down", "x", "y")
            await pilot.pause()
            assert names_shown(app) == ["ACME"]
            await pilot.press("A")  # archived ones shown: Globex is one, before the file has it
            await pilot.pause()
            assert names_shown(app) == ["ACME", "Globex (archived)"]
            await held_and_waiting(app, pilot)
            assert in_file(board_path)["Globex"]["archived"] is False
        await wait_for_saves(app)
        await pilot.pause()
        assert in_file(board_path)["Globex"]["archived"] is True
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("down", "x", "y")  # restore it
            await pilot.pause()
            assert names_shown(app) == ["ACME", "Globex"]
            await held_and_waiting(app, pilot)
            assert in_file(board_path)["Globex"]["archived"] is True
        await wait_for_saves(app)
        assert in_file(board_path)["Globex"]["archived"] is False


async def test_a_refused_rename_comes_back_with_a_notice_and_what_was_typed(
    store: BoardStore, board_path: Path
) -> None:
    app = short_lock_app(board_path)
    go = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.saver.submit("slow", lambda _store: go.wait(DEADLOCK))  # an earlier save still running
        await pilot.press("down", "r", "ctrl+a", "ctrl+k", *"Initech", "enter")
        await pilot.pause()
        assert names_shown(app) == ["ACME", "Initech"]
        BoardStore(board_path, user="carla").add_account("Initech")  # a colleague took the name meanwhile
        go.set()
        await wait_for_saves(app)
        await pilot.pause()
        assert any("'Globex' not renamed" in n and "already exists" in n for n in notifications(app))
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)  # asked again, with the name typed
        assert prompt.query_one(Input).value == "Initech"
        await pilot.press("escape")
        await pilot.pause()
        assert names_shown(app) == ["ACME", "Globex", "Initech"]
    assert sorted(in_file(board_path)) == ["ACME", "Globex", "Initech"]


# ---- the commitments review -----------------------------------------------------------------


def review_setup(store: BoardStore) -> tuple[str, dict[str, str]]:
    old = store.add_workshop("ACME", "Workshop 2025", start="2025-03-10")
    new = store.add_workshop("ACME", "Workshop 2026", start="2026-03-16")
    cards = {
        title: store.add_card("ACME", "support", title, workshop_id=old["id"], status="agreed", owner="Bob")["id"]
        for title in ("Pilot", "Audit")
    }
    return new["id"], cards


def listed(app: KamboardApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]


async def test_review_decisions_show_at_once_while_the_file_is_held(store: BoardStore, board_path: Path) -> None:
    workshop_id, cards = review_setup(store)
    app = short_lock_app(board_path)
    reviewed: list[int | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(CommitmentsScreen(app.store, workshop_id, app.saver), reviewed.append)
        await pilot.pause()
        assert listed(app) == ["Pilot", "Audit"]
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("d")  # Pilot done
            await pilot.pause()
            assert listed(app) == ["Audit"]
            await pilot.press("x")  # Audit dropped
            await pilot.pause()
            assert listed(app) == []
            assert await wait_for(pilot, lambda: app.saver.waiting, timeout=DEADLOCK)
            reader = BoardStore(board_path, user="reader")
            assert [reader.card(c)["status"] for c in cards.values()] == ["agreed", "agreed"]
            await pilot.press("escape")  # closes at once too
            await pilot.pause()
            assert reviewed == [2]
        await wait_for_saves(app)
    reader = BoardStore(board_path, user="reader")
    assert reader.card(cards["Pilot"])["status"] == "done"
    assert reader.card(cards["Audit"])["status"] == "dropped"


async def test_a_refused_review_decision_comes_back_with_a_notice(store: BoardStore, board_path: Path) -> None:
    workshop_id, cards = review_setup(store)
    app = short_lock_app(board_path)
    go = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(CommitmentsScreen(app.store, workshop_id, app.saver))
        await pilot.pause()
        screen = app.screen
        app.saver.submit("slow", lambda _store: go.wait(DEADLOCK))
        await pilot.press("d")
        await pilot.pause()
        assert listed(app) == ["Audit"]
        BoardStore(board_path, user="carla").review_commitment(cards["Pilot"], workshop_id, "drop")
        go.set()
        await wait_for_saves(app)
        await pilot.pause()
        assert any(n.endswith("is not an open commitment from the previous workshop.") for n in notifications(app))
        assert listed(app) == ["Audit"] and isinstance(screen, CommitmentsScreen) and screen.reviewed == 0
    assert BoardStore(board_path, user="reader").card(cards["Pilot"])["status"] == "dropped"


async def test_the_app_says_the_board_changed_once_its_saves_are_made_not_after_a_refused_one(
    store: BoardStore, board_path: Path
) -> None:
    app = KamboardApp(store, today=TODAY)
    app.poll = lambda: None  # type: ignore[method-assign]  # the test polls
    heard: list[None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.board_changed.subscribe(app.screen, heard.append)
        app.saver.submit("one", lambda s: s.add_account("Globex"))
        app.saver.submit("two", lambda s: s.add_account("Initech"))
        await wait_for_saves(app)
        assert await wait_for(pilot, lambda: heard == [None])
        assert names_shown(app) == ["ACME", "Globex", "Initech"]  # the accounts screen heard it too

        def refused(_store: BoardStore) -> None:
            raise BoardError("refused")

        app.saver.submit("three", refused, failed=lambda _exc: None)
        await wait_for_saves(app)
        await pilot.pause()
        assert heard == [None]  # nothing was saved: nothing to tell
        KamboardApp.poll(app)
        await pilot.pause()
        assert not any("tester:" in n for n in notifications(app))  # our own saves are no news
        told = len(heard)
        BoardStore(board_path, user="bob", clock=fixed_clock).add_account("Umbrella")
        KamboardApp.poll(app)  # bob's is
        assert await wait_for(pilot, lambda: len(heard) == told + 1)
        assert any("bob:" in n for n in notifications(app))
        assert await wait_for(pilot, lambda: "Umbrella" in names_shown(app))
