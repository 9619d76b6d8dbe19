"""The action plan screen, driven with keys in a small harness App: statuses, filters, scope, the
cursor on an action, Enter editing an action (conflicts as on the board), undo and redo."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from board_helpers import make_store, notifications
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import DataTable, Input, Label

from kamboard.demo import build_demo
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp, styles_dir
from kamboard.tui.screens.action_plan import ActionPlanScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConflictDialog

TODAY = dt.date(2026, 3, 16)
HOSTILE = "[red]x[/] | Müller 🎉"


class Harness(App[None]):
    CSS_PATH = [styles_dir() / "app.tcss", styles_dir() / "action_plan.tcss"]  # noqa: RUF012

    def __init__(self, store: BoardStore, account_id: str | None) -> None:
        super().__init__()
        self.store = store
        self.account_id = account_id
        self.closed: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("background")

    def on_mount(self) -> None:
        self.push_screen(ActionPlanScreen(self.store, self.account_id, TODAY), self.closed.append)


def build(path: Path) -> tuple[BoardStore, dict[str, Any]]:
    s = make_store(path)
    acme = s.add_account("ACME", "Alice")
    s.add_card(acme["id"], "topic", "Not an action")
    s.add_card(acme["id"], "support", "Late pilot", owner="Bob", side="us", due="2026-03-01", status="agreed")
    s.add_card(acme["id"], "support", HOSTILE, owner="Carla", side="customer", due="2026-05-01", status="proposed")
    s.add_card(acme["id"], "support", "Early bird", owner="Bob", side="us", due="2026-02-01", status="agreed")
    s.add_card(acme["id"], "support", "Unsorted idea")
    s.add_card(acme["id"], "support", "Finished", owner="Bob", side="us", due="2026-01-01", status="done")
    globex = s.add_account("Globex", "Gina")
    s.add_card(
        globex["id"], "support", "Globex action", owner="Gina", side="us", due="2026-04-01", status="in_progress"
    )
    return s, {"acme": acme, "globex": globex}


def rows(app: Harness) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def titles(app: Harness) -> list[str]:
    return [row[0] for row in rows(app)]


async def move_to(app: Harness, pilot: Any, title: str) -> None:
    index = titles(app).index(title)
    app.screen.query_one(DataTable).move_cursor(row=index, animate=False)
    await pilot.pause()


def acme_plan(tmp_path: Path) -> tuple[BoardStore, dict[str, Any], Harness]:
    """The test board, and an app showing ACME's action plan."""
    store, acc = build(tmp_path / "b.json")
    return store, acc, Harness(store, acc["acme"]["id"])


async def test_grouped_by_status_with_overdue_in_error_colour(tmp_path: Path) -> None:
    *_, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert titles(app) == [
            "No status (1)",
            "Unsorted idea",
            "Proposed (1)",
            HOSTILE,
            "Agreed (2)",
            "Early bird",
            "Late pilot",
            "Done (1)",
            "Finished",
        ]
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Action", "Owner", "Side", "Due"]
        late = table.get_row_at(titles(app).index("Late pilot"))
        assert [str(c) for c in late[1:]] == ["Bob", "us", "! 2026-03-01"]
        error = Color.parse(app.theme_variables["error"]).rich_color
        due_cell = late[3]
        assert isinstance(due_cell, Text) and due_cell.style.color == error
        soon = table.get_row_at(titles(app).index(HOSTILE))[3]
        assert str(soon) == "2026-05-01" and not soon.style
        assert "Finished" in titles(app)  # done is not overdue
        assert str(table.get_row_at(titles(app).index("Finished"))[3]) == "2026-01-01"
        assert "2 overdue" in str(app.screen.query_one("#plan-title").render())


async def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    *_, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        lines = ["".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)]
        assert any(HOSTILE in line for line in lines), lines
        assert HOSTILE in titles(app)
        assert app.screen.query_one(DataTable).get_row_at(titles(app).index(HOSTILE))[0].plain == HOSTILE


async def test_change_status_from_the_keyboard(tmp_path: Path) -> None:
    store, acc, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await move_to(app, pilot, "Late pilot")
        card_id = app.screen.selected_id()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert store.card(card_id)["status"] == "in_progress"
        assert app.screen.selected_id() == card_id  # the cursor follows the card to its new group
        assert titles(app).index("In progress (1)") == titles(app).index("Late pilot") - 1
        await pilot.press("4")
        await pilot.pause()
        assert store.card(card_id)["status"] == "done"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert store.card(card_id)["status"] == "agreed"
        await pilot.press("5")
        await pilot.pause()
        assert store.card(card_id)["status"] == "dropped"
        assert "Dropped (1)" in titles(app)
        # a group header is not an action: nothing changes
        await move_to(app, pilot, "Agreed (1)")
        before = store.cards(acc["acme"]["id"])
        await pilot.press("1")
        await pilot.pause()
        assert store.cards(acc["acme"]["id"]) == before
        assert "Select a support action first." in notifications(app)
        # another process sees the change: it was written to the file
        assert BoardStore(tmp_path / "b.json", "other").card(card_id)["status"] == "dropped"


