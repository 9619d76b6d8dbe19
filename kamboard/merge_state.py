"""The merge state of one record: every field as a multi-value register of versions. Pure, no I/O.

A record is seen as a flat map of *paths* to values (``flatten``):

- ``title``                      a plain field (any JSON value, compared whole);
- ``tags\\0x``, ``links\\0id``     a set element (value ``True``) of ``tags`` / ``links`` / a workshop's
                                 ``capture`` (the lanes open to participants);
- ``voters\\0Anna``               a map entry (her vote count);
- ``agenda\\0<id>``               an item of a keyed list (value ``True``: the item exists);
- ``agenda\\0<id>\\0minutes``      a field of that item (participants are keyed by name);
- ``tags\\0``                     the container: the list's order (a list of keys), ``True`` for a map.

Each path holds an antichain of *versions* ``(vv, at, by, value)``: ``vv`` is a version vector
``{replica: counter}``; a version dominated by another's vector was seen and replaced by that
version's author. A path without a ``_v`` entry holds the *base* version: its vector is derived
from the value itself (``{"~<hash of path and value>": 1}``), so an unstamped change (an older
kamboard, a hand edit) is a version of its own and is never mistaken for an old one.

In the file the record holds the winning values; ``_v[path]`` the winner's ``at``, ``by`` and
``vv`` (left out for a base version), plus ``value`` when the record cannot show it (a field of a
removed agenda item, a link to a deleted card); ``_conflicts[path]`` the other versions.
``parse`` and ``encode`` are exact inverses on what ``build`` writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

Doc = dict[str, Any]
VV = dict[str, int]
SEP = "\x00"
SETS = frozenset({"tags", "links", "capture"})  # capture: a workshop's lanes open to participants
MAPS = frozenset({"voters"})
ITEMS = {"agenda": "id", "participants": "name"}  # keyed lists: the item field that keys them
#: a record's change stamps and conflicts to review: what a merge needs, not the record's content
MERGE_FIELDS = frozenset({"_v", "_conflicts"})
MANAGED = frozenset({"id", "rev", "created_at", "created_by", "updated_at", "updated_by", "schema", *MERGE_FIELDS})
SILENT = frozenset({"position", "agenda_state", "voted_in", "votes"})  # concurrent values: later wins, no review
KEPT = "_kept"  # register written when a deletion is overruled: "kept after the deletion"
DELETED = "_deleted"  # _conflicts entry (derived) noting a deletion that a later edit overruled


class _Absent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def value_key(value: Any) -> bytes:
    """A stable byte form of a JSON value (b'' for ABSENT) for ordering and equality."""
    return b"" if value is ABSENT else orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if a is ABSENT or b is ABSENT:
        return False
    return _equal(a, b)


def synthetic(path: str, vkey: bytes) -> str:
    """The replica name of a base version: a digest of its path and value."""
    return "~" + hashlib.blake2b(path.encode() + b"\x00" + vkey, digest_size=5).hexdigest()


class Version:
    """One value of a path, with who wrote it, when, and what they had seen (``vv``)."""

    __slots__ = ("_vk", "_vv", "_vvk", "at", "by", "path", "value")

    def __init__(self, path: str, vv: VV | None, at: str, by: str, value: Any) -> None:
        self.path, self._vv, self.at, self.by, self.value = path, vv, at, by, value
        self._vk: bytes | None = None
        self._vvk: tuple[tuple[str, int], ...] | None = None

    @property
    def vkey(self) -> bytes:
        if self._vk is None:
            self._vk = value_key(self.value)
        return self._vk

    @property
    def vv(self) -> VV:
        if self._vv is None:
            self._vv = {synthetic(self.path, self.vkey): 1}
        return self._vv

    @property
    def vvkey(self) -> tuple[tuple[str, int], ...]:
        if self._vvk is None:
            self._vvk = tuple(sorted(self.vv.items()))
        return self._vvk

    @property
    def is_base(self) -> bool:
        vv = self._vv
        if vv is None:
            return True
        return len(vv) == 1 and next(iter(vv)).startswith("~") and vv == {synthetic(self.path, self.vkey): 1}

    def entry(self, with_value: bool) -> Doc:
        out: Doc = {"at": self.at, "by": self.by, "vv": dict(self.vv)}
        if with_value:
            if self.value is ABSENT:
                out["absent"] = True
            else:
                out["value"] = self.value
        return out

    def __repr__(self) -> str:
        return f"Version({self.path!r}, {self._vv}, {self.at!r}, {self.by!r}, {self.value!r})"


State = dict[str, list[Version]]  # path -> versions, ascending: the winner is last


# version vectors
def leq(a: VV, b: VV) -> bool:
    return all(b.get(k, 0) >= n for k, n in a.items())


def join_vv(vvs: Iterable[VV]) -> VV:
    out: VV = {}
    for vv in vvs:
        for k, n in vv.items():
            if n > out.get(k, 0):
                out[k] = n
    return out


# paths
def field_of(path: str) -> str:
    return path.partition(SEP)[0]


def kind(path: str) -> str:
    """'plain', 'container', 'element' or 'sub' (a field of a keyed-list item)."""
    if SEP not in path:
        return "plain"
    rest = path.partition(SEP)[2]
    if not rest:
        return "container"
    return "sub" if SEP in rest else "element"


def _order_key(path: str) -> Callable[[Version], tuple[Any, ...]]:
    """Ascending order of a path's versions; the last one wins. Elements: present beats absent."""
    if kind(path) == "element":
        return lambda v: (v.value is not ABSENT, v.at, v.by, v.vkey, v.vvkey)
    return lambda v: (v.at, v.by, v.vkey, v.vvkey)


