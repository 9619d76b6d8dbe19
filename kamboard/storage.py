"""SharedJSONStorage: a TinyDB storage that is safe to share between processes.

A drop-in for ``tinydb.storages.JSONStorage`` (same constructor arguments) that
- writes atomically: temp file in the same folder, fsync, ``os.replace``, fsync the folder;
- keeps the file's mode, group and (where permitted) owner, and writes through a symlink to its target;
- takes a cross-process lock (``<file>.lock``, via filelock, with the file's permissions) around every write;
- keeps the parsed data in memory and re-parses only when the file's signature
  (inode, size, mtime, ctime) changed;
- can give a preview of a big file first: every table but one parsed, whose records are parsed
  only where asked for (:meth:`SharedJSONStorage.read_preview`); ``read()`` then parses it whole;
- notices duplicate keys in the top two levels (a table holding a key twice, as a
  ``git merge`` can leave it) on every parse, and refuses to write such data back;
- refuses files that are not regular files (a FIFO would block every read);
- can keep the last N versions in a ``.kamboard-backups`` folder beside the file (only of saves
  that succeed).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Container, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson
from tinydb.storages import Storage

from . import jsonparse
from .i18n import N_, _
from .jsonparse import Duplicate, Preview, describe_duplicates, duplicates, load_checked, loads_preview

if TYPE_CHECKING:
    from filelock import FileLock

Signature = tuple[int, int, int, int]
BACKUP_DIR = ".kamboard-backups"
TEMP_SUFFIX = ".kamboard-tmp"


def file_signature(path: str | os.PathLike[str]) -> Signature | None:
    """What changes whenever the file is replaced or rewritten; None when missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _orjson_options(kwargs: dict[str, Any]) -> int | None:
    """orjson options matching json.dumps kwargs, or None when only stdlib json can do it."""
    indent = kwargs.get("indent")
    if set(kwargs) - {"indent", "sort_keys"} or indent not in (None, 2):
        return None
    opts = 0
    if indent == 2:
        opts |= orjson.OPT_INDENT_2
    if kwargs.get("sort_keys"):
        opts |= orjson.OPT_SORT_KEYS
    return opts


def dumps(data: Any, **kwargs: Any) -> bytes:
    """Serialise like ``json.dumps(data, **kwargs)``, with orjson where it can."""
    body, tail = _dumps_parts(data, **kwargs)
    return body + tail


def _dumps_parts(data: Any, **kwargs: Any) -> tuple[bytes, bytes]:
    """``dumps`` as (body, final newline): writing both spares copying a large body."""
    opts = _orjson_options(kwargs)
    if opts is None:
        return json.dumps(data, **kwargs).encode("utf-8"), b""
    tail = b"\n" if kwargs.get("indent") else b""
    try:
        return orjson.dumps(data, option=opts), tail
    except orjson.JSONEncodeError:  # keys that are not strings (as json.dumps allows): 40% slower
        return orjson.dumps(data, option=opts | orjson.OPT_NON_STR_KEYS), tail


_HEX12 = re.compile(r"[0-9a-fA-F]{12}")


def document_key(record_id: Any, taken: Container[str]) -> str:
    """A new record's document key: an integer (plain TinyDB reads it as the document id) taken
    from the record's random id (48 bits), so two copies of a board that each add a record
    practically never pick the same key; on a clash with a key in ``taken``, the next free one."""
    text = record_id if isinstance(record_id, str) else ""
    if _HEX12.match(text):
        key = int(text[:12], 16)
    elif text:
        key = int.from_bytes(hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=6).digest(), "big")
    else:
        key = secrets.randbits(48)
    key = max(key, 1)
    while str(key) in taken:
        key += 1
    return str(key)