async def test_filters_by_side_and_owner(tmp_path: Path) -> None:
    *_, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert [t for t in titles(app) if "(" not in t] == ["Early bird", "Late pilot", "Finished"]
        await pilot.press("s")
        await pilot.pause()
        assert [t for t in titles(app) if "(" not in t] == [HOSTILE]
        await pilot.press("s")
        await pilot.pause()
        assert len([t for t in titles(app) if "(" not in t]) == 5
        await pilot.press("o")
        assert app.screen.query_one("#plan-owner", Input).has_focus
        await pilot.press(*"carla")
        await pilot.pause()
        assert [t for t in titles(app) if "(" not in t] == [HOSTILE]
        await pilot.press("enter")
        assert app.screen.query_one(DataTable).has_focus
        await pilot.press(*"zzz")  # typing in the table does not filter
        await pilot.press("escape")  # clears the owner filter first
        await pilot.pause()
        assert len([t for t in titles(app) if "(" not in t]) == 5
        assert app.closed == []
        await pilot.press("o", *"nobody", "enter")
        await pilot.pause()
        assert not app.screen.query_one(DataTable).display
        assert app.screen.query_one("#plan-empty").display


async def test_all_accounts_scope_and_close(tmp_path: Path) -> None:
    store, acc = build(tmp_path / "b.json")
    store.add_card(store.add_account("Archived Co")["id"], "support", "Hidden", status="agreed")
    store.archive_account("Archived Co")
    app = Harness(store, acc["acme"]["id"])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "Globex action" not in titles(app)
        await pilot.press("a")
        await pilot.pause()
        assert "Globex action" in titles(app) and "Hidden" not in titles(app)
        row = app.screen.query_one(DataTable).get_row_at(titles(app).index("Globex action"))
        assert [str(c) for c in row[0:3]] == ["Globex action", "Globex", "Gina"]
        await pilot.press("a")
        await pilot.pause()
        assert "Globex action" not in titles(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed == [None]
        assert not isinstance(app.screen, ActionPlanScreen)


async def test_all_accounts_from_the_start_and_read_only(tmp_path: Path) -> None:
    build(tmp_path / "b.json")
    os.chmod(tmp_path / "b.json", 0o444)
    readonly = BoardStore(tmp_path / "b.json", "viewer")
    assert readonly.readonly
    app = Harness(readonly, None)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "Globex action" in titles(app) and "Late pilot" in titles(app)
        await move_to(app, pilot, "Late pilot")
        await pilot.press("4")
        await pilot.pause()
        assert readonly.card(app.screen.selected_id())["status"] == "agreed"
        assert any("read-only" in n for n in notifications(app))
        await pilot.press("a")
        await pilot.pause()
        assert "Globex action" in titles(app)  # no single account to switch to


async def test_reload_shows_other_changes(tmp_path: Path) -> None:
    store, acc, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        other = BoardStore(tmp_path / "b.json", "other")
        other.add_card(acc["acme"]["id"], "support", "Added elsewhere", status="agreed", due="2026-04-01")
        store.refresh()
        app.screen.reload()
        await pilot.pause()
        assert "Added elsewhere" in titles(app) and "Agreed (3)" in titles(app)


def selected_title(app: Harness) -> str:
    card_id = app.screen.selected_id()
    return "" if card_id is None else str(app.screen.query_one(DataTable).get_row(card_id)[0])


def title_bar(app: Harness) -> str:
    return str(app.screen.query_one("#plan-title").render())


async def type_into(pilot: Any, selector: str, text: str) -> None:
    """Focus an editor field, clear it and type ``text`` key by key."""
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.press("end", "ctrl+u", *text)


async def test_starts_on_an_action_not_a_group_heading(tmp_path: Path) -> None:
    *_, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert titles(app)[0] == "No status (1)"
        assert selected_title(app) == "Unsorted idea"
        await pilot.press("s")  # ours only: the selected action is gone, the cursor goes to the first one shown
        await pilot.pause()
        assert titles(app)[0] == "Agreed (2)" and selected_title(app) == "Early bird"
        await pilot.press("down", "4")  # the selection follows the action into its new group
        await pilot.pause()
        assert selected_title(app) == "Late pilot" and titles(app).index("Done (2)") < titles(app).index("Late pilot")


async def test_with_one_account_shown_the_title_takes_the_account_column(tmp_path: Path) -> None:
    store, acc = build(tmp_path / "b.json")
    long_title = "Quarterly review of the spare parts stock with the plant managers"  # 65 characters
    store.add_card(acc["acme"]["id"], "support", long_title, owner="Bob", status="agreed")
    app = Harness(store, None)  # all accounts, as the accounts screen's p opens it
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Action", "Account", "Owner", "Side", "Due"]
        cut = next(t for t in titles(app) if t.startswith("Quarterly"))
        assert cut.endswith("…") and str(table.get_row_at(titles(app).index(cut))[1]) == "ACME"
        await pilot.press("o", *"bob", "enter")  # Bob's actions: all of ACME
        await pilot.pause()
        assert [str(c.label) for c in table.columns.values()] == ["Action", "Owner", "Side", "Due"]
        assert long_title in titles(app)  # whole: the Account column's width went to the title
        assert "all accounts · ACME only" in title_bar(app)
        await pilot.press("escape")  # the filter cleared: both accounts again
        await pilot.pause()
        assert "Account" in [str(c.label) for c in table.columns.values()] and " only" not in title_bar(app)


async def test_enter_edits_the_action_and_u_undoes_the_edit(tmp_path: Path) -> None:
    store, _, app = acme_plan(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await move_to(app, pilot, "Late pilot")
        card_id = app.screen.selected_id()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        await type_into(pilot, "#input-owner", "Dana")
        await type_into(pilot, "#input-due", "2026-04-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)
        row = app.screen.query_one(DataTable).get_row(card_id)
        assert [str(c) for c in row] == ["Late pilot", "Dana", "us", "2026-04-30"]  # no longer overdue
        assert (store.card(card_id)["owner"], store.card(card_id)["due"]) == ("Dana", "2026-04-30")
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == "Undone: editing 'Late pilot'"
        assert (store.card(card_id)["owner"], store.card(card_id)["due"]) == ("Bob", "2026-03-01")
        assert [str(c) for c in app.screen.query_one(DataTable).get_row(card_id)][1:] == ["Bob", "us", "! 2026-03-01"]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store.card(card_id)["owner"] == "Dana"
        await pilot.press("e", "escape")  # e opens it too; nothing changed: it closes
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)


async def test_an_edit_that_meets_a_colleagues_change_asks_as_on_the_board(tmp_path: Path) -> None:
    store, _, app = acme_plan(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await move_to(app, pilot, "Late pilot")
        card_id = app.screen.selected_id()
        await pilot.press("enter")
        await pilot.pause()
        BoardStore(tmp_path / "b.json", "carol").update_card(card_id, {"owner": "Carol"})
        await type_into(pilot, "#input-owner", "Dana")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("m")  # keep mine
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)
        assert store.card(card_id)["owner"] == "Dana"
        assert str(app.screen.query_one(DataTable).get_row(card_id)[1]) == "Dana"


async def test_status_changes_are_undone_and_a_refused_undo_says_who_changed_what(tmp_path: Path) -> None:
    store, _, app = acme_plan(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await move_to(app, pilot, "Late pilot")
        card_id = app.screen.selected_id()
        await pilot.press("4", "right_square_bracket")  # done, then dropped
        await pilot.pause()
        assert store.card(card_id)["status"] == "dropped"
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == "Undone: setting 'Late pilot' to dropped"
        assert store.card(card_id)["status"] == "done" and "Done (2)" in titles(app)
        await pilot.press("u")
        await pilot.pause()
        assert store.card(card_id)["status"] == "agreed" and selected_title(app) == "Late pilot"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store.card(card_id)["status"] == "done"
        BoardStore(tmp_path / "b.json", "carol").update_card(card_id, {"status": "in_progress"})
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == (
            "Could not undo: 'Late pilot' was changed meanwhile by carol: status. Dropped from the undo list."
        )
        assert store.card(card_id)["status"] == "in_progress" and "In progress (1)" in titles(app)
        await pilot.press("u")  # the refused step left the list: nothing more to undo
        await pilot.pause()
        assert notifications(app)[-1] == "Nothing to undo."


def test_snapshot_of_the_demo_plan(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All accounts from the accounts screen's p: groups, the Account column, overdue dates, the
    cursor on the first action."""
    monkeypatch.chdir(tmp_path)
    store = make_store(Path("board.json"))
    build_demo(store, today=TODAY)

    async def open_plan(pilot: Any) -> None:
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(KamboardApp(store, today=TODAY), terminal_size=(100, 30), run_before=open_plan)


async def test_the_editor_suggests_owners_and_reads_dates_as_on_the_board(tmp_path: Path) -> None:
    store, acc = build(tmp_path / "b.json")
    people = [{"name": "Eva Schmidt", "side": "customer", "role": "CFO"}]
    store.add_workshop(acc["acme"]["id"], "Spring workshop", start="2026-03-16T09:00", participants=people)
    app = Harness(store, acc["acme"]["id"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await move_to(app, pilot, "Late pilot")
        card_id = app.screen.selected_id()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardEditor)
        assert editor.owners == ["Eva Schmidt", "Bob", "Carla"]  # the participants first, then the owners
        await type_into(pilot, "#input-owner", "ev")
        await app.workers.wait_for_complete()
        await pilot.press("right")  # takes the suggestion
        await type_into(pilot, "#input-due", "+14")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)
    saved = store.card(card_id)
    assert (saved["owner"], saved["due"]) == ("Eva Schmidt", "2026-03-30")  # 14 days after the plan's today
