"""Noticing changes other processes make to the board file (no Textual here).

The app polls about twice a second: a poll is one ``stat`` when nothing changed, and a
re-read (a few ms with orjson, even for 10,000 cards) when another process wrote the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kamboard.errors import BoardError
from kamboard.store import BoardStore

POLL_SECONDS = 0.5


@dataclass
class Change:
    """What a poll found: the new events by others, or an error reading the file."""

    events: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


class BoardWatcher:
    """Tracks the last event seen so notices name only what others changed."""

    def __init__(self, store: BoardStore) -> None:
        self.store = store
        self.last_key = store.last_event_key()
        self._last_error = ""

    def mark_seen(self) -> list[dict[str, Any]]:
        """Call after this process changed the board: its own events are not news.

        Returns the events by other users that were read together with this change (another
        process wrote just before it), so they can still be announced.
        """
        news = [e for _, e in self.store.events(after=self.last_key) if e.get("by") != self.store.user]
        self.last_key = self.store.last_event_key()
        return news

    def poll(self) -> Change | None:
        """None when nothing changed; else the change (events by others, or an error once)."""
        try:
            changed = self.store.refresh()
        except BoardError as exc:
            message = str(exc)
            if message == self._last_error:
                return None
            self._last_error = message
            return Change(error=message)
        except OSError as exc:
            message = f"Could not read {self.store.name}: {exc.strerror or exc}"
            if message == self._last_error:
                return None
            self._last_error = message
            return Change(error=message)
        self._last_error = ""
        if not changed:
            return None
        events = [event for _, event in self.store.events(after=self.last_key)]
        self.last_key = self.store.last_event_key()
        return Change(events=events)


def describe(events: list[dict[str, Any]], limit: int = 3) -> str:
    """A short notice: 'alice: moved 'X' to Support' lines, then '+N more'."""
    lines = [
        f"{event.get('by', 'someone')}: {event.get('summary', event.get('kind', 'changed the board'))}"
        for event in events[-limit:]
    ]
    if len(events) > limit:
        lines.insert(0, f"{len(events)} changes; the latest:")
    return "\n".join(lines) if lines else "The board file was changed by another program."
