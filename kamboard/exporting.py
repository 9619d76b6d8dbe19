"""Exports of one account: the formats, which format a file name asks for, rendering, and the atomic write.

Shared by `kamboard export` and the TUI's palette exports. No textual; the write is the
store's own (temp file, fsync, rename, fsync the folder).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import csv_export, i18n, ical, minutes, model, reports
from .i18n import _
from .storage import atomic_write

Doc = dict[str, Any]
FORMATS = ("md", "csv", "ics", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".csv": "csv", ".ics": "ics", ".ical": "ics", ".json": "json"}


def format_of(path: str | None, default: str = "md") -> str:
    """The format a file name's suffix asks for (any case), else ``default``."""
    return SUFFIXES.get(os.path.splitext(path or "")[1].lower(), default)


@dataclass(frozen=True)
class ExportOptions:
    """How a format is written: the minutes' ``audience`` (team, customer; md), the CSV's
    ``delimiter`` (',', ';' or a tab), the calendar's time zone (an IANA name; '' for this computer's),
    the ``language`` of the text ('de', 'en'; '' for the one in use; JSON has none)."""

    audience: str = "team"
    delimiter: str = ","
    timezone: str = ""
    language: str = ""


DEFAULT_OPTIONS = ExportOptions()
EXCEL = ExportOptions(delimiter=";")  # what Excel set up for a decimal comma opens as columns


def time_zone(name: str) -> dt.tzinfo | None:
    """The time zone called ``name`` ('Europe/Berlin'); None for '' (this computer's). ValueError if unknown."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("Unknown time zone {name!r}; give a name such as Europe/Berlin or UTC.").format(name=name)
        ) from None


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Render in ``language`` ('' or the one in use: no change), then go back to the one before.

    The language is process-wide: the CLI's per-export ``--lang``, not for a thread beside a UI."""
    before = i18n.language()
    if not language or language == before:
        yield
        return
    i18n.set_language(language)  # ValueError for a language kamboard has not
    try:
        yield
    finally:
        i18n.set_language(before)


def render(
    fmt: str,
    account: Doc,
    cards: list[Doc],
    workshops: list[Doc],
    *,
    today: dt.date,
    user: str,
    workshop_id: str | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
) -> str:
    """The export of one account in ``fmt`` (md, csv, ics, json), from records already read.

    ``workshop_id`` chooses the minutes' workshop (md); ``options.language`` the language of the
    text (md, csv, ics). ValueError when it names none of the account's, or for a bad option.
    """
    if fmt not in ("md", "csv", "ics"):  # json: language-neutral, the records as stored
        return reports.account_json(account, cards, workshops, exported_at=model.utc_now(), exported_by=user)
    with in_language(options.language):
        return _render_text(fmt, account, cards, workshops, today=today, workshop_id=workshop_id, options=options)


def _render_text(
    fmt: str,
    account: Doc,
    cards: list[Doc],
    workshops: list[Doc],
    *,
    today: dt.date,
    workshop_id: str | None,
    options: ExportOptions,
) -> str:
    if fmt == "md":
        return minutes.minutes_markdown(
            account, cards, workshops, today=today, workshop_id=workshop_id, audience=options.audience
        )
    if fmt == "csv":
        return csv_export.actions_csv(account, cards, delimiter=options.delimiter)
    tz = time_zone(options.timezone)
    return ical.calendar_ics(account, cards, workshops, now=dt.datetime.now(dt.UTC), tz=tz)


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
