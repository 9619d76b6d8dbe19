"""Errors the store raises; each carries a one-line message fit for the user."""

from __future__ import annotations

from typing import Any

from .model import field_labels  # model imports nothing of kamboard: no cycle


class BoardError(Exception):
    """Base class: ``str(error)`` is a one-line message naming the file and what to do."""


class BoardNotFound(BoardError):
    pass


class BoardFileError(BoardError):
    """The file is not a kamboard board we can use (empty, invalid JSON, wrong shape)."""


class ReadOnlyError(BoardError):
    pass


class LockTimeout(BoardError):
    pass


class NotFound(BoardError):
    """No record with that id, prefix or name."""


class Conflict(BoardError):
    """Someone else changed the same field(s) of a record since it was read.

    ``fields`` maps each field to ``(mine, theirs)``; ``current`` is the record as stored now;
    ``by`` who changed it (default: the record's last writer).
    """

    def __init__(
        self, record_id: str, fields: dict[str, tuple[Any, Any]], current: dict[str, Any], by: str | None = None
    ) -> None:
        names = field_labels(fields)  # as people name them: 'value for us', not 'our_benefit'
        self.by = by or str(current.get("updated_by", "someone"))
        super().__init__(f"{current.get('title', record_id)!r} was changed meanwhile by {self.by}: {names}")
        self.record_id = record_id
        self.fields = fields
        self.current = current


class Unchanged(Exception):
    """Raised inside a store transaction that turns out to change nothing: it ends without a write."""


class UndoError(BoardError):
    """An undo or redo that could not be made; ``str()`` is the whole notice for the user.

    ``dropped``: it was refused (the record changed or vanished since) and the step left the
    history; else (lock held, disk full, read-only) the step stays for another try.
    ``cause``: the store's error (a :class:`Conflict` carries who changed what).
    """

    def __init__(self, what: str, cause: Exception, dropped: bool) -> None:
        reason = str(getattr(cause, "message", "") or cause)
        if dropped:
            reason = f"{reason.rstrip('.')}. Dropped from the {what} list."
        super().__init__(f"Could not {what}: {reason}")
        self.cause = cause
        self.dropped = dropped
