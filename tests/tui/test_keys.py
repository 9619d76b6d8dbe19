"""Keys as the user meets them: what the footer offers and fits, q backs out of every screen,
palette titles say what they act on, the key help groups them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from board_helpers import TODAY, make_store

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen


def footer_keys(app: KamboardApp) -> dict[str, str]:
    """What the footer offers now: description -> the key it shows (the first), enabled ones only."""
    shown: dict[str, str] = {}
    for key, active in app.screen.active_bindings.items():
        if active.binding.show and active.enabled:
            shown.setdefault(active.binding.description, key)
    return shown


async def test_accounts_footer_offers_enter_to_open_a_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert footer_keys(app).get("Open board") == "enter"
        await pilot.press("enter")
        assert isinstance(app.screen, BoardScreen)


async def test_accounts_footer_greys_open_board_without_accounts(tmp_path: Path) -> None:
    app = KamboardApp(make_store(tmp_path / "empty.json"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Open board" not in footer_keys(app)
        await pilot.press("enter")
        assert not isinstance(app.screen, BoardScreen)


async def test_q_goes_back_from_every_screen_and_quits_on_the_accounts(store: BoardStore) -> None:
    from kamboard.tui.screens.accounts import AccountsScreen
    from kamboard.tui.screens.action_plan import ActionPlanScreen
    from kamboard.tui.screens.gaps import GapsScreen
    from kamboard.tui.screens.help import KeysHelp

    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, BoardScreen)
        assert footer_keys(app).get("Back") == "q"
        for key, opened in (("g", GapsScreen), ("question_mark", KeysHelp)):
            await pilot.press(key)
            assert isinstance(app.screen, opened)
            await pilot.press("q")
            assert isinstance(app.screen, BoardScreen), key
        await pilot.press("z", "q")  # q leaves focus mode first, like Esc
        assert isinstance(app.screen, BoardScreen)
        assert not app.screen.query_one("#lanes").has_class("-focus-mode")
        await pilot.press("n", "q")  # typed into the quick-add field, not a key
        assert isinstance(app.screen, BoardScreen)
        assert app.focused is not None and getattr(app.focused, "value", "") == "q"
        await pilot.press("escape")  # Esc asks before dropping the typed 'q'
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y", "q")  # discard it, then back to the accounts
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("p")
        assert isinstance(app.screen, ActionPlanScreen)
        await pilot.press("q")
        assert isinstance(app.screen, AccountsScreen)
        assert footer_keys(app).get("Quit") == "q"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


def footer_fits(app: KamboardApp, *descriptions: str) -> bool:
    """Each named footer key is drawn whole, left of the palette key at the right."""
    # Textual does not export its footer's key widget: find the keys by their CSS type name
    keys: list[Any] = list(app.screen.query("FooterKey"))
    palette = next(k for k in keys if k.has_class("-command-palette"))
    right = palette.region.x
    found = {k.description: k.region for k in keys if k.description in descriptions}
    return set(found) == set(descriptions) and all(r.width and r.right <= right for r in found.values())


async def test_accounts_footer_fits_keys_and_quit_at_80_columns(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert footer_fits(app, "Open board", "Add", "Keys", "Quit")
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert footer_fits(app, "Open board", "Add", "Rename", "Action plan", "Filter", "Keys", "Quit")


async def test_palette_names_say_what_they_act_on_and_appear_once(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Add account", "Rename account", "Filter accounts", "Key help"} <= set(titles)
        assert len(titles) == len(set(titles))  # one Quit, not Textual's and ours
        assert not {"Add", "Focus Next", "Copy selected text"} & set(titles)
        await pilot.press("enter")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Add cards (quick-add)", "Edit card", "Delete card", "Filter cards", "Back to the accounts"} <= set(
            titles
        )
        assert len(titles) == len(set(titles))
        assert not {"Add", "Edit", "Back", "Focus Next"} & set(titles)


async def test_key_help_groups_the_accounts_keys_under_accounts(store: BoardStore) -> None:
    from kamboard.tui.screens.help import KeysHelp

    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysHelp)
        groups = {name: [desc for _, desc in rows] for name, rows in app.screen._groups.items()}
        assert {"Add", "Filter", "Keys", "Quit", "Open board"} <= set(groups["Accounts"])
        assert "Cards" not in groups and "View" not in groups
        await pilot.press("escape", "enter", "question_mark")
        groups = {name: [desc for _, desc in rows] for name, rows in app.screen._groups.items()}
        assert "Add" in groups["Cards"] and "Filter" in groups["View"] and "Vote" in groups["Voting"]
        assert "Keys" not in groups  # Textual's tab and copy keys sit under 'Other'


async def test_footer_offers_no_keys_that_an_open_input_types(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        assert "Filter" not in footer_keys(app)  # accounts filter open: '/' types a slash
        await pilot.press("escape", "enter", "n")
        assert "Filter" not in footer_keys(app)  # quick-add open
        await pilot.press(*"a/b")
        assert app.focused is not None and getattr(app.focused, "value", "") == "a/b"
        await pilot.press("escape", "y")  # asked before dropping 'a/b': discard
        assert footer_keys(app).get("Filter") == "slash"
