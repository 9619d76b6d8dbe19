"""BoardStore: the one API that reads and changes a board file.

Every change is a transaction: take the file lock, re-read the file if another
process changed it, check the record's ``rev``, apply, write atomically, log an event.
Reads take no lock and re-parse only when the file changed.
"""

from __future__ import annotations

import errno
import heapq
import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import orjson

from . import model
from .errors import (
    BoardError,
    BoardFileError,
    BoardNotFound,
    LockTimeout,
    NotFound,
    ReadOnlyError,
    Unchanged,
    lock_timeout_message,
    save_failed_message,
)
from .i18n import N_, _
from .merge_edit import holds, last_count, put_tombstone, replica_id, stamp_change, stamp_delete
from .model import SCHEMA_VERSION
from .storage import NotRegularFileError, SharedJSONStorage, document_key, event_order, file_kind
from .store_accounts import AccountOps
from .store_bulk import BulkOps
from .store_cards import CardOps
from .store_checks import FileChecks
from .store_merge import MergeOps
from .store_preview import PreviewReads
from .store_reads import ReadOps, _reading
from .store_workshops import WorkshopOps

Doc = dict[str, Any]
TABLES = ("meta", "accounts", "cards", "workshops", "events", "tombstones")
EVENT_LIMIT = 1000
BACKUPS = 10
LOCK_PATIENCE = 0.2  # seconds to wait for the file lock before telling on_lock_wait
_READONLY_FILE = N_("{name} is read-only (file permissions): opened read-only; make the file writable to change it.")
_READONLY_FOLDER = N_(
    "{name} is read-only (folder permissions): opened read-only; make the folder writable to change it."
)
_NO_RECORD = {  # a table -> its NotFound message ('' any other)
    "accounts": N_("No account with id {id} in {name}."),
    "cards": N_("No card with id {id} in {name}."),
    "workshops": N_("No workshop with id {id} in {name}."),
    "": N_("No {what} with id {id} in {name}."),
}


def default_user() -> str:
    """KAMBOARD_USER, else git's user.name, else the login name."""
    user = os.environ.get("KAMBOARD_USER", "").strip()
    if user:
        return user
    try:
        import subprocess

        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=2)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def _writable(path: str) -> bool:
    """Writable by permission bits too (root ignores them, but a 0444 file means 'read-only')."""
    try:
        return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False