def reviewable(path: str, winner: Version, other: Version) -> bool:
    """Is ``other`` (a concurrent version beside ``winner``) a conflict for a person to review?"""
    if other.vkey == winner.vkey:
        return False
    what = kind(path)
    if what == "plain":
        return path not in SILENT and path != KEPT
    if what == "element":
        return other.value is not ABSENT and winner.value is not ABSENT
    return what == "sub"


def _clean_key(key: Any) -> bool:
    return isinstance(key, str) and bool(key) and SEP not in key


def _item_keys(field: str, items: list[Any]) -> list[str] | None:
    if not all(isinstance(i, dict) and all(_clean_key(k) for k in i) for i in items):
        return None
    by = ITEMS[field]
    keys = [i.get(by) for i in items]
    if field == "participants":
        keys = [k.casefold() if isinstance(k, str) else k for k in keys]
    if not all(_clean_key(k) for k in keys) or len(set(keys)) != len(keys):
        return None
    return keys


def flatten(rec: Doc) -> dict[str, Any]:
    """The record's user fields as paths (see the module notes); managed fields are left out."""
    flat: dict[str, Any] = {}
    voters = isinstance(rec.get("voters"), dict)
    for name, value in rec.items():
        if name in MANAGED or (name == "votes" and voters):
            continue
        if name in SETS and isinstance(value, list) and all(_clean_key(x) for x in value):
            if len(set(value)) == len(value):
                flat[name + SEP] = list(value)
                for x in value:
                    flat[name + SEP + x] = True
                continue
        elif name in MAPS and isinstance(value, dict) and all(_clean_key(k) for k in value):
            flat[name + SEP] = True
            for k, v in value.items():
                flat[name + SEP + k] = v
            continue
        elif name in ITEMS and isinstance(value, list):
            keys = _item_keys(name, value)
            if keys is not None:
                flat[name + SEP] = keys
                for key, item in zip(keys, value, strict=True):
                    flat[name + SEP + key] = True
                    for sub, v in item.items():
                        flat[name + SEP + key + SEP + sub] = v
                continue
        flat[name] = value
    return flat


def base_stamp(rec: Doc) -> tuple[str, str]:
    """Who and when of a record's base versions: its last change (else its creation)."""
    return str(rec.get("updated_at") or rec.get("created_at") or ""), str(
        rec.get("updated_by") or rec.get("created_by") or ""
    )


def _entry_version(path: str, entry: Any, shown: Any) -> Version | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("vv"), dict):
        return None
    if "value" in entry:
        value = entry["value"]
    elif entry.get("absent"):
        value = ABSENT
    else:
        value = shown
    return Version(path, dict(entry["vv"]), str(entry.get("at", "")), str(entry.get("by", "")), value)


