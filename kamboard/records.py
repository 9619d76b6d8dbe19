"""The shape of each record read from a board file: pure, no I/O, no textual.

A file can be valid JSON and still hold records the program cannot use (``"position":
"first"``, ``"rev": null``, a card without a lane, ``"links": "abc"``). :func:`scan` finds
every such record in one pass over the tables, with plain type checks on dict values (it
runs at every parse: ~10 ms for a 10,000-card board), and names the table, the record
(its id, else its key) and the field of each problem. Values are checked for their type and,
where the program relies on it, for their form (a card's lane, a workshop's dates); the rest
of what ``kamboard check`` reports (empty titles, unknown statuses, missing links) is left
to :mod:`kamboard.check`.

Also here: where an invalid UTF-8 byte sits in a file (:func:`utf8_error`), which the JSON
parser reports at line 1, column 1.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from .i18n import N_, _
from .model import LANES, printable

Doc = dict[str, Any]

# What a field must hold: a set of exact types (bool is not a number here) or a special kind.
_TEXT = frozenset({str})
_INT = frozenset({int})
_NUMBER = frozenset({int, float})
_BOOL = frozenset({bool})
_OBJECT = frozenset({dict})
_TEXT_LIST = "text list"  # a list of strings
_LANE = "lane"  # one of LANES
_WHEN = "when"  # '' or YYYY-MM-DD[THH:MM[:SS]]
_VOTERS = "voters"  # {name: whole number}
_PARTICIPANTS = "participants"
_AGENDA = "agenda"
_AGENDA_STATE = "agenda_state"

_KINDS: dict[object, str] = {  # translated where shown ({lanes}: the lane ids)
    _TEXT: N_("text"),
    _INT: N_("an integer"),
    _NUMBER: N_("a number"),
    _BOOL: N_("true or false"),
    _OBJECT: N_("an object"),
    _TEXT_LIST: N_("a list of text"),
    _LANE: N_("one of {lanes}"),
    _WHEN: N_("a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
    _VOTERS: N_("an object of integers"),
    _PARTICIPANTS: N_("a list of participants (name, side, role)"),
    _AGENDA: N_("a list of agenda items (id, title, lane, minutes, day, notes)"),
    _AGENDA_STATE: N_("a timer state (index, item_id, running, started_at, elapsed, extra)"),
}

_VALID = N_("valid")

_STAMPS = {
    "created_at": _TEXT,
    "created_by": _TEXT,
    "updated_at": _TEXT,
    "updated_by": _TEXT,
    "rev": _INT,
    "_v": _OBJECT,
    "_conflicts": _OBJECT,
}  # _v, _conflicts: merge_state
_CARD: dict[str, object] = {
    "id": _TEXT,
    "account_id": _TEXT,
    "lane": _LANE,
    "title": _TEXT,
    "position": _NUMBER,
    "notes": _TEXT,
    "tags": _TEXT_LIST,
    "links": _TEXT_LIST,
    "owner": _TEXT,
    "side": _TEXT,
    "due": _TEXT,
    "status": _TEXT,
    "customer_benefit": _TEXT,
    "our_benefit": _TEXT,
    "votes": _INT,
    "voters": _VOTERS,
    "voted_in": _TEXT,
    "workshop_id": _TEXT,
    "carried_from": _TEXT,
    **_STAMPS,
}
_ACCOUNT: dict[str, object] = {
    "id": _TEXT,
    "name": _TEXT,
    "owner": _TEXT,
    "notes": _TEXT,
    "archived": _BOOL,
    **_STAMPS,
}
_WORKSHOP: dict[str, object] = {
    "id": _TEXT,
    "account_id": _TEXT,
    "title": _TEXT,
    "start": _WHEN,
    "end": _WHEN,
    "location": _TEXT,
    "notes": _TEXT,
    "participants": _PARTICIPANTS,
    "agenda": _AGENDA,
    "agenda_state": _AGENDA_STATE,
    "vote_budget": _INT,
    "vote_per_card": _INT,
    "votes_hidden": _BOOL,
    "capture": _TEXT_LIST,
    **_STAMPS,
}
_EVENT: dict[str, object] = {
    "id": _TEXT,
    "at": _TEXT,
    "by": _TEXT,
    "kind": _TEXT,
    "record_id": _TEXT,
    "account_id": _TEXT,
    "summary": _TEXT,
    "seq": _INT,  # the event's place in the log
}
_META: dict[str, object] = {"id": _TEXT, "schema": _INT, "title": _TEXT, "demo": _BOOL, **_STAMPS}

# table -> (what one record is called (translated where shown), its fields, the fields it must have)
TABLES: dict[str, tuple[str, dict[str, object], tuple[str, ...]]] = {
    "meta": (N_("meta record"), _META, ()),
    "accounts": (N_("account"), _ACCOUNT, ("id", "name")),
    "cards": (N_("card"), _CARD, ("id", "account_id", "lane", "title")),
    "workshops": (N_("workshop"), _WORKSHOP, ("id", "account_id", "title")),
    "events": (N_("event"), _EVENT, ()),
}

_WHEN_FORM = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


@dataclass(frozen=True)
class Problem:
    """One bad field of one record: ``str()`` is a line such as
    ``card 3f2a1b2c… field 'position' is "first", not a number``."""

    table: str
    key: str
    record: str  # "card 3f2a1b2c…", or "card with key '12'" when it has no usable id
    field: str
    message: str  # "is \"first\", not a number"

    def __str__(self) -> str:
        return _("{record} field {field!r} {problem}").format(
            record=self.record, field=self.field, problem=self.message
        )


def scan(data: dict[str, Any], *, limit: int | None = None) -> list[Problem]:
    """Every bad field of every record in the tables of ``data`` (a parsed board: a dict of
    dicts of dicts, as the store has checked already); [] when all are usable.

    ``limit`` stops after that many problems. Records that are not objects, and tables
    that are not objects, are left to the caller (the store refuses such files whole)."""
    problems: list[Problem] = []
    for name, table in data.items():
        spec = TABLES.get(name)
        if spec is None or type(table) is not dict or _table_ok(name, table):
            continue
        _scan_table(name, table, spec, problems, limit)
        if limit is not None and len(problems) >= limit:
            break
    return problems


_LANE_SET = frozenset(LANES)


class _Never:
    """A type no JSON value has: a field expecting it always takes the loop's slower test."""


