"""How cards are drawn in a lane: the same words on every card of a lane, word-wrapped titles,
readable colours in every theme, the overdue date on the cursor."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from board_helpers import TODAY, lane_lines, make_store
from rich.cells import cell_len
from rich.color import Color
from support_actions import add_support_action

from kamboard.followup import is_carried_over
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.widgets.card_text import card_rows, drawable


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


def terminal_cells(text: str) -> int:
    """Cells as a terminal counts them (tmux, xterm: wcwidth per code point): a combining mark, a
    format character (zero-width joiner) or a variation selector 0, a wide or full-width one 2
    (a skin-tone modifier too: tmux draws '👍🏽' in 4 cells), else 1."""
    cells = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells


EMOJI_TITLES = [
    "Super Workshop 👍🏽👍🏿 danke",
    "👩🏽‍💻 Entwicklerteam 👨‍👩‍👧 ausbauen, und zwar 👍🏽 schnell",
    "Liebe ❤️ zum Detail, Café am Standort 🇩🇪",
]


def test_rich_and_the_terminal_disagree_on_such_emoji() -> None:
    """Why the lane draws them otherwise: measured as rich does, the row would be too short."""
    assert (cell_len("👍🏽"), terminal_cells("👍🏽")) == (2, 4)
    assert (cell_len("❤️"), terminal_cells("❤️")) == (2, 1)
    assert [drawable(t) for t in ("👍🏽", "👩🏽‍💻", "❤️", "🇩🇪", "Café")] == ["👍", "👩💻", "❤", "🇩🇪", "Café"]
    for title in EMOJI_TITLES:
        assert cell_len(drawable(title)) == terminal_cells(drawable(title))


async def test_every_row_with_emoji_fills_exactly_the_lane_width(tmp_path: Path) -> None:
    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    for title in EMOJI_TITLES:
        store.add_card(acme, "topic", title, tags=["👍🏽ok"])
        add_support_action(store, acme, title, owner="Jonas 👩🏽‍💻")
    app = KamboardApp(store, account="ACME", today=TODAY)
    for size in ((100, 30), (83, 30)):
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            for name in ("topic", "support"):
                lane = app.screen.lanes[name]
                width = lane.scrollable_content_region.width
                rows = ["".join(s.text for s in lane.render_line(y)) for y in range(lane.size.height)]
                for row in rows:
                    assert (cell_len(row), terminal_cells(row)) == (width, width), (name, row)
                assert any("👍" in row for row in rows) and any("👩💻" in row for row in rows)
        app = KamboardApp(store, account="ACME", today=TODAY)
    assert [c["title"] for c in store.cards(lane="topic")] == EMOJI_TITLES  # stored as typed


def test_a_carried_over_commitment_is_marked_on_its_card(tmp_path: Path) -> None:
    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    last = store.add_workshop("ACME", "2025", start="2025-03-10")
    now = store.add_workshop("ACME", "2026", start="2026-03-10")
    pilot = add_support_action(store, acme, "Pilot", workshop_id=last["id"], customer_benefit="")
    fresh = add_support_action(store, acme, "Fresh", customer_benefit="")
    store.review_commitment(pilot["id"], now["id"], "carry")
    carried = store.card(pilot["id"])
    assert is_carried_over(carried)
    status_row = "".join(text for text, _ in card_rows(carried, TODAY, 60)[3][0])
    assert status_row == "due 2026-06-30  agreed  ↻ carried over"
    assert "carried" not in "".join(text for text, _ in card_rows(store.card(fresh["id"]), TODAY, 40)[3][0])
    narrow = "".join(text for text, _ in card_rows(carried, TODAY, 40, narrow=True)[3][0])
    assert narrow == "2026-06-30 agreed ↻ carried"  # a glyph and a word, not colour alone
    both = {**carried, "customer_benefit": "x"}
    assert "".join(t for t, _ in card_rows(both, TODAY, 60)[3][0]).endswith("↻ carried over  win-win")


async def test_the_lane_shows_the_carried_over_marker(tmp_path: Path) -> None:
    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    last = store.add_workshop("ACME", "2025", start="2025-03-10")
    now = store.add_workshop("ACME", "2026", start="2026-03-10")
    pilot = add_support_action(store, acme, "Pilot", workshop_id=last["id"])
    store.review_commitment(pilot["id"], now["id"], "carry")
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot_:
        await pilot_.pause()
        assert isinstance(app.screen, BoardScreen)
        lines = lane_lines(app.screen.lanes["support"])
        assert "↻ carried" in lines[3]
