"""How cards are drawn in a lane: the same words on every card of a lane, word-wrapped titles,
readable colours in every theme, the overdue date on the cursor."""

from __future__ import annotations

from pathlib import Path

from board_helpers import TODAY, lane_lines, make_store
from rich.color import Color
from support_actions import add_support_action

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
    add_support_action(store, acme, "Predictive maintenance trial", owner="Jonas Becker", due="2026-03-13")
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
                for segment in lane.render_line(y):
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
        overdue = next(s for s in lane.render_line(3) if "2026-03-13" in s.text)
        assert overdue.style is not None and overdue.style.reverse
