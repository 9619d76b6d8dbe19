"""Conflicted copies that sync tools leave beside a board: find them, merge them in, tidy up.

Two laptops editing one board in a synced folder at the same time fork the file; the sync tool
keeps the other version beside it under a name of its own:

- Dropbox: ``board (Anna's conflicted copy 2026-09-25).json``
- Syncthing: ``board.sync-conflict-20260925-143012-ABCDEFG.json`` (the device's short id)
- Nextcloud / ownCloud: ``board (conflicted copy 2026-09-25 143012).json``, also with the user:
  ``board (conflicted copy Anna 2026-09-25 143012).json``
- OneDrive on Windows: ``board-LAPTOP.json`` (the computer's name, upper case). Such a name could
  be anybody's file, so it counts as a copy only when it holds this board (same board id).

:func:`absorb_copies` merges each copy of this board into it (``BoardStore.merge_from``: under the
lock, atomic, with a backup) and moves the copy into ``.kamboard-backups/``; a copy that is not a
readable board of the same id is left where it is, and said so. No Textual here.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from .errors import BoardError
from .i18n import _, ngettext
from .merge_report import MergeReport, counted
from .storage import BACKUP_DIR, _stamp, read_bytes

if TYPE_CHECKING:
    from .store import BoardStore

Signature = tuple[int, int, int]  # a copy's (size, mtime_ns, inode): unchanged copies are not re-read

_WHO = r"[^()/\\]+?"
_DATE = r"\d{4}-\d{2}-\d{2}"
_COUNTER = r"(?: \(\d+\))?"  # a second copy of the same day: "... (1)"


@dataclass(frozen=True)
class CopyName:
    """What a copy's name says: which tool made it, from whom (or which device), and when."""

    tool: str  # "Dropbox", "Syncthing", "Nextcloud", "OneDrive", or "" (a conflicted copy of no known tool)
    who: str = ""  # a person (Dropbox, Nextcloud), else ""
    device: str = ""  # a device or computer (Syncthing, OneDrive), else ""
    when: str = ""  # as the name gives it: "2026-09-25" or "2026-09-25 14:30:12"
    needs_id: bool = False  # a name anybody's file could have: a copy only when it holds this board

    def label(self) -> str:
        """'Anna's conflicted copy (Dropbox)', 'the conflicted copy from device ABCDEFG (Syncthing)'."""
        tool = f" ({self.tool})" if self.tool else ""
        if self.who:
            return _("{who}'s conflicted copy{tool}").format(who=self.who, tool=tool)
        if self.tool == "OneDrive":
            return _("the copy from {device} (OneDrive)").format(device=self.device)
        if self.device:
            return _("the conflicted copy from device {device}{tool}").format(device=self.device, tool=tool)
        if self.when:
            return _("the conflicted copy of {when}{tool}").format(when=self.when, tool=tool)
        return _("a conflicted copy{tool}").format(tool=tool)


def _patterns(stem: str, ext: str) -> list[tuple[str, re.Pattern[str]]]:
    s, e = re.escape(stem), re.escape(ext)
    return [
        (
            "Dropbox",
            re.compile(rf"{s} \((?P<who>{_WHO})['’]s conflicted copy (?P<date>{_DATE}){_COUNTER}\){_COUNTER}{e}"),
        ),
        (
            "Syncthing",
            re.compile(rf"{s}\.sync-conflict-(?P<date>\d{{8}})-(?P<time>\d{{6}})-(?P<device>[A-Za-z0-9]{{7}}){e}"),
        ),
        (
            "Nextcloud",
            re.compile(
                rf"{s} \(conflicted copy (?:(?P<who>{_WHO}) )?(?P<date>{_DATE})(?: (?P<time>\d{{6}}))?{_COUNTER}\)"
                rf"{_COUNTER}{e}"
            ),
        ),
        ("OneDrive", re.compile(rf"{s}-(?P<device>(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{{0,14}}){e}")),
    ]


def _split(name: str) -> tuple[str, str]:
    """'board.json' -> ('board', '.json'); a name without a dot has no extension."""
    stem, dot, ext = name.rpartition(".")
    return (stem, dot + ext) if dot and stem else (name, "")


def _time(raw: str) -> str:
    return f"{raw[:2]}:{raw[2:4]}:{raw[4:]}" if raw else ""


def copy_name(board_name: str, name: str) -> CopyName | None:
    """What ``name`` says when it is a sync tool's copy of the board file ``board_name``; else None."""
    stem, ext = _split(board_name)
    if name == board_name:
        return None
    for tool, pattern in _patterns(stem, ext):
        found = pattern.fullmatch(name)
        if found is None:
            continue
        parts = found.groupdict()
        date, time = parts.get("date") or "", _time(parts.get("time") or "")
        if tool == "Syncthing":
            date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
        if tool == "Nextcloud" and not time:
            tool = ""  # "conflicted copy DATE": no known tool names it so
        when = f"{date} {time}".strip()
        return CopyName(
            tool, (parts.get("who") or "").strip(), parts.get("device") or "", when, needs_id=tool == "OneDrive"
        )
    return None


def find_copies(board_path: str | os.PathLike[str]) -> list[Path]:
    """Files beside the board named as sync tools name its conflicted copies, by name.

    OneDrive-style names (``board-LAPTOP.json``) are listed too: :func:`absorb_copies` takes them
    only when they hold this board."""
    path = Path(os.path.realpath(board_path))
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [path.parent / name for name in sorted(names) if copy_name(path.name, name) is not None]


