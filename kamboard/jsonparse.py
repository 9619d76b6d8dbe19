"""Parsing a board file's JSON: by slices for big files, and the keys a table holds twice.

orjson keeps the last of two equal keys without a word (as a ``git merge`` can leave them):
:func:`loads_checked` says which keys the top two levels held more than once.

:func:`loads_preview` parses a big file but one table's records, and :func:`find_records` then
parses the few of those one board shows (the TUI's first paint; see BoardStore's ``preview``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import IO, Any

import orjson

from .i18n import _, ngettext

# Big files (from 2 * SLICE) in the layout storage.py writes (indent 2) are parsed a slice of
# records at a time: orjson needs about twice its input in scratch memory on top of the result,
# so one 6 MB parse peaks 12 MB higher than slices do. Slices of SLICE / 4 (128 KB) also parse
# faster than bigger ones (they stay in the CPU's caches); smaller files parse fastest in one piece.
SLICE = 1 << 19
_TABLE_HEAD = re.compile(rb'\n  ("(?:[^"\\\n]|\\.)*"): \{(\}|\n)')
_RECORD_END = b'\n    },\n    "'


class _OtherLayout(Exception):
    """The file is not in the indent-2 layout: parse it in one piece."""


# A record with fields at depth 2 in our layout: '"KEY": {' ends its line and its first field is
# indented 6 (deeper objects' fields sit deeper; JSON strings hold no raw newline). Counting these
# while slicing, against the keys parsed, tells that no table holds a key twice: orjson keeps the
# last of two equal keys without a word. This pattern is the fastest of the exact ones to count
# (~0.4 ms per MB). An entry that is not a non-empty object is not counted, so the counts differ
# and the exact check runs; only a file holding as many such entries as duplicates (never one
# kamboard or a merge of its files wrote) could hide a duplicate from it.
_HEAD = b'": {\n      "'
_TABLE_END = b"\n  }"

#: (table, key, times): a key held more than once; table "" for a table name held twice
Duplicate = tuple[str, str, int]


def loads(raw: bytes) -> Any:
    """``orjson.loads(raw)``, by slices for a big file in our layout (same result, less memory)."""
    return loads_checked(raw)[0]


def loads_checked(raw: bytes) -> tuple[Any, list[Duplicate]]:
    """``orjson.loads(raw)`` and the keys the file holds more than once in its top two levels.

    orjson keeps the last of duplicate keys; the list says which records that hid (usually []).

    Big files in our layout are parsed by slices: less memory. (The cyclic garbage collector is
    left alone: a program that wants it paused for a big parse pauses it itself, as the TUI's
    start does, see kamboard.tui.startup.)

    A slice ends where a record at depth 2 ends (``\\n    },``); JSON strings cannot hold a raw
    newline, so that is never inside a string. Every slice must parse as a whole object and the
    tables must follow each other exactly as in our layout, else the file is parsed in one piece
    (which also gives the usual error for a broken file).

    Duplicates are found cheaply: record heads counted in the raw bytes against the keys parsed.
    When they differ (a duplicate, or another layout) the exact, slow check of :func:`duplicates`
    runs.
    """
    sliced = len(raw) >= 2 * SLICE and raw.startswith(b'{\n  "')
    try:
        if not sliced:
            raise _OtherLayout
        data, clean = _loads_sliced(_Window(raw))
    except (_OtherLayout, orjson.JSONDecodeError):
        return _loads_whole(raw)
    return data, ([] if clean else duplicates(raw))


def load_checked(handle: IO[bytes]) -> tuple[Any, list[Duplicate]] | None:
    """:func:`loads_checked` of the file open in ``handle`` (None when it is empty or whitespace).

    A big file in our layout is read a slice at a time, so that its bytes are never all in memory
    (the TUI reads one after its first screen is built); it is read again whole (``handle`` must
    seek) when it is not in our layout after all, is broken, or may hold a key twice."""
    raw = handle.read(5)
    if raw == b'{\n  "' and os.fstat(handle.fileno()).st_size >= 2 * SLICE:
        try:
            data, clean = _loads_sliced(_Window(bytearray(raw), handle))
        except (_OtherLayout, orjson.JSONDecodeError):
            handle.seek(0)
            return _loads_whole(handle.read())
        if clean:
            return data, []
        handle.seek(0)
        return data, duplicates(handle.read())
    raw += handle.read()
    return None if not raw or raw.isspace() else loads_checked(raw)  # (not strip(): that copies it)


def _loads_whole(raw: bytes) -> tuple[Any, list[Duplicate]]:
    data = orjson.loads(raw)
    return data, ([] if _heads_match(raw, data) else duplicates(raw))


class _Window:
    """A file's bytes by their positions in it: all of ``raw``, or read from ``handle`` as far as
    asked, those before :meth:`forget`'s position dropped (a big file is never all in memory)."""

    def __init__(self, raw: bytes | bytearray, handle: IO[bytes] | None = None) -> None:
        self.buf = raw  # the bytes from position ``base`` on
        self.base = 0
        self.handle = handle  # None once the end of the file is in ``buf``

    def _more(self) -> bool:
        if self.handle is None:
            return False
        data = self.handle.read(SLICE)
        if not data:
            self.handle = None
            return False
        self.buf += data  # a bytearray: extended in place
        return True

    def find(self, sub: bytes, start: int, end: int = -1) -> int:
        """``raw.find(sub, start, end)``; ``end`` -1: to the end of the file."""
        scanned = start
        while True:
            stop = len(self.buf) if end < 0 else min(end - self.base, len(self.buf))
            found = self.buf.find(sub, scanned - self.base, stop)
            if found >= 0:
                return found + self.base
            if 0 <= end <= self.base + len(self.buf) or not self._more():
                return -1
            scanned = max(start, self.base + stop - len(sub) + 1)

    def get(self, start: int, end: int = -1) -> bytes | bytearray:
        """``raw[start:end]``; ``end`` -1: to the end of the file."""
        while (end < 0 or end > self.base + len(self.buf)) and self._more():
            pass
        return self.buf[start - self.base : None if end < 0 else end - self.base]

    def head(self, pos: int) -> tuple[bytes, bytes, int] | None:
        """A table's head line at ``pos`` (``_TABLE_HEAD``): its name, "}" or "\n", where it ends."""
        while self.buf.find(b"\n", pos - self.base + 1) < 0 and self._more():
            pass
        found = _TABLE_HEAD.match(self.buf, pos - self.base)
        return None if found is None else (found.group(1), found.group(2), found.end() + self.base)

    def forget(self, pos: int) -> None:
        """Drop the bytes before ``pos`` (read from a file: nothing before it is asked for again)."""
        if isinstance(self.buf, bytearray) and pos - self.base >= SLICE:
            del self.buf[: pos - self.base]  # cheap at the start of a bytearray
            self.base = pos


