"""An Input whose editing keys act in the order they were typed."""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.widgets import Input


@cache
def _input_keys() -> dict[str, str]:
    """Key -> action of Textual's Input bindings (backspace, ctrl+u, arrows, Enter ...)."""
    return {binding.key: binding.action for binding in Binding.make_bindings(Input.BINDINGS)}


class OrderedInput(Input):
    """Textual's Input, its own editing keys run as each key arrives.

    Input's editing keys are bindings, which Textual runs once the key has gone up to the app;
    characters typed behind such a key in the same read from the terminal (a fast typist, a busy
    machine, an unbracketed paste) were typed into the field first: ctrl+u then a new title
    cleared the new title, "abc", backspace, "d" left "abc". Here the key's action runs in the
    field's own key handler, in the order the keys came.
    """

    async def on_key(self, event: events.Key) -> None:
        keys = _input_keys()
        action = next((keys[key] for key in (event.key, *event.aliases) if key in keys), None)
        if action is None:
            return
        event.stop()
        event.prevent_default()  # not again as a binding
        await self.run_action(action)
