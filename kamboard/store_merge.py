"""Merge operations of BoardStore: merge another copy of the board in; list and resolve the
conflicts to review that merges leave. The rules are in ``merge_board`` (pure)."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any

import orjson

from . import records
from .errors import NotFound, Unchanged
from .i18n import N_, _
from .jsonparse import describe_duplicates, loads_checked
from .merge_edit import FieldConflict, list_conflicts, resolve, review
from .model import ValidationError
from .storage import read_bytes
from .store_base import StoreBase

if TYPE_CHECKING:
    from .merge_board import MergeReport

Doc = dict[str, Any]
Source = Doc | str | os.PathLike[str]
CHOICES = ("mine", "theirs", "both")
_NOUNS = {"accounts": "account", "cards": "card", "workshops": "workshop", "meta": "board"}  # log kinds, summaries
_SHOWN = {"accounts": N_("account"), "cards": N_("card"), "workshops": N_("workshop"), "meta": N_("board")}


def read_copy(source: Source) -> Doc:
    """A copy of a board to merge: ``source`` itself when it is parsed data, else the file read
    and checked (valid JSON, no key held twice, records of the right shape). Raises MergeError."""
    from .merge_board import MergeError

    if isinstance(source, dict):
        return source
    name = os.fspath(source)
    try:
        raw = read_bytes(name)
    except FileNotFoundError:
        raise MergeError(_("{name} does not exist.").format(name=name)) from None
    except OSError as exc:
        raise MergeError(_("Cannot read {name}: {reason}.").format(name=name, reason=exc.strerror or exc)) from None
    try:
        data, found = loads_checked(raw)
    except (orjson.JSONDecodeError, ValueError) as exc:
        markers = b"\n<<<<<<< " in raw or raw.startswith(b"<<<<<<< ")
        why = _("it holds git's conflict markers: run `kamboard git-setup` in the repository") if markers else str(exc)
        raise MergeError(
            _("{name} is not valid JSON ({reason}); not a board to merge.").format(name=name, reason=why)
        ) from None
    if found:
        raise MergeError(
            _("{name} is damaged: {duplicates}; run `kamboard check --repair {name}` first.").format(
                name=name, duplicates=describe_duplicates(found)
            )
        )
    tables = data.values() if isinstance(data, dict) else ()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in tables):
        raise MergeError(_("{name} is not a kamboard board (expected tables of records).").format(name=name))
    if not all(isinstance(doc, dict) for t in tables for doc in t.values()):
        raise MergeError(
            _("{name} is not a kamboard board (a table holds a non-record); `kamboard check {name}`.").format(name=name)
        )
    problems = records.scan(data, limit=1)
    if problems:
        raise MergeError(
            _("{name}: {problem}; fix it first (`kamboard check {name}` lists every problem).").format(
                name=name, problem=problems[0]
            )
        )
    return data


def conflict_id(conflict: FieldConflict) -> str:
    """A conflict's id: 8 hex digits from its record, field and the other version (stable
    across runs and copies, so a script can list, then resolve)."""
    return hashlib.blake2b(orjson.dumps(conflict.key()), digest_size=4).hexdigest()


class MergeOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its transaction helpers."""

    def merge_from(self, other: Source, base: Source | None = None) -> MergeReport:
        """Merge another copy of this board (a file or parsed data) into it, in one transaction:
        under the lock, one atomic write after a backup, logged as an event. ``base``: the two
        copies' common ancestor (git's %O), when at hand. Nothing new: no write.

        Records the merge changed get a higher ``rev`` (views made before it are stale).
        Raises MergeError for another board, a newer schema, a file that is not a sound board."""
        from .merge_board import content, merge

        theirs = read_copy(other)
        ancestor = read_copy(base) if base is not None else None
        name = "another copy" if isinstance(other, dict) else os.path.basename(os.fspath(other))
        with self._change() as data:
            merged, report = merge(data, theirs, ancestor)
            if content(merged) == content(data):
                raise Unchanged
            for table in ("meta", "accounts", "cards", "workshops"):
                ours = {doc.get("id"): doc for doc in data.get(table, {}).values()}
                docs = merged.get(table, {})
                for key, doc in docs.items():
                    old = ours.get(doc.get("id"))
                    if old is not None and old is not doc and old != doc and isinstance(doc.get("rev"), int):
                        docs[key] = {**doc, "rev": max(doc["rev"], int(old.get("rev", 0))) + 1}
            data.clear()
            data.update(merged)
            self._reindex(data)
            self._log(data, "board.merge", {"id": ""}, f"merged {name}: {report.log_summary()}")
        return report

    def conflicts(self) -> list[FieldConflict]:
        """The conflicts to review on the board (see ``merge_edit.FieldConflict``; ids: ``conflict_id``)."""
        with self._mutex:
            return list_conflicts(self._load())

    def resolve_conflict(self, ref: str, choice: str) -> Any:
        """Settle the conflict ``ref`` (a conflict id or a unique prefix of one): ``mine`` keeps the
        value the record shows, ``theirs`` the other one, ``both`` keeps both texts joined. For a
        deletion an edit overruled, ``mine`` keeps the record and ``theirs`` deletes it (cards).
        Returns the value kept."""
        if choice not in CHOICES:
            raise ValidationError(
                "choice", _("Unknown choice {choice!r}: use mine, theirs or both.").format(choice=choice)
            )
        wanted = self._find_conflict(ref)
        with self._change() as data:
            table, doc = self._conflict_record(data, wanted)
            if doc is None:
                raise NotFound(
                    _("Conflict {ref} is settled already (or its record is gone); `kamboard conflicts`.").format(
                        ref=ref
                    )
                )
            same = [c for c in review(table, doc) if c.path == wanted.path]
            if wanted.key() not in [c.key() for c in same]:
                raise NotFound(
                    _("Conflict {ref} is settled already; `kamboard conflicts` lists those left.").format(ref=ref)
                )
            what = f"{_NOUNS.get(table, table)} {wanted.title!r}"  # for the log
            shown = f"{_(_SHOWN[table]) if table in _SHOWN else table} {wanted.title!r}"
            if wanted.deleted and choice == "theirs":
                if table != "cards":
                    raise ValidationError(
                        "choice", _("Only cards are deleted here: keep the {record} (mine).").format(record=shown)
                    )
                self._delete_card(data, doc)
                self._log(data, "card.delete", doc, f"deleted {doc.get('title', '')!r} (conflict to review)")
                return None
            how: str | int = choice
            if choice == "theirs":
                how = [c.key() for c in same].index(wanted.key())
            replica = self._writer()
            try:
                kept = resolve(doc, wanted.path, how, self.user, replica=replica, at=self.clock())
            except ValueError as exc:
                raise ValidationError("choice", f"{shown}, {wanted.field}: {exc}") from None
            self._stamp(doc)
            kind = f"{_NOUNS.get(table, table)}.resolve"
            self._log(data, kind, doc, f"settled {what}, {wanted.field}: kept {choice}")
        return kept

    def _find_conflict(self, ref: str) -> FieldConflict:
        found = [c for c in self.conflicts() if conflict_id(c).startswith(ref.strip().lower())] if ref.strip() else []
        if len({conflict_id(c) for c in found}) > 1:
            raise NotFound(
                _("Conflict {ref!r} matches {n} conflicts; give more characters.").format(ref=ref, n=len(found))
            )
        if not found:
            raise NotFound(
                _("No conflict {ref!r} to review in {name}; `kamboard conflicts` lists them.").format(
                    ref=ref, name=self.name
                )
            )
        return found[0]

    def _conflict_record(self, data: dict[str, dict[str, Doc]], conflict: FieldConflict) -> tuple[str, Doc | None]:
        if conflict.table == "meta":
            return "meta", self._touch(self._meta(data))
        where = self._index.get(conflict.id)
        if where is None or where[0] != conflict.table:
            return conflict.table, None
        return where[0], self._get(where[0], conflict.id)
