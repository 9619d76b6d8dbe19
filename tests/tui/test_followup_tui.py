"""Follow-up in the app: account health on the accounts screen, the action plan from a key and the palette."""

from __future__ import annotations

from inspect import isclass
from pathlib import Path
from typing import Any

from board_helpers import TODAY, make_store, notifications, wait_for, wait_for_saves
from rich.text import Text
from textual.app import App
from textual.color import Color
from textual.command import CommandList, CommandPalette, DiscoveryHit, Provider
from textual.pilot import Pilot
from textual.widgets import DataTable

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.action_plan import ActionPlanScreen
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.help import KeysHelp


async def run_command(pilot: Pilot[Any], words: str, expect: str) -> None:
    """Open the command palette, type ``words``, run the highlighted command (which must be ``expect``)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*words)

    def first() -> str:
        found = app.screen.query_one(CommandList)
        if not found.option_count or found.highlighted is None:
            return ""
        return str(found.get_option_at_index(found.highlighted).prompt).split("\n")[0]

    assert await wait_for(pilot, lambda: first().startswith(expect)), first()
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
    await pilot.pause()


async def palette_entries(app: App[Any]) -> dict[str, DiscoveryHit]:
    """What the palette lists on the current screen with nothing typed, by title: the app's
    providers (Textual's system commands and every key) and the screen's own (its COMMANDS)."""
    screen = app.screen
    found: dict[str, DiscoveryHit] = {}
    for source in (*app.COMMANDS, *screen.COMMANDS):
        provider = source if isclass(source) and issubclass(source, Provider) else source()
        async for hit in provider(screen).discover():
            assert isinstance(hit, DiscoveryHit)
            found[hit.text or ""] = hit
    return found


def rows(app: KamboardApp) -> dict[str, list[Text]]:
    table = app.screen.query_one(DataTable)
    out = {}
    for i in range(table.row_count):
        cells = table.get_row_at(i)
        out[str(cells[0])] = cells
    return out


def plain(cells: list[Text]) -> list[str]:
    return [str(c) for c in cells]


def colour_of(app: KamboardApp, variable: str) -> object:
    return Color.parse(app.theme_variables[variable]).rich_color


def health_store(path: Path) -> BoardStore:
    """Four accounts: a recent workshop with an overdue action, a stale one, none, and a planned one."""
    s = make_store(path)
    fresh = s.add_account("Fresh", "Ann")
    s.add_workshop(fresh["id"], "Workshop 2026", start="2026-01-10")
    s.add_card(fresh["id"], "support", "Late one", due="2026-03-01", status="agreed")
    s.add_card(fresh["id"], "support", "Late two", due="2026-03-15")
    s.add_card(fresh["id"], "support", "Late but done", due="2026-01-01", status="done")
    s.add_card(fresh["id"], "support", "Not yet", due="2026-03-16", status="in_progress")
    stale = s.add_account("Stale", "Ben")
    s.add_workshop(stale["id"], "Workshop 2025", start="2025-04-15")  # 11 months and a day before TODAY
    never = s.add_account("Never", "Cy")
    s.add_card(never["id"], "support", "Dropped late", due="2026-01-01", status="dropped")
    planned = s.add_account("Planned", "Di")
    s.add_workshop(planned["id"], "Workshop 2024", start="2024-11-02")
    s.add_workshop(planned["id"], "Workshop 2026", start="2026-04-20")
    edge = s.add_account("Edge", "Ed")
    s.add_workshop(edge["id"], "Workshop 2025", start="2025-04-16")  # exactly 11 months: not yet due
    return s


async def test_health_columns_at_80x24(board_path: Path) -> None:
    app = KamboardApp(health_store(board_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [c.label.plain for c in table.columns.values()] == [
            "Account",
            "Owner",
            "T/C/S",
            "Open",
            "Overdue",
            "Last",
            "Next",
        ]
        found = rows(app)
        # account, owner, T/C/S, open, overdue, days since the last workshop, next workshop
        assert plain(found["Fresh"]) == ["Fresh", "Ann", "0/0/4", "3", "2", "65d", "by 2026-12"]
        assert plain(found["Stale"]) == ["Stale", "Ben", "0/0/0", "0", "0", "335d", "due"]
        assert plain(found["Never"]) == ["Never", "Cy", "0/0/1", "0", "0", "-", "due"]
        assert plain(found["Planned"]) == ["Planned", "Di", "0/0/0", "0", "0", "499d", "2026-04-20"]
        assert plain(found["Edge"]) == ["Edge", "Ed", "0/0/0", "0", "0", "334d", "by 2026-03"]
        # overdue in the error colour, a due workshop in the warning colour, the rest plain
        assert found["Fresh"][4].style.color == colour_of(app, "error")
        assert not found["Stale"][4].style
        assert found["Stale"][6].style.color == colour_of(app, "warning")
        assert found["Never"][6].style.color == colour_of(app, "warning")
        assert found["Planned"][6].style == ""
        # everything fits: no sideways scrolling
        assert table.max_scroll_x == 0


async def test_health_columns_wide_and_after_a_theme_change(board_path: Path) -> None:
    app = KamboardApp(health_store(board_path), today=TODAY)
    async with app.run_test(size=(130, 30)) as pilot:
        await pilot.pause()
        found = rows(app)
        assert plain(found["Fresh"])[5:] == ["3", "2", "2026-01-10", "65d", "by 2026-12"]
        assert plain(found["Never"])[5:] == ["0", "0", "-", "-", "due"]
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        found = rows(app)
        assert found["Stale"][9].style.color == colour_of(app, "warning")
        assert found["Fresh"][6].style.color == colour_of(app, "error")


async def test_action_plan_from_the_accounts_screen(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert plain(rows(app)["ACME"])[3:5] == ["2", "1"]  # open, overdue
        await pilot.press("p")
        plan = app.screen
        assert isinstance(plan, ActionPlanScreen)
        assert plan.show_all and "all accounts" in str(plan.query_one("#plan-title").render())
        await pilot.press("a")  # narrows to the highlighted account
        assert not plan.show_all and plan.account_id == store.account("ACME")["id"]
        table = plan.query_one(DataTable)
        row = table.get_row_index(store.cards(lane="support")[0]["id"])  # Joint pilot, overdue
        table.move_cursor(row=row)
        await pilot.press("4")  # done
        await wait_for_saves(app)
        assert store.card(store.cards(lane="support")[0]["id"])["status"] == "done"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert plain(rows(app)["ACME"])[3:5] == ["1", "0"]  # figures follow the change


async def test_action_plan_from_the_palette_changes_show_on_the_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        board = app.screen
        assert isinstance(board, BoardScreen)
        support = board.lanes["support"]
        pilot_card = next(c for c in support.cards if c["title"] == "Joint pilot")
        assert pilot_card["status"] == "agreed"
        await run_command(pilot, "action plan this", "Action plan: this account")
        plan = app.screen
        assert isinstance(plan, ActionPlanScreen)
        assert plan.account_id == board.account_id and not plan.show_all
        table = plan.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(pilot_card["id"]))
        await pilot.press("right_square_bracket")  # agreed -> in progress
        await wait_for_saves(app)
        assert store.card(pilot_card["id"])["status"] == "in_progress"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is board)
        shown = next(c for c in board.lanes["support"].cards if c["id"] == pilot_card["id"])
        assert shown["status"] == "in_progress"
        # and the whole plan, from the same board
        await run_command(pilot, "action plan all", "Action plan: all accounts")
        assert isinstance(app.screen, ActionPlanScreen) and app.screen.show_all
        await pilot.press("a")  # back to this account
        assert not app.screen.show_all and app.screen.account_id == board.account_id


async def test_palette_offers_the_plan_only_where_it_makes_sense(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        names = list(await palette_entries(app))
        assert "Action plan" in names  # the accounts screen's own key, p
        assert not any(n.startswith("Action plan:") for n in names)
        await pilot.press("enter")
        names = list(await palette_entries(app))
        assert {"Action plan: this account", "Action plan: all accounts"} <= set(names)
        await pilot.press("p")  # on the accounts screen only
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_question_mark_lists_the_plan_keys(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysHelp)
        described = [str(label.render()) for label in app.screen.query(".help-desc")]
        assert {"Status →", "Done", "Owner", "All/one", "Close"} <= set(described)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)


async def test_each_screen_offers_its_own_palette_entries(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        accounts = await palette_entries(app)  # the highlighted account's exports; p opens the plan
        assert {"Export minutes for the team (Markdown)", "Save board screenshot (SVG)"} <= set(accounts)
        assert not any(t.startswith("Action plan:") for t in accounts)
        await pilot.press("enter", "g")  # the gaps of the board: about no account to export
        await pilot.pause()
        gaps = await palette_entries(app)
        assert {"Action plan: all accounts", "Save board screenshot (SVG)"} <= set(gaps)
        assert "Action plan: this account" not in gaps and "Export minutes for the team (Markdown)" not in gaps
        await pilot.press("escape")
        await run_command(pilot, "action plan this", "Action plan: this account")
        plan = await palette_entries(app)  # a one-account plan exports that account
        assert {"Export support actions (CSV)", "Save board screenshot (SVG)"} <= set(plan)
        assert not any(t.startswith("Action plan:") for t in plan)
        await pilot.press("a")  # all accounts: none to export
        await pilot.pause()
        assert "Export support actions (CSV)" not in await palette_entries(app)


async def test_plan_changes_are_in_the_boards_undo(store: BoardStore) -> None:
    """Enter edits the action, 1-5 set its status; both are saved in the background and are
    steps of the board's undo history: u on the board undoes them once the plan is closed."""
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        board = app.screen
        assert isinstance(board, BoardScreen)
        await run_command(pilot, "action plan this", "Action plan: this account")
        plan = app.screen
        assert isinstance(plan, ActionPlanScreen)
        joint = next(c for c in store.cards(lane="support") if c["title"] == "Joint pilot")
        assert plan.selected_id() == store.cards(lane="support")[1]["id"]  # Training: the first action shown
        plan.query_one(DataTable).move_cursor(row=plan.query_one(DataTable).get_row_index(joint["id"]))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CardEditor))
        app.screen.query_one("#input-owner").focus()
        await pilot.press("end", "ctrl+u", *"Dana", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is plan)
        await pilot.press("4")  # done
        await wait_for_saves(app)
        assert (store.card(joint["id"])["owner"], store.card(joint["id"])["status"]) == ("Dana", "done")
        shown = next(c for c in board.lanes["support"].cards if c["id"] == joint["id"])
        assert (shown["owner"], shown["status"]) == ("Dana", "done")  # the board behind has them
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is board)
        await pilot.press("u")  # the status, at once on the board
        shown = next(c for c in board.lanes["support"].cards if c["id"] == joint["id"])
        assert shown["status"] == "agreed"
        await wait_for_saves(app)
        assert "Undone: setting 'Joint pilot' to done" in notifications(app)
        await pilot.press("u")  # the edit
        await wait_for_saves(app)
        assert store.card(joint["id"])["owner"] == "Bob" and store.card(joint["id"])["status"] == "agreed"


async def test_the_all_accounts_plan_undoes_into_the_actions_board(store: BoardStore) -> None:
    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("p")  # all accounts, from the accounts screen
        plan = app.screen
        assert isinstance(plan, ActionPlanScreen) and plan.show_all
        await pilot.press("u")
        assert notifications(app)[-1] == "Nothing to undo in the action plan yet."
        card_id = plan.selected_id()
        assert card_id is not None
        await pilot.press("5")  # dropped
        await wait_for_saves(app)
        assert store.card(card_id)["status"] == "dropped"
        await pilot.press("escape", "enter")  # ACME's board
        assert await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("u")
        await wait_for_saves(app)
        assert store.card(card_id)["status"] != "dropped"
        assert notifications(app)[-1].startswith("Undone: setting ")
