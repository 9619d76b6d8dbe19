"""Every key of the current screen as a command palette entry, and key names for the help."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen

_KEY_NAMES = {
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "escape": "Esc",
    "enter": "Enter",
    "question_mark": "?",
    "slash": "/",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "space": "Space",
}


def key_name(key: str) -> str:
    """'shift+left' -> 'shift+←', 'ctrl+r' -> 'ctrl+r', 'question_mark' -> '?'."""
    *mods, base = key.split("+")
    return "+".join([*mods, _KEY_NAMES.get(base, base)])


def keys_of(binding: Binding) -> str:
    return " / ".join(key_name(k.strip()) for k in binding.key.split(","))


def screen_bindings(screen: Screen[object]) -> list[Binding]:
    """The screen's own bindings (with the user's keymap applied), one per id, in declared order."""
    seen: set[str] = set()
    out: list[Binding] = []
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            ident = binding.id or binding.action
            if ident not in seen:
                seen.add(ident)
                out.append(binding)
    order = {b.id or b.action: i for i, b in enumerate(Binding.make_bindings(getattr(screen, "BINDINGS", [])))}
    return sorted(out, key=lambda b: order.get(b.id or b.action, len(order)))


def merged_bindings(screen: Screen[object]) -> list[Binding]:
    """Like screen_bindings, but one Binding per id with all its keys joined by commas."""
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for binding in screen._bindings.key_to_bindings.values():
        for b in binding:
            ident = b.id or b.action
            first.setdefault(ident, b)
            if b.key not in keys.setdefault(ident, []):
                keys[ident].append(b.key)
    order = {b.id or b.action: i for i, b in enumerate(Binding.make_bindings(getattr(screen, "BINDINGS", [])))}
    merged = [first[i].with_key(",".join(keys[i])) for i in first]
    return sorted(merged, key=lambda b: order.get(b.id or b.action, len(order)))


def binding_commands(screen: Screen[object]) -> Iterable[SystemCommand]:
    """A palette command per key of ``screen`` that is enabled now."""
    for binding in merged_bindings(screen):
        if not binding.description or binding.system:
            continue
        if screen.check_action(binding.action.split("(")[0], ()) is False:
            continue
        help_text = f"{binding.tooltip or binding.description} ({keys_of(binding)})"
        yield SystemCommand(binding.description, help_text, partial(screen.run_action, binding.action))
