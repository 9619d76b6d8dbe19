"""The key footer, compact on narrow terminals so the keys that matter still fit at 80 columns."""

from __future__ import annotations

from textual import events

from kamboard.tui.internals import SteadyFooter

COMPACT_BELOW = 100  # terminal columns


class KeyFooter(SteadyFooter):
    """Textual's footer, rebuilt only when its keys changed (``SteadyFooter``); below
    ``COMPACT_BELOW`` columns the keys sit closer together."""

    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW
