"""jsonparse.loads and load_checked: a big file in our layout is parsed by slices (and read from
the disk a slice at a time), with exactly orjson's result."""

from __future__ import annotations

import json
import tempfile
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamboard import jsonparse
from kamboard.jsonparse import loads
from kamboard.storage import dumps

# strings that look like the layout's own separators, quotes, escapes, other scripts
TRICKY = st.sampled_from(['\n    },\n    "', '"', "\\", "\n  }", "}", "{", "é東", "\x00", "\u2028", " "])
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=4).map("".join)
VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
RECORD = st.dictionaries(TEXT, VALUE, max_size=5)
TABLE = st.dictionaries(st.integers(1, 500).map(str), RECORD, max_size=12)
BOARD = st.dictionaries(TEXT, TABLE, min_size=1, max_size=4)


@pytest.fixture
def tiny_slices(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Slices of a few dozen bytes, and a record of how many orjson calls a parse made."""
    monkeypatch.setattr(jsonparse, "SLICE", 24)
    calls: list[int] = []
    real = jsonparse.orjson.loads

    def counting(raw: Any) -> Any:
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(jsonparse.orjson, "loads", counting)
    return calls


def read_by_slices(raw: bytes) -> Any:
    """``raw`` written to a file, then read back with ``load_checked`` (a slice at a time)."""
    with tempfile.TemporaryFile() as handle:
        handle.write(raw)
        handle.seek(0)
        return jsonparse.load_checked(handle)


@settings(max_examples=150, deadline=None)
@given(board=BOARD)
def test_sliced_parse_equals_one_piece(board: dict[str, Any]) -> None:
    raw = dumps(board, indent=2, sort_keys=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jsonparse, "SLICE", 24)
        got = loads(raw)
        read, found = read_by_slices(raw)
    want = orjson.loads(raw)
    for parsed in (got, read):
        assert parsed == want
        assert list(parsed) == list(want)
        assert all(list(parsed[t]) == list(want[t]) for t in want)
    assert found == []


def test_a_big_file_is_read_from_the_disk_a_slice_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonparse, "SLICE", 64)
    board = {"cards": {str(i): {"title": f"Card {i}", "tags": ["a"]} for i in range(1, 200)}, "meta": {"1": {}}}
    raw = dumps(board, indent=2, sort_keys=True)
    held: list[int] = []
    more = jsonparse._Window._more

    def reading(window: Any) -> bool:
        held.append(len(window.buf))
        return more(window)

    monkeypatch.setattr(jsonparse._Window, "_more", reading)
    assert read_by_slices(raw) == (board, [])
    assert len(held) > 50 and max(held) < len(raw) // 20  # never more than a few slices in memory
    twice = raw.replace(b'"17": {', b'"16": {')
    assert read_by_slices(twice)[1] == jsonparse.loads_checked(twice)[1] == [("cards", "16", 2)]
    assert read_by_slices(b"") is None and read_by_slices(b" \n ") is None


def test_a_big_file_is_really_sliced(tiny_slices: list[int]) -> None:
    board = {
        "cards": {str(i): {"title": f"Card {i}", "tags": ["a"], "x": {}} for i in range(1, 60)},
        "meta": {"1": {"schema": 1}},
        "workshops": {},
    }
    raw = dumps(board, indent=2, sort_keys=True)
    assert loads(raw) == board
    assert len(tiny_slices) > 10  # many small parses
    assert max(tiny_slices) < len(raw) // 4  # never the whole file at once


def test_the_stdlib_layout_with_indent_2_is_sliced_too(tiny_slices: list[int]) -> None:
    board = {"cards": {str(i): {"title": f"Größe {i}"} for i in range(1, 40)}, "meta": {"1": {"schema": 1}}}
    raw = json.dumps(board, indent=2).encode()
    assert loads(raw) == board
    assert max(tiny_slices) < len(raw) // 4


@pytest.mark.parametrize(
    "raw",
    [
        # compact (as plain TinyDB writes it), hand-indented, a non-object table, duplicate tables
        b'{"cards": {"1": {"title": "a"}, "2": {"title": "b"}}, "meta": {"1": {"schema": 1}}}' + b" " * 200,
        b'{\n  "cards": {\n    "1": {"title": "a"\n  },\n    "2": {"title": "b"}\n  }\n}' + b" " * 200,
        b'{\n  "cards": {\n    "1": {\n      "t": 1\n    },\n    "2": {\n      "t": 2\n    }\n  },\n  "x": [1, 2]\n}',
        b'{\n  "t": {\n    "1": {\n      "a": 1\n    }\n  },\n  "t": {\n    "2": {\n      "a": 2\n    }\n  }\n}',
        b'{\n  "t": {\n    "1": {\n      "a": 1\n    },\n    "2": {\n      "a": 2\n    }\n  }\n}\n\n',
    ],
)
def test_other_layouts_give_orjsons_result(raw: bytes, tiny_slices: list[int]) -> None:
    assert loads(raw) == orjson.loads(raw) == read_by_slices(raw)[0]


@pytest.mark.parametrize(
    "raw",
    [
        # truncated mid-file, a raw newline inside a string, trailing garbage, a bad slice
        b'{\n  "t": {\n    "1": {\n      "a": 1\n    },\n    "2": {\n      "a": ',
        b'{\n  "t": {\n    "1": {\n      "a": "x\n    },\n    "y"\n    },\n    "2": {\n      "a": 2\n    }\n  }\n}',
        b'{\n  "t": {\n    "1": {\n      "a": 1\n    },\n    "2": {\n      "a": 2\n    }\n  }\n}\nx',
        b'{\n  "t": {\n    "1": {\n      "a": 1,\n    },\n    "2": {\n      "a": 2\n    }\n  }\n}',
    ],
)
def test_broken_files_raise_orjsons_error(raw: bytes, tiny_slices: list[int]) -> None:
    with pytest.raises(orjson.JSONDecodeError) as sliced:
        loads(raw)
    with pytest.raises(orjson.JSONDecodeError) as whole:
        orjson.loads(raw)
    with pytest.raises(orjson.JSONDecodeError) as read:
        read_by_slices(raw)
    assert str(sliced.value) == str(whole.value) == str(read.value)


def test_parsing_and_opening_leave_the_collector_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """The core store never pauses or freezes the collector (every CLI run and embedding program
    would inherit it): that is the TUI's start's business (kamboard.tui.startup)."""
    import gc

    from kamboard.store import BoardStore

    seen: list[bool] = []
    real = jsonparse.orjson.loads

    def parse(raw: Any) -> Any:
        seen.append(gc.isenabled())
        return real(raw)

    monkeypatch.setattr(jsonparse.orjson, "loads", parse)
    frozen = gc.get_freeze_count()
    assert loads(b'{"t": {}}') == {"t": {}}
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")
    assert BoardStore(path).account("ACME")["name"] == "ACME"
    assert seen and all(seen)  # every parse ran with the collector on
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # and nothing was frozen
    gc.disable()
    try:
        loads(b'{"t": {}}')
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()


def test_keys_that_are_not_strings_are_still_written_as_json_dumps_does() -> None:
    data = {"t": {1: {"a": 1}, "2": {"b": [{3: None}]}}}
    assert orjson.loads(dumps(data, indent=2, sort_keys=True)) == json.loads(json.dumps(data))
    assert orjson.loads(dumps(data)) == {"t": {"1": {"a": 1}, "2": {"b": [{"3": None}]}}}
    with pytest.raises(TypeError):
        dumps({"t": object()})