def event_order(key: str, event: Any) -> int:
    """Where an event stands in the activity log: its ``seq`` (counted up under the file lock),
    else its document key (older kamboards counted keys up; new keys are random)."""
    seq = event.get("seq") if isinstance(event, dict) else None
    if type(seq) is int:
        return seq
    return int(key) if key.isdigit() else 0


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a socket or a folder: reading it could block for ever."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(errno.EINVAL, _("not a regular file ({kind})").format(kind=kind), path)
        self.kind = kind


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message: 'a FIFO', 'a folder', ..."""
    for test, kind in (
        (stat.S_ISFIFO, N_("a FIFO")),
        (stat.S_ISDIR, N_("a folder")),
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISSOCK, N_("a socket")),
    ):
        if test(mode):
            return _(kind)
    return _("not a regular file")


def check_regular(path: str | os.PathLike[str]) -> None:
    """Raise :class:`NotRegularFileError` unless ``path`` is a regular file (FileNotFoundError if missing)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(os.fspath(path), file_kind(mode))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at ``path``; never blocks on a FIFO or device (refused instead)."""
    with open_regular(path) as handle:
        return handle.read()


@contextlib.contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """The regular file at ``path``, open for reading; never blocks on a FIFO or device (refused instead)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(os.fspath(path), file_kind(mode))
        yield handle


def fsync_dir(folder: str) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(
    path: str, payload: bytes, mode: int | None = None, tail: bytes = b"", owner: tuple[int, int] | None = None
) -> None:
    """Replace ``path`` with ``payload + tail`` so readers see the old or the new file, never a mix.

    ``mode`` and ``owner`` (uid, gid) are given to the new file before it replaces the old one:
    the owner where permitted (root), else at least the group (when the user is a member)."""
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            if owner is not None:
                _give(fd, *owner)
            if mode is not None:
                os.fchmod(fd, mode)  # after the chown, which clears set-id bits
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if tail:
                handle.write(tail)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _give(fd: int, uid: int, gid: int) -> None:
    """Give the open file ``uid`` and ``gid``; without the right to give it away, keep the group."""
    st = os.fstat(fd)
    if uid in (-1, st.st_uid) and gid in (-1, st.st_gid):
        return
    try:
        os.fchown(fd, uid, gid)
    except PermissionError:  # only root may give a file to another user
        if st.st_gid != gid:
            with contextlib.suppress(PermissionError):  # allowed when the user is in that group
                os.fchown(fd, -1, gid)


def _stamp() -> str:
    """A backup's time stamp: UTC to the nanosecond, one clock reading, so names sort in time order."""
    now = time.time_ns()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f"-{now % 10**9:09d}"


class DuplicateKeysError(OSError):
    """The data was read from a file whose tables hold a key twice: writing it back would drop records."""


