"""The accounts screen, driven with keys like a user."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from board_helpers import TODAY, lane_lines, make_store, notifications, wait_for, wait_for_saves
from textual.widgets import DataTable, Input

from kamboard.config import config_path
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp, css_paths, styles_dir
from kamboard.tui.messages import OpenBoard, ShowAccounts
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.dialogs import ConfirmDialog, TextPrompt


def table_rows(app: KamboardApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_empty_board_shows_welcome(board_path: Path) -> None:
    app = KamboardApp(make_store(board_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        welcome = app.screen.query_one("#welcome")
        assert welcome.display
        assert not app.screen.query_one(DataTable).display
        shown = str(welcome.render())
        for word in ("Topics", "Challenges", "Support", "to add your first account"):
            assert word in shown


async def test_key_figures(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rows = table_rows(app)
        assert rows[0] == ["ACME", "Alice", "3", "2", "2", "2", "1", "-", "-", "due"]
        assert rows[1][:2] == ["Globex", "Gina"]


async def test_add_account_then_duplicate_is_refused(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Initech", "enter")
        assert isinstance(app.screen, TextPrompt)  # the owner prompt
        await pilot.press("ctrl+a", "ctrl+k", *"Ivan", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert table_rows(app)[2][:2] == ["Initech", "Ivan"]
        await wait_for_saves(app)  # shown at once, written in the background
        assert store.account("initech")["owner"] == "Ivan"
        # the new row is selected
        assert app.screen.selected_id() == store.account("Initech")["id"]
        await pilot.press("a", *"acme", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        error = app.screen.query_one("#prompt-error")
        assert "already exists" in str(error.render())
        await pilot.press("escape")
        assert len(store.accounts()) == 3


async def test_rename_and_archive(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "r")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+a", "ctrl+k", *"Globex Corp", "enter")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME", "Globex Corp"]
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert len(table_rows(app)) == 2
        await pilot.press("x", "y")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME"]
        await wait_for_saves(app)
        assert store.account("Globex Corp")["archived"] is True


async def test_filter_by_typing(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"gin")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["Globex"]  # matches the owner, Gina
        await pilot.press("enter")
        assert isinstance(app.focused, DataTable)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.account_id == store.account("Globex")["id"]
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME", "Globex"]
        assert not app.screen.query_one("#account-filter", Input).display


async def test_enter_opens_the_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.account_id == store.account("ACME")["id"]
        await pilot.press("escape")
        assert isinstance(app.screen, AccountsScreen)


async def test_markup_names_show_literally(board_path: Path) -> None:
    s = make_store(board_path)
    s.add_account("[bold red]x[/]", "[link=http://e]me[/]")
    app = KamboardApp(s, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert table_rows(app)[0][:2] == ["[bold red]x[/]", "[link=http://e]me[/]"]
        await pilot.press("enter")
        await pilot.pause()
        title = str(app.screen.query_one("#title-bar").render())
        assert "[bold red]x[/]" in title


async def test_readonly_file_explains(store: BoardStore, board_path: Path) -> None:
    ro = BoardStore(board_path, readonly=True)
    app = KamboardApp(ro, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#readonly-banner")
        assert banner.display and "read-only" in str(banner.render()).lower()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert any("read-only" in n for n in notifications(app))


async def test_theme_is_remembered(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(config_path().read_text())["theme"] == "nord"
    again = KamboardApp(store, today=TODAY)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_broken_config_warns(store: BoardStore) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text("{not json")
    app = KamboardApp(store, today=TODAY)
    async with app.run_test() as pilot:
        assert await wait_for(pilot, lambda: any("not valid JSON" in n for n in notifications(app)))
        assert isinstance(app.screen, AccountsScreen)


def test_styles_found_in_checkout_and_use_theme_variables_only() -> None:
    paths = css_paths()
    assert [p.name for p in paths] == ["app.tcss", "board.tcss"]  # the others load with their screens
    assert styles_dir().is_dir()
    mine = [styles_dir() / name for name in ("app.tcss", "accounts.tcss", "board.tcss")]
    for path in mine:
        for line in path.read_text().splitlines():
            if ":" in line and "#" in line.split(":", 1)[1]:
                raise AssertionError(f"{path.name}: hex colour in {line.strip()!r}")
    assert os.path.basename(str(paths[0].parent)) == "styles"


async def test_every_theme_renders(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            lane = app.screen.lanes["topic"]
            drawn = [line.strip() for line in lane_lines(lane) if line.strip()]
            assert drawn == ["Growth in Asia", "New CEO", "Supply chain"], theme
            # the selected card stands out from the lane in the theme's colours
            cursor, gap = lane.render_line(0), lane.render_line(2)
            assert {s.style and s.style.bgcolor for s in cursor} != {s.style and s.style.bgcolor for s in gap}, theme


async def test_narrow_terminal_shares_one_column_for_the_lane_counts(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert table_rows(app)[0] == ["ACME", "Alice", "3/2/2", "2", "1", "-", "due"]
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert table_rows(app)[0] == ["ACME", "Alice", "3", "2", "2", "2", "1", "-", "-", "due"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Account name must not be empty."),
        ("x" * 201, "Account name is 201 characters long; at most 200 are allowed."),
        ("globex", "An account named 'Globex' already exists."),
    ],
)
async def test_account_name_messages(store: BoardStore, typed: str, message: str) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # refused: stays open
        assert str(prompt.query_one("#prompt-error").render()) == message
        await pilot.press("escape")
        assert len(store.accounts()) == 2


async def test_archived_accounts_can_be_shown_and_restored(store: BoardStore) -> None:
    store.archive_account("Globex")
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME"]
        await pilot.press("A")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME", "Globex (archived)"]
        await pilot.press("down", "x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_for_saves(app)
        assert store.account("Globex")["archived"] is False
        await pilot.press("A")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["ACME", "Globex"]


async def test_figures_are_fresh_after_coming_back_from_a_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "n", *"One more", "enter", "escape", "escape")
        await wait_for_saves(app)
        assert isinstance(app.screen, AccountsScreen)
        assert table_rows(app)[0][2] == "4/2/2"  # topics: 3 + 1


async def test_j_and_k_move_in_the_accounts_table_as_on_the_board(store: BoardStore) -> None:

    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0


async def test_a_theme_change_redraws_the_accounts_screen_once(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        reloads: list[str] = []
        reload = screen.reload
        screen.reload = lambda: (reloads.append(app.theme), reload())  # type: ignore[method-assign]
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert reloads == ["textual-light"]  # was twice: the theme signal and the app's own reload


async def test_screens_ask_the_app_for_a_board_and_back_by_messages(store: BoardStore) -> None:
    acme = store.account("ACME")["id"]
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        board.post_message(ShowAccounts())  # the start board is replaced (Textual issue #2650 worked around)
        assert await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen))
        app.screen.post_message(OpenBoard(acme))
        assert await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        again = app.screen
        assert isinstance(again, BoardScreen) and again is not board
        assert again.edits.history is board.edits.history  # the app passes the account's one history down
        app.screen.post_message(ShowAccounts())
        assert await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen))
        assert len(app.screen_stack) == 1
