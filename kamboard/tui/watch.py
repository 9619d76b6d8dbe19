"""Noticing changes other processes make to the board file (no Textual here).

The app polls about twice a second: a poll is one ``stat`` when nothing changed, and a
re-read (a few ms with orjson, even for 10,000 cards) when another process wrote the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from kamboard.errors import BoardError
from kamboard.i18n import _
from kamboard.stale import readable_summary
from kamboard.store import BoardStore

POLL_SECONDS = 0.5


@dataclass
class Change:
    """What a poll found: data the screens have not shown yet, or an error reading the file.

    ``events`` are the log entries not announced yet; ``file_changed`` says the poll itself found
    the file changed (with no events: an edit outside kamboard). With neither, another read had
    already parsed the change (a reload, a dialog, this process's own save): the screens reload
    without a notice."""

    events: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    file_changed: bool = False


class BoardWatcher:
    """Tracks what the screens were last reloaded for, and the last event announced.

    "Changed" is decided by the store's data generation (one per parse of the file), not by the
    file's signature alone: any read may parse a change another process wrote (a reload, an
    editor, a save), and the screens must still be reloaded for it at the next poll.
    """

    def __init__(self, store: BoardStore) -> None:
        self.store = store
        with store.snapshot() as generation:
            self.generation = generation  # the parse the screens were last reloaded for (at least)
            self.last_key = store.last_event_key()
        self._last_error = ""

    def mark_seen(self) -> list[dict[str, Any]]:
        """Call after this process changed the board: its own events are not news.

        Returns the events by other users that were read together with this change (another
        process wrote just before it), so they can still be announced. The screens below may not
        have shown that data yet: the generation is left alone, so the next poll reloads them.
        """
        with self.store.snapshot():  # the log and its last key from one parse: no event skipped
            news = [e for _, e in self.store.events(after=self.last_key) if e.get("by") != self.store.user]
            self.last_key = self.store.last_event_key()
        return news

    @contextmanager
    def poll(self) -> Iterator[Change | None]:
        """None when the screens are up to date; else the change (new events, or an error once).

        A context holding the parse this poll read: tell the screens inside it. Whatever is
        parsed later (a write landing before a screen re-read) is another generation: the next
        poll's, which tells them again."""
        before = self.store.storage.generation
        with ExitStack() as stack:
            try:
                generation = stack.enter_context(self.store.snapshot())
            except (BoardError, OSError) as exc:
                yield self._failed(exc)
                return
            self._last_error = ""
            if generation == self.generation:
                yield None
                return
            events = [event for _, event in self.store.events(after=self.last_key)]
            self.last_key = self.store.last_event_key()
            self.generation = generation
            yield Change(events=events, file_changed=generation != before)

    def _failed(self, exc: BoardError | OSError) -> Change | None:
        """The error as a change, once (None while the same error goes on)."""
        if isinstance(exc, BoardError):
            message = str(exc)
        else:
            message = _("Could not read {name}: {error}").format(name=self.store.name, error=exc.strerror or exc)
        if message == self._last_error:
            return None
        self._last_error = message
        return Change(error=message)


def describe(events: list[dict[str, Any]], limit: int = 3) -> str:
    """A short notice: 'alice: moved 'X' to Support' lines, then '+N more'."""
    lines = [
        f"{event['by'] if 'by' in event else _('someone')}: {readable_summary(event)}" for event in events[-limit:]
    ]
    if len(events) > limit:
        lines.insert(0, _("{n} changes; the latest:").format(n=len(events)))
    return "\n".join(lines) if lines else _("The board file was changed by another program.")
