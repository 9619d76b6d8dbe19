"""Change stamps for the store, and conflicts to review: list them, resolve them. Pure, no I/O.

Every change of a record calls :func:`stamp_change` with the record before and after it; a
deletion :func:`stamp_delete` (the tombstone goes in the ``tombstones`` table through
:func:`put_tombstone`); an undone deletion :func:`stamp_restore`. ``replica`` names the writer in
version vectors: it must be unique per line of history (see ``replica_id``); ``user`` is the name
shown to people.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import orjson

from .i18n import _
from .merge_state import (
    ABSENT,
    DELETED,
    KEPT,
    SEP,
    VV,
    Doc,
    State,
    Version,
    all_versions,
    base_stamp,
    build,
    counter,
    encode,
    field_of,
    flatten,
    join_vv,
    kind,
    leq,
    parse,
    reviewable,
    same,
)
from .merge_state import join as join_states
from .merge_state import materialize as materialize_state
from .model import utc_now

SPECIAL = frozenset({"meta", "events", "tombstones"})
MULTILINE = frozenset({"notes", "customer_benefit", "our_benefit"})


def replica_id(user: str, tag: str | None = None) -> str:
    """A writer's name in version vectors: ``user#tag``; a new random tag when none is given.

    One tag must never write on two diverged copies (same person, two laptops or two git
    branches): keep a tag only while the board holds that tag's last write (``holds``)."""
    return f"{user}#{tag or secrets.token_hex(3)}"


def holds(record: Doc, replica: str, count: int) -> bool:
    """Does ``record`` (or a tombstone's snapshot) already hold ``replica``'s write number ``count``?"""
    return counter(parse(record), replica, _deleted_vvs(record)) >= count


def last_count(record: Doc, replica: str) -> int:
    """``replica``'s last write number in ``record``."""
    return counter(parse(record), replica, _deleted_vvs(record))


def _deleted_vvs(record: Doc) -> list[VV]:
    entries = (record.get("_conflicts") or {}).get(DELETED) or []
    return [dict(e["vv"]) for e in entries if isinstance(e, dict) and isinstance(e.get("vv"), dict)]


def _deleted_entries(record: Doc) -> list[Doc] | None:
    entries = (record.get("_conflicts") or {}).get(DELETED)
    return entries if isinstance(entries, list) and entries else None


def stamp_change(
    before: Doc | None, after: Doc, user: str, *, replica: str | None = None, at: str | None = None
) -> None:
    """Write into ``after['_v']`` a new version of every field whose value differs from ``before``.

    Call it once the change and its ``updated_at``/``updated_by`` are in ``after``. The new
    version's vector joins the field's current versions (it replaces them all, conflicts
    included) with ``replica``'s next counter. ``before`` None: a new record, nothing to stamp.
    A field whose ``_v``/``_conflicts`` the caller already rewrote (``resolve``) is left as is.
    An edited agenda item or participant is re-asserted with its list's order (an edit beats a
    concurrent removal, and brings the item back where it was)."""
    if before is None:
        return
    replica = replica or user
    at = at or str(after.get("updated_at") or utc_now())
    old = parse(before, base_stamp(after))
    mine = parse(after)
    touched = _rewritten(before, after)
    shown = flatten(before)
    flat = flatten(after)
    changed: dict[str, Any] = {}
    for path, value in flat.items():
        versions = old.get(path)
        if path not in touched and (versions is None or not same(versions[-1].value, value)):
            changed[path] = value
    for path in old:
        if path in flat or path not in shown or path in touched:
            continue
        if kind(path) == "sub" and path.rpartition(SEP)[0] not in flat:
            continue  # a removed item keeps its fields (in _v), should an edit bring it back
        changed[path] = ABSENT
    for path in list(changed):
        item = path.rpartition(SEP)[0]
        if kind(path) == "sub" and item in flat:
            for again in (item, field_of(path) + SEP):  # the item, and its place in the list
                if again not in changed and again not in touched:
                    changed[again] = flat[again]
    state = {**old, **{p: mine[p] for p in touched if p in mine}}
    for path in touched - set(mine):
        state.pop(path, None)
    if changed:
        count = counter(state, replica, _deleted_vvs(after)) + 1
        for path, value in changed.items():
            vv = join_vv(v.vv for v in old.get(path, ()))
            vv[replica] = count
            state[path] = [Version(path, vv, at, user, value)]
    state = join_states(state, {})  # drops registers that became derived (votes beside voters)
    encode(state, after, _deleted_entries(after))


def _rewritten(before: Doc, after: Doc) -> set[str]:
    """Paths whose stamps or conflicts the caller changed itself."""
    out: set[str] = set()
    for name in ("_v", "_conflicts"):
        old, new = before.get(name) or {}, after.get(name) or {}
        if old is not new and old != new:
            out |= {p for p in set(old) | set(new) if old.get(p) != new.get(p)}
    out.discard(DELETED)
    return out


def stamp_delete(record: Doc, table: str, user: str, at: str | None = None, *, replica: str | None = None) -> Doc:
    """The tombstone of ``record``: its vector dominates every version the deleter has seen; it
    keeps the record itself, so that an edit made meanwhile elsewhere can bring it back whole."""
    replica = replica or user
    state = parse(record)
    extra = _deleted_vvs(record)
    vv = join_vv([*(v.vv for v in all_versions(state)), *extra])
    vv[replica] = counter(state, replica, extra) + 1
    # as merges write it: links to deleted cards back in the list, no deletion note (derived)
    snapshot = orjson.loads(orjson.dumps(materialize_state(state, [record])))
    return {"id": record["id"], "table": table, "vv": vv, "at": at or utc_now(), "by": user, "record": snapshot}


def join_tombstones(a: Doc, b: Doc) -> Doc:
    """Two tombstones of one record as one: vectors joined, the later who/when, snapshots merged."""
    out: Doc = {"id": a["id"], "table": a.get("table") or b.get("table", "")}
    out["vv"] = join_vv([a.get("vv") or {}, b.get("vv") or {}])
    out["at"], out["by"] = max(
        (str(a.get("at", "")), str(a.get("by", ""))), (str(b.get("at", "")), str(b.get("by", "")))
    )
    snaps = [t["record"] for t in (a, b) if isinstance(t.get("record"), dict)]
    if len(snaps) == 2 and snaps[0] != snaps[1]:
        out["record"] = materialize_state(join_states(parse(snaps[0]), parse(snaps[1])), snaps)
    elif snaps:
        out["record"] = snaps[0]
    return out


def put_tombstone(data: dict[str, Doc], tombstone: Doc) -> str:
    """Add ``tombstone`` to ``data['tombstones']`` (joined with one for the same id); its key."""
    table = data.setdefault("tombstones", {})
    for key, old in table.items():
        if isinstance(old, dict) and old.get("id") == tombstone["id"]:
            table[key] = join_tombstones(old, tombstone)
            return key
    key = str(max((int(k) for k in table if k.isdigit()), default=0) + 1)
    table[key] = tombstone
    return key


def stamp_restore(record: Doc, tombstone: Doc, user: str, at: str | None = None, *, replica: str | None = None) -> None:
    """Mark ``record`` (put back after ``tombstone``, e.g. by undo) as kept: merges no longer delete
    it. The tombstone (as stored on the board) drops its copy of the record, which is back.
    Call it once ``record``'s ``updated_at``/``updated_by`` are set."""
    _keep(record, [dict(tombstone.get("vv") or {})], user, at, replica)
    tombstone.pop("record", None)


def refresh_links(data: dict[str, Doc]) -> list[str]:
    """Show again the links a merge kept out of sight because their card was deleted, where that
    card is back (call it after undoing a deletion). Returns the ids of the cards it changed."""
    cards = data.get("cards") or {}
    alive = {doc.get("id") for doc in cards.values() if isinstance(doc, dict)}
    changed = []
    for doc in cards.values():
        stamps = doc.get("_v") if isinstance(doc, dict) else None
        if not stamps:
            continue
        hidden = [
            p
            for p, e in stamps.items()
            if p.startswith("links" + SEP) and isinstance(e, dict) and e.get("value") is True
        ]
        if any(p[len("links" + SEP) :] in alive for p in hidden):
            state = parse(doc)
            doc["links"] = build(state, alive.__contains__).get("links", [])
            encode(state, doc, _deleted_entries(doc))
            changed.append(str(doc.get("id")))
    return changed


def _keep(record: Doc, tomb_vvs: list[VV], user: str, at: str | None, replica: str | None) -> None:
    replica = replica or user
    state = parse(record)
    vv = join_vv([*tomb_vvs, *(v.vv for v in state.get(KEPT, ()))])
    vv[replica] = counter(state, replica, tomb_vvs) + 1
    state[KEPT] = [Version(KEPT, vv, at or utc_now(), user, ABSENT)]
    encode(state, record, None)


# conflicts to review
@dataclass(frozen=True)
class FieldConflict:
    """A value kept for review beside the one in the record (or a deletion a later edit overruled).

    ``value``/``by``/``at``: what the record shows and who wrote it when; ``other_*``: the concurrent
    version. ``deleted``: the other side deleted the record (``other_value`` is then None).
    Absent values are None."""

    table: str
    id: str
    title: str
    field: str
    path: str
    value: Any
    by: str
    at: str
    other_value: Any
    other_by: str
    other_at: str
    deleted: bool = False

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.id, self.path, self.other_by, self.other_at, _show(self.other_value))


