"""The palette's language switch: saves the setting and asks for a restart on the same board."""

from __future__ import annotations

from typing import Any

import pytest
from board_helpers import TODAY, notifications, wait_for
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from kamboard import i18n
from kamboard.config import load_config, save_config
from kamboard.store import BoardStore
from kamboard.tui import app as app_module
from kamboard.tui import language
from kamboard.tui.app import KamboardApp
from kamboard.tui.language import Restart, language_command
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.board import BoardScreen


async def run_from_palette(pilot: Pilot[Any], words: str, expect: str) -> None:
    """Open the palette, type ``words`` and run the highlighted command (it must be ``expect``)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*words)

    def first() -> str:
        found = app.screen.query_one(CommandList)
        if not found.option_count or found.highlighted is None:
            return ""
        return str(found.get_option_at_index(found.highlighted).prompt).split("\n")[0]

    assert await wait_for(pilot, lambda: first() == expect), first()
    await pilot.press("enter")


async def test_the_palette_switches_to_german_on_the_same_board(store: BoardStore) -> None:
    save_config({"theme": "nord", "future": 1})
    acme = store.account("ACME")["id"]
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, BoardScreen)
        await run_from_palette(pilot, "language", "Language: Deutsch")
        assert await wait_for(pilot, lambda: app.restart is not None)
        assert await wait_for(pilot, lambda: app.return_code == 0, timeout=5)  # the app ended itself
    assert app.restart == Restart(store.path, acme, "de")
    assert load_config() == ({"theme": "nord", "future": 1, "language": "de"}, None)


async def test_from_the_accounts_it_restarts_on_the_accounts(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen))
        command = language_command(app)
        assert command.title == "Language: Deutsch"
        command.callback()
        await pilot.pause()
    assert app.restart == Restart(store.path, None, "de")
    assert load_config()[0]["language"] == "de"


async def test_over_a_board_it_restarts_on_that_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen))
        app.open_board("ACME")
        assert await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("question_mark")  # the key help over the board
        assert await wait_for(pilot, lambda: not isinstance(app.screen, BoardScreen))
        language_command(app).callback()
        await pilot.pause()
    assert app.restart == Restart(store.path, store.account("ACME")["id"], "de")


async def test_in_german_it_offers_english(store: BoardStore) -> None:
    save_config({"language": "de"})
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        i18n.set_language("de")  # as a start in German does (conftest sets English back)
        command = language_command(app)
        assert command.title == "Sprache: English"
        command.callback()
        await pilot.pause()
    assert app.restart == Restart(store.path, store.account("ACME")["id"], "en")
    assert load_config()[0]["language"] == "en"


async def test_a_setting_that_cannot_be_saved_is_said_and_the_app_stays(
    store: BoardStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(config: dict[str, Any]) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(language, "save_config", refuse)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        language_command(app).callback()
        await pilot.pause()
        assert app.restart is None
        assert app.is_running
        assert "Could not save the language: Permission denied" in notifications(app)


def test_run_restarts_kamboard_when_asked(store: BoardStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """``run`` hands the request to the command line's restart (which replaces the process)."""
    import kamboard.cli.base

    restarts: list[tuple[str, str | None, str]] = []

    def fake_app_run(self: KamboardApp, **options: Any) -> None:
        self.restart = Restart(store.path, "acc-1", "de")

    monkeypatch.setattr(KamboardApp, "run", fake_app_run)
    monkeypatch.setattr(kamboard.cli.base, "restart", lambda *request: restarts.append(request))
    assert app_module.run(store, headless=True) == 0
    assert restarts == [(store.path, "acc-1", "de")]


def test_run_without_a_request_does_not_restart(store: BoardStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import kamboard.cli.base

    restarts: list[Any] = []
    monkeypatch.setattr(KamboardApp, "run", lambda self, **options: None)
    monkeypatch.setattr(kamboard.cli.base, "restart", lambda *request: restarts.append(request))
    assert app_module.run(store, headless=True) == 0
    assert restarts == []
