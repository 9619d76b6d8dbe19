"""`kamboard check --repair`: every record of a table that holds a key twice gets its own key. No textual.

A ``git merge`` of two copies of a board that each added a record can leave a table holding
the same document key twice; a JSON reader keeps only the last, and the next save would drop
the other record for good. The repair reads the file with every duplicate kept, and:
- records with different ids under one key: the first keeps the key, each later one gets a
  new key of its own (from its id, as new records do);
- copies of one record (same id) under one key: the newer copy (higher ``rev``, then later
  ``updated_at``; on a tie the later in the file) is kept, the other dropped;
- a table name held twice: the two are merged, by the same rules.
It takes the file lock, keeps a copy of the damaged file in ``.kamboard-backups``, writes the
repaired board atomically and says what it did, one line per record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .errors import BoardFileError, LockTimeout, lock_timeout_message, not_regular_message, save_failed_message
from .i18n import N_, _
from .jsonparse import Duplicate, Pairs, duplicates, how_often, parse_pairs, plain
from .storage import BACKUP_DIR, NotRegularFileError, SharedJSONStorage, check_regular, document_key, read_bytes

Doc = dict[str, Any]


@dataclass
class Plan:
    """The repaired board and what the repair does to it, one line per record."""

    data: dict[str, Any] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)


def _label(table: str, doc: Any) -> str:
    """'card 'Energy costs' (id 3f2a1b2c…)': how a record is named in a repair line."""
    if not isinstance(doc, dict):
        return _("a {table} entry that is not a record").format(table=table)
    what = _(_WHAT.get(table, _RECORD))
    title = doc.get("title") if isinstance(doc.get("title"), str) else doc.get("name")
    text = f"{what} {str(title)[:40]!r}" if isinstance(title, str) and title else what
    record_id = doc.get("id")
    return text + (f" (id {record_id[:8]}…)" if isinstance(record_id, str) and record_id else "")


_WHAT = {"accounts": N_("account"), "cards": N_("card"), "workshops": N_("workshop"), "events": N_("event")}
_RECORD = N_("record")


def _version(doc: Doc) -> tuple[int, str]:
    rev = doc.get("rev")
    return (rev if type(rev) is int else -1, str(doc.get("updated_at", "")))


def plan(raw: bytes) -> Plan:
    """What repairing the board in ``raw`` gives (nothing to do: ``actions`` is empty)."""
    tree = parse_pairs(raw)
    if not isinstance(tree, Pairs):
        return Plan(plain(tree))
    out = Plan()
    entries: dict[str, list[tuple[str, Any]]] = {}  # table -> its (key, record)s in file order
    for name, value in tree:
        if not isinstance(value, Pairs):
            out.data[name] = plain(value)
            continue
        if name in entries:
            out.actions.append(_("the file held table {name!r} twice: merged the two").format(name=name))
        entries.setdefault(name, []).extend((key, plain(doc)) for key, doc in value)
    for name, pairs in entries.items():
        out.data[name] = _dedupe(name, pairs, out.actions)
    return out


def _dedupe(table: str, pairs: list[tuple[str, Any]], actions: list[str]) -> dict[str, Any]:
    """One table with every key once: later records with another id move to a key of their own."""
    taken = {key for key, _ in pairs}  # a new key must not take a key a later record holds
    kept: dict[str, Any] = {}
    for key, doc in pairs:
        if key not in kept:
            kept[key] = doc
            continue
        other = kept[key]
        same = isinstance(doc, dict) and isinstance(other, dict) and doc.get("id") and doc.get("id") == other.get("id")
        if same:
            newer = doc if _version(doc) >= _version(other) else other
            older = other if newer is doc else doc
            kept[key] = newer
            if older == newer:
                actions.append(
                    _("{table}: key {key!r} held {record} twice, the same: kept one").format(
                        table=table, key=key, record=_label(table, doc)
                    )
                )
            else:
                actions.append(
                    _(
                        "{table}: key {key!r} held two versions of {record}: kept the newer "
                        "(rev {rev!r}, {updated_at}), dropped rev {old_rev!r}"
                    ).format(
                        table=table,
                        key=key,
                        record=_label(table, doc),
                        rev=newer.get("rev"),
                        updated_at=newer.get("updated_at", "?"),
                        old_rev=older.get("rev"),
                    )
                )
            continue
        new = document_key(doc.get("id") if isinstance(doc, dict) else None, taken)
        taken.add(new)
        kept[new] = doc
        actions.append(
            _("{table}: {record} moved from key {key!r} (held twice) to key {new!r}").format(
                table=table, record=_label(table, doc), key=key, new=new
            )
        )
    return kept


def duplicate_lines(raw: bytes, found: list[Duplicate], name: str) -> list[str]:
    """`kamboard check`'s line for each duplicate key: which records share it."""
    if not found:
        return []
    try:
        tree = parse_pairs(raw)
    except ValueError:
        tree = Pairs()
    records: dict[tuple[str, str], list[Any]] = {}
    for table, value in tree if isinstance(tree, Pairs) else ():
        if isinstance(value, Pairs):
            for key, doc in value:
                records.setdefault((table, key), []).append(plain(doc))
    hint = _("run `kamboard check --repair {name}`").format(name=name)
    lines = []
    for table, key, times in found:
        count = how_often(times)
        if not table:
            lines.append(
                _("the file holds table {key!r} {count}: only the last is used; {hint}").format(
                    key=key, count=count, hint=hint
                )
            )
            continue
        labels = ", ".join(_label(table, doc) for doc in records.get((table, key), []))
        lines.append(
            _("table {table!r} holds key {key!r} {count} ({records}): only the last is used; {hint}").format(
                table=table, key=key, count=count, records=labels, hint=hint
            )
        )
    return lines


def repair(path: str | os.PathLike[str], *, lock_timeout: float = 10.0) -> list[str]:
    """Repair the board at ``path`` (see the module's doc); what was done, one line each."""
    name = os.fspath(path)
    try:
        check_regular(path)
    except NotRegularFileError as exc:
        raise BoardFileError(not_regular_message(name, exc.kind)) from None
    except FileNotFoundError:
        raise BoardFileError(_("{name} does not exist.").format(name=name)) from None
    storage = SharedJSONStorage(path, lock_timeout=lock_timeout, indent=2, sort_keys=True)
    from filelock import Timeout

    try:
        storage.lock.acquire()
    except Timeout:
        raise LockTimeout(lock_timeout_message(storage.lock.lock_file, lock_timeout)) from None
    try:
        raw = read_bytes(storage.path)
        if not duplicates(raw):
            return [_("{name}: no table holds a key twice; nothing to repair.").format(name=name)]
        fixed = plan(raw)
        try:
            backup = storage.keep_copy(raw)
        except OSError as exc:
            raise BoardFileError(
                _("Could not keep a copy of {name} before repairing it ({reason}); nothing was changed.").format(
                    name=name, reason=exc.strerror or exc
                )
            ) from None
        try:
            storage.write(fixed.data)
        except OSError as exc:
            raise BoardFileError(save_failed_message(name, exc)) from None
    finally:
        storage.lock.release()
    return [
        *(f"{name}: {action}" for action in fixed.actions),
        _("{name}: repaired, every record has a key of its own; the damaged file is kept as {backup}.").format(
            name=name, backup=os.path.join(os.path.dirname(name) or ".", BACKUP_DIR, os.path.basename(backup))
        ),
    ]
