"""SharedJSONStorage: a TinyDB storage that is safe to share between processes.

A drop-in for ``tinydb.storages.JSONStorage`` (same constructor arguments) that
- writes atomically: temp file in the same folder, fsync, ``os.replace``, fsync the folder;
- keeps the file's mode and writes through a symlink to its target;
- takes a cross-process lock (``<file>.lock``, via filelock) around every write;
- keeps the parsed data in memory and re-parses only when the file's signature
  (inode, size, mtime, ctime) changed;
- can keep the last N versions in a ``.kamboard-backups`` folder beside the file.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb.storages import Storage

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


# Big files in the layout this module writes (indent 2) are parsed a slice of records at a time:
# orjson needs about twice its input in scratch memory on top of the result, so one 6 MB parse
# peaks 12 MB higher than slices of 512 KB do.
SLICE = 1 << 19
_TABLE_HEAD = re.compile(rb'\n  ("(?:[^"\\\n]|\\.)*"): \{(\}|\n)')
_RECORD_END = b'\n    },\n    "'


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (for building big acyclic data: JSON records)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class _OtherLayout(Exception):
    """The file is not in the indent-2 layout: parse it in one piece."""


def loads(raw: bytes) -> Any:
    """``orjson.loads(raw)``, by slices for a big file in our layout (same result, less memory).

    The cyclic garbage collector is paused meanwhile: parsed JSON holds no cycles, and its
    passes over the growing heap (and the whole app) took half the time of a big parse.

    A slice ends where a record at depth 2 ends (``\\n    },``); JSON strings cannot hold a raw
    newline, so that is never inside a string. Every slice must parse as a whole object and the
    tables must follow each other exactly as in our layout, else the file is parsed in one piece
    (which also gives the usual error for a broken file).
    """
    with gc_paused():
        if len(raw) < 2 * SLICE or not raw.startswith(b'{\n  "'):
            return orjson.loads(raw)
        try:
            return _loads_sliced(raw)
        except (_OtherLayout, orjson.JSONDecodeError):
            return orjson.loads(raw)


def _loads_sliced(raw: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pos = 1  # the newline before the first table
    while True:
        head = _TABLE_HEAD.match(raw, pos)
        if head is None:
            raise _OtherLayout
        name = orjson.loads(head.group(1))
        if name in out:
            raise _OtherLayout
        table: dict[str, Any] = {}
        out[name] = table
        if head.group(2) == b"}":  # an empty table: "name": {}
            end = head.end()
        else:
            start = head.end() - 1  # the newline before the first record
            while True:  # each byte is searched about once
                cut = raw.find(_RECORD_END, start + SLICE)  # a record's end, a slice further on
                close = raw.find(b"\n  }", start, len(raw) if cut < 0 else cut)  # the table's end
                if close >= 0:
                    table.update(orjson.loads(b"{" + raw[start:close] + b"}"))
                    end = close + 4
                    break
                if cut < 0:
                    raise _OtherLayout
                table.update(orjson.loads(b"{" + raw[start : cut + 6] + b"}"))
                start = cut + 7  # past the comma
        if raw[end : end + 1] == b",":
            pos = end + 1
        elif raw[end:].strip() == b"}":
            return out
        else:
            raise _OtherLayout


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


def atomic_write(path: str, payload: bytes, mode: int | None = None, tail: bytes = b"") -> None:
    """Replace ``path`` with ``payload + tail`` so readers see the old or the new file, never a mix."""
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if tail:
                handle.write(tail)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


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
        self._data: dict[str, dict[str, Any]] | None = None
        self._signature: Signature | None = None
        #: bumped whenever the data in memory is replaced by a fresh parse
        self.generation = 0
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
        """The cross-process lock, ``<file>.lock`` (filelock is imported on first use: it is slow to import)."""
        if self._lock is None:
            from filelock import FileLock

            self._lock = FileLock(self.path + ".lock", timeout=self.lock_timeout)
        return self._lock

    # reading
    def changed(self) -> bool:
        """True when the file differs from what is in memory."""
        return self._data is None or file_signature(self.path) != self._signature

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's data; parsed again only when the file changed.

        The returned dict is the cached one: treat it as read-only unless you write it back.
        """
        signature = file_signature(self.path)
        if self._data is not None and signature == self._signature:
            return self._data
        with open(self.path, "rb") as handle:
            raw = handle.read()
        if not raw or raw.isspace():  # not raw.strip(): that copies the whole file
            self._data, self._signature = None, signature
            return None
        data = loads(raw) if self.encoding.lower() in ("utf-8", "utf8") else json.loads(raw.decode(self.encoding))
        del raw  # before anything else is allocated
        self._data, self._signature = data, signature
        self.generation += 1
        return data

    # writing
    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # TinyDB changes the dict read() returned in place before it calls write():
        # when the write fails, forget it so the next read() shows the file again.
        if self.readonly:
            self._data, self._signature = None, None
            raise OSError(f'Cannot write to the database. Access mode is "r": {self.path}')
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
                mode = os.stat(self.path).st_mode & 0o7777
            except FileNotFoundError:
                mode = None
            if self.backups and mode is not None:
                self._backup()
            try:
                atomic_write(self.path, payload, mode, tail)
            except BaseException:
                self._data, self._signature = None, None
                raise
            self._data, self._signature = data, file_signature(self.path)

    def _backup(self) -> None:
        """Keep the current file as a version in the backup folder (a hard link: no copy)."""
        folder = os.path.join(os.path.dirname(self.path), BACKUP_DIR)
        name = os.path.basename(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            now = time.time_ns()  # one reading, so names sort in time order
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f"-{now % 10**9:09d}"
            target = os.path.join(folder, f"{name}.{stamp}")
            try:
                os.link(self.path, target)
            except OSError:
                with open(self.path, "rb") as src:
                    atomic_write(target, src.read())
            mine = re.compile(re.escape(name) + r"\.\d{8}T\d{6}-\d{9}")  # not another board's
            versions = sorted(f for f in os.listdir(folder) if mine.fullmatch(f))
            for old in versions[: -self.backups]:
                os.unlink(os.path.join(folder, old))
        except OSError:
            pass  # a backup must never stop a save

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
        self._data = None
