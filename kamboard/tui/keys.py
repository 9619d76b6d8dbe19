"""One table per key: each ``Key`` feeds a screen's BINDINGS, the palette's title and the key help's group.

A screen declares ``KEYS = (Key(...), ...)`` and ``BINDINGS = bindings(KEYS)``; the palette
(``kamboard.tui.commands``) and the key help look a binding up by its id with :func:`key_for`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """A key binding and how the help and the palette name it.

    ``keys`` are Textual key names joined by commas ("e,enter"); ``id`` is "screen.name";
    ``group`` heads the key help's group ("" : the screen's own group); ``palette`` is the
    palette's title ("" : the description)."""

    keys: str
    action: str
    description: str
    id: str
    tooltip: str
    group: str = ""
    palette: str = ""
    show: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, id=self.id, tooltip=self.tooltip)


_BY_ID: dict[str, Key] = {}


def bindings(keys: Iterable[Key]) -> list[BindingType]:
    """Textual bindings for ``keys``, each registered by id for :func:`key_for`."""
    out: list[BindingType] = []
    for key in keys:
        _BY_ID[key.id] = key
        out.append(key.binding())
    return out


def key_for(binding_id: str | None) -> Key | None:
    """The ``Key`` a binding was made from (None: not one of ours, e.g. Textual's tab)."""
    return _BY_ID.get(binding_id or "")