def _show(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode() if value is not ABSENT else ""


def _none(value: Any) -> Any:
    return None if value is ABSENT else value


def title_of(record: Doc) -> str:
    return str(record.get("title") or record.get("name") or record.get("id", ""))


def label(record: Doc, path: str) -> str:
    """A path as people read it: ``title``, ``tags: x``, ``agenda 'Lunch': minutes``."""
    if SEP not in path:
        return path
    name, _, rest = path.partition(SEP)
    key, _, sub = rest.partition(SEP)
    shown = key
    if name in ("agenda", "participants"):
        for item in record.get(name) or []:
            if isinstance(item, dict) and (item.get("id") == key or str(item.get("name", "")).casefold() == key):
                shown = str(item.get("title") or item.get("name") or key)
        return f"{name} {shown!r}: {sub}" if sub else f"{name}: {shown}"
    return f"{name}: {shown}" if rest else name


def review(table: str, record: Doc) -> list[FieldConflict]:
    """The conflicts to review in one record."""
    others = record.get("_conflicts")
    if not isinstance(others, dict) or not others:
        return []
    state = parse(record)
    out: list[FieldConflict] = []
    rid, title = str(record.get("id", "")), title_of(record)
    for entry in others.get(DELETED) or []:
        out.append(
            FieldConflict(
                table, rid, title, "deleted", DELETED, None, str(record.get("updated_by", "")),
                str(record.get("updated_at", "")), None, str(entry.get("by", "")), str(entry.get("at", "")), True,
            )
        )  # fmt: skip
    for path in sorted(others):
        versions = state.get(path)
        if path == DELETED or not versions:
            continue
        winner = versions[-1]
        for other in reversed(versions[:-1]):
            if reviewable(path, winner, other):
                out.append(
                    FieldConflict(
                        table, rid, title, label(record, path), path, _none(winner.value), winner.by, winner.at,
                        _none(other.value), other.by, other.at,
                    )
                )  # fmt: skip
    return out


def list_conflicts(data: dict[str, Doc]) -> list[FieldConflict]:
    """Every conflict to review on the board, table by table (the board's own title too)."""
    out: list[FieldConflict] = []
    for table, docs in data.items():
        if (table in SPECIAL and table != "meta") or not isinstance(docs, dict):
            continue
        for doc in docs.values():
            if isinstance(doc, dict) and doc.get("_conflicts"):
                out.extend(review(table, doc))
    return out


def resolve(
    record: Doc,
    path: str,
    choice: str | int,
    user: str,
    *,
    replica: str | None = None,
    at: str | None = None,
) -> Any:
    """Settle a conflict of ``record`` at ``path``: ``"mine"`` keeps the value shown, ``"theirs"``
    the latest other value (an int: that one of ``review``'s order), ``"both"`` joins texts.

    The kept value is written as a new version that dominates every version of the path: the
    conflict is gone here and in every merge to come. For a deletion (``path`` ``_deleted``),
    ``"mine"`` keeps the record; to delete it after all, delete it (``stamp_delete``).
    Returns the value kept."""
    at = at or utc_now()
    if path == DELETED:
        entries = _deleted_entries(record)
        if not entries:
            raise ValueError(_("{title!r} has no deletion to review.").format(title=title_of(record)))
        if choice not in ("mine", "both"):
            raise ValueError(_("To apply the deletion, delete the record."))
        _keep(record, [dict(e.get("vv") or {}) for e in entries], user, at, replica)
        return None
    replica = replica or user
    state = parse(record)
    versions = state.get(path) or []
    winner = versions[-1] if versions else None
    others = [v for v in reversed(versions[:-1]) if winner is not None and reviewable(path, winner, v)]
    if winner is None or not others:
        raise ValueError(
            _("{title!r} has no conflict on {field}.").format(title=title_of(record), field=label(record, path))
        )
    if choice == "mine":
        value = winner.value
    elif choice == "theirs":
        value = others[0].value
    elif isinstance(choice, int) and not isinstance(choice, bool):
        value = others[choice].value
    elif choice == "both":
        value = _joined(path, [winner.value, *(v.value for v in others)])
    else:
        raise ValueError(_("Unknown choice {choice!r}: use mine, theirs or both.").format(choice=choice))
    vv = join_vv(v.vv for v in versions)
    vv[replica] = counter(state, replica, _deleted_vvs(record)) + 1
    state[path] = [Version(path, vv, at, user, value)]
    name = field_of(path)
    fields = build(state)
    for key in (name, "votes") if name == "voters" else (name,):
        if key in fields:
            record[key] = fields[key]
        else:
            record.pop(key, None)
    encode(state, record, _deleted_entries(record))
    return _none(value)


def _joined(path: str, values: list[Any]) -> str:
    texts = [v for v in dict.fromkeys(v for v in values if v is not ABSENT)]
    if not all(isinstance(v, str) for v in texts):
        raise ValueError(_("Only text values can be kept both."))
    name = path.rpartition(SEP)[2] if SEP in path else path
    multiline = name in MULTILINE or any("\n" in v for v in texts)
    return ("\n\n" if multiline else " / ").join(t for t in texts if t)


def record_alive(state: State, tomb_vv: VV | None) -> bool:
    """A record lives on beside a tombstone when one of its versions is not dominated by it."""
    return tomb_vv is None or any(not leq(v.vv, tomb_vv) for v in all_versions(state))
