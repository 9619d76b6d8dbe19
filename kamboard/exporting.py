"""Exports of one account: the formats, which format a file name asks for, rendering, and the atomic write.

Shared by `kamboard export` and the TUI's palette exports. No textual; the write is the
store's own (temp file, fsync, rename, fsync the folder).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from functools import cache
from typing import Any

from . import csv_export, ical, minutes, model, reports
from .storage import atomic_write

Doc = dict[str, Any]
FORMATS = ("md", "csv", "ics", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".csv": "csv", ".ics": "ics", ".ical": "ics", ".json": "json"}


def format_of(path: str | None, default: str = "md") -> str:
    """The format a file name's suffix asks for (any case), else ``default``."""
    return SUFFIXES.get(os.path.splitext(path or "")[1].lower(), default)


def render(
    fmt: str,
    account: Doc,
    cards: list[Doc],
    workshops: list[Doc],
    *,
    today: dt.date,
    user: str,
    workshop_id: str | None = None,
) -> str:
    """The export of one account in ``fmt`` (md, csv, ics, json), from records already read.

    ``workshop_id`` chooses the minutes' workshop (md); ValueError when it names none of the account's.
    """
    if fmt == "md":
        return minutes.minutes_markdown(account, cards, workshops, today=today, workshop_id=workshop_id)
    if fmt == "csv":
        return csv_export.actions_csv(account, cards)
    if fmt == "ics":
        return ical.calendar_ics(account, cards, workshops, now=dt.datetime.now(dt.UTC))
    return reports.account_json(account, cards, workshops, exported_at=model.utc_now(), exported_by=user)


@cache
def new_file_mode() -> int:
    """0o666 less the umask, as a new file would get (read once: the umask is process-wide)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(path: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return new_file_mode()


def write_export(path: str, data: bytes, mode: int) -> None:
    """Replace ``path`` with ``data`` atomically and durably, the new file getting ``mode``."""
    atomic_write(path, data, mode=mode)
