"""A tiny App that pushes one modal screen and records what it was dismissed with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Label, TextArea

STYLES = Path(__file__).resolve().parents[2] / "styles" / "dialogs.tcss"


class Harness(App[None]):
    """Shows a plain background and pushes ``make_screen()`` on start; ``results`` collects dismissals."""

    CSS_PATH = STYLES

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("background")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)

    def stop_blinking(self) -> None:
        """Freeze cursors so screenshots are deterministic."""
        for widget in self.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
