"""Helpers for the TUI tests: boards with a fixed clock, waiting, reading rendered lanes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from kamboard.store import BoardStore
from kamboard.tui.widgets.lane import Lane

TODAY = dt.date(2026, 3, 16)
NOW = "2026-03-16T09:00:00Z"


def fixed_clock() -> str:
    return NOW


def make_store(path: Path, user: str = "tester", **kwargs: Any) -> BoardStore:
    return BoardStore(path, user=user, create=True, clock=fixed_clock, **kwargs)


def lane_lines(lane: Lane) -> list[str]:
    """The lane's visible rows as plain text, as rendered."""
    return ["".join(seg.text for seg in lane.render_line(y)).rstrip() for y in range(lane.size.height)]


def lane_titles(lane: Lane) -> list[str]:
    return [card["title"] for card in lane.cards]


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 3.0) -> bool:
    """Let the app run until ``condition()`` holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def notifications(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for_saves(app: Any) -> None:
    """Let the app's saver write every change given so far; the screens have re-read the board
    when this returns (changes show on the screen at once but reach the file in the background)."""
    await app.saver.wait_idle()