def parse(rec: Doc, stamp: tuple[str, str] | None = None) -> State:
    """The merge state of a record as written in the file (``stamp``: the base versions' who and
    when, default the record's own)."""
    flat = flatten(rec)
    stamps, others = rec.get("_v"), rec.get("_conflicts")
    if not isinstance(stamps, dict):
        stamps = {}
    if not isinstance(others, dict):
        others = {}
    at, by = stamp or base_stamp(rec)
    state: State = {}
    for path, entry in stamps.items():
        version = _entry_version(path, entry, flat.get(path, ABSENT))
        if version is not None:
            state[path] = [version]
    for path, value in flat.items():
        if path not in state:
            state[path] = [Version(path, None, at, by, value)]
    for path, entries in others.items():
        if path == DELETED or not isinstance(entries, list):
            continue
        alts = [v for e in entries if (v := _alt_version(path, e)) is not None]
        if alts:
            state[path] = maximal(state.get(path, []) + alts)
    _drop_derived(state)
    return state


def _alt_version(path: str, entry: Any) -> Version | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("vv"), dict):
        return None
    value = entry.get("value", ABSENT)
    return Version(path, dict(entry["vv"]), str(entry.get("at", "")), str(entry.get("by", "")), value)


def _drop_derived(state: State) -> None:
    """``votes`` is the sum of ``voters`` wherever voters exist: not a register of its own."""
    if "votes" in state and "voters" + SEP in state:  # flatten always writes a map's container
        del state["votes"]


# the join
def maximal(versions: list[Version]) -> list[Version]:
    """The versions no other version dominates, one per (vv, value), in ascending order."""
    unique: dict[tuple[Any, bytes], Version] = {}
    for v in versions:
        ident = (v.vvkey, v.vkey)
        seen = unique.get(ident)
        if seen is None or (v.at, v.by) > (seen.at, seen.by):
            unique[ident] = v
    found = list(unique.values())
    if len(found) > 1:
        found = [v for v in found if not any(w is not v and w.vv != v.vv and leq(v.vv, w.vv) for w in found)]
        found.sort(key=_order_key(found[0].path))
    return found


def _equal(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, str | bool | int | float) or a is None:
        return a == b
    return a == b and value_key(a) == value_key(b)


def _join_path(a: list[Version], b: list[Version]) -> list[Version]:
    if a is b:
        return a
    if len(a) == 1 and len(b) == 1:  # mostly the same version on both sides: no hashing
        x, y = a[0], b[0]
        if x._vv == y._vv and _equal(x.value, y.value):
            return a if (x.at, x.by) >= (y.at, y.by) else b
    return maximal(a + b)


def join(a: State, b: State) -> State:
    """The merge of two states of one record: per path, the maximal versions of both."""
    out = dict(a)
    for path, versions in b.items():
        mine = out.get(path)
        out[path] = versions if mine is None else _join_path(mine, versions)
    _drop_derived(out)
    return out


def all_versions(state: State) -> Iterator[Version]:
    for versions in state.values():
        yield from versions


def counter(state: State, replica: str, extra: Iterable[VV] = ()) -> int:
    """The highest counter of ``replica`` in the record (its next write takes this + 1)."""
    found = [v.vv.get(replica, 0) for v in all_versions(state) if v._vv is not None]
    found += [vv.get(replica, 0) for vv in extra]
    return max(found, default=0)


# building the record back
def _order(container: list[Version] | None, present: list[str], elements: dict[str, list[Version]]) -> list[str]:
    """Keys in list order: the winning order first, then keys placed after their predecessor in the
    other concurrent orders, then keys no order knows by when they were added."""
    wanted = set(present)
    placed: list[str] = []
    seen: set[str] = set()
    for version in reversed(container or []):
        seq = [k for k in version.value if isinstance(k, str)] if isinstance(version.value, list) else []
        for i, key in enumerate(seq):
            if key not in wanted or key in seen:
                continue
            j = i - 1
            while j >= 0 and seq[j] not in seen:
                j -= 1
            placed.insert(placed.index(seq[j]) + 1 if j >= 0 else 0, key)
            seen.add(key)
    rest = sorted(wanted - seen, key=lambda k: (elements[k][-1].at, k))
    return placed + rest


