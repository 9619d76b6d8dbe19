"""Fixes found by using kamboard as a facilitator would; each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from board_helpers import TODAY, lane_lines, make_store, wait_for_saves
from rich.color import Color

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: Color, bg: Color) -> float:
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def support_store(tmp_path: Path) -> BoardStore:
    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    # an overdue action with both benefits needs the short words at 100 columns; the others do not
    store.add_card(
        acme,
        "support",
        "Predictive maintenance trial",
        owner="Jonas Becker",
        side="us",
        due="2026-03-13",
        status="agreed",
        customer_benefit="Less downtime",
        our_benefit="Reference",
    )
    store.add_card(acme, "support", "CSRD data", owner="Miriam", side="customer", due="2026-06-14", status="proposed")
    store.add_card(
        acme, "support", "Staffing plan", owner="Jonas Becker", side="us", due="2026-03-30", status="in_progress"
    )
    store.add_card(acme, "topic", "Einführung Remote-Service-Portal für alle Standorte")
    return store


async def test_support_cards_of_one_lane_use_the_same_words(tmp_path: Path) -> None:
    app = KamboardApp(support_store(tmp_path), account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        lines = lane_lines(app.screen.lanes["support"])
        owners = [lines[2], lines[7], lines[12]]
        assert [line.split("(")[-1] for line in owners] == ["us)", "customer)", "us)"]
        # one label style for the whole lane: '! date' and a bare date, never 'due date' beside it
        status_rows = [lines[3], lines[8], lines[13]]
        assert status_rows[0].strip().startswith("! 2026-03-13")
        assert not any(row.strip().startswith(("due ", "overdue ")) for row in status_rows)


async def test_titles_wrap_at_word_boundaries(tmp_path: Path) -> None:
    app = KamboardApp(support_store(tmp_path), account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        lines = lane_lines(app.screen.lanes["topic"])
        assert lines[0].strip() == "Einführung Remote-Service-"
        assert lines[1].strip() == "Portal für alle Standorte"


async def test_card_text_is_readable_in_every_theme(tmp_path: Path) -> None:
    """Owner, dates, status and markers, on plain cards and on the unfocused lane's selected card
    (ANSI themes leave the colours to the terminal and are skipped)."""
    app = KamboardApp(support_store(tmp_path), account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        for theme in sorted(t for t in app.available_themes if not t.startswith("ansi")):
            app.theme = theme
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            lane = app.screen.lanes["support"]
            app.screen.lanes["topic"].focus()
            await pilot.pause()
            for y in (2, 3, 7, 8, 12, 13):  # owner and status rows of the three cards
                for segment in lane.render_line(y)._segments:
                    style = segment.style
                    if segment.text.strip() and style and style.color and style.bgcolor:
                        ratio = contrast(style.color, style.bgcolor)
                        assert ratio >= 2.5, (theme, segment.text, round(ratio, 2))


async def test_overdue_date_on_the_cursor_is_drawn_in_reverse(tmp_path: Path) -> None:
    app = KamboardApp(support_store(tmp_path), account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l")
        assert isinstance(app.screen, BoardScreen)
        lane = app.screen.lanes["support"]
        assert lane.has_focus and lane.cursor == 0
        overdue = next(s for s in lane.render_line(3)._segments if "2026-03-13" in s.text)
        assert overdue.style is not None and overdue.style.reverse


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
        await pilot.press("escape", "q")
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
    from textual.widgets._footer import FooterKey

    keys = list(app.screen.query(FooterKey))
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


async def test_voter_status_says_the_votes_are_the_ones_left(store: BoardStore) -> None:
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}]
    store.add_workshop("ACME", "Workshop", start="2026-03-16T09:00", participants=people)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter", "v")
        await pilot.pause()
        status = str(app.screen.query_one("#vote-status").render())
        assert "Eva 4/5 votes left" in status


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
        await pilot.press("escape")
        assert footer_keys(app).get("Filter") == "slash"


async def test_commitments_review_shows_no_empty_list_and_q_closes_it(store: BoardStore) -> None:
    from kamboard.tui.screens.commitments import CommitmentsScreen

    store.add_workshop("ACME", "First workshop", start="2026-03-16T09:00")
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CommitmentsScreen)
        await pilot.pause()
        assert "nothing to review" in str(app.screen.query_one("#commitments-message").render())
        assert not app.screen.query_one("#commitments-list").display
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)


async def test_quick_add_hint_shows_whole_at_100_columns(store: BoardStore) -> None:
    from textual.widgets import Input

    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "n")
        field = app.focused
        assert isinstance(field, Input) and field.has_class("quick-add")
        assert "Enter adds" in field.placeholder and "Esc closes" in field.placeholder
        assert len(field.placeholder) <= field.content_region.width - 1


async def test_q_closes_the_voter_picker(store: BoardStore) -> None:
    from kamboard.tui.facilitation import VoterPicker

    people = [{"name": "Eva", "side": "customer", "role": "CFO"}]
    store.add_workshop("ACME", "Workshop", start="2026-03-16T09:00", participants=people)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, VoterPicker)
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)


async def test_j_and_k_move_in_the_accounts_table_as_on_the_board(store: BoardStore) -> None:
    from textual.widgets import DataTable

    app = KamboardApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0


async def test_gaps_view_without_gaps_shows_no_empty_list(tmp_path: Path) -> None:
    from kamboard.tui.screens.gaps import GapsScreen

    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    topic = store.add_card(acme, "topic", "Growth")
    store.add_card(
        acme,
        "support",
        "Pilot",
        owner="Bob",
        side="us",
        due="2026-05-01",
        status="agreed",
        customer_benefit="Less cost",
        our_benefit="Reference",
        links=[topic["id"]],
    )
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GapsScreen)
        await pilot.pause()
        assert "No gaps" in str(app.screen.query_one("#gaps-title").render())
        assert not app.screen.query_one("#gaps-list").display
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)
