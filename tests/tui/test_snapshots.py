"""SVG snapshots of the main screens at 100x30: fixed clock, fixed day, fixed file name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from board_helpers import TODAY, make_store
from textual.pilot import Pilot
from textual.widgets import Input

from kamboard.demo import build_demo
from kamboard.tui.app import KamboardApp

SIZE = (100, 30)


@pytest.fixture
def demo_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KamboardApp:
    """The demo board in ``board.json`` (a relative name, so the title bar is the same everywhere)."""
    monkeypatch.chdir(tmp_path)
    store = make_store(Path("board.json"))
    build_demo(store, today=TODAY)
    return KamboardApp(store, today=TODAY)


async def settle(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_welcome_on_an_empty_board(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = KamboardApp(make_store(Path("board.json")), today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_accounts_screen(snap_compare: Any, demo_app: KamboardApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=settle)


def test_demo_board(snap_compare: Any, demo_app: KamboardApp) -> None:
    async def open_board(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "right", "down")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=open_board)


def test_demo_board_focus_mode_with_quick_add(snap_compare: Any, demo_app: KamboardApp) -> None:
    async def focus_and_add(pilot: Pilot[Any]) -> None:
        await pilot.press("down", "enter", "right", "right", "z", "n", *"Joint roadmap")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=focus_and_add)