# The loop over every field of every record compares the value's type with one expected type
# (``is``: the cheapest test); on a mismatch the field's full kind decides (an int position is
# fine). List items, lanes and required fields are then checked over the whole table.
_ONE_TYPE: dict[object, type] = {_TEXT: str, _INT: int, _NUMBER: float, _BOOL: bool, _OBJECT: dict}
_ONE_TYPE.update({_TEXT_LIST: list, _LANE: str, _VOTERS: _Never})
_FAST = {
    name: {field: _ONE_TYPE[kind] for field, kind in spec[1].items()}
    for name, spec in TABLES.items()
    if all(kind in _ONE_TYPE for kind in spec[1].values())
}


def _table_ok(name: str, table: dict[str, Any]) -> bool:
    """True when every record of ``table`` is sound; False when one may not be (the
    record-by-record pass then finds which). A 10,000-card table takes ~10 ms: one loop over
    the fields, then C-level passes (``map``, ``set``) over the table; no object per record."""
    one = _FAST.get(name)
    if one is None:
        return False  # workshops (few): record by record
    fields, required = TABLES[name][1], TABLES[name][2]
    docs = table.values()
    n = len(table)
    try:
        for doc in docs:
            for field, value in doc.items():
                if type(value) is not one[field] and not _field_ok(fields[field], value):
                    return False
        if required:  # a record without one: KeyError
            deque(map(itemgetter(*required), docs), 0)
        for field, kind in fields.items():
            if kind is _TEXT_LIST:
                items = chain.from_iterable(map(dict.get, docs, repeat(field, n), repeat((), n)))
                if not set(map(type, items)) <= {str}:
                    return False
            elif kind is _LANE and not set(map(itemgetter(field), docs)) <= _LANE_SET:
                return False
    except (KeyError, AttributeError, TypeError):  # a field it does not know, a record that is not one
        return False
    return True


def _scan_table(
    name: str,
    table: dict[str, Any],
    spec: tuple[str, dict[str, object], tuple[str, ...]],
    problems: list[Problem],
    limit: int | None,
) -> None:
    fields, required = spec[1], spec[2]
    get = fields.get
    for key, doc in table.items():
        if type(doc) is not dict:
            continue
        for field in required:
            if field not in doc:
                problems.append(_problem(name, key, doc, field, _("is missing")))
        for field, value in doc.items():
            kind = get(field)
            if kind is None:  # a field this kamboard does not know: kept as it is
                continue
            if _field_ok(kind, value):
                continue
            problems.append(_problem(name, key, doc, field, _is_not(kind, value)))
        if limit is not None and len(problems) >= limit:
            return