def folder_signature(board_path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """The board folder's (mtime_ns, inode): a new file beside the board changes it (one ``stat``)."""
    try:
        st = os.stat(os.path.dirname(os.path.realpath(board_path)))
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ino


@dataclass
class CopyResult:
    """What happened to one copy: merged (``report``, and where it went), or left alone (``reason``)."""

    path: Path
    name: CopyName
    report: MergeReport | None = None
    moved_to: Path | None = None
    reason: str = ""  # why it was left alone
    ours: bool = True  # False: a OneDrive-style name holding another board (not said: not a copy)

    @property
    def merged(self) -> bool:
        return self.report is not None

    @property
    def message(self) -> str:
        """One line for the user."""
        if self.report is not None:
            text = _("Merged {copy}: {changes}").format(copy=self.name.label(), changes=changes(self.report))
            return f"{text} ({self.reason})" if self.reason else text
        return _("Left {file} alone: {reason}").format(file=self.path.name, reason=self.reason)


def changes(report: MergeReport) -> str:
    """'3 cards, 1 workshop, 1 conflict to review', or 'nothing new'."""
    parts = [counted(table, n) for table, n in sorted(report.ours.per_table().items())]
    n = len(report.conflicts)
    if n:
        parts.append(ngettext("{n} conflict to review", "{n} conflicts to review", n).format(n=n))
    return ", ".join(parts) if parts else _("nothing new")


def _read(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The copy's data, or None and why it cannot be used."""
    try:
        data = orjson.loads(read_bytes(path))
    except FileNotFoundError:
        return None, "gone"  # not shown
    except OSError as exc:
        return None, _("not readable ({reason})").format(reason=exc.strerror or exc)
    except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None, _("not a readable board (not valid JSON; still being synced?)")
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        return None, _("not a readable board (not a kamboard file)")
    return data, ""


def _signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _move_to_backups(path: Path) -> Path:
    """Move ``path`` into the backups folder beside it: its own name, a time stamp added if taken."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.name}.{_stamp()}"
    os.replace(path, target)
    return target


def absorb_copies(store: BoardStore, known: MutableMapping[Path, Signature] | None = None) -> list[CopyResult]:
    """Merge every conflicted copy of ``store``'s board into it, each copy then moved into the
    backups folder; copies that are not readable boards of the same id are left and reported.

    ``known`` (kept by a caller that checks again and again, as the TUI does): copies already
    left alone, by signature; such a copy is skipped while it is unchanged (said once, not at
    every check). OneDrive-style names holding another board are no copies: not reported."""
    results: list[CopyResult] = []
    board = Path(store.path)
    for path in find_copies(board):
        name = copy_name(board.name, path.name)
        assert name is not None
        signature = _signature(path)
        if signature is None or (known is not None and known.get(path) == signature):
            continue
        result = _absorb(store, path, name)
        if result is None:
            continue
        if not result.merged and known is not None:
            known[path] = signature
        if result.merged or result.ours:
            results.append(result)
    if known is not None:  # forget copies that went away
        for gone in [p for p in known if not p.exists()]:
            del known[gone]
    return results


def _absorb(store: BoardStore, path: Path, name: CopyName) -> CopyResult | None:
    from .merge_board import MergeError, board_id  # only when there is a copy: opening stays light

    data, problem = _read(path)
    if data is None:
        if problem == "gone":
            return None  # another kamboard took it meanwhile
        return CopyResult(path, name, reason=problem, ours=not name.needs_id)
    try:
        theirs = board_id(data)
        mine = board_id({"meta": {"1": store.meta}})
    except MergeError:
        return CopyResult(
            path, name, reason=_("not a readable board (no kamboard meta record)"), ours=not name.needs_id
        )
    except BoardError as exc:
        return CopyResult(path, name, reason=str(exc))
    if theirs != mine:
        return CopyResult(path, name, reason=_("not a copy of this board (another board id)"), ours=not name.needs_id)
    if store.readonly:
        return CopyResult(
            path,
            name,
            reason=_("not merged, the board is read-only ({reason})").format(reason=store.readonly_reason),
        )
    try:
        report = store.merge_from(path)  # read again, and checked whole (shapes, keys held twice)
    except BoardError as exc:
        return CopyResult(path, name, reason=_("not merged: {reason}").format(reason=exc))
    try:
        moved = _move_to_backups(path)
    except FileNotFoundError:
        moved = None  # another kamboard merged it too (no harm: merging twice changes nothing) and moved it
    except OSError as exc:
        result = CopyResult(path, name, report=report)
        result.reason = _("merged, but could not move it into {folder}: {reason}").format(
            folder=BACKUP_DIR, reason=exc.strerror or exc
        )
        return result
    return CopyResult(path, name, report=report, moved_to=moved)


def unseen_copies(board_path: str | os.PathLike[str], known: MutableMapping[Path, Signature]) -> list[Path]:
    """The copies beside the board not yet said to be left alone (or changed since): what a check
    that runs again and again (the TUI) has to absorb; a listing and a ``stat`` per copy."""
    return [path for path in find_copies(board_path) if known.get(path) != _signature(path)]
