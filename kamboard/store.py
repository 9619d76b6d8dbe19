"""BoardStore: the one API that reads and changes a board file.

Every change is a transaction: take the file lock, re-read the file if another
process changed it, check the record's ``rev``, apply, write atomically, log an event.
Reads take no lock and re-parse only when the file changed.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import orjson
from filelock import Timeout

from . import model, voting
from . import workshop as ws_rules
from .errors import BoardError, BoardFileError, BoardNotFound, Conflict, LockTimeout, NotFound, ReadOnlyError
from .model import LANES, SCHEMA_VERSION, ValidationError
from .storage import SharedJSONStorage

Doc = dict[str, Any]
TABLES = ("meta", "accounts", "cards", "workshops", "events")
EVENT_LIMIT = 1000
BACKUPS = 10
_MIN_GAP = 1e-9


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


class BoardStore:
    """Reads and changes one kamboard board file; safe to use from several processes at once."""

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
    ) -> None:
        self.path = os.path.realpath(os.fspath(path))
        self.name = os.fspath(path)
        self.user = user or default_user()
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.readonly_reason = "read-only mode was asked for" if readonly else ""
        folder = os.path.dirname(self.path)
        if not os.path.exists(self.path):
            if not create:
                raise BoardNotFound(
                    f"{self.name} does not exist: create it with `kamboard demo {self.name}` or `kamboard account add NAME -f {self.name}`."
                )
            if not os.path.isdir(folder):
                raise BoardNotFound(f"Cannot create {self.name}: the folder {folder} does not exist.")
            self._create(title)
        if os.path.isdir(self.path):
            raise BoardFileError(f"{self.name} is a folder, not a board file.")
        if not readonly and not (_writable(self.path) and _writable(folder)):
            what = "file" if not _writable(self.path) else "folder"
            self.readonly_reason = f"{self.name} is read-only ({what} permissions): opened read-only; make the {what} writable to change it."
        self.storage = SharedJSONStorage(
            self.path,
            access_mode="r" if self.readonly_reason else "r+",
            backups=backups,
            lock_timeout=lock_timeout,
            indent=2,
            sort_keys=True,
        )
        self._gen = -1
        self._index: dict[str, tuple[str, str]] = {}
        self._next_key: dict[str, int] = {}
        self._data = self._load()
        if not self.readonly_reason:
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
        data = {"meta": {"1": meta}, "accounts": {}, "cards": {}, "workshops": {}, "events": {}}
        storage = SharedJSONStorage(self.path, lock_timeout=self.lock_timeout, indent=2, sort_keys=True)
        with self._lock_of(storage):
            if os.path.getsize(self.path) == 0:
                storage.write(data)

    def _lock_of(self, storage: SharedJSONStorage) -> Any:
        try:
            storage.lock.acquire()
        except Timeout:
            raise LockTimeout(
                f"{storage.lock.lock_file} has been held for over {self.lock_timeout:g} s; if no kamboard is running, delete that lock file."
            ) from None
        return _Releaser(storage.lock)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock_of(self.storage):
            yield

    def _load(self) -> dict[str, dict[str, Doc]]:
        """The board's data, re-parsed if the file changed; validated."""
        try:
            data = self.storage.read()
        except FileNotFoundError:
            raise BoardNotFound(
                f"{self.name} has disappeared (moved or deleted?); open it where it is now or restore a copy from {self._backup_hint()}."
            ) from None
        except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
            raise BoardFileError(
                f"{self.name} is not valid JSON ({exc}); fix it or restore a copy from {self._backup_hint()}."
            ) from None
        if self.storage.generation != self._gen:
            self._check_shape(data)
            self._gen = self.storage.generation
            self._data = data  # type: ignore[assignment]
            self._reindex()
        return self._data

    def _backup_hint(self) -> str:
        return os.path.join(os.path.dirname(self.name) or ".", ".kamboard-backups")

    def _check_shape(self, data: Any) -> None:
        if data is None:
            raise BoardFileError(
                f"{self.name} is empty, not a kamboard board; restore a copy from {self._backup_hint()} or delete it."
            )
        not_board = f"{self.name} is JSON but not a kamboard board"
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise BoardFileError(f"{not_board} (expected tables of records); open another file.")
        metas = [d for d in data.get("meta", {}).values() if isinstance(d, dict) and "schema" in d]
        if not metas or not isinstance(metas[0]["schema"], int):
            raise BoardFileError(f"{not_board} (no kamboard meta table); open another file.")
        for name, table in data.items():
            if not all(isinstance(doc, dict) for doc in table.values()):
                raise BoardFileError(
                    f"{not_board} (table {name!r} holds a non-record); fix it or restore a copy from {self._backup_hint()}."
                )
        schema = metas[0]["schema"]
        if schema > SCHEMA_VERSION:
            self.readonly_reason = (
                f"{self.name} was written by a newer kamboard (schema {schema}, this one knows {SCHEMA_VERSION}): "
                "opened read-only; upgrade kamboard to change it."
            )

    def _reindex(self) -> None:
        self._index = {}
        self._next_key = {}
        for table in ("accounts", "cards", "workshops"):
            for key, doc in self._data.get(table, {}).items():
                if "id" in doc:
                    self._index[str(doc["id"])] = (table, key)

    def _new_key(self, table: str) -> str:
        if table not in self._next_key:
            keys = [int(k) for k in self._data.get(table, {}) if k.isdigit()]
            self._next_key[table] = max(keys, default=0) + 1
        key = self._next_key[table]
        self._next_key[table] = key + 1
        return str(key)

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
        with self._locked():
            data = self._load()
            if self.readonly:  # a newer schema arrived meanwhile
                raise ReadOnlyError(self.readonly_reason)
            try:
                yield data
                self.storage.write(data)
            except BaseException as exc:
                self.storage._data = None  # drop what was applied in memory: re-read from disk
                self._gen = -1
                if isinstance(exc, OSError):
                    raise self._write_error(exc) from None
                raise
            finally:
                if self.storage._data is None:
                    with suppress(BoardError):
                        self._load()

    def _write_error(self, exc: OSError) -> BoardError:
        if exc.errno == errno.ENOSPC:
            return BoardError(
                f"Could not save {self.name}: the disk is full. The file is unchanged; free some space and try again."
            )
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyError(f"Could not save {self.name}: permission denied. The file is unchanged.")
        return BoardError(f"Could not save {self.name}: {exc.strerror or exc}. The file is unchanged.")

    def _stamp(self, doc: Doc, new: bool = False) -> None:
        now = self.clock()
        if new:
            doc.setdefault("id", model.new_id())
            doc["created_at"], doc["created_by"], doc["rev"] = now, self.user, 0
        doc["updated_at"], doc["updated_by"] = now, self.user
        doc["rev"] = int(doc.get("rev", 0)) + 1

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
        events[self._new_key("events")] = event
        if len(events) > EVENT_LIMIT + 100:
            for key in sorted(events, key=int)[: len(events) - EVENT_LIMIT]:
                del events[key]

    def _insert(self, data: dict[str, dict[str, Doc]], table: str, doc: Doc) -> Doc:
        key = self._new_key(table)
        data.setdefault(table, {})[key] = doc
        self._index[doc["id"]] = (table, key)
        return doc

    def _get(self, table: str, record_id: str) -> Doc:
        where = self._index.get(record_id)
        if where is None or where[0] != table:
            raise NotFound(f"No {table[:-1]} with id {record_id} in {self.name}.")
        return self._data[table][where[1]]

    # reads
    @property
    def meta(self) -> Doc:
        data = self._load()
        return dict(next(d for d in data["meta"].values() if "schema" in d))

    def accounts(self, include_archived: bool = False) -> list[Doc]:
        data = self._load()
        docs = [dict(d) for d in data.get("accounts", {}).values() if include_archived or not d.get("archived")]
        return sorted(docs, key=lambda d: str(d.get("name", "")).casefold())

    def account(self, ref: str) -> Doc:
        """An account by id, unique id prefix or name (case-insensitive)."""
        data = self._load()
        accounts = list(data.get("accounts", {}).values())
        ref_cf = ref.strip().casefold()
        for doc in accounts:
            if doc.get("id") == ref or str(doc.get("name", "")).casefold() == ref_cf:
                return dict(doc)
        matches = [d for d in accounts if len(ref) >= 4 and str(d.get("id", "")).startswith(ref)]
        if len(matches) == 1:
            return dict(matches[0])
        raise NotFound(f"No account {ref!r} in {self.name}; `kamboard account list` shows them.")

    def cards(self, account_id: str | None = None, lane: str | None = None) -> list[Doc]:
        """Cards ordered by lane (topic, challenge, support) then position."""
        data = self._load()
        order = {name: i for i, name in enumerate(LANES)}
        docs = [
            dict(d)
            for d in data.get("cards", {}).values()
            if (account_id is None or d.get("account_id") == account_id) and (lane is None or d.get("lane") == lane)
        ]
        return sorted(docs, key=lambda d: (order.get(d.get("lane"), 9), d.get("position", 0)))

    def card(self, ref: str) -> Doc:
        """A card by id or unique id prefix."""
        self._load()
        if self._index.get(ref, ("",))[0] == "cards":
            return dict(self._get("cards", ref))
        matches = [i for i, (t, _) in self._index.items() if t == "cards" and i.startswith(ref)] if ref else []
        if len(matches) == 1:
            return dict(self._get("cards", matches[0]))
        if len(matches) > 1:
            raise NotFound(f"Card prefix {ref!r} matches {len(matches)} cards; give more characters.")
        raise NotFound(f"No card {ref!r} in {self.name}; `kamboard card list` shows them.")

    def workshops(self, account_id: str | None = None) -> list[Doc]:
        data = self._load()
        docs = [
            dict(d)
            for d in data.get("workshops", {}).values()
            if account_id is None or d.get("account_id") == account_id
        ]
        return sorted(docs, key=lambda d: str(d.get("start", "")))

    def workshop(self, record_id: str) -> Doc:
        self._load()
        return dict(self._get("workshops", record_id))

    def events(self, after: int = 0) -> list[tuple[int, Doc]]:
        """Activity log entries with a key above ``after``, oldest first, as (key, event)."""
        data = self._load()
        return sorted((int(k), dict(v)) for k, v in data.get("events", {}).items() if k.isdigit() and int(k) > after)

    def last_event_key(self) -> int:
        data = self._load()
        return max((int(k) for k in data.get("events", {}) if k.isdigit()), default=0)

    def summaries(self, today: dt.date | None = None, include_archived: bool = False) -> list[model.AccountSummary]:
        """Key figures per account, computed in one pass over the cards."""
        today = today or dt.date.today()
        data = self._load()
        accounts = self.accounts(include_archived)
        counts: dict[str, dict[str, int]] = {a["id"]: dict.fromkeys(LANES, 0) for a in accounts}
        open_: dict[str, int] = dict.fromkeys(counts, 0)
        overdue: dict[str, int] = dict.fromkeys(counts, 0)
        for card in data.get("cards", {}).values():
            aid = card.get("account_id")
            if aid not in counts:
                continue
            lane = card.get("lane")
            if lane in counts[aid]:
                counts[aid][lane] += 1
            if lane == "support" and card.get("status", "") in ("", *model.OPEN_STATUSES):
                open_[aid] += 1
                overdue[aid] += model.is_overdue(card, today)
        last: dict[str, str] = {}
        for ws in data.get("workshops", {}).values():
            start = str(ws.get("start", ""))[:10]
            if ws.get("account_id") in counts and start <= today.isoformat() and start > last.get(ws["account_id"], ""):
                last[ws["account_id"]] = start
        return [
            model.AccountSummary(
                id=a["id"],
                name=a.get("name", ""),
                owner=a.get("owner", ""),
                archived=bool(a.get("archived")),
                counts=counts[a["id"]],
                open_actions=open_[a["id"]],
                overdue_actions=overdue[a["id"]],
                last_workshop=last.get(a["id"], ""),
            )
            for a in accounts
        ]

    # account changes
    def _check_name_free(self, data: dict[str, dict[str, Doc]], name: str, except_id: str = "") -> None:
        for doc in data.get("accounts", {}).values():
            if doc.get("id") != except_id and str(doc.get("name", "")).casefold() == name.casefold():
                raise ValidationError("name", f"An account named {doc['name']!r} already exists.")

    def add_account(self, name: str, owner: str = "", notes: str = "", *, id: str | None = None) -> Doc:
        name = model.validate_title(name, "name", "Account name")
        owner = model.validate_text(owner, "owner", "Owner", multiline=False)
        notes = model.validate_text(notes, "notes", "Notes")
        with self._change() as data:
            self._check_name_free(data, name)
            doc: Doc = {"name": name, "owner": owner, "notes": notes, "archived": False}
            if id:
                doc["id"] = id
            self._stamp(doc, new=True)
            self._insert(data, "accounts", doc)
            self._log(data, "account.add", doc, f"added account {name!r}")
        return dict(doc)

    def update_account(self, ref: str, **changes: Any) -> Doc:
        allowed = {"name", "owner", "notes", "archived"}
        if set(changes) - allowed:
            raise ValidationError("account", f"Unknown account field(s): {', '.join(sorted(set(changes) - allowed))}.")
        if "name" in changes:
            changes["name"] = model.validate_title(changes["name"], "name", "Account name")
        if "owner" in changes:
            changes["owner"] = model.validate_text(changes["owner"], "owner", "Owner", multiline=False)
        if "notes" in changes:
            changes["notes"] = model.validate_text(changes["notes"], "notes", "Notes")
        account_id = self.account(ref)["id"]
        with self._change() as data:
            doc = self._get("accounts", account_id)
            if "name" in changes:
                self._check_name_free(data, changes["name"], account_id)
            old_name = doc.get("name")
            doc.update(changes)
            self._stamp(doc)
            if "name" in changes and changes["name"] != old_name:
                summary = f"renamed account {old_name!r} to {changes['name']!r}"
            elif changes.get("archived"):
                summary = f"archived account {old_name!r}"
            else:
                summary = f"edited account {old_name!r}"
            self._log(data, "account.edit", doc, summary)
        return dict(doc)

    def rename_account(self, ref: str, new_name: str) -> Doc:
        return self.update_account(ref, name=new_name)

    def archive_account(self, ref: str, archived: bool = True) -> Doc:
        return self.update_account(ref, archived=archived)

    # card changes
    def _lane_positions(self, data: dict[str, dict[str, Doc]], account_id: str, lane: str, skip: str = "") -> list[Doc]:
        docs = [
            d
            for d in data["cards"].values()
            if d.get("account_id") == account_id and d.get("lane") == lane and d.get("id") != skip
        ]
        return sorted(docs, key=lambda d: d.get("position", 0))

    def _position_at(self, lane_docs: list[Doc], index: int | None) -> float:
        """A position that puts a card at ``index`` among ``lane_docs`` (None: at the end)."""
        n = len(lane_docs)
        if index is None or index >= n:
            return float(lane_docs[-1].get("position", 0)) + 1.0 if lane_docs else 1.0
        index = max(0, index)
        after = float(lane_docs[index].get("position", 0))
        before = float(lane_docs[index - 1].get("position", 0)) if index > 0 else after - 2.0
        if after - before < _MIN_GAP:
            for i, doc in enumerate(lane_docs, start=1):  # renumber the lane
                doc["position"] = float(i)
            return self._position_at(lane_docs, index)
        return (before + after) / 2

    def _check_links(self, links: list[str], card_id: str = "") -> list[str]:
        for link in links:
            if link == card_id:
                raise ValidationError("links", "A card cannot link to itself.")
            if self._index.get(link, ("",))[0] != "cards":
                raise ValidationError("links", f"Link to card {link!r}: no such card.")
        return links

    def add_card(
        self,
        account: str,
        lane: str,
        title: str,
        *,
        index: int | None = None,
        id: str | None = None,
        workshop_id: str = "",
        **fields: Any,
    ) -> Doc:
        """Add a card to an account's lane (at ``index``, else at the end); ``workshop_id``: captured there."""
        lane = model.validate_lane(lane)
        clean = model.validate_card_fields({"title": title, **fields})
        account_id = self.account(account)["id"]
        with self._change() as data:
            if id and id in self._index:
                raise ValidationError("id", f"A record with id {id} already exists.")
            self._check_links(clean.get("links", []), id or "")
            doc: Doc = {**model.CARD_DEFAULTS, "account_id": account_id, "lane": lane, **clean}
            doc["tags"], doc["links"] = list(doc["tags"]), list(doc["links"])
            if id:
                doc["id"] = id
            if workshop_id:
                if self._get("workshops", workshop_id).get("account_id") != account_id:
                    raise ValidationError("workshop_id", "That workshop belongs to another account.")
                doc["workshop_id"] = workshop_id
            doc["position"] = self._position_at(self._lane_positions(data, account_id, lane), index)
            self._stamp(doc, new=True)
            self._insert(data, "cards", doc)
            self._log(data, "card.add", doc, f"added {doc['title']!r} to {model.LANE_TITLES[lane]}")
        return dict(doc)

    def update_card(self, ref: str, changes: dict[str, Any], *, base: Doc | None = None) -> Doc:
        """Change fields of a card.

        With ``base`` (the card as the caller read it), fields the caller did not change are
        left alone, fields only the other side changed merge silently, and a field both sides
        changed to different values raises :class:`Conflict`.
        """
        clean = model.validate_card_fields(changes)
        card_id = base["id"] if base else self.card(ref)["id"]
        with self._change() as data:
            doc = self._get("cards", card_id)
            if base is not None:
                clean = {k: v for k, v in clean.items() if v != base.get(k)}
                if base.get("rev") != doc.get("rev"):
                    clashes = {
                        k: (v, doc.get(k)) for k, v in clean.items() if doc.get(k) != base.get(k) and doc.get(k) != v
                    }
                    if clashes:
                        raise Conflict(card_id, clashes, dict(doc))
            if "links" in clean:
                self._check_links(clean["links"], card_id)
            if not clean:
                return dict(doc)
            doc.update(clean)
            self._stamp(doc)
            self._log(data, "card.edit", doc, f"edited {doc['title']!r} ({', '.join(sorted(clean))})")
        return dict(doc)

    def move_card(self, ref: str, lane: str | None = None, index: int | None = None) -> Doc:
        """Move a card to ``index`` (0-based; None: the end) of ``lane`` (None: its own lane)."""
        card_id = self.card(ref)["id"]
        if lane is not None:
            lane = model.validate_lane(lane)
        with self._change() as data:
            doc = self._get("cards", card_id)
            target = lane or doc["lane"]
            if target == doc["lane"] and index is None:
                index = None
            docs = self._lane_positions(data, doc["account_id"], target, skip=card_id)
            old_lane = doc["lane"]
            doc["position"] = self._position_at(docs, index)
            doc["lane"] = target
            self._stamp(doc)
            where = f"to {model.LANE_TITLES[target]}" if target != old_lane else f"within {model.LANE_TITLES[target]}"
            self._log(data, "card.move", doc, f"moved {doc['title']!r} {where}")
        return dict(doc)

    def delete_card(self, ref: str) -> Doc:
        """Delete a card (and links to it); returns it as it was, for undo."""
        card_id = self.card(ref)["id"]
        with self._change() as data:
            doc = self._get("cards", card_id)
            table, key = self._index.pop(card_id)
            del data[table][key]
            for other in data["cards"].values():
                if card_id in other.get("links", ()):
                    other["links"] = [x for x in other["links"] if x != card_id]
                    self._stamp(other)
            self._log(data, "card.delete", doc, f"deleted {doc['title']!r}")
        return dict(doc)

    def restore_card(self, doc: Doc) -> Doc:
        """Put back a deleted card as it was (same id), e.g. for undo."""
        if doc.get("id") in self._index:
            raise ValidationError("id", f"Card {doc.get('title')!r} exists already.")
        account = self.account(doc["account_id"])
        with self._change() as data:
            restored = dict(doc)
            restored["links"] = [x for x in restored.get("links", []) if x in self._index]
            lane_docs = self._lane_positions(data, account["id"], restored["lane"])
            if any(d.get("position") == restored.get("position") for d in lane_docs):
                restored["position"] = self._position_at(lane_docs, None)
            self._stamp(restored)
            self._insert(data, "cards", restored)
            self._log(data, "card.add", restored, f"restored {restored['title']!r}")
        return dict(restored)

    def insert_records(self, records: dict[str, list[Doc]], account: Doc, summary: str) -> int:
        """Insert whole records as they are (ids, revs, timestamps kept), all or nothing.

        For imports: ``records`` maps a table (accounts, cards, workshops) to new records;
        an id already on the board raises ValidationError and nothing is written.
        """
        with self._change() as data:
            for table, docs in records.items():
                for doc in docs:
                    if table not in ("accounts", "cards", "workshops") or doc.get("id") in self._index:
                        raise ValidationError("id", f"A record with id {doc.get('id')} already exists in {self.name}.")
            count = 0
            for table, docs in records.items():
                for doc in docs:
                    self._insert(data, table, dict(doc))
                    count += 1
            if count:
                self._log(data, "account.import", account, summary)
        return count

    # workshops
    def add_workshop(self, account: str, title: str, **fields: Any) -> Doc:
        fields = ws_rules.validate_workshop_fields({**fields, "title": title})
        title = fields.pop("title")
        account_id = self.account(account)["id"]
        with self._change() as data:
            doc: Doc = {
                "account_id": account_id,
                "title": title,
                "start": "",
                "end": "",
                "location": "",
                "participants": [],
                "agenda": [],
                "notes": "",
                **fields,
            }
            self._stamp(doc, new=True)
            self._insert(data, "workshops", doc)
            self._log(data, "workshop.add", doc, f"added workshop {title!r}")
        return dict(doc)

    def update_workshop(self, record_id: str, changes: dict[str, Any]) -> Doc:
        """Change workshop fields (see ``workshop.WORKSHOP_FIELDS``), validated."""
        with self._change() as data:
            doc = self._get("workshops", record_id)
            doc.update(ws_rules.validate_workshop_fields(changes, doc))
            self._stamp(doc)
            self._log(data, "workshop.edit", doc, f"edited workshop {doc.get('title', '')!r}")
        return dict(doc)

    # agenda, timer, votes and commitments review (rules: workshop.py, voting.py)
    def _edit_workshop(self, workshop_id: str, apply: Callable[[Doc], str], kind: str = "workshop.edit") -> Doc:
        """Change a workshop in one transaction: ``apply`` edits the record in place, returns the summary."""
        with self._change() as data:
            doc = self._get("workshops", workshop_id)
            summary = apply(doc)
            self._stamp(doc)
            self._log(data, kind, doc, summary)
        return dict(doc)

    def add_agenda_item(
        self, workshop_id: str, title: str, lane: str = "", minutes: int = 30, index: int | None = None
    ) -> Doc:
        """Add an agenda item (at ``index``, else at the end); returns the item."""
        item = ws_rules.new_agenda_item(title, lane, minutes)

        def apply(doc: Doc) -> str:
            agenda = list(doc.get("agenda") or [])
            agenda.insert(len(agenda) if index is None else max(0, index), item)
            doc["agenda"] = agenda
            return f"added agenda item {item['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return dict(item)

    def update_agenda_item(self, workshop_id: str, item_ref: str, **changes: Any) -> Doc:
        """Change an agenda item's title, lane or minutes; ``item_ref``: id, id prefix or 1-based number."""
        clean = ws_rules.validate_agenda_fields(changes)
        result: Doc = {}

        def apply(doc: Doc) -> str:
            agenda = [dict(i) for i in doc.get("agenda") or []]
            i = ws_rules.find_item(agenda, item_ref)
            agenda[i].update(clean)
            doc["agenda"] = agenda
            result.update(agenda[i])
            return f"edited agenda item {agenda[i]['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return result

    def move_agenda_item(self, workshop_id: str, item_ref: str, index: int) -> Doc:
        """Move an agenda item to ``index`` (0-based); returns the workshop."""

        def apply(doc: Doc) -> str:
            agenda = list(doc.get("agenda") or [])
            doc["agenda"] = ws_rules.move_item(agenda, item_ref, index)
            return f"moved agenda item {agenda[ws_rules.find_item(agenda, item_ref)]['title']!r}"

        return self._edit_workshop(workshop_id, apply)

    def delete_agenda_item(self, workshop_id: str, item_ref: str) -> Doc:
        """Remove an agenda item; returns it."""
        result: Doc = {}

        def apply(doc: Doc) -> str:
            agenda = list(doc.get("agenda") or [])
            result.update(agenda.pop(ws_rules.find_item(agenda, item_ref)))
            doc["agenda"] = agenda
            return f"removed agenda item {result['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return result

    def set_agenda_state(self, workshop_id: str, state: Doc) -> Doc:
        """Store the agenda timer state as given (see ``workshop.initial_state``)."""
        if not isinstance(state, dict):
            raise ValidationError("agenda_state", "The agenda state must be a record.")

        def apply(doc: Doc) -> str:
            doc["agenda_state"] = {**ws_rules.initial_state(), **state}
            return "set the agenda timer"

        return self._edit_workshop(workshop_id, apply, "workshop.timer")

    def timer(self, workshop_id: str, action: str, now: dt.datetime | None = None, arg: int | None = None) -> Doc:
        """Apply a timer action (start, pause, toggle, next, prev, extend, goto, reset) to the stored state.

        Computed inside the transaction from the state on disk, so two facilitators cannot undo each
        other's step. Returns the workshop.
        """
        when = now or ws_rules.utc_now()

        def apply(doc: Doc) -> str:
            agenda = list(doc.get("agenda") or [])
            doc["agenda_state"] = ws_rules.apply(doc.get("agenda_state"), agenda, action, when, arg)
            item = ws_rules.current_item(doc["agenda_state"], agenda) or {}
            return f"timer {action}: {item.get('title', '')!r}"

        return self._edit_workshop(workshop_id, apply, "workshop.timer")

    def set_votes_hidden(self, workshop_id: str, hidden: bool) -> Doc:
        """Hide vote counts until revealed (``hidden=False`` reveals them)."""

        def apply(doc: Doc) -> str:
            doc["votes_hidden"] = bool(hidden)
            return "hid the vote counts" if hidden else "revealed the vote counts"

        return self._edit_workshop(workshop_id, apply)

    def vote(self, card_ref: str, participant: str, workshop_id: str, delta: int = 1) -> Doc:
        """Add (``delta`` > 0) or take back (< 0) ``participant``'s votes on a card; enforces the budget
        and the per-card limit of the workshop. Keeps ``votes`` (total) and ``voters`` in sync."""
        card_id = self.card(card_ref)["id"]
        with self._change() as data:
            workshop = self._get("workshops", workshop_id)
            doc = self._get("cards", card_id)
            if doc.get("account_id") != workshop.get("account_id"):
                raise ValidationError("card", f"{doc.get('title', '')!r} is not on this workshop's board.")
            name = voting.participant_name(workshop, participant)
            cards = [c for c in data["cards"].values() if c.get("account_id") == workshop.get("account_id")]
            doc.update(voting.cast(cards, doc, name, workshop, delta))
            self._stamp(doc)
            what = f"voted for {doc['title']!r}" if delta > 0 else f"took back a vote on {doc['title']!r}"
            self._log(data, "card.vote", doc, f"{name} {what}")
        return dict(doc)

    def previous_workshop(self, workshop_id: str) -> Doc | None:
        """The account's latest workshop before this one (by start), or None."""
        current = self.workshop(workshop_id)
        found = ws_rules.previous_workshop(self.workshops(current.get("account_id")), current)
        return dict(found) if found else None

    def open_commitments(self, workshop_id: str) -> list[Doc]:
        """Support actions still open from the account's previous workshop, in board order."""
        previous = self.previous_workshop(workshop_id)
        if previous is None:
            return []
        return ws_rules.open_commitments(self.cards(previous["account_id"], "support"), previous["id"])

    def review_commitment(self, card_ref: str, workshop_id: str, outcome: str) -> Doc:
        """Mark an open commitment from the previous workshop ``done``, ``carry`` it over to this
        workshop, or ``drop`` it. Returns the card."""
        outcome = model.validate_choice(outcome, "outcome", ws_rules.REVIEW_OUTCOMES, "review outcome")
        card_id = self.card(card_ref)["id"]
        with self._change() as data:
            workshop = self._get("workshops", workshop_id)
            doc = self._get("cards", card_id)
            previous = ws_rules.previous_workshop(list(data["workshops"].values()), workshop)
            if previous is None or not ws_rules.open_commitments([doc], previous["id"]):
                raise ValidationError(
                    "card", f"{doc.get('title', '')!r} is not an open commitment from the previous workshop."
                )
            if outcome == "carry":
                doc["workshop_id"], doc["carried_from"] = workshop["id"], previous["id"]
                summary = f"carried over {doc['title']!r}"
            else:
                doc["status"] = "done" if outcome == "done" else "dropped"
                summary = f"marked {doc['title']!r} {doc['status']} in the commitments review"
            self._stamp(doc)
            self._log(data, "card.edit", doc, summary)
        return dict(doc)

    # bulk (demo boards, imports): one transaction, one write
    def bulk_insert(
        self,
        accounts: list[Doc],
        cards: list[Doc],
        workshops: list[Doc] | None = None,
        *,
        replace: bool = False,
        meta: Doc | None = None,
    ) -> dict[str, int]:
        """Insert many records in one transaction (``replace``: drop all records first).

        Records are plain dicts: accounts need ``name``; cards ``account_id`` (an account id
        given here or already stored), ``lane`` and ``title``; workshops ``account_id`` and
        ``title``. Ids are kept when given. Cards without a ``position`` go to the end of
        their lane in the order given. ``meta`` fields are merged into the board's meta record.
        Returns counts per table. Validates everything before anything is written.
        """
        accounts = [dict(a) for a in accounts]
        for a in accounts:
            a["name"] = model.validate_title(a.get("name"), "name", "Account name")
            a.setdefault("id", model.new_id())
            a.setdefault("owner", "")
            a.setdefault("notes", "")
            a.setdefault("archived", False)
        cards_in: list[Doc] = []
        for c in cards:
            extra = {k: v for k, v in c.items() if k not in model.CARD_FIELDS}
            clean = model.validate_card_fields({k: v for k, v in c.items() if k in model.CARD_FIELDS})
            lane = model.validate_lane(extra.get("lane"))
            cards_in.append(
                {**model.CARD_DEFAULTS, **extra, **clean, "lane": lane, "id": extra.get("id") or model.new_id()}
            )
        workshops_in = []
        for w in workshops or []:
            fields = ws_rules.validate_workshop_fields({k: v for k, v in w.items() if k in ws_rules.WORKSHOP_FIELDS})
            base = {"start": "", "end": "", "location": "", "participants": [], "agenda": [], "notes": ""}
            workshops_in.append({"id": model.new_id(), **base, **w, **fields})
        with self._change() as data:
            if replace:
                for table in ("accounts", "cards", "workshops", "events"):
                    data[table] = {}
                self._index, self._next_key = {}, {}
            names = {str(d.get("name", "")).casefold() for d in data.get("accounts", {}).values()}
            for a in accounts:
                if a["name"].casefold() in names:
                    raise ValidationError("name", f"An account named {a['name']!r} already exists.")
                names.add(a["name"].casefold())
            seen = set(self._index)
            for doc in (*accounts, *cards_in, *workshops_in):
                if doc["id"] in seen:
                    raise ValidationError("id", f"A record with id {doc['id']} already exists.")
                seen.add(doc["id"])
            account_ids = {a["id"] for a in accounts} | {str(d.get("id")) for d in data.get("accounts", {}).values()}
            card_ids = {c["id"] for c in cards_in} | {i for i, (t, _) in self._index.items() if t == "cards"}
            ends: dict[tuple[str, str], float] = {}
            for c in cards_in:
                if c.get("account_id") not in account_ids:
                    raise ValidationError(
                        "account_id", f"Card {c['title']!r}: no account with id {c.get('account_id')}."
                    )
                missing = [x for x in c["links"] if x not in card_ids or x == c["id"]]
                if missing:
                    raise ValidationError("links", f"Card {c['title']!r} links to missing card {missing[0]!r}.")
                if "position" not in c:
                    key = (c["account_id"], c["lane"])
                    if key not in ends:
                        lane_docs = self._lane_positions(data, *key)
                        ends[key] = float(lane_docs[-1].get("position", 0)) if lane_docs else 0.0
                    ends[key] += 1.0
                    c["position"] = ends[key]
            for table, docs in (("accounts", accounts), ("cards", cards_in), ("workshops", workshops_in)):
                for doc in docs:
                    self._stamp(doc, new=True)
                    self._insert(data, table, doc)
            if meta:
                record = next(d for d in data["meta"].values() if "schema" in d)
                record.update({k: v for k, v in meta.items() if k not in ("id", "schema")})
            counts = {"accounts": len(accounts), "cards": len(cards_in), "workshops": len(workshops_in)}
            summary = ", ".join(f"{n} {t}" for t, n in counts.items())
            self._log(data, "bulk.insert", {"id": ""}, f"{'replaced the board with' if replace else 'added'} {summary}")
        return counts


class _Releaser:
    def __init__(self, lock: Any) -> None:
        self.lock = lock

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
