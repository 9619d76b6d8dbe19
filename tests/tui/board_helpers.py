"""Helpers for the TUI tests: boards with a fixed clock, waiting, reading rendered lanes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from kamboard.store import BoardStore
from kamboard.tui.widgets.lane import Lane

TODAY = dt.date(2026, 3, 16)
NOW = "2026-03-16T09:00:00Z"
T0 = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)  # NOW as the workshop clock gives it


def fixed_clock() -> str:
    return NOW


class FakeClock:
    """The workshop clock (agenda timer, presenter), standing at T0 until a test moves it on."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float = 0, *, minutes: float = 0) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds, minutes=minutes)
        return self.now


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


NOTICES: WeakKeyDictionary[App[Any], list[str]] = WeakKeyDictionary()
"""What each app under test notified, in order (recorded by the autouse fixture in conftest.py)."""


def notifications(app: App[Any]) -> list[str]:
    """The notices the app showed since it started (or since ``clear_notifications``), as shown to the user."""
    return list(NOTICES.get(app, []))


def clear_notifications(app: App[Any]) -> None:
    """Forget the notices shown so far (and take the toasts off the screen)."""
    app.clear_notifications()
    NOTICES.pop(app, None)


async def wheel_down(pilot: Pilot[Any], widget: Widget, offset: tuple[int, int] = (0, 0)) -> None:
    """One turn of the mouse wheel over ``widget`` at ``offset``, sent to the app as the terminal sends it
    (Textual's Pilot offers clicks and hovering but no wheel)."""
    x, y = widget.region.x + offset[0], widget.region.y + offset[1]
    scroll = events.MouseScrollDown(None, x, y, 0, 1, 0, False, False, False, screen_x=x, screen_y=y)
    pilot.app.post_message(scroll)
    await pilot.pause()


async def wait_for_saves(app: Any) -> None:
    """Let the app's saver write every change given so far; the screens have re-read the board
    when this returns (changes show on the screen at once but reach the file in the background)."""
    await app.saver.wait_idle()
