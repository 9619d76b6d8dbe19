"""The key footer, compact on narrow terminals so the keys that matter still fit at 80 columns."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

COMPACT_BELOW = 100  # terminal columns


class KeyFooter(Footer):
    """Textual's footer; below ``COMPACT_BELOW`` columns the keys sit closer together.

    Textual rebuilds every key of the footer whenever the focus moves; this one rebuilds only
    when the keys it would show changed. Moving a card to the next lane (the focus moves to
    that lane, whose keys are the same) rebuilt and restyled ~20 keys twice: ~12 ms of each
    L/H before the board repainted.
    """

    _shown: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (key, binding.action, binding.description, binding.show, binding.group, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        )
        if shown == self._shown and self.children:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
        if screen.app.app_focus and screen is self.screen:  # when Textual rebuilds the keys
            self._shown = shown
