"""Errors the store raises; each carries a one-line message fit for the user."""

from __future__ import annotations

from typing import Any

from .i18n import N_, _
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
        self.by = by or str(current.get("updated_by", _("someone")))
        super().__init__(
            _("{title!r} was changed meanwhile by {by}: {fields}").format(
                title=current.get("title", record_id), by=self.by, fields=names
            )
        )
        self.record_id = record_id
        self.fields = fields
        self.current = current


class Unchanged(Exception):
    """Raised inside a store transaction that turns out to change nothing: it ends without a write."""


# what -> (the notice, the reason of a step that left the history)
_UNDO_MESSAGES = {
    "undo": (N_("Could not undo: {reason}"), N_("{reason}. Dropped from the undo list.")),
    "redo": (N_("Could not redo: {reason}"), N_("{reason}. Dropped from the redo list.")),
}


class UndoError(BoardError):
    """An undo or redo that could not be made; ``str()`` is the whole notice for the user.

    ``dropped``: it was refused (the record changed or vanished since) and the step left the
    history; else (lock held, disk full, read-only) the step stays for another try.
    ``cause``: the store's error (a :class:`Conflict` carries who changed what).
    """

    def __init__(self, what: str, cause: Exception, dropped: bool) -> None:
        reason = str(getattr(cause, "message", "") or cause)
        if dropped:
            reason = _(_UNDO_MESSAGES[what][1]).format(reason=reason.rstrip("."))
        super().__init__(_(_UNDO_MESSAGES[what][0]).format(reason=reason))
        self.cause = cause
        self.dropped = dropped


def lock_timeout_message(lock_file: str, timeout: float) -> str:
    """The notice of a lock held too long (another kamboard saving, or a stale lock file)."""
    return _("{lock} has been held for over {seconds:g} s; if no kamboard is running, delete that lock file.").format(
        lock=lock_file, seconds=timeout
    )


def save_failed_message(name: str, exc: OSError) -> str:
    """'Could not save NAME: REASON. The file is unchanged.'"""
    return _("Could not save {name}: {reason}. The file is unchanged.").format(name=name, reason=exc.strerror or exc)


def not_regular_message(name: str, kind: str) -> str:
    """A path that is a FIFO, a device, ...: ``kind`` as :func:`kamboard.storage.file_kind` says it."""
    return _("{name} is not a regular file ({kind}); give the path of a board file.").format(name=name, kind=kind)
