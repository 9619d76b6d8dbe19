"""The board screen, driven with keys (and the mouse) like a user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from board_helpers import (
    TODAY,
    clear_notifications,
    lane_lines,
    lane_titles,
    make_store,
    notifications,
    wait_for_saves,
    wheel_down,
)
from textual import events
from textual.widgets import Input

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConfirmDialog
from kamboard.tui.widgets.lane import Lane


def board_app(store: BoardStore, account: str = "ACME") -> KamboardApp:
    return KamboardApp(store, account=account, today=TODAY)


def screen(app: KamboardApp) -> BoardScreen:
    assert isinstance(app.screen, BoardScreen)
    return app.screen


def stored_titles(store: BoardStore, lane: str, account: str = "ACME") -> list[str]:
    return [c["title"] for c in store.cards(store.account(account)["id"], lane)]


async def test_lanes_show_questions_counts_and_support_details(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = screen(app)
        head = str(board.query_one("#head-support").render())
        assert "Support" in head and "2" in head and "mutual benefit" in head
        assert "What is on the customer's mind?" in str(board.query_one("#head-topic").render())
        lines = lane_lines(board.lanes["support"])
        assert lines[0].split()[:2] == ["Joint", "pilot"]
        assert "⇄1" in lines[0]
        assert "Bob" in lines[2] and "(us)" in lines[2]
        assert "overdue 2026-03-01" in lines[3] and "agreed" in lines[3]
        assert "due 2026-05-01" in lines[8] and "overdue" not in lines[8]
        # the overdue date is drawn in the theme's error colour (off the selected card, which
        # keeps the cursor's colours and shows it in reverse)
        board.lanes["support"].cursor = 1
        await pilot.pause()
        overdue = next(s for s in board.lanes["support"].render_line(3) if "overdue" in s.text)
        assert overdue.style.color == board.lanes["support"].get_component_rich_style("lane--overdue").color


async def test_quick_add_several_cards_in_a_row(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("l", "n")
        field = board.query_one("#col-challenge .quick-add", Input)
        assert app.focused is field
        for title in ("Energy prices", "Regulation", "Talent"):
            await pilot.press(*title, "enter")
        await wait_for_saves(app)
        assert app.focused is field  # stays open for the next card
        assert stored_titles(store, "challenge")[-3:] == ["Energy prices", "Regulation", "Talent"]
        assert board.lanes["challenge"].selected_card["title"] == "Talent"
        await pilot.press("escape")
        assert app.focused is board.lanes["challenge"]
        assert not field.display
        await pilot.press("u")
        await wait_for_saves(app)
        assert "Talent" not in stored_titles(store, "challenge")


async def test_quick_add_rejects_control_characters_with_a_message(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("n")
        field = board.query_one("#col-topic .quick-add", Input)
        field.value = "bad\x1btitle"
        await pilot.press("enter")
        await pilot.pause()
        assert any("control characters" in n for n in notifications(app))
        assert field.value == "bad\x1btitle"  # nothing typed is lost
        await pilot.press("ctrl+a", "ctrl+k", "enter")  # empty Enter closes
        assert not field.display


async def test_edit_through_the_editor(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("j", "e")
        assert isinstance(app.screen, CardEditor)
        title = app.screen.query_one("#input-title", Input)
        title.value = "New CEO from Siemens"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        assert "New CEO from Siemens" in "\n".join(lane_lines(board.lanes["topic"]))  # at once
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[1] == "New CEO from Siemens"
        await pilot.press("u")
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[1] == "New CEO"
        await pilot.press("ctrl+r")
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[1] == "New CEO from Siemens"
        # Enter edits too; Esc without changes just closes
        await pilot.press("enter")
        assert isinstance(app.screen, CardEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board


async def test_move_between_lanes_and_reorder(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("L")  # "Growth in Asia" to Challenges
        await wait_for_saves(app)
        assert stored_titles(store, "challenge") == ["Cost pressure", "Skills gap", "Growth in Asia"]
        assert board.current == "challenge"
        assert app.focused is board.lanes["challenge"]
        assert board.lanes["challenge"].selected_card["title"] == "Growth in Asia"
        await pilot.press("K", "K")
        await wait_for_saves(app)
        assert stored_titles(store, "challenge") == ["Growth in Asia", "Cost pressure", "Skills gap"]
        assert board.lanes["challenge"].cursor == 0
        await pilot.press("shift+down")
        await wait_for_saves(app)
        assert stored_titles(store, "challenge") == ["Cost pressure", "Growth in Asia", "Skills gap"]
        await pilot.press("shift+right")
        await wait_for_saves(app)
        assert stored_titles(store, "support")[-1] == "Growth in Asia"
        await pilot.press("shift+left", "H")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["New CEO", "Supply chain", "Growth in Asia"]
        # undo everything, one step at a time, back to the start
        for _ in range(7):
            await pilot.press("u")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]
        assert stored_titles(store, "challenge") == ["Cost pressure", "Skills gap"]
        await pilot.press("u")
        assert any("Nothing to undo" in n for n in notifications(app))


async def test_delete_then_undo_then_redo(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("j", "d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert stored_titles(store, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]
        await pilot.press("d", "y")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Growth in Asia", "Supply chain"]
        assert lane_titles(board.lanes["topic"]) == ["Growth in Asia", "Supply chain"]
        await pilot.press("u")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]
        assert board.lanes["topic"].selected_card["title"] == "New CEO"
        await pilot.press("ctrl+r")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Growth in Asia", "Supply chain"]


async def test_filter_by_text_tag_and_owner(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("slash", *"asia")
        await pilot.pause()
        assert lane_titles(board.lanes["topic"]) == ["Growth in Asia"]
        assert lane_titles(board.lanes["support"]) == []
        assert "No card matches the filter" in "\n".join(lane_lines(board.lanes["support"]))
        assert "1 of 3" in str(board.query_one("#head-topic").render())
        board.query_one("#board-filter", Input).value = "#cost"
        await pilot.pause()
        assert lane_titles(board.lanes["challenge"]) == ["Cost pressure"]
        assert lane_titles(board.lanes["topic"]) == []
        board.query_one("#board-filter", Input).value = "@carla"
        await pilot.pause()
        assert lane_titles(board.lanes["support"]) == ["Training"]
        await pilot.press("enter")  # keep the filter, back to the lanes
        assert isinstance(app.focused, Lane)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert lane_titles(board.lanes["support"]) == ["Joint pilot", "Training"]
        await pilot.press("escape")  # right after the filter closed: stays, says what a second Esc does
        await pilot.pause()
        assert app.screen is board
        assert "Esc again goes back to the accounts" in notifications(app)[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)


async def test_arrows_and_hjkl_move_the_focus(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = screen(app)
        await pilot.press("right", "right", "right")
        assert app.focused is board.lanes["support"]
        await pilot.press("h")
        assert app.focused is board.lanes["challenge"]
        await pilot.press("down", "j", "j")
        assert board.lanes["challenge"].cursor == 1
        await pilot.press("k")
        assert board.lanes["challenge"].selected_card["title"] == "Cost pressure"
        await pilot.press("left", "up")
        assert app.focused is board.lanes["topic"]


async def test_focus_mode_shows_one_lane(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = screen(app)
        await pilot.press("l", "z")
        await pilot.pause()
        assert [c.id for c in board.query(".lane-column") if c.display] == ["col-challenge"]
        assert board.lanes["challenge"].size.width > 60
        await pilot.press("l")
        await pilot.pause()
        assert [c.id for c in board.query(".lane-column") if c.display] == ["col-support"]
        await pilot.press("escape")
        await pilot.pause()
        assert len([c for c in board.query(".lane-column") if c.display]) == 3
        assert app.screen is board


async def test_mouse_click_selects_and_double_click_edits(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        lane = board.lanes["topic"]
        await pilot.click(lane, offset=(3, 3))  # the second card (3 rows each)
        assert lane.selected_card["title"] == "New CEO"
        await pilot.click(board.lanes["challenge"], offset=(3, 0))
        assert board.current == "challenge" and app.focused is board.lanes["challenge"]
        await pilot.click(lane, offset=(3, 6), times=2)
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        assert app.screen.card["title"] == "Supply chain"


async def test_markup_and_escape_titles_show_literally(board_path: Path) -> None:
    s = make_store(board_path)
    account = s.add_account("Lit")
    s.add_card(account["id"], "topic", "[bold red]x[/] and [link=http://x]y[/link]")
    s.add_card(account["id"], "challenge", "ok", tags=["[i]t[/i]"])
    # a title with an escape sequence, written by another tool straight into the file
    raw = s.add_card(account["id"], "topic", "placeholder")
    data = json.loads(board_path.read_text())
    for card in data["cards"].values():
        if card["id"] == raw["id"]:
            card["title"] = "a\x1b[31mred"
    board_path.write_text(json.dumps(data))
    app = KamboardApp(s, account="Lit", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = screen(app)
        lines = lane_lines(board.lanes["topic"])
        assert f"{lines[0].strip()} {lines[1].strip()}" == "[bold red]x[/] and [link=http://x]y[/link]"
        assert lines[3].strip() == "a␛[31mred"
        assert all("\x1b" not in line for line in lines)
        assert "#[i]t[/i]" in lane_lines(board.lanes["challenge"])[1]
        await pilot.press("d", "y")
        await pilot.pause()
        assert any("[bold red]x[/]" in n for n in notifications(app))


async def test_readonly_board_explains_every_change_key(store: BoardStore, board_path: Path) -> None:
    app = board_app(BoardStore(board_path, readonly=True))
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        assert board.query_one("#readonly-banner").display
        for key in ("n", "e", "enter", "d", "H", "L", "K", "J", "u", "ctrl+r"):
            clear_notifications(app)
            await pilot.press("j", key)
            await pilot.pause()
            assert app.screen is board, key
            assert any("read-only" in n for n in notifications(app)), key
        assert stored_titles(store, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]


async def test_help_and_command_palette_list_the_board_keys(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "KeysHelp"
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(board)]
        for name in (
            "Add cards (quick-add)",
            "Edit card",
            "Move card to the lane right",
            "Move card up",
            "Delete card",
        ):
            assert name in titles
        for name in ("Undo", "Redo", "Filter cards", "Back to the accounts", "Key help"):
            assert name in titles
        # running a palette command acts like its key
        command = next(c for c in app.get_system_commands(board) if c.title == "Focus the lane to the right")
        await command.callback()
        await pilot.pause()
        assert app.focused is board.lanes["challenge"]


async def test_first_resume_skips_the_restyle_later_resumes_restyle(
    store: BoardStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board's first resume comes right after it was composed, every widget styled as it
    mounted: it does not restyle them all again (~4 ms of the first paint); a later resume that
    asks for it (a switch back to the board: a theme may have changed meanwhile) does."""
    restyled: list[bool] = []
    restyle = BoardScreen.update_node_styles

    def counted(self: BoardScreen, animate: bool = True) -> None:
        restyled.append(animate)
        restyle(self, animate)

    monkeypatch.setattr(BoardScreen, "update_node_styles", counted)
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert restyled == []
        screen(app).post_message(events.ScreenResume(refresh_styles=True))
        await pilot.pause()
        assert restyled == [False]  # Screen._on_screen_resume: update_node_styles(animate=False)


