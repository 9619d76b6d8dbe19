"""The agenda timer: current item and time left, red (theme ``$error``) once overrun ("5 min over"),
and how far the workshop is behind its planned times ("behind schedule by 12 min").

The widget only displays; the timer state lives in the workshop record (see ``kamboard.workshop``)
so every screen showing the same file shows the same item and time. Give it the workshop with
``timer.workshop = record`` whenever the record changes; it redraws itself every ``interval``
seconds from ``clock()``, an injectable function returning an aware datetime (tests pass a fake).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from kamboard import workshop as rules
from kamboard.i18n import _
from kamboard.model import LANE_TITLES
from kamboard.tui.widgets.text import literal

Clock = Callable[[], dt.datetime]


def timer_tail(view: rules.TimerView) -> str:
    """The end of the timer line: '  12:30 left' or '  5 min over', then how far behind the plan."""
    note = f" · {view.schedule_note}" if view.schedule_note else ""
    return f"  {view.status}{note}"


def timer_text(view: rules.TimerView) -> Text:
    """One line: state, item number, lane, title, time left (or the overrun), behind schedule."""
    if view.item is None:
        return Text(_("No agenda yet"), style="italic")
    state = "▶" if view.running else "⏸"
    lane = LANE_TITLES.get(view.lane, "")
    out = Text()
    out.append(f"{state} {view.index + 1}/{view.count} ")
    if lane:
        out.append(f"[{lane}] ")
    out.append(literal(view.item.get("title", "")), style="bold")
    out.append(timer_tail(view), style="bold")
    return out


class AgendaTimer(Static):
    """One line showing the current agenda item and its time left."""

    DEFAULT_CSS = """
    AgendaTimer {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    AgendaTimer.-overrun {
        background: $error;
        color: $text;
        text-style: bold;
    }
    AgendaTimer.-paused {
        color: $text-muted;
    }
    """

    workshop: reactive[dict[str, Any] | None] = reactive(None, always_update=True, init=False)

    class Overrun(Message):
        """The current item just ran over its timebox (posted once per item)."""

        def __init__(self, timer: AgendaTimer, item: dict[str, Any]) -> None:
            super().__init__()
            self.timer = timer
            self.item = item

    class ItemChanged(Message):
        """The current agenda item changed (e.g. someone pressed next); ``lane`` is '' for general items."""

        def __init__(self, timer: AgendaTimer, item: dict[str, Any] | None, lane: str) -> None:
            super().__init__()
            self.timer = timer
            self.item = item
            self.lane = lane

    def __init__(
        self,
        workshop: dict[str, Any] | None = None,
        clock: Clock = rules.utc_now,
        *,
        interval: float = 1.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", name=name, id=id, classes=classes, markup=False)
        self.clock = clock
        self.interval = interval
        self.view: rules.TimerView | None = None
        self._item_id: str | None = None
        self._overrun_item: str | None = None
        self.set_reactive(AgendaTimer.workshop, workshop)

    def on_mount(self) -> None:
        self.tick()
        if self.interval > 0:
            self.set_interval(self.interval, self.tick)

    def watch_workshop(self, _workshop: dict[str, Any] | None) -> None:
        self.tick()

    def tick(self) -> None:
        """Recompute from the workshop and the clock; post messages on changes."""
        if self.workshop is None:
            self.view = None
            self.update(Text(_("No workshop running"), style="italic"))
            self.set_class(False, "-overrun")
            return
        view = rules.view(self.workshop, self.clock())
        self.view = view
        self.update(timer_text(view))
        self.set_class(view.overrun, "-overrun")
        self.set_class(not view.running, "-paused")
        item_id = str(view.item.get("id", "")) if view.item else ""
        if item_id != self._item_id:
            first = self._item_id is None
            self._item_id = item_id
            if not first:
                self.post_message(self.ItemChanged(self, view.item, view.lane))
        if view.overrun and view.item is not None and self._overrun_item != item_id:
            self._overrun_item = item_id
            self.post_message(self.Overrun(self, view.item))
        elif not view.overrun and self._overrun_item == item_id:
            self._overrun_item = None  # +5 min: a later overrun is announced again


def fitted_timer_text(view: rules.TimerView, width: int) -> Text:
    """The timer line cut to ``width``: the item title gives way, the time left (and how far behind) always shows."""
    full = timer_text(view)
    if view.item is None or full.cell_len <= width:
        return full
    tail = timer_tail(view)
    head = full[: len(full.plain) - len(tail)]
    head.truncate(max(1, width - len(tail)), overflow="ellipsis")
    return Text.assemble(head, (tail, "bold"))


class BoardTimer(AgendaTimer):
    """The agenda timer on the board: one line that never hides the time left."""

    def update(self, content: Any = "", **kwargs: Any) -> None:
        if self.view is not None and self.size.width:
            content = fitted_timer_text(self.view, self.content_region.width)
        super().update(content, **kwargs)

    def on_resize(self) -> None:
        self.tick()