class BoardStore(PreviewReads, AccountOps, CardOps, WorkshopOps, BulkOps, MergeOps, FileChecks, ReadOps):
    """Reads and changes one kamboard board file; safe to use from several processes at once.

    ``preview=True`` opens a big file for one account's board first (see store_preview)."""

    #: why the file's records cannot all be used (see records.scan), '' when they can
    damage = ""

    def __init__(
        self,
        path: str | os.PathLike[str],
        user: str | None = None,
        *,
        create: bool = False,
        readonly: bool = False,
        lock_timeout: float = 10.0,
        backups: int = BACKUPS,
        clock: Callable[[], str] = model.utc_now,
        title: str = "Key accounts",
        preview: bool = False,
    ) -> None:
        self.path = os.path.realpath(os.fspath(path))
        self.name = os.fspath(path)
        self._user = user or None  # looked up when first needed: git's user.name costs a subprocess
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.readonly_reason = _("read-only mode was asked for") if readonly else ""
        # Threads of this process: a change applies and writes under _mutex (taken once the
        # file lock is held: waiting for another process never holds it); reads take it too.
        self._mutex = threading.RLock()
        #: called (on the saving thread) when another process has held the lock for LOCK_PATIENCE
        self.on_lock_wait: Callable[[], None] | None = None
        folder = os.path.dirname(self.path)
        if not os.path.exists(self.path):
            if not create:
                raise BoardNotFound(
                    _(
                        "{name} does not exist: create it with `kamboard demo {name}` or "
                        "`kamboard account add NAME -f {name}`."
                    ).format(name=self.name)
                )
            if not os.path.isdir(folder):
                raise BoardNotFound(
                    _("Cannot create {name}: the folder {folder} does not exist.").format(name=self.name, folder=folder)
                )
            self._create(title)
        if os.path.isdir(self.path):
            raise BoardFileError(_("{name} is a folder, not a board file.").format(name=self.name))
        if not stat.S_ISREG(os.stat(self.path).st_mode):  # a FIFO would block the first read for ever
            raise self._not_regular(file_kind(os.stat(self.path).st_mode))
        if not readonly and not (_writable(self.path) and _writable(folder)):
            template = _READONLY_FILE if not _writable(self.path) else _READONLY_FOLDER
            self.readonly_reason = _(template).format(name=self.name)
        self.storage = SharedJSONStorage(
            self.path,
            access_mode="r" if self.readonly_reason else "r+",
            backups=backups,
            lock_timeout=lock_timeout,
            indent=2,
            sort_keys=True,
        )
        self._gen = -1
        self._pinned: dict[int, int] = {}  # thread id -> depth of snapshot() blocks
        self._index: dict[str, tuple[str, str]] = {}
        self._by_account: dict[Any, list[str]] = {}  # account id -> keys in the cards table
        self._by_account_for: tuple[Any, Any] = (None, None)  # the (cards table, _index) it was built for
        # change stamps (merge_edit): records as a change found them, this store's writer name in
        # version vectors (user#tag) and its last write (record id, count), to check the tag
        self._before: dict[int, tuple[Doc, Doc]] | None = None  # id(record) -> (record, shallow copy); in a change
        self._replica: str | None = None
        self._last_write: tuple[str, int] | None = None
        self._checked_replica = False  # in this change
        if not (preview and self._open_preview()):
            self._load()
        if not self.readonly_reason and self.storage.temp_files():
            from filelock import Timeout  # imported only when needed: it is slow to import

            try:  # only when nobody is saving: else a temp file may be their save in progress
                self.storage.lock.acquire(timeout=0)
            except Timeout:
                pass
            else:
                try:
                    self.storage.clean_temp_files()
                finally:
                    self.storage.lock.release()

    # plumbing
    @property
    def user(self) -> str:
        """Who makes this store's changes (``default_user()`` unless given)."""
        if self._user is None:
            self._user = default_user()
        return self._user

    @user.setter
    def user(self, value: str) -> None:
        self._user = value

    @property
    def readonly(self) -> bool:
        return bool(self.readonly_reason)

    def _create(self, title: str) -> None:
        meta = {
            "id": model.new_id(),
            "schema": SCHEMA_VERSION,
            "title": title,
            "created_at": self.clock(),
            "created_by": self.user,
        }
        data = {"meta": {"1": meta}, "accounts": {}, "cards": {}, "workshops": {}, "events": {}, "tombstones": {}}
        storage = SharedJSONStorage(self.path, lock_timeout=self.lock_timeout, indent=2, sort_keys=True)
        with self._lock_of(storage):
            if os.path.getsize(self.path) == 0:
                storage.write(data)

    def _lock_of(self, storage: SharedJSONStorage) -> Any:
        from filelock import Timeout

        try:
            try:  # briefly first: when another process holds it, say so before waiting on
                storage.lock.acquire(timeout=min(LOCK_PATIENCE, self.lock_timeout))
            except Timeout:
                if self.lock_timeout <= LOCK_PATIENCE:
                    raise
                if self.on_lock_wait is not None:
                    self.on_lock_wait()
                storage.lock.acquire(timeout=self.lock_timeout - LOCK_PATIENCE)
        except Timeout:
            raise LockTimeout(lock_timeout_message(storage.lock.lock_file, self.lock_timeout)) from None
        except PermissionError:  # a lock file made before the board was shared
            raise ReadOnlyError(
                _(
                    "Cannot take the lock {lock} (permission denied): its owner can run "
                    "`chmod g+w {lock}`, or delete it while no kamboard is running. The file is unchanged."
                ).format(lock=storage.lock.lock_file)
            ) from None
        return _Releaser(storage.lock)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock_of(self.storage):
            yield

    def _load(self) -> dict[str, dict[str, Doc]]:
        """The board's data, re-parsed if the file changed; validated. (A preview's, inside a read
        it can answer: see store_preview.)"""
        if self._previewing and self._preview_reads and not self.storage.changed():
            return self._data
        if self._pinned and self._pinned_here():
            return self._data  # inside snapshot(): the parse its first read made
        if self._previewing:  # from here on the whole file (and what is wrong with it) is read
            self._previewing, self._preview_cards, self._data = False, {}, {}  # (let go before it is)
        try:
            data = self.storage.read()
        except FileNotFoundError:
            raise BoardNotFound(
                _("{name} has disappeared (moved or deleted?); open it where it is now{hint}.").format(
                    name=self.name, hint=self._backup_hint()
                )
            ) from None
        except NotRegularFileError as exc:
            raise self._not_regular(exc.kind) from None
        except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
            raise BoardFileError(
                _("{name} is not valid JSON ({reason}); fix it{hint}.").format(
                    name=self.name, reason=self._not_json(exc), hint=self._backup_hint()
                )
            ) from None
        if self.storage.generation != self._gen:
            self._accept_parse(data)
        return self._data

    def _accept_parse(self, data: Any) -> None:
        """Check a fresh parse (``storage.generation``) and make it this store's data."""
        self._forget_duplicates()
        self._check_shape(data)
        self._note_duplicates()
        self._gen = self.storage.generation
        self._data = data

    def _new_key(self, table: str, record_id: Any = None) -> str:
        """A new record's document key, from its id (see storage.document_key)."""
        return document_key(record_id, self._data.get(table, {}))

    _seq: tuple[Any, int] = (None, 0)  # (events table, the highest sequence number in it)

    def _next_seq(self, events: dict[str, Doc]) -> int:
        """The next event's sequence number, above every event's: the cursor of events(after=...)."""
        if self._seq[0] is not events:
            self._seq = (events, max((event_order(k, e) for k, e in events.items()), default=0))
        seq = self._seq[1] + 1
        self._seq = (events, seq)
        return seq

    @contextmanager
    def snapshot(self) -> Iterator[int]:
        """Reads in this block (on this thread) all see one parse of the file.

        Entering stats the file (re-parsing it if it changed); the reads inside do not, so a
        write landing meanwhile cannot give a screen parts of two versions: it shows in the next
        parse. Yields that parse's ``storage.generation``: a parse made later, by any read or
        change, has a higher one. A change made inside still re-reads the file under the lock.
        (The thread lock is not held for the block: a change on another thread takes the file
        lock first, then this one.)"""
        me = threading.get_ident()
        with self._previewed():  # the preview, if that is what is open (see store_preview)
            if me not in self._pinned:
                self._load()
            generation = self.storage.generation
        self._pinned[me] = self._pinned.get(me, 0) + 1
        try:
            yield generation
        finally:
            self._pinned[me] -= 1
            if not self._pinned[me]:
                del self._pinned[me]

    def _pinned_here(self) -> bool:
        """In this thread's snapshot, with its parse still in memory, and not in a change (a
        change must see the file as it is under the lock: thread-local, as filelock's lock is)."""
        lock = self.storage._lock
        return (
            threading.get_ident() in self._pinned
            and self._gen == self.storage.generation >= 0
            and self.storage._data is not None
            and not (lock is not None and lock.is_locked)
        )

    @_reading
    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True when it did."""
        if not self.storage.changed():
            return False
        gen = self.storage.generation
        self._load()
        return self.storage.generation != gen

    @contextmanager
    def _change(self) -> Iterator[dict[str, dict[str, Doc]]]:
        """A transaction: lock, refresh, let the caller apply, write."""
        if self.readonly:
            raise ReadOnlyError(self.readonly_reason)
        with self._locked(), self._mutex:
            data = self._load()
            if self.readonly:  # a newer schema arrived meanwhile
                raise ReadOnlyError(self.readonly_reason)
            self._before, self._checked_replica = {}, False
            try:
                yield data
                if self._meta(data).get("schema", SCHEMA_VERSION) < SCHEMA_VERSION:
                    from .merge_board import migrate

                    migrate(data)  # the first write of an older file: a board id, a tombstones table
                self.storage.write(data)
            except Unchanged:
                return  # nothing was applied: no write, no backup, no event
            except BaseException as exc:
                self.storage._data = None  # drop what was applied in memory: re-read from disk
                self._gen = -1
                if isinstance(exc, OSError):
                    raise self._write_error(exc) from None
                raise
            finally:
                self._before = None
                if self.storage._data is None:
                    with suppress(BoardError):
                        self._load()

    def _write_error(self, exc: OSError) -> BoardError:
        if exc.errno == errno.ENOSPC:
            return BoardError(
                _(
                    "Could not save {name}: the disk is full. The file is unchanged; free some space and try again."
                ).format(name=self.name)
            )
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyError(
                _("Could not save {name}: permission denied. The file is unchanged.").format(name=self.name)
            )
        return BoardError(save_failed_message(self.name, exc))

    def _stamp(self, doc: Doc, new: bool = False) -> None:
        """Who changed ``doc`` and when, its ``rev``; and, for a record the change found on the
        board (``_get``, ``_touch``), a change stamp of each field it changed (merge_edit)."""
        now = self.clock()
        if new:
            doc.setdefault("id", model.new_id())
            doc["created_at"], doc["created_by"], doc["rev"] = now, self.user, 0
        doc["updated_at"], doc["updated_by"] = now, self.user
        doc["rev"] = int(doc.get("rev", 0)) + 1
        before = self._before
        found = before.get(id(doc)) if before is not None else None
        if before is not None and found is not None:
            replica = self._writer()
            stamp_change(found[1], doc, self.user, replica=replica, at=now)
            before[id(doc)] = (doc, dict(doc))
            self._last_write = (str(doc.get("id", "")), last_count(doc, replica))

    def _touch(self, doc: Doc) -> Doc:
        """Keep ``doc`` as it is before a change applies to it (``_stamp`` then stamps what changed)."""
        if self._before is not None:
            self._before.setdefault(id(doc), (doc, dict(doc)))
        return doc

    def _writer(self) -> str:
        """This store's name in version vectors, ``user#tag``. A tag is kept while the board still
        holds its last write; a file replaced meanwhile by another version (git checkout, a sync
        tool) gets a new tag: one tag never writes on two diverged copies."""
        replica = self._replica
        if not self._checked_replica:
            self._checked_replica = True
            if replica is None or replica.rpartition("#")[0] != self.user or not self._holds_last_write(replica):
                replica, self._last_write = replica_id(self.user), None
            self._replica = replica
        assert replica is not None
        return replica

    def _holds_last_write(self, replica: str) -> bool:
        if self._last_write is None:
            return True
        record_id, count = self._last_write
        where = self._index.get(record_id)
        if where is not None:
            return holds(self._data[where[0]][where[1]], replica, count)
        for table in ("meta", "tombstones"):
            for doc in self._data.get(table, {}).values():
                if doc.get("id") == record_id:
                    return holds(doc, replica, count) if table == "meta" else doc.get("vv", {}).get(replica, 0) >= count
        return False

    def _tombstone(self, data: dict[str, dict[str, Doc]], table: str, doc: Doc) -> None:
        """Leave a tombstone for ``doc``, deleted from ``table``: a merge then tells its deletion
        from an addition on the other copy (and an edit made there meanwhile brings it back)."""
        replica = self._writer()
        tomb = stamp_delete(doc, table, self.user, self.clock(), replica=replica)
        put_tombstone(data, tomb)
        self._last_write = (str(doc["id"]), tomb["vv"][replica])

    def _meta(self, data: dict[str, dict[str, Doc]]) -> Doc:
        return next(d for d in data["meta"].values() if isinstance(d, dict) and "schema" in d)

    def _log(self, data: dict[str, dict[str, Doc]], kind: str, record: Doc, summary: str) -> None:
        events = data.setdefault("events", {})
        event = {
            "id": model.new_id(),
            "at": self.clock(),
            "by": self.user,
            "kind": kind,
            "record_id": record.get("id", ""),
            "account_id": record.get("account_id", record.get("id", ""))
            if kind.startswith("card") or kind.startswith("workshop")
            else record.get("id", ""),
            "summary": summary,
        }
        event["seq"] = self._next_seq(events)
        events[document_key(event["id"], events)] = event
        # trimmed by as many as were added, so a change touches a few lines of the file (trimming
        # 100 at once made a 900-line diff in git every 100 changes)
        if len(events) > EVENT_LIMIT:
            for key in heapq.nsmallest(len(events) - EVENT_LIMIT, events, key=lambda k: (event_order(k, events[k]), k)):
                del events[key]

    def _insert(self, data: dict[str, dict[str, Doc]], table: str, doc: Doc) -> Doc:
        records = data.setdefault(table, {})
        key = document_key(doc.get("id"), records)
        records[key] = doc
        self._index[doc["id"]] = (table, key)
        if table == "cards" and self._by_account_for[0] is records and self._by_account_for[1] is self._index:
            keys = self._by_account.setdefault(doc.get("account_id"), [])
            if key not in keys:  # a deleted card's key may be given out again
                keys.append(key)
        return doc

    def _account_cards(self, data: dict[str, dict[str, Doc]], account_id: str) -> list[Doc]:
        """An account's cards in table order, through an index built once per parse.

        This store's own inserts keep the index up to date; a fresh parse or a replaced cards
        table rebuilds it; a deleted card, or one no longer of this account, is skipped."""
        if self._previewing and data is self._data:
            previewed = self._preview_account(account_id)
            if previewed is not None:
                return previewed
            data = self._load_whole()
        cards = data.get("cards", {})
        if self._by_account_for[0] is not cards or self._by_account_for[1] is not self._index:
            by_account: dict[Any, list[str]] = {}
            for key, doc in cards.items():
                by_account.setdefault(doc.get("account_id"), []).append(key)
            self._by_account, self._by_account_for = by_account, (cards, self._index)
        found = []
        for key in self._by_account.get(account_id, ()):
            card = cards.get(key)
            if card is not None and card.get("account_id") == account_id:
                found.append(card)
        return found

    def _get(self, table: str, record_id: str) -> Doc:
        where = self._index.get(record_id)
        if where is None or where[0] != table:
            raise NotFound(
                _(_NO_RECORD.get(table, _NO_RECORD[""])).format(what=table[:-1], id=record_id, name=self.name)
            )
        doc = self._data[table][where[1]]
        if self._before is not None:  # in a change: kept as it is, for its change stamps
            self._before.setdefault(id(doc), (doc, dict(doc)))
        return doc


class _Releaser:
    def __init__(self, lock: Any) -> None:
        self.lock = lock

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