async def test_every_binding_has_an_id_and_tooltip() -> None:
    for bindings in (BoardScreen.BINDINGS, AccountsScreen.BINDINGS):
        for binding in bindings:
            assert binding.id and binding.tooltip, binding  # type: ignore[union-attr]


async def test_a_thousand_card_lane_draws_without_a_widget_per_card(board_path: Path) -> None:
    # how fast it opens is measured by tests/perf/bench_tui.py (--lane 1000)
    s = make_store(board_path)
    account = s.add_account("Big")
    s.bulk_insert([], [{"account_id": account["id"], "lane": "topic", "title": f"Card {n}"} for n in range(1000)])
    app = KamboardApp(s, account="Big", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = screen(app)
        lane = board.lanes["topic"]
        assert len(lane.cards) == 1000
        assert not list(lane.children)  # no widget per card
        await pilot.press("end")
        await pilot.pause()
        assert lane.selected_card["title"] == "Card 999"
        assert "Card 999" in "\n".join(lane_lines(lane))
        await pilot.press("K")
        await wait_for_saves(app)
        assert lane.selected_card["title"] == "Card 999" and lane.cursor == 998
        assert stored_titles(s, "topic", "Big")[998] == "Card 999"


async def test_started_on_a_board_esc_builds_the_accounts_screen(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert app.screen.query_one("DataTable").row_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen(app).account_id == store.account("Globex")["id"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert app.screen_stack == [app.screen]  # the accounts screen replaced the board the app started on


async def test_unknown_account_on_start_opens_the_accounts_with_a_message(store: BoardStore) -> None:
    app = KamboardApp(store, account="Nobody", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert any("No account 'Nobody'" in n for n in notifications(app))


async def test_wheel_scrolls_a_long_lane(board_path: Path) -> None:
    s = make_store(board_path)
    account = s.add_account("Big")
    s.bulk_insert([], [{"account_id": account["id"], "lane": "topic", "title": f"Card {n}"} for n in range(100)])
    app = KamboardApp(s, account="Big", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        lane = screen(app).lanes["topic"]
        assert lane.scroll_y == 0
        for _ in range(3):
            await wheel_down(pilot, lane, offset=(3, 3))
        await pilot.pause()
        assert lane.scroll_y > 0
        assert "Card 0" not in "\n".join(lane_lines(lane))
        assert lane.cursor == 0  # the wheel scrolls; it does not move the selection


async def test_empty_lane_edit_and_delete_explain(board_path: Path) -> None:
    s = make_store(board_path)
    s.add_account("Empty")
    app = KamboardApp(s, account="Empty", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        board = screen(app)
        assert "press n to add one" in " ".join(line.strip() for line in lane_lines(board.lanes["topic"]))
        for key in ("e", "d", "L", "K"):
            clear_notifications(app)
            await pilot.press(key)
            assert app.screen is board
            assert any("No card selected" in n for n in notifications(app)), key


async def test_quick_add_explains_a_too_long_title(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("n")
        board.query_one("#col-topic .quick-add", Input).value = "x" * 201
        await pilot.press("enter")
        await pilot.pause()
        assert any("201 characters long; at most 200" in n for n in notifications(app))
        assert len(stored_titles(store, "topic")) == 3


async def test_readable_from_80x24_to_200x60(store: BoardStore) -> None:
    for size in ((80, 24), (200, 60)):
        app = board_app(store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            board = screen(app)
            widths = [board.lanes[lane].size.width for lane in ("topic", "challenge", "support")]
            assert min(widths) >= 20 and max(widths) - min(widths) <= 2, (size, widths)
            support = lane_lines(board.lanes["support"])
            assert "2026-03-01" in support[3] and "agreed" in support[3], (size, support[3])
            assert "Bob" in support[2]


async def test_reorder_within_a_filtered_lane_moves_past_the_hidden_cards(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = screen(app)
        await pilot.press("slash", *"in", "enter")
        await pilot.pause()
        assert lane_titles(board.lanes["topic"]) == ["Growth in Asia", "Supply chain"]
        await pilot.press("j", "K")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Supply chain", "Growth in Asia", "New CEO"]
        assert board.lanes["topic"].selected_card["title"] == "Supply chain"
        await pilot.press("u")
        await wait_for_saves(app)
        assert stored_titles(store, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]


async def test_quick_added_support_action_starts_as_proposed(store: BoardStore) -> None:
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "n", *"Site visit", "enter", "escape", "h", "n", *"Energy", "enter")
        await wait_for_saves(app)
        acme = store.account("ACME")["id"]
        support = {c["title"]: c for c in store.cards(acme, "support")}
        assert support["Site visit"]["status"] == "proposed"
        challenge = {c["title"]: c for c in store.cards(acme, "challenge")}
        assert not challenge["Energy"].get("status")


async def test_quick_add_hint_shows_whole_at_100_columns(store: BoardStore) -> None:

    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "n")
        field = app.focused
        assert isinstance(field, Input) and field.has_class("quick-add")
        assert "Enter adds" in field.placeholder and "Esc closes" in field.placeholder
        assert len(field.placeholder) <= field.content_region.width - 1
