"""Merge two diverged copies of a board, record by record and field by field. Pure, no I/O.

Works on parsed boards (``{"meta": {...}, "accounts": {key: record}, "cards": ..., "workshops":
..., "events": ..., "tombstones": ...}``); records are matched by ``id``, never by document key.

The rules (the state of a record is in ``merge_state``; stamps and reviews in ``merge_edit``):

- Every field is a multi-value register: merging takes, per field, the versions of both sides
  and keeps those no other version dominates. One left: that value. Several (concurrent
  changes): the latest change wins the record (ties: author, then value), the others stay in
  ``_conflicts`` to review. A version dominated by another was seen and replaced by its author.
- Tags, links, voters, agenda items and participants merge element by element (an edited item
  beats its concurrent removal); lists keep the winning order and place the other side's new
  elements after their neighbours. ``votes`` is the sum of ``voters``.
- Deletions leave tombstones (id, table, vector, when, by, and the record). A record lives on
  when one of its versions is not dominated by the tombstone (changed after or while it was
  deleted elsewhere), with a conflict noting the deletion; else it goes, kept in the tombstone.
- The activity log merges by event id and keeps the newest ``EVENT_CAP`` events by (at, id).
- Document keys: a record keeps its key from ``ours``, else from ``theirs`` when free, else the
  next free number. Keys may so differ between merge(A, B) and merge(B, A): boards are equal
  when their content by id is (``content``).

merge is commutative, idempotent and associative on ``content``; tests/test_merge_laws.py checks it.
(``kamboard.stale`` is another thing: the store's field merge of one change made from a stale base.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from functools import reduce
from typing import Any

from .errors import BoardError
from .i18n import N_, _
from .merge_edit import (
    FieldConflict,
    join_tombstones,
    list_conflicts,
    put_tombstone,
    record_alive,
    refresh_links,
    replica_id,
    resolve,
    review,
    stamp_change,
    stamp_delete,
    stamp_restore,
)
from .merge_report import MergeReport, count_changes, new_conflicts, problems
from .merge_state import (
    ABSENT,
    KEPT,
    SEP,
    Doc,
    State,
    Version,
    all_versions,
    base_stamp,
    join,
    join_vv,
    leq,
    materialize,
    parse,
    synthetic,
    value_key,
)

__all__ = [
    "EVENT_CAP",
    "SCHEMA",
    "FieldConflict",
    "MergeError",
    "MergeReport",
    "board_id",
    "content",
    "list_conflicts",
    "merge",
    "migrate",
    "put_tombstone",
    "refresh_links",
    "replica_id",
    "resolve",
    "review",
    "stamp_change",
    "stamp_delete",
    "stamp_restore",
]

SCHEMA = 2  # the first schema with change stamps and tombstones (model.SCHEMA_VERSION)
EVENT_LIMIT = 1000  # store.EVENT_LIMIT: the store trims the log to it at every change
EVENT_CAP = EVENT_LIMIT + 100
SPECIAL = frozenset({"meta", "events", "tombstones"})


class MergeError(BoardError):
    """The two files cannot be merged (different boards, a newer schema, not a board)."""


# meta and migration
# which copy (ours, theirs, base; file: the one) -> (not a board, newer schema)
_NOT_MERGEABLE = {
    "file": (
        N_("The file is not a kamboard board (no meta record with a schema)."),
        N_("The board was written by a newer kamboard (schema {schema})."),
    ),
    "ours": (
        N_("Ours is not a kamboard board (no meta record with a schema)."),
        N_("Ours was written by a newer kamboard (schema {schema})."),
    ),
    "theirs": (
        N_("Theirs is not a kamboard board (no meta record with a schema)."),
        N_("Theirs was written by a newer kamboard (schema {schema})."),
    ),
    "base": (
        N_("Base is not a kamboard board (no meta record with a schema)."),
        N_("Base was written by a newer kamboard (schema {schema})."),
    ),
}


def _main_meta(data: Any, what: str) -> tuple[str, Doc]:
    metas = data.get("meta") if isinstance(data, dict) else None
    if isinstance(metas, dict):
        for key, doc in metas.items():
            if isinstance(doc, dict) and isinstance(doc.get("schema"), int):
                return key, doc
    raise MergeError(_(_NOT_MERGEABLE[what][0]))


def _derived_id(meta: Doc) -> str:
    seed = f"kamboard:{meta.get('created_at', '')}:{meta.get('created_by', '')}:{meta.get('title', '')}"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed).hex


def board_id(data: dict[str, Any]) -> str:
    """The board's id (``meta.id``; derived from its creation for a file from before ids)."""
    meta = _main_meta(data, "file")[1]
    return str(meta.get("id") or _derived_id(meta))


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a board to ``SCHEMA`` in place: a board id, a ``tombstones`` table. Records need no
    change: a field without a stamp holds its base version. Returns ``data``."""
    _key, meta = _main_meta(data, "file")
    if meta["schema"] > SCHEMA:
        raise MergeError(_(_NOT_MERGEABLE["file"][1]).format(schema=meta["schema"]))
    meta.setdefault("id", _derived_id(meta))
    meta["schema"] = SCHEMA
    data.setdefault("tombstones", {})
    return data


# one side of a merge, indexed by id
class _Side:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.records: dict[str, tuple[str, str, Doc]] = {}
        self.tables: list[str] = []
        for table, docs in data.items():
            if table in SPECIAL or not isinstance(docs, dict):
                continue
            self.tables.append(table)
            records = self.records
            for key, doc in docs.items():
                if isinstance(doc, dict):
                    rid = doc.get("id")
                    records[rid if isinstance(rid, str) and rid else f"{table}#{key}"] = (table, key, doc)
        self.tombs: dict[str, tuple[str, Doc]] = {}
        for key, tomb in (data.get("tombstones") or {}).items():
            if isinstance(tomb, dict) and isinstance(tomb.get("id"), str) and isinstance(tomb.get("vv"), dict):
                self.tombs[tomb["id"]] = (key, tomb)
        self._deletions: dict[str, tuple[str, str]] | None = None

    def deletion(self, rid: str) -> tuple[str, str]:
        """When and by whom the activity log says ``rid`` was deleted ('' when it does not say)."""
        if self._deletions is None:
            self._deletions = {}
            for event in (self.data.get("events") or {}).values():
                if isinstance(event, dict) and str(event.get("kind", "")).endswith(".delete"):
                    found = (str(event.get("at", "")), str(event.get("by", "")))
                    rec = str(event.get("record_id", ""))
                    self._deletions[rec] = max(self._deletions.get(rec, found), found)
        return self._deletions.get(rid, ("", ""))


def _improve(state: State, rec: Doc, ancestor: State) -> State:
    """With the common ancestor at hand: a field changed without a stamp (older kamboard, hand
    edit) replaced what the ancestor held, so it dominates that instead of standing beside it."""
    at, by = base_stamp(rec)
    out = dict(state)
    for path, old in ancestor.items():
        mine = state.get(path)
        if mine is None:
            if old[-1].value is ABSENT:
                continue
            vv = join_vv([{synthetic(path, b""): 1}, *(v.vv for v in old)])
            out[path] = [Version(path, vv, at, by, ABSENT)]
        elif len(mine) == 1 and mine[0]._vv is None and mine[0].vkey != old[-1].vkey:
            vv = join_vv([mine[0].vv, *(v.vv for v in old)])
            out[path] = [Version(path, vv, mine[0].at, mine[0].by, mine[0].value)]
    return out


def _synth_tomb(rid: str, table: str, ancestor: State, side: _Side) -> Doc:
    """A tombstone for a record the ancestor holds and a side dropped without one (older kamboard)."""
    vv = join_vv([{synthetic("deleted", rid.encode()): 1}, *(v.vv for v in all_versions(ancestor))])
    at, by = side.deletion(rid)
    return {"id": rid, "table": table, "vv": vv, "at": at, "by": by}


class _Full:
    """A record merged field by field (as opposed to one passed through unchanged)."""

    __slots__ = ("alive", "sources", "state", "table", "tomb")

    def __init__(self, table: str, state: State, tomb: Doc | None, sources: list[Doc]) -> None:
        self.table, self.state, self.tomb, self.sources = table, state, tomb, sources
        self.alive = bool(state) and record_alive(state, tomb["vv"] if tomb else None)


def _deleted_note(state: State, tomb: Doc | None) -> list[Doc] | None:
    if tomb is None:
        return None
    kept = join_vv(v.vv for v in state.get(KEPT, ()))
    if leq(tomb["vv"], kept):
        return None
    return [{"at": tomb.get("at", ""), "by": tomb.get("by", ""), "vv": dict(tomb["vv"])}]


def _assign_keys(ids: Iterable[str], ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """id -> document key: ours' key, else theirs' when free, else the next free number (by id)."""
    ids = list(ids)
    out: dict[str, str] = {}
    used: set[str] = set()
    for rid in ids:
        key = ours.get(rid)
        if key is not None and key not in used:
            out[rid] = key
            used.add(key)
    rest = sorted((r for r in ids if r not in out), key=lambda r: (_num(theirs.get(r)), r))
    pending = []
    for rid in rest:
        key = theirs.get(rid)
        if key is not None and key not in used:
            out[rid] = key
            used.add(key)
        else:
            pending.append(rid)
    nxt = max((int(k) for k in used if k.isdigit()), default=0) + 1
    for rid in sorted(pending):
        while str(nxt) in used:
            nxt += 1
        out[rid] = str(nxt)
        used.add(str(nxt))
    return out


def _num(key: str | None) -> tuple[int, str]:
    if key is None:
        return (1 << 62, "")
    return (int(key), "") if key.isdigit() else (1 << 61, key)


def merge(
    ours: dict[str, Any], theirs: dict[str, Any], base: dict[str, Any] | None = None
) -> tuple[dict[str, Any], MergeReport]:
    """Merge two copies of one board (``base``: their common ancestor, e.g. git's %O, optional).

    Returns the merged board (schema ``SCHEMA``; unchanged records are shared with the inputs,
    not copied) and a report. Raises MergeError for two different boards or a newer schema."""
    boards = [("ours", ours), ("theirs", theirs)] + ([("base", base)] if base is not None else [])
    metas = {what: _main_meta(data, what) for what, data in boards}
    for what, (_key, meta) in metas.items():
        if meta["schema"] > SCHEMA:
            raise MergeError(_(_NOT_MERGEABLE[what][1]).format(schema=meta["schema"]))
    ids = {what: str(meta.get("id") or _derived_id(meta)) for what, (_, meta) in metas.items()}
    if len(set(ids.values())) > 1:
        raise MergeError(
            _("These are two different boards (ids {ours} and {theirs}): nothing to merge.").format(
                ours=ids["ours"], theirs=ids["theirs"]
            )
            if ids["ours"] != ids["theirs"]
            else _("The base is another board (id {id}).").format(id=ids["base"])
        )
    a, b = _Side(ours), _Side(theirs)
    o = _Side(base) if base is not None else None
    report = MergeReport()

    raw: dict[str, tuple[str, Doc]] = {}  # passed through unchanged
    full: dict[str, _Full] = {}
    ancestors: dict[str, State] = {}
    order = [*a.records, *(r for r in b.records if r not in a.records)]
    order += [r for r in (*a.tombs, *b.tombs) if r not in a.records and r not in b.records]
    for rid in dict.fromkeys(order):
        ra, rb = a.records.get(rid), b.records.get(rid)
        ta, tb = a.tombs.get(rid), b.tombs.get(rid)
        orec = o.records.get(rid) if o is not None else None
        if ta is None and tb is None:
            if ra is not None and rb is not None and (ra[2] is rb[2] or ra[2] == rb[2]):
                raw[rid] = (ra[0], ra[2])
                continue
            if orec is None and (ra is None or rb is None):
                only = ra or rb
                assert only is not None
                raw[rid] = (only[0], only[2])
                continue
        table = (ra or rb or orec or ("", "", {}))[0]
        states: list[State] = []
        sources: list[Doc] = []
        tombs: list[Doc] = []
        for side, rec, tomb in ((a, ra, ta), (b, rb, tb)):
            if rec is not None:
                state = parse(rec[2])
                if orec is not None:
                    if rid not in ancestors:
                        ancestors[rid] = parse(orec[2])
                    state = _improve(state, rec[2], ancestors[rid])
                states.append(state)
                sources.append(rec[2])
            if tomb is not None:
                tombs.append(tomb[1])
                table = table or str(tomb[1].get("table", ""))
                snap = tomb[1].get("record")
                if isinstance(snap, dict):
                    states.append(parse(snap))
                    sources.append(snap)
            if rec is None and tomb is None and orec is not None:
                ancestors.setdefault(rid, parse(orec[2]))
                tombs.append(_synth_tomb(rid, table, ancestors[rid], side))
        state = reduce(join, states) if states else {}
        tomb_all = reduce(join_tombstones, tombs) if tombs else None
        if tomb_all is not None:
            tomb_all = {k: v for k, v in tomb_all.items() if k != "record"}
        full[rid] = _Full(table, state, tomb_all, sources)

    alive_ids = set(raw) | {rid for rid, f in full.items() if f.alive}
    for rid, (table, doc) in list(raw.items()):  # links to show or hide: their card came or went
        if _links_stale(doc, alive_ids):
            del raw[rid]
            full[rid] = _Full(table, parse(doc), None, [doc])

    out_records: dict[str, tuple[str, Doc]] = dict(raw)
    out_tombs: dict[str, Doc] = {}
    alive: Callable[[str], bool] = alive_ids.__contains__
    for rid, merged in full.items():
        if merged.alive:
            note = _deleted_note(merged.state, merged.tomb)
            out_records[rid] = (merged.table, materialize(merged.state, merged.sources, alive, note))
        if merged.tomb is not None:
            out_tomb = dict(merged.tomb)
            out_tomb["table"] = out_tomb.get("table") or merged.table
            if not merged.alive and merged.state:
                out_tomb["record"] = materialize(merged.state, merged.sources)  # links unfiltered, as stamp_delete
            out_tombs[rid] = out_tomb

    merged_board: dict[str, Any] = {}
    tables = list(dict.fromkeys([*a.tables, *b.tables, *(t for t, _ in out_records.values())]))
    for table in tables:
        in_table = [rid for rid, (t, _) in out_records.items() if t == table]
        keys = _assign_keys(
            in_table,
            {rid: k for rid, (t, k, _) in a.records.items() if t == table},
            {rid: k for rid, (t, k, _) in b.records.items() if t == table},
        )
        merged_board[table] = {keys[rid]: out_records[rid][1] for rid in in_table}
    tomb_keys = _assign_keys(
        out_tombs, {r: k for r, (k, _) in a.tombs.items()}, {r: k for r, (k, _) in b.tombs.items()}
    )
    merged_board["tombstones"] = {tomb_keys[rid]: tomb for rid, tomb in out_tombs.items()}
    merged_board["events"] = _merge_events(ours.get("events") or {}, theirs.get("events") or {})
    merged_board["meta"] = _merge_meta(ours, theirs, metas, ids["ours"])

    merged_ids = [rid for rid, f in full.items() if f.alive]
    count_changes(report.ours, a.records, out_records, merged_ids)
    count_changes(report.theirs, b.records, out_records, merged_ids)
    report.conflicts = new_conflicts(merged_ids, out_records, a.records, b.records)
    main = merged_board["meta"][metas["ours"][0]]
    known = {c.key() for meta in (metas["ours"][1], metas["theirs"][1]) for c in review("meta", meta)}
    report.conflicts += [c for c in review("meta", main) if c.key() not in known]
    report.problems = problems(merged_board)
    return merged_board, report


def _links_stale(doc: Doc, alive: set[str]) -> bool:
    """Does ``doc`` list a link to a card that is gone, or hide one (``_v``) to a card that is back?"""
    links = doc.get("links")
    if isinstance(links, list) and links and not all(x in alive for x in links):
        return True
    stamps = doc.get("_v")
    if not stamps:
        return False
    prefix = "links" + SEP
    return any(
        p.startswith(prefix) and p[len(prefix) :] in alive and isinstance(e, dict) and e.get("value") is True
        for p, e in stamps.items()
    )


def _merge_meta(ours: dict[str, Any], theirs: dict[str, Any], metas: dict[str, tuple[str, Doc]], rid: str) -> Doc:
    (key, ma), (_key, mb) = metas["ours"], metas["theirs"]
    if ma == mb and ma["schema"] == SCHEMA and ma.get("id") == rid:
        main = ma
    else:
        main = materialize(join(parse(ma), parse(mb)), [ma, mb])
        main["id"], main["schema"] = rid, SCHEMA
    out: Doc = {key: main}
    for table in (ours.get("meta") or {}, theirs.get("meta") or {}):
        for k, doc in table.items():
            if k not in out and doc is not ma and doc is not mb:
                out[k] = doc
    return out


def _merge_events(ours: Doc, theirs: Doc) -> Doc:
    """Union by event id; the newest EVENT_CAP by (at, id); ours' keys kept, new ones after them."""
    found: dict[str, tuple[Doc, str | None]] = {}
    for side, events in ((0, ours), (1, theirs)):
        for key, event in events.items():
            if not isinstance(event, dict):
                continue
            eid = str(event.get("id") or f"events#{key}")
            seen = found.get(eid)
            if seen is None:
                found[eid] = (event, key if side == 0 else None)
            elif seen[0] != event and value_key(event) > value_key(seen[0]):
                found[eid] = (event, seen[1])
    if len(found) > EVENT_CAP:
        newest = sorted(found, key=lambda e: (str(found[e][0].get("at", "")), e))[-EVENT_CAP:]
        found = {e: found[e] for e in newest}
    out: Doc = {key: event for event, key in found.values() if key is not None}
    nxt = max((int(k) for k in ours if k.isdigit()), default=0) + 1
    for eid in sorted(
        (e for e, (_doc, k) in found.items() if k is None), key=lambda e: (str(found[e][0].get("at", "")), e)
    ):
        while str(nxt) in out:
            nxt += 1
        out[str(nxt)] = found[eid][0]
    return out


def content(data: dict[str, Any]) -> dict[str, Any]:
    """A board by content: every table's records by id (document keys left out)."""
    out: dict[str, Any] = {}
    for table, docs in data.items():
        if not isinstance(docs, dict):
            out[table] = docs
            continue
        out[table] = {
            str(doc.get("id") or f"#{key}") if isinstance(doc, dict) else f"#{key}": doc for key, doc in docs.items()
        }
    return out