def record_problems(table: str, doc: Doc) -> list[str]:
    """The problems :func:`scan` finds in one record of ``table`` (e.g. a record to import),
    as 'field 'rev' is "x", not an integer'; [] when it is sound."""
    if table not in TABLES:
        return []
    problems: list[Problem] = []
    _scan_table(table, {"": doc}, TABLES[table], problems, None)
    return [_("field {field!r} {problem}").format(field=p.field, problem=p.message) for p in problems]


def _field_ok(kind: object, value: Any) -> bool:
    """Whether ``value`` is of ``kind`` (one of the kinds in the field tables above)."""
    if kind.__class__ is frozenset:
        return value.__class__ in kind
    if kind is _TEXT_LIST:
        return value.__class__ is list and all(item.__class__ is str for item in value)
    if kind is _LANE:
        return value.__class__ is str and value in LANES
    if kind is _VOTERS:
        return value.__class__ is dict and all(v.__class__ is int for v in value.values())
    if kind is _WHEN:
        return value == "" or (value.__class__ is str and _when_ok(value))
    if kind is _PARTICIPANTS:
        return value.__class__ is list and all(_participant_ok(p) for p in value)
    if kind is _AGENDA:
        return value.__class__ is list and all(_agenda_item_ok(i) for i in value)
    if kind is _AGENDA_STATE:
        return value is None or _agenda_state_ok(value)
    return False


def _when_ok(value: str) -> bool:
    if not _WHEN_FORM.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _stamp_ok(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _participant_ok(person: object) -> bool:
    return (
        person.__class__ is dict
        and person.get("name").__class__ is str
        and all(person.get(k, "").__class__ is str for k in ("side", "role"))
    )


def _agenda_item_ok(item: object) -> bool:
    return (
        item.__class__ is dict
        and item.get("title").__class__ is str
        and item.get("id", "").__class__ is str
        and item.get("lane", "") in ("", *LANES)
        and item.get("minutes", 0).__class__ is int
        and item.get("day", 1).__class__ is int  # the workshop day it is on (kamboard.agenda)
        and item.get("notes", "").__class__ is str  # notes or decisions taken on it
    )


_STATE_FIELDS: dict[str, frozenset[type]] = {
    "index": _INT,
    "item_id": _TEXT,
    "running": _BOOL,
    "started_at": _TEXT,
    "elapsed": _NUMBER,
    "extra": _INT,
}


def _agenda_state_ok(state: object) -> bool:
    if state.__class__ is not dict:
        return False
    for field, kinds in _STATE_FIELDS.items():
        if field in state and state[field].__class__ not in kinds:
            return False
    return _stamp_ok(state.get("started_at") or "1970-01-01T00:00:00")


def _problem(table: str, key: str, doc: Doc, field: str, message: str) -> Problem:
    return Problem(table, key, record_label(table, key, doc), field, message)


def record_label(table: str, key: str, doc: Doc) -> str:
    """'card 3f2a1b2c…' (the first 8 characters of its id), else "card with key '12'"."""
    known = table in TABLES
    what = _(TABLES[table][0]) if known else _("record of table {table}").format(table=printable(repr(table)))
    record_id = doc.get("id")
    if isinstance(record_id, str) and record_id and record_id.isprintable() and len(record_id) <= 64:
        return f"{what} {record_id[:8]}…" if len(record_id) > 8 else f"{what} {record_id}"
    return _("{record} with key {key}").format(record=what, key=printable(repr(key)))


def show_value(value: Any, limit: int = 40) -> str:
    """A value as JSON, cut to ``limit`` characters, control characters escaped."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return printable(text)


def _is_not(kind: object, value: Any) -> str:
    expected = _(_KINDS.get(kind, _VALID)).format(lanes=", ".join(LANES))
    return _("is {value}, not {kind}").format(value=show_value(value), kind=expected)


def utf8_error(raw: bytes) -> str:
    """Where ``raw`` first breaks UTF-8: 'invalid UTF-8 at line 7, column 12 (byte 0xff)'; '' if it does not.

    The column counts characters from the start of the line (1-based)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        return _("invalid UTF-8 at line {line}, column {column} (byte 0x{byte:02x})").format(
            line=line, column=column, byte=raw[start]
        )
    return ""
