"""A Select that jumps to an option by the letter typed, as a browser's does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.widgets import Select


class LetterSelect(Select[str]):
    """A ``Select`` that picks the option a typed letter begins while it is closed; typed again,
    the next option with that letter (Textual's own type-to-search works in the open list only).
    Letters no option begins go on to the screen's keys."""

    def __init__(self, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self.choices = list(options)

    def set_options(self, options: Iterable[tuple[RenderableType, str]]) -> None:
        self.choices = [(str(prompt), value) for prompt, value in options]
        super().set_options(self.choices)

    def _values_for(self, character: str | None) -> list[str]:
        """The values of the options whose prompt begins with ``character`` (a letter or digit)."""
        if not character or not character.isalnum():
            return []
        letter = character.casefold()
        return [value for prompt, value in self.choices if prompt.casefold().startswith(letter)]

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return bool(self._values_for(character)) or super().check_consume_key(key, character)

    def on_key(self, event: events.Key) -> None:
        values = [] if self.expanded else self._values_for(event.character)
        if not values:
            return
        event.stop()
        event.prevent_default()
        current = self.value
        at = values.index(current) + 1 if isinstance(current, str) and current in values else 0
        self.value = values[at % len(values)]
