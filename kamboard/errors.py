"""Errors the store raises; each carries a one-line message fit for the user."""

from __future__ import annotations

from typing import Any


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

    ``fields`` maps each field to ``(mine, theirs)``; ``current`` is the record as stored now.
    """

    def __init__(self, record_id: str, fields: dict[str, tuple[Any, Any]], current: dict[str, Any]) -> None:
        names = ", ".join(sorted(fields))
        super().__init__(
            f"{current.get('title', record_id)!r} was changed meanwhile by {current.get('updated_by', 'someone')}: {names}"
        )
        self.record_id = record_id
        self.fields = fields
        self.current = current


class Unchanged(Exception):
    """Raised inside a store transaction that turns out to change nothing: it ends without a write."""