def _heads_match(raw: bytes, data: Any) -> bool:
    """True when the record heads in ``raw`` are as many as the records parsed (no key twice)."""
    if not isinstance(data, dict):
        return True  # not tables of records: nothing to lose
    parsed = sum(len(table) for table in data.values() if isinstance(table, dict))
    return raw.count(_HEAD) == parsed


def _take(table: dict[str, Any], chunk: bytes) -> bool:
    """Add the records of ``chunk`` (a slice as an object) to ``table``; False when a key was there twice."""
    part = orjson.loads(chunk)
    before = len(table)
    table.update(part)
    return len(table) == before + len(part) and chunk.count(_HEAD) == len(part)


def _loads_sliced(raw: _Window) -> tuple[dict[str, Any], bool]:
    """The parsed file and True when no table held a key twice (False: maybe)."""
    out: dict[str, Any] = {}
    clean = True
    step = max(SLICE // 4, 1)
    pos = 1  # the newline before the first table
    while True:
        head = raw.head(pos)
        if head is None:
            raise _OtherLayout
        name = orjson.loads(head[0])
        if name in out:
            raise _OtherLayout
        table: dict[str, Any] = {}
        out[name] = table
        if head[1] == b"}":  # an empty table: "name": {}
            end = head[2]
        else:
            start = head[2] - 1  # the newline before the first record
            first = True
            while True:  # each byte is searched about once
                cut = raw.find(_RECORD_END, start + step)  # a record's end, a slice further on
                close = -1
                if first or cut < 0:  # a small table ends in its first slice; none ends past the last cut
                    close = raw.find(_TABLE_END, start, cut)  # (cut -1: to the end of the file)
                    if close < 0 and cut < 0:
                        raise _OtherLayout
                first = False
                if close < 0:
                    try:
                        clean = _take(table, b"{" + raw.get(start, cut + 6) + b"}") and clean
                    except orjson.JSONDecodeError:  # the table ends in this slice, another follows
                        close = raw.find(_TABLE_END, start, cut)
                        if close < 0:
                            raise
                    else:
                        start = cut + 7  # past the comma
                        raw.forget(start)
                        continue
                clean = _take(table, b"{" + raw.get(start, close) + b"}") and clean
                end = close + 4
                break
        if raw.get(end, end + 1) == b",":
            pos = end + 1
            raw.forget(pos)
        elif raw.get(end).strip() == b"}":
            return out, clean
        else:
            raise _OtherLayout


# ---- a preview: every table but one, whose records are parsed only where asked for --------------

# In our layout only a table's last line starts "\n  }" (a regular expression finds it ~40% faster
# than bytes.find does).
_TABLE_CLOSE = re.compile(rb"\n  \}")


@dataclass
class Preview:
    """A file in our layout parsed but for the records of ``table`` (see :func:`loads_preview`)."""

    data: dict[str, Any]  # every table, in the file's order; ``table`` is {}
    table: str
    start: int  # ``table``'s records: raw[start:end] (from the newline before the first)
    end: int
    raw: bytes  # the file

    def holds(self, text: bytes) -> bool:
        """Whether ``text`` is in the records left unparsed."""
        return self.raw.find(text, self.start, self.end) >= 0

    def records_with(self, field: str, value: str) -> dict[str, Any] | None:
        """The records left unparsed whose ``field`` is the text ``value``: see :func:`find_records`."""
        return find_records(self.raw, self, field, value)


def loads_preview(raw: bytes, table: str) -> Preview | None:
    """Every table of ``raw`` but ``table``, whose records are left unparsed ({}); None when
    ``raw`` is not a board in our layout (indent 2, as storage.py writes it), holds no ``table``,
    or a parsed table may hold a key twice: then the file must be parsed whole.

    Of what is left unparsed only where it ends is known: a broken record in it (a merge conflict
    left unresolved, invalid UTF-8), or a key it holds twice, is found when the whole file is
    parsed (:func:`loads_checked`)."""
    if not raw.startswith(b'{\n  "'):
        return None
    out: dict[str, Any] = {}
    span: tuple[int, int] | None = None
    pos = 1  # the newline before the first table
    while True:
        head = _TABLE_HEAD.match(raw, pos)
        if head is None:
            return None
        try:
            name = orjson.loads(head.group(1))
        except orjson.JSONDecodeError:
            return None
        if name in out:
            return None
        out[name] = {}
        if head.group(2) == b"}":  # an empty table: "name": {}
            end = head.end()
            if name == table:
                span = (end, end)
        else:
            found = _TABLE_CLOSE.search(raw, head.end() - 1)
            if found is None:
                return None
            close = found.start()
            end = close + 4
            if name == table:
                span = (head.end() - 1, close)
            else:
                body = raw[head.end() - 2 : end]  # "{\n    ...\n  }"
                try:
                    records = orjson.loads(body)
                except orjson.JSONDecodeError:
                    return None
                if not isinstance(records, dict) or body.count(_HEAD) != len(records):
                    return None  # maybe a key held twice (or records that are not objects)
                out[name] = records
        if raw[end : end + 1] == b",":
            pos = end + 1
        elif raw[end:].strip() == b"}":
            break
        else:
            return None
    return None if span is None else Preview(out, table, *span, raw)


def find_records(raw: bytes, preview: Preview, field: str, value: str) -> dict[str, Any] | None:
    """The records of ``preview.table`` whose ``field`` is the text ``value``, by key, in the
    table's order; None when they cannot be told apart in the raw text (parse the file whole).

    In our layout a record's own fields start their lines indented 6 (deeper ones deeper; a JSON
    string holds no raw newline), so ``\n      "field": "value"`` is found only in those records."""
    if not value.isascii() or not value.isprintable() or "\\" in value or '"' in value:
        return None  # written escaped by some writers: the text cannot be searched for as it is
    needle = b'\n      "' + field.encode() + b'": "' + value.encode() + b'"'
    parts: list[bytes] = []
    pos, end = preview.start, preview.end
    while True:
        hit = raw.find(needle, pos, end)
        if hit < 0:
            break
        start = raw.rfind(b'\n    "', pos, hit)  # the record's key line
        close = raw.find(b"\n    }", hit, end)  # and its last line
        if start < 0 or close < 0:
            return None
        parts.append(raw[start : close + 6])
        pos = close + 6
    try:
        found = orjson.loads(b"{" + b",".join(parts) + b"}")
    except orjson.JSONDecodeError:
        return None
    if len(found) != len(parts) or not all(isinstance(d, dict) and d.get(field) == value for d in found.values()):
        return None  # a key held twice, or not what was searched for
    return dict(found)


class Pairs(list[Any]):
    """A JSON object as the list of its (key, value) pairs, duplicates kept."""


def parse_pairs(raw: bytes | str) -> Any:
    """The JSON in ``raw`` with every object as a :class:`Pairs` list (slow: the stdlib parser)."""
    return json.loads(raw, object_pairs_hook=Pairs)


def duplicates(raw: bytes | str) -> list[Duplicate]:
    """Keys held more than once in the top two levels of the JSON in ``raw`` (tables, then records)."""
    try:
        tree = parse_pairs(raw)
    except ValueError:
        return []
    if not isinstance(tree, Pairs):
        return []
    found: list[Duplicate] = []
    names: dict[str, int] = {}
    keys: dict[str, dict[str, int]] = {}
    for name, table in tree:
        names[name] = names.get(name, 0) + 1
        if isinstance(table, Pairs):
            seen = keys.setdefault(name, {})
            for key, _ in table:
                seen[key] = seen.get(key, 0) + 1
    found += [("", name, n) for name, n in names.items() if n > 1]
    for name, seen in keys.items():
        found += [(name, key, n) for key, n in seen.items() if n > 1]
    return found


def plain(value: Any) -> Any:
    """A :func:`parse_pairs` value as plain JSON data (the last of duplicate keys wins, as in orjson)."""
    if isinstance(value, Pairs):
        return {key: plain(item) for key, item in value}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def describe_duplicates(found: list[Duplicate]) -> str:
    """'table 'cards' holds key '6' twice' (and how many more), for a one-line message."""
    if not found:
        return ""
    table, key, times = found[0]
    count = how_often(times)
    if not table:
        text = _("the file holds table {key!r} {count}").format(key=key, count=count)
    else:
        text = _("table {table!r} holds key {key!r} {count}").format(table=table, key=key, count=count)
    if len(found) > 1:
        more = len(found) - 1
        text += ngettext(" (and {n} more duplicate key)", " (and {n} more duplicate keys)", more).format(n=more)
    return text


def how_often(times: int) -> str:
    """'twice', '3 times'."""
    return _("twice") if times == 2 else _("{times} times").format(times=times)