class SharedJSONStorage(Storage):
    """TinyDB storage for a JSON file that several processes share."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        create_dirs: bool = False,
        encoding: str | None = None,
        access_mode: str = "r+",
        *,
        backups: int = 0,
        lock_timeout: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if access_mode not in ("r", "rb", "r+", "rb+"):
            raise ValueError(f"access_mode must be 'r' or 'r+', not {access_mode!r}")
        self.path = os.path.realpath(os.fspath(path))
        self.readonly = "+" not in access_mode
        self.encoding = encoding or "utf-8"
        self.kwargs = kwargs
        self.backups = backups
        self.lock_timeout = lock_timeout
        self._lock: FileLock | None = None
        #: the preview read last (see read_preview), until the file is read whole
        self.preview: Preview | None = None
        self._data: dict[str, dict[str, Any]] | None = None
        self._signature: Signature | None = None
        #: bumped whenever the data in memory is replaced by a fresh parse
        self.generation = 0
        #: keys the file held more than once when last parsed (writes are refused meanwhile)
        self.duplicates: list[Duplicate] = []
        #: the backup the last successful write kept, if any
        self.last_backup: str | None = None
        if not self.readonly:
            folder = os.path.dirname(self.path)
            if create_dirs:
                os.makedirs(folder, exist_ok=True)
            elif not os.path.isdir(folder):  # as JSONStorage; filelock would create the folder
                raise FileNotFoundError(errno.ENOENT, "No such folder", folder)
            if not os.path.exists(self.path):
                with self.lock:
                    Path(self.path).touch(exist_ok=True)
        elif not os.path.exists(self.path):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", self.path)

    @property
    def lock(self) -> FileLock:
        """The cross-process lock, ``<file>.lock`` (filelock is imported on first use: it is slow to import).

        The lock file gets the board's permissions, so everyone who may write the board can take it."""
        if self._lock is None:
            from filelock import FileLock

            mode = self._prepare_lock_file()
            self._lock = FileLock(self.path + ".lock", timeout=self.lock_timeout, mode=mode)
        return self._lock

    def _lock_permissions(self, board: os.stat_result | None) -> tuple[int, int]:
        """The lock file's (mode, group): the board's mode bits (its owner may always write), and
        in a group-writable (shared) folder group rw and the folder's group, which every member
        is in (a setgid folder gives it anyway); else the board's group (-1: as it comes)."""
        mode = ((board.st_mode & 0o666) if board is not None else 0o644) | 0o600
        gid = board.st_gid if board is not None else -1
        with contextlib.suppress(OSError):
            folder = os.stat(os.path.dirname(self.path))
            if folder.st_mode & stat.S_IWGRP:
                mode, gid = mode | 0o060, folder.st_gid
        return mode, gid

    def _prepare_lock_file(self, board: os.stat_result | None = None) -> int:
        """Create the lock file with :meth:`_lock_permissions`, or give them to ours; its mode.

        Anyone who can read a file can flock it, so write access to the lock file gives nothing away."""
        if board is None:
            with contextlib.suppress(OSError):
                board = os.stat(self.path)
        mode, gid = self._lock_permissions(board)
        lock_path = self.path + ".lock"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(lock_path, flags, mode)
        except FileExistsError:  # left by an earlier save: give it these permissions if it is ours
            with contextlib.suppress(OSError):
                st = os.lstat(lock_path)
                if stat.S_ISREG(st.st_mode) and os.geteuid() in (st.st_uid, 0):
                    if stat.S_IMODE(st.st_mode) != mode:
                        os.chmod(lock_path, mode)
                    if gid not in (-1, st.st_gid):
                        os.chown(lock_path, -1, gid)
            return mode
        except OSError:
            return mode
        try:
            with contextlib.suppress(OSError):
                os.fchmod(fd, mode)  # past the umask
                _give(fd, -1, gid)
        finally:
            os.close(fd)
        return mode

    # reading
    def changed(self) -> bool:
        """True when the file differs from what is in memory (a preview's file counts as in memory)."""
        return (self._data is None and self.preview is None) or file_signature(self.path) != self._signature

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's data; parsed again only when the file changed (or only a preview was read).

        The returned dict is the cached one: treat it as read-only unless you write it back.
        Raises :class:`NotRegularFileError` for a FIFO, a device or a folder.
        """
        signature = file_signature(self.path)
        if self._data is not None and signature == self._signature:
            return self._data
        self.preview = None  # its bytes are let go before the file is read again
        with open_regular(self.path) as handle:
            if self.encoding.lower() in ("utf-8", "utf8"):
                parsed = load_checked(handle)  # a big file a slice at a time
            else:
                raw = handle.read()
                text = "" if raw.isspace() else raw.decode(self.encoding)
                parsed = (json.loads(text), duplicates(text)) if text else None
        if parsed is None:  # empty, or only whitespace
            self._data, self._signature, self.duplicates = None, signature, []
            return None
        (self._data, self.duplicates), self._signature = parsed, signature
        self.generation += 1
        return self._data

    def read_preview(self, table: str) -> Preview | None:
        """A preview of a big file in our layout (``jsonparse.loads_preview``): a parse of every table
        but ``table``, whose records it finds where asked; None when the file is small (it parses
        fast whole) or cannot be previewed: ``read()`` it. Only the whole parse of ``read()`` finds
        what is wrong in the records left out (``write`` is given what a ``read()`` returned)."""
        signature = file_signature(self.path)
        raw = read_bytes(self.path)
        self.preview = None
        if len(raw) < 2 * jsonparse.SLICE or self.encoding.lower() not in ("utf-8", "utf8"):
            return None
        self.preview = loads_preview(raw, table)
        if self.preview is not None:
            self._data, self._signature, self.duplicates = None, signature, []
            self.generation += 1
        return self.preview

    # writing
    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # TinyDB changes the dict read() returned in place before it calls write():
        # when the write fails, forget it so the next read() shows the file again.
        self.preview = None  # what is written replaces any preview
        if self.readonly:
            self._data, self._signature = None, None
            raise OSError(f'Cannot write to the database. Access mode is "r": {self.path}')
        if self.duplicates:
            self._data, self._signature = None, None
            raise DuplicateKeysError(
                errno.EINVAL,
                _("{duplicates}: writing would drop records; run `kamboard check --repair {path}`").format(
                    duplicates=describe_duplicates(self.duplicates), path=self.path
                ),
            )
        try:
            if self.encoding.lower() in ("utf-8", "utf8"):
                payload, tail = _dumps_parts(data, **self.kwargs)
            else:
                payload, tail = json.dumps(data, **self.kwargs).encode(self.encoding), b""
        except BaseException:
            self._data, self._signature = None, None
            raise
        with self.lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                st = None
            if st is not None:  # keep the lock file takeable by whoever may write the board
                self._prepare_lock_file(st)
            # the old version is linked into the backups first (no copy), and dropped again
            # if the save fails: a failed save leaves file and backups as they were
            kept = self._backup() if self.backups and st is not None else None
            try:
                if st is None:
                    atomic_write(self.path, payload, None, tail)
                else:
                    atomic_write(self.path, payload, st.st_mode & 0o7777, tail, (st.st_uid, st.st_gid))
            except BaseException:
                if kept is not None:
                    self._drop_backup(*kept)
                self._data, self._signature = None, None
                raise
            self._data, self._signature = data, file_signature(self.path)
            self.last_backup = kept[0] if kept is not None else None
            if kept is not None:
                self._rotate_backups()

    def _backup_names(self) -> tuple[str, str]:
        return os.path.join(os.path.dirname(self.path), BACKUP_DIR), os.path.basename(self.path)

    def _backup(self) -> tuple[str, bool] | None:
        """Keep the current file as a version in the backup folder (a hard link: no copy).

        Returns (its path, whether the folder was made for it), or None when it could not be kept
        (a backup must never stop a save)."""
        folder, name = self._backup_names()
        made = not os.path.isdir(folder)
        try:
            os.makedirs(folder, exist_ok=True)
            target = os.path.join(folder, f"{name}.{_stamp()}")
            try:
                os.link(self.path, target)
            except OSError:
                with open(self.path, "rb") as src:
                    atomic_write(target, src.read())
            return target, made
        except OSError:
            if made:
                with contextlib.suppress(OSError):
                    os.rmdir(folder)
            return None

    def keep_copy(self, raw: bytes) -> str:
        """Write ``raw`` (the file as it was read) into the backup folder as a version of this
        board, with the board's mode and owner; its path. Raises OSError when that fails."""
        folder, name = self._backup_names()
        os.makedirs(folder, exist_ok=True)
        st = os.stat(self.path)
        target = os.path.join(folder, f"{name}.{_stamp()}")
        atomic_write(target, raw, st.st_mode & 0o7777, owner=(st.st_uid, st.st_gid))
        return target

    def _drop_backup(self, target: str, made: bool) -> None:
        """Undo :meth:`_backup` after a failed save."""
        with contextlib.suppress(OSError):
            os.unlink(target)
        if made:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.dirname(target))

    def _rotate_backups(self) -> None:
        """Keep the newest ``backups`` versions of this board (after a save that succeeded)."""
        folder, name = self._backup_names()
        mine = re.compile(re.escape(name) + r"\.\d{8}T\d{6}-\d{9}")  # not another board's
        try:
            versions = sorted(f for f in os.listdir(folder) if mine.fullmatch(f))
            for old in versions[: -self.backups]:
                os.unlink(os.path.join(folder, old))
        except OSError:
            pass

    def temp_files(self) -> list[str]:
        """Names of this board's temp files in its folder (a save in progress, or left by a crash)."""
        # mkstemp adds 8 characters: so "a.json" never takes "a.json.x"'s temp files
        mine = re.compile(re.escape(f".{os.path.basename(self.path)}.") + "[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))
        return [entry for entry in os.listdir(os.path.dirname(self.path)) if mine.fullmatch(entry)]

    def clean_temp_files(self) -> list[str]:
        """Remove temp files a crashed writer left behind; call while holding the lock."""
        folder = os.path.dirname(self.path)
        removed = []
        for entry in self.temp_files():
            try:
                os.unlink(os.path.join(folder, entry))
                removed.append(entry)
            except OSError:
                pass
        return removed

    def close(self) -> None:
        self._data = self.preview = None