def build(state: State, alive: Callable[[str], bool] | None = None) -> Doc:
    """The user fields of the record a state describes (winners; sets, maps and lists rebuilt).

    ``alive``: which card ids a link may point at (links to others are kept in the state only)."""
    fields: Doc = {}
    composite: dict[str, tuple[list[list[Version]], dict[str, list[Version]], dict[str, dict[str, Version]]]] = {}
    for path, versions in state.items():
        if SEP not in path:
            if path != KEPT and versions[-1].value is not ABSENT:
                fields[path] = versions[-1].value
            continue
        name, _, rest = path.partition(SEP)
        group = composite.setdefault(name, ([], {}, {}))
        if not rest:
            group[0].append(versions)
        elif SEP in rest:
            key, _, sub = rest.partition(SEP)
            group[2].setdefault(key, {})[sub] = versions[-1]
        else:
            group[1][rest] = versions
    for name, (container, elements, subs) in composite.items():
        present = [k for k, vs in elements.items() if vs[-1].value is not ABSENT]
        if name == "links" and alive is not None:
            present = [k for k in present if alive(k)]
        exists = bool(present) or bool(container and container[0][-1].value is not ABSENT)
        if not exists:
            continue
        if name in MAPS:
            fields[name] = {k: elements[k][-1].value for k in sorted(present)}
            continue
        keys = _order(container[0] if container else None, present, elements)
        if name in ITEMS:
            fields[name] = [
                {sub: v.value for sub, v in sorted(subs.get(k, {}).items()) if v.value is not ABSENT} for k in keys
            ]
        else:
            fields[name] = keys
    voters = fields.get("voters")
    if isinstance(voters, dict):
        fields["votes"] = sum(n for n in voters.values() if isinstance(n, int) and not isinstance(n, bool))
    return fields


def encode(state: State, rec: Doc, deleted: list[Doc] | None = None) -> None:
    """Write ``rec['_v']`` and ``rec['_conflicts']`` so that ``parse(rec)`` gives ``state`` back."""
    flat = flatten(rec)
    at, by = base_stamp(rec)
    stamps: Doc = {}
    others: Doc = {}
    for path in sorted(state):
        versions = state[path]
        winner = versions[-1]
        shown = flat.get(path, ABSENT)
        hidden = not same(shown, winner.value)
        if hidden or len(versions) > 1 or winner.value is ABSENT or (winner.at, winner.by) != (at, by):
            stamps[path] = winner.entry(hidden)
        elif not winner.is_base:
            stamps[path] = winner.entry(False)
        if len(versions) > 1:
            others[path] = [_alt_entry(v) for v in versions[:-1]]
    if deleted:
        others[DELETED] = deleted
    for name, value in (("_v", stamps), ("_conflicts", others)):
        if value:
            rec[name] = value
        else:
            rec.pop(name, None)


def _alt_entry(version: Version) -> Doc:
    out: Doc = {"at": version.at, "by": version.by, "vv": dict(version.vv)}
    if version.value is not ABSENT:
        out["value"] = version.value
    return out


def managed(sources: list[Doc]) -> Doc:
    """The managed fields of a record merged from ``sources``: first created, last updated, top rev."""
    out: Doc = {}
    for source in sources:
        if "id" in source:
            out["id"] = source["id"]
            break
    created = [(str(s.get("created_at", "")), str(s.get("created_by", ""))) for s in sources if "created_at" in s]
    if created:
        out["created_at"], out["created_by"] = min(created)
    updated = [(str(s.get("updated_at", "")), str(s.get("updated_by", ""))) for s in sources if "updated_at" in s]
    if updated:
        out["updated_at"], out["updated_by"] = max(updated)
    revs = [s["rev"] for s in sources if isinstance(s.get("rev"), int) and not isinstance(s.get("rev"), bool)]
    if revs:
        out["rev"] = max(revs)
    return out


def materialize(
    state: State, sources: list[Doc], alive: Callable[[str], bool] | None = None, deleted: list[Doc] | None = None
) -> Doc:
    """The record for ``state``, its managed fields merged from ``sources``."""
    rec = managed(sources)
    rec.update(build(state, alive))
    encode(state, rec, deleted)
    return rec
