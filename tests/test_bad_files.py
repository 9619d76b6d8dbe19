"""Bad files and faults: a one-line message naming the file and what to do; the file left untouched."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from kamboard import storage as storage_mod
from kamboard.errors import BoardError, BoardFileError, LockTimeout, ReadOnlyError
from kamboard.model import SCHEMA_VERSION
from kamboard.storage import TEMP_SUFFIX
from kamboard.store import BoardStore


def _one_line(error: BaseException, path: Path) -> str:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message
    return message


def _open_error(path: Path) -> str:
    before = path.read_bytes()
    with pytest.raises(BoardFileError) as info:
        BoardStore(path, user="alice")
    assert path.read_bytes() == before
    assert [p for p in path.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)] == []
    return _one_line(info.value, path)


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")
    store.add_card("ACME", "topic", "Energy costs")
    return path


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(b"")
    message = _open_error(path)
    assert message == f"{path} is empty, not a kamboard board; delete it."  # no backups to point at


def test_messages_point_at_backups_only_when_there_are_some(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")  # the second write keeps the first version as a backup
    path.write_bytes(b"")
    assert _open_error(path) == (
        f"{path} is empty, not a kamboard board; delete it or restore a copy from {tmp_path}/.kamboard-backups."
    )


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(b"  \n\n")
    assert "is empty, not a kamboard board" in _open_error(path)


@pytest.mark.parametrize(
    "content", [b'{"meta": {', b"{'single': 'quotes'}", b"\xff\xfe\x00garbage", b"not json at all"]
)
def test_invalid_json(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(content)
    message = _open_error(path)
    assert message.startswith(f"{path} is not valid JSON (")
    assert message.endswith("); fix it.")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ([1, 2, 3], "expected tables of records"),
        ("just a string", "expected tables of records"),
        ({"meta": [1]}, "expected tables of records"),
        ({"_default": {"1": {"name": "a plain TinyDB file"}}}, "no kamboard meta table"),
        ({"meta": {"1": {"title": "no schema"}}, "cards": {}}, "no kamboard meta table"),
    ],
)
def test_json_that_is_not_a_board(tmp_path: Path, content: Any, reason: str) -> None:
    path = tmp_path / "board.json"
    path.write_text(json.dumps(content))
    message = _open_error(path)
    assert message == f"{path} is JSON but not a kamboard board ({reason}); open another file."


def test_schema_of_the_wrong_type_says_so(tmp_path: Path) -> None:
    # it said "no kamboard meta table": there is one, its schema field is wrong
    path = tmp_path / "board.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": "1"}}}))
    assert _open_error(path) == f"{path}: meta record with key '1' field 'schema' is \"1\", not an integer; fix it."


def test_json_null_is_not_called_empty(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(b"null\n")
    assert _open_error(path) == f"{path} holds JSON null, not a kamboard board; delete it."


def test_invalid_utf8_is_reported_where_it_is(tmp_path: Path) -> None:
    # the JSON parser says "line 1 column 1" for any invalid byte
    path = tmp_path / "board.json"
    lines = [
        b"{",
        b'  "meta": {',
        b'    "1": {',
        b'      "schema": 1,',
        b'      "title": "Gr\xfc\xdfe"',
        b"    }",
        b"  }",
        b"}",
    ]
    path.write_bytes(b"\n".join(lines))
    message = _open_error(path)
    assert message == f"{path} is not valid JSON (invalid UTF-8 at line 5, column 19 (byte 0xfc)); fix it."


def test_table_with_a_non_record(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": 1}}, "cards": {"1": "not a record"}}))
    message = _open_error(path)
    assert message == f"{path} is JSON but not a kamboard board (table 'cards' holds a non-record); fix it."


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "board.json").mkdir()
    with pytest.raises(BoardFileError) as info:
        BoardStore(tmp_path / "board.json")
    assert str(info.value) == f"{tmp_path / 'board.json'} is a folder, not a board file."


def _set_schema(path: Path, schema: int) -> None:
    data = json.loads(path.read_bytes())
    next(iter(data["meta"].values()))["schema"] = schema
    path.write_text(json.dumps(data, indent=2))


def test_newer_schema_opens_read_only(board: Path) -> None:
    _set_schema(board, SCHEMA_VERSION + 1)
    before = board.read_bytes()
    store = BoardStore(board, user="alice")
    assert store.readonly
    message = _one_line(Exception(store.readonly_reason), board)
    assert "newer kamboard" in message and "upgrade kamboard" in message
    assert [c["title"] for c in store.cards()] == ["Energy costs"]  # reading works
    card_id = store.cards()[0]["id"]
    for change in (
        lambda: store.add_account("Other"),
        lambda: store.add_card("ACME", "topic", "x"),
        lambda: store.update_card(card_id, {"title": "y"}),
        lambda: store.move_card(card_id, "support"),
        lambda: store.delete_card(card_id),
    ):
        with pytest.raises(ReadOnlyError) as info:
            change()
        assert str(info.value) == message
    assert board.read_bytes() == before


def test_newer_schema_arriving_while_open(board: Path) -> None:
    store = BoardStore(board, user="alice")
    _set_schema(board, SCHEMA_VERSION + 5)
    before = board.read_bytes()
    with pytest.raises(ReadOnlyError, match="newer kamboard"):
        store.add_account("Other")
    assert store.readonly
    assert board.read_bytes() == before


def test_read_only_file(board: Path) -> None:
    os.chmod(board, 0o444)
    before = board.read_bytes()
    store = BoardStore(board, user="alice")
    assert store.readonly
    assert [c["title"] for c in store.cards()] == ["Energy costs"]
    with pytest.raises(ReadOnlyError) as info:
        store.add_card("ACME", "topic", "x")
    message = _one_line(info.value, board)
    assert message == f"{board} is read-only (file permissions): opened read-only; make the file writable to change it."
    assert board.read_bytes() == before
    assert os.stat(board).st_mode & 0o777 == 0o444


def test_read_only_folder(board: Path) -> None:
    folder = board.parent
    before = board.read_bytes()
    os.chmod(folder, 0o555)
    try:
        store = BoardStore(board, user="alice")
        assert store.readonly
        with pytest.raises(ReadOnlyError) as info:
            store.add_account("Other")
        message = _one_line(info.value, board)
        assert "read-only (folder permissions)" in message and "make the folder writable" in message
    finally:
        os.chmod(folder, 0o755)
    assert board.read_bytes() == before


def test_asked_for_read_only(board: Path) -> None:
    before = board.read_bytes()
    store = BoardStore(board, readonly=True)
    with pytest.raises(ReadOnlyError):
        store.add_account("Other")
    assert board.read_bytes() == before


HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""
"""Holds the board's lock for a minute, then lets go: a store that waited for the lock instead of
giving up gets it in the end, and the test sees the holder gone (no clock needed, whatever the load)."""


class Holder(NamedTuple):
    lock_file: Path
    process: subprocess.Popen[str]

    def holds(self) -> bool:
        return self.process.poll() is None


@pytest.fixture
def held_lock(board: Path) -> Iterator[Holder]:
    lock_file = Path(str(board) + ".lock")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield Holder(lock_file, proc)
    finally:
        proc.kill()
        proc.wait()


def test_lock_held_by_another_process(board: Path, held_lock: Holder) -> None:
    before = board.read_bytes()
    store = BoardStore(board, user="alice", lock_timeout=0.2)  # opening and reading need no lock
    assert [c["title"] for c in store.cards()] == ["Energy costs"]
    with pytest.raises(LockTimeout) as info:
        store.add_account("Other")
    assert held_lock.holds()  # it gave up while the lock was held, not waited for the holder to go
    message = _one_line(info.value, held_lock.lock_file)
    assert message == (
        f"{held_lock.lock_file} has been held for over 0.2 s; if no kamboard is running, delete that lock file."
    )
    assert board.read_bytes() == before
    assert [a["name"] for a in store.accounts()] == ["ACME"]


def test_opening_does_not_wait_for_a_held_lock(board: Path, held_lock: Holder) -> None:
    leftover = board.parent / f".board.json.abcd1234{TEMP_SUFFIX}"  # maybe the holder's save in progress
    leftover.write_bytes(b"{")
    store = BoardStore(board, user="alice", lock_timeout=3600)  # were opening to wait, it would outwait the holder
    assert held_lock.holds()  # opened while the lock is still held: it did not wait for it
    assert [c["title"] for c in store.cards()] == ["Energy costs"]
    assert leftover.exists()  # not ours to remove while someone holds the lock


def test_works_again_after_the_holder_is_gone(board: Path) -> None:
    lock_file = Path(str(board) + ".lock")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_file)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.kill()  # kill -9: the OS drops its lock, a stale lock file must not block anyone
    proc.wait()
    assert lock_file.exists()
    store = BoardStore(board, user="alice", lock_timeout=2)
    store.add_account("Other")
    assert [a["name"] for a in store.accounts()] == ["ACME", "Other"]


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next temp-file write fills the disk halfway through."""
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, payload: bytes) -> int:
            self.handle.write(payload[: len(payload) // 3])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_mod.os, "fdopen", lambda fd, mode="r", *a: FullDisk(real_fdopen(fd, mode, *a)))


def test_disk_full_during_write(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BoardStore(board, user="alice")
    card_id = store.cards()[0]["id"]
    before = board.read_bytes()
    _disk_full(monkeypatch)
    with pytest.raises(BoardError) as info:
        store.update_card(card_id, {"title": "Lost?"})
    message = _one_line(info.value, board)
    assert message == f"Could not save {board}: the disk is full. The file is unchanged; free some space and try again."
    assert board.read_bytes() == before
    assert [p for p in board.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)] == []
    # the failed change is not shown as if it had been saved
    assert store.card(card_id)["title"] == "Energy costs"
    assert store.card(card_id)["rev"] == 1
    monkeypatch.undo()
    # and once there is space again the same change goes through
    assert store.update_card(card_id, {"title": "Saved"})["rev"] == 2
    assert [c["title"] for c in json.loads(board.read_bytes())["cards"].values()] == ["Saved"]


def test_disk_full_when_adding(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BoardStore(board, user="alice")
    before = board.read_bytes()
    _disk_full(monkeypatch)
    with pytest.raises(BoardError, match="the disk is full"):
        store.add_account("Other")
    assert board.read_bytes() == before
    assert [a["name"] for a in store.accounts()] == ["ACME"]


def test_permission_denied_during_write(board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BoardStore(board, user="alice")
    before = board.read_bytes()

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(storage_mod.tempfile, "mkstemp", denied)
    with pytest.raises(ReadOnlyError) as info:
        store.add_account("Other")
    assert _one_line(info.value, board) == f"Could not save {board}: permission denied. The file is unchanged."
    assert board.read_bytes() == before


def test_corrupted_by_another_process_while_open(board: Path) -> None:
    store = BoardStore(board, user="alice")
    card_id = store.cards()[0]["id"]
    # another program truncates the file mid-way (the corrupt content keeps the same size)
    good = board.read_bytes()
    corrupt = good[: len(good) // 2] + b"\0" * (len(good) - len(good) // 2)
    with open(board, "r+b") as handle:
        handle.write(corrupt)
    os.utime(board, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    with pytest.raises(BoardFileError) as info:
        store.update_card(card_id, {"title": "Mine"})
    message = _one_line(info.value, board)
    assert "is not valid JSON" in message and "restore a copy from" in message
    assert board.read_bytes() == corrupt  # not overwritten: the user decides what to restore
    with pytest.raises(BoardFileError):
        store.add_account("Other")
    assert board.read_bytes() == corrupt
    # the backups hold the last good version
    backups = sorted((board.parent / ".kamboard-backups").iterdir())
    assert backups and json.loads(backups[-1].read_bytes())["accounts"]


def test_replaced_by_a_non_board_while_open(board: Path) -> None:
    store = BoardStore(board, user="alice")
    board.write_text(json.dumps({"_default": {"1": {"x": 1}}}))
    before = board.read_bytes()
    with pytest.raises(BoardFileError, match="not a kamboard board"):
        store.add_account("Other")
    assert board.read_bytes() == before


def test_file_deleted_while_open(board: Path) -> None:
    store = BoardStore(board, user="alice")
    board.unlink()
    with pytest.raises(BoardError) as info:
        store.add_account("Other")
    assert _one_line(info.value, board) == (
        f"{board} has disappeared (moved or deleted?); open it where it is now"
        f" or restore a copy from {board.parent}/.kamboard-backups."
    )
    assert not board.exists()  # not silently re-created from memory


# Bad inputs through the command line: every one exits 2 with one line naming the file (and,
# for a record of the wrong shape, the record and the field), and neither a writing command
# (`card add`) nor a reading one (`card list`) changes a byte of it.

Data = dict[str, Any]
CARD_ID = "3f2a1b2c" + "0" * 24


def _first(data: Data, table: str) -> Data:
    """The card CARD_ID, or the table's first record."""
    docs = list(data[table].values())
    return next((d for d in docs if d.get("id") == CARD_ID), docs[0])


def _card(data: Data) -> Data:
    return _first(data, "cards")


def _set(table: str, field: str, value: Any) -> Any:
    def change(data: Data) -> None:
        _first(data, table)[field] = value

    return change


def _drop(table: str, field: str) -> Any:
    def change(data: Data) -> None:
        del _first(data, table)[field]

    return change


def _agenda_item(field: str, value: Any = None, *, drop: bool = False) -> Any:
    def change(data: Data) -> None:
        item = _first(data, "workshops")["agenda"][0]
        if drop:
            del item[field]
        else:
            item[field] = value

    return change


# (id, change to a sound board, the record's word, the field)
RECORD_CASES: list[tuple[str, Any, str, str]] = [
    ("position-text", _set("cards", "position", "first"), "card", "position"),
    ("position-null", _set("cards", "position", None), "card", "position"),
    ("position-bool", _set("cards", "position", True), "card", "position"),
    ("position-list", _set("cards", "position", [1]), "card", "position"),
    ("rev-text", _set("cards", "rev", "x"), "card", "rev"),
    ("rev-null", _set("cards", "rev", None), "card", "rev"),
    ("rev-float", _set("cards", "rev", 1.5), "card", "rev"),
    ("card-account-id-list", _set("cards", "account_id", ["a", "b"]), "card", "account_id"),
    ("card-account-id-number", _set("cards", "account_id", 42), "card", "account_id"),
    ("card-without-account-id", _drop("cards", "account_id"), "card", "account_id"),
    ("card-without-lane", _drop("cards", "lane"), "card", "lane"),
    ("lane-unknown", _set("cards", "lane", "backlog"), "card", "lane"),
    ("lane-null", _set("cards", "lane", None), "card", "lane"),
    ("lane-list", _set("cards", "lane", ["topic"]), "card", "lane"),
    ("card-without-id", _drop("cards", "id"), "card", "id"),
    ("card-id-number", _set("cards", "id", 42), "card", "id"),
    ("card-id-null", _set("cards", "id", None), "card", "id"),
    ("card-without-title", _drop("cards", "title"), "card", "title"),
    ("title-number", _set("cards", "title", 42), "card", "title"),
    ("title-null", _set("cards", "title", None), "card", "title"),
    ("due-number", _set("cards", "due", 20260301), "card", "due"),
    ("links-text", _set("cards", "links", "abc"), "card", "links"),
    ("links-numbers", _set("cards", "links", [1, 2]), "card", "links"),
    ("tags-text", _set("cards", "tags", "a,b"), "card", "tags"),
    ("tags-null-item", _set("cards", "tags", [None]), "card", "tags"),
    ("votes-text", _set("cards", "votes", "3"), "card", "votes"),
    ("votes-float", _set("cards", "votes", 2.5), "card", "votes"),
    ("voters-list", _set("cards", "voters", ["alice"]), "card", "voters"),
    ("voters-text-count", _set("cards", "voters", {"alice": "2"}), "card", "voters"),
    ("notes-number", _set("cards", "notes", 42), "card", "notes"),
    ("owner-list", _set("cards", "owner", ["Bob"]), "card", "owner"),
    ("status-number", _set("cards", "status", 1), "card", "status"),
    ("side-bool", _set("cards", "side", False), "card", "side"),
    ("benefit-object", _set("cards", "customer_benefit", {}), "card", "customer_benefit"),
    ("updated-by-number", _set("cards", "updated_by", 7), "card", "updated_by"),
    ("card-workshop-id-number", _set("cards", "workshop_id", 3), "card", "workshop_id"),
    ("account-name-number", _set("accounts", "name", 42), "account", "name"),
    ("account-name-null", _set("accounts", "name", None), "account", "name"),
    ("account-without-name", _drop("accounts", "name"), "account", "name"),
    ("account-id-list", _set("accounts", "id", ["x"]), "account", "id"),
    ("archived-text", _set("accounts", "archived", "yes"), "account", "archived"),
    ("account-owner-number", _set("accounts", "owner", 1), "account", "owner"),
    ("account-rev-text", _set("accounts", "rev", "2"), "account", "rev"),
    ("agenda-text", _set("workshops", "agenda", "none"), "workshop", "agenda"),
    ("agenda-numbers", _set("workshops", "agenda", [1, 2]), "workshop", "agenda"),
    ("agenda-minutes-text", _agenda_item("minutes", "30"), "workshop", "agenda"),
    ("agenda-item-without-title", _agenda_item("title", drop=True), "workshop", "agenda"),
    ("agenda-item-lane", _agenda_item("lane", "backlog"), "workshop", "agenda"),
    ("participants-text", _set("workshops", "participants", "Ann, Bob"), "workshop", "participants"),
    ("participant-name-number", _set("workshops", "participants", [{"name": 5}]), "workshop", "participants"),
    ("participants-names", _set("workshops", "participants", ["Ann"]), "workshop", "participants"),
    ("workshop-start-text", _set("workshops", "start", "soon"), "workshop", "start"),
    ("workshop-end-number", _set("workshops", "end", 2026), "workshop", "end"),
    ("workshop-start-no-such-day", _set("workshops", "start", "2026-02-30"), "workshop", "start"),
    ("vote-budget-text", _set("workshops", "vote_budget", "5"), "workshop", "vote_budget"),
    ("votes-hidden-text", _set("workshops", "votes_hidden", "no"), "workshop", "votes_hidden"),
    ("agenda-state-text", _set("workshops", "agenda_state", "running"), "workshop", "agenda_state"),
    ("agenda-state-index-text", _set("workshops", "agenda_state", {"index": "2"}), "workshop", "agenda_state"),
    (
        "agenda-state-started-text",
        _set("workshops", "agenda_state", {"running": True, "started_at": "yesterday"}),
        "workshop",
        "agenda_state",
    ),
    ("workshop-title-number", _set("workshops", "title", 1), "workshop", "title"),
    ("workshop-id-number", _set("workshops", "id", 12), "workshop", "id"),
    ("event-by-number", _set("events", "by", 5), "event", "by"),
    ("event-summary-list", _set("events", "summary", ["x"]), "event", "summary"),
    ("meta-title-number", _set("meta", "title", 5), "meta record", "title"),
]

# (id, the file's bytes, what the message says)
FILE_CASES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "is empty, not a kamboard board"),
    ("whitespace", b" \n\t\n", "is empty, not a kamboard board"),
    ("json-null", b"null", "holds JSON null, not a kamboard board"),
    (
        "invalid-utf8",
        b'{\n  "meta": {\n    "1": {"title": "M\xfcller"}\n  }\n}',
        "invalid UTF-8 at line 3, column 22 (byte 0xfc)",
    ),
    ("utf8-bom", b'\xef\xbb\xbf{"meta": {"1": {"schema": 1}}}', "byte order mark"),
    ("truncated", b'{"meta": {"1": {"schema": 1', "is not valid JSON (unexpected end of data"),
    ("nan", b'{"meta": {"1": {"schema": NaN}}}', "is not valid JSON (unexpected character"),
    ("trailing-garbage", b'{"meta": {"1": {"schema": 1}}} x', "unexpected content after document"),
    ("top-level-list", b"[1, 2, 3]", "expected tables of records"),
    ("top-level-text", b'"a board"', "expected tables of records"),
    ("no-meta", b'{"_default": {"1": {"name": "TinyDB"}}}', "no kamboard meta table"),
    ("schema-text", b'{"meta": {"1": {"schema": "1"}}}', "field 'schema' is \"1\", not an integer"),
    ("schema-bool", b'{"meta": {"1": {"schema": true}}}', "field 'schema' is true, not an integer"),
    ("cards-a-list", b'{"meta": {"1": {"schema": 1}}, "cards": []}', "expected tables of records"),
    ("non-record", b'{"meta": {"1": {"schema": 1}}, "cards": {"1": "x"}}', "holds a non-record"),
]


@pytest.fixture
def sound_board(tmp_path: Path) -> Path:
    """A board whose every table holds a record: an account, cards, a workshop, events."""
    path = tmp_path / "board.json"
    store = BoardStore(path, user="alice", create=True)
    store.add_account("ACME")
    store.add_card("ACME", "topic", "Energy costs", id=CARD_ID, tags=["cost"])
    store.add_card("ACME", "challenge", "Skills gap")
    store.add_workshop("ACME", "Workshop 2026", start="2026-03-02T09:00", participants=[{"name": "Ann"}])
    store.add_agenda_item(store.workshops()[0]["id"], "Welcome", minutes=15)
    return path


def _cli(path: Path, *args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from kamboard.cli import cli

    result = CliRunner().invoke(cli, [*args, "-f", str(path)], catch_exceptions=False)
    return result.exit_code, result.stderr


def _refused(path: Path) -> str:
    """`card add` and `card list` each exit 2 with the same one line; the file is unchanged."""
    before = path.read_bytes()
    messages = []
    for args in (("card", "add", "ACME", "topic", "New"), ("card", "list")):
        code, err = _cli(path, *args)
        assert code == 2, (args, code, err)
        assert "Traceback" not in err
        assert err.count("\n") == 1 and err.startswith("Error: "), err
        messages.append(err.strip())
        assert path.read_bytes() == before
    assert messages[0] == messages[1]
    return messages[0]


@pytest.mark.parametrize(("change", "what", "field"), [c[1:] for c in RECORD_CASES], ids=[c[0] for c in RECORD_CASES])
def test_record_of_the_wrong_shape(sound_board: Path, change: Any, what: str, field: str) -> None:
    data = json.loads(sound_board.read_bytes())
    change(data)
    sound_board.write_text(json.dumps(data, indent=2))
    message = _refused(sound_board)
    assert message.startswith(f"Error: {sound_board}: {what} ")
    assert f" field '{field}' " in message
    assert message.endswith(f"; fix it or restore a copy from {sound_board.parent}/.kamboard-backups.")


@pytest.mark.parametrize(("content", "says"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_bad_file(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "board.json"
    path.write_bytes(content)
    message = _refused(path)
    assert message.startswith(f"Error: {path}")
    assert says in message


def test_at_least_60_distinct_bad_inputs() -> None:
    assert len({c[0] for c in RECORD_CASES} | {c[0] for c in FILE_CASES}) == len(RECORD_CASES) + len(FILE_CASES)
    assert len(RECORD_CASES) + len(FILE_CASES) >= 60


def _break(path: Path, change: Any) -> bytes:
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data, indent=2))
    return path.read_bytes()


def test_a_record_of_the_wrong_shape_opens_read_only(sound_board: Path) -> None:
    before = _break(sound_board, _set("cards", "position", "first"))
    store = BoardStore(sound_board, user="alice")
    message = f"{sound_board}: card 3f2a1b2c… field 'position' is \"first\", not a number; fix it or restore a copy from {sound_board.parent}/.kamboard-backups."
    assert store.damage == store.readonly_reason == message
    # the other records read as usual; the bad one is left out (nothing would show it right)
    assert [c["title"] for c in store.cards()] == ["Skills gap"]
    other = store.cards()[0]["id"]
    for change in (
        lambda: store.add_card("ACME", "topic", "x"),
        lambda: store.update_card(other, {"title": "y"}),
        lambda: store.move_card(other, "support"),
        lambda: store.delete_card(other),
        lambda: store.add_account("Other"),
    ):
        with pytest.raises(ReadOnlyError) as info:
            change()
        assert str(info.value) == message
    assert sound_board.read_bytes() == before


def test_every_problem_is_counted_in_the_message(sound_board: Path) -> None:
    def change(data: Data) -> None:
        _card(data)["rev"] = None
        _card(data)["links"] = "abc"
        _first(data, "accounts")["name"] = 42

    _break(sound_board, change)
    store = BoardStore(sound_board, user="alice")
    assert "(and 2 more: `kamboard check` lists them)" in store.damage
    assert "\n" not in store.damage


def test_damage_arriving_while_open_stops_writes(sound_board: Path) -> None:
    store = BoardStore(sound_board, user="alice")
    assert not store.readonly
    before = _break(sound_board, _set("cards", "rev", "x"))
    with pytest.raises(ReadOnlyError, match="field 'rev' is \"x\", not an integer"):
        store.add_card("ACME", "topic", "Lost?")
    assert sound_board.read_bytes() == before


def test_a_fixed_file_is_writable_again(sound_board: Path) -> None:
    good = sound_board.read_bytes()
    _break(sound_board, _set("cards", "due", 20260301))
    store = BoardStore(sound_board, user="alice")
    assert store.readonly and store.damage
    sound_board.write_bytes(good)
    os.utime(sound_board, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    store.add_card("ACME", "topic", "Works again")
    assert not store.readonly and not store.damage
    assert len(store.cards()) == 3


def test_a_fixed_file_keeps_another_reason_to_be_read_only(sound_board: Path) -> None:
    good = sound_board.read_bytes()
    _break(sound_board, _set("cards", "due", 20260301))
    store = BoardStore(sound_board, readonly=True)
    assert store.readonly_reason == store.damage
    sound_board.write_bytes(good)
    os.utime(sound_board, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert store.refresh()
    assert store.readonly_reason == "read-only mode was asked for" and not store.damage


def test_links_as_text_are_not_split_by_a_delete(sound_board: Path) -> None:
    # a delete used to turn "abc" into ["a", "b", "c"]
    before = _break(sound_board, _set("cards", "links", "abc"))
    other = next(d["id"] for d in json.loads(before)["cards"].values() if d["id"] != CARD_ID)
    code, err = _cli(sound_board, "card", "delete", other)
    assert code == 2 and "field 'links' is \"abc\", not a list of text" in err
    assert sound_board.read_bytes() == before


def test_the_issue_examples_in_a_real_process(sound_board: Path) -> None:
    good = json.loads(sound_board.read_bytes())
    for change in (
        _set("cards", "position", "first"),
        _set("cards", "rev", None),
        _set("cards", "account_id", ["x"]),
        _drop("cards", "lane"),
        _set("cards", "due", 5),
        _set("accounts", "name", 42),
        _set("cards", "links", "abc"),
        _set("cards", "tags", "a,b"),
    ):
        data = json.loads(json.dumps(good))
        change(data)
        sound_board.write_text(json.dumps(data, indent=2))
        before = sound_board.read_bytes()
        for args in (["card", "list"], ["card", "show", CARD_ID[:8]], ["account", "list"], ["gaps", "ACME"]):
            proc = subprocess.run(
                [sys.executable, "-m", "kamboard", *args, "-f", str(sound_board)], capture_output=True, text=True
            )
            assert proc.returncode == 2, (args, proc.stderr)
            assert "Traceback" not in proc.stderr
            assert proc.stderr.count("\n") == 1 and str(sound_board) in proc.stderr
        assert sound_board.read_bytes() == before


async def test_the_tui_opens_a_damaged_board_read_only(sound_board: Path) -> None:
    from kamboard.tui.app import KamboardApp

    before = _break(sound_board, _set("cards", "position", "first"))
    store = BoardStore(sound_board, user="alice")
    app = KamboardApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#readonly-banner")
        assert banner.display
        assert "field 'position' is \"first\", not a number" in str(banner.render())
        app.open_board(store.account("ACME")["id"])
        await pilot.pause()
        await pilot.press("n")  # quick-add: refused, read-only
        await pilot.pause()
        assert app.return_code is None  # still running: nothing crashed
    assert sound_board.read_bytes() == before


def test_a_crashed_tui_exits_non_zero(sound_board: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from kamboard.cli import cli
    from kamboard.tui import app as tui_app

    def crash(self: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tui_app.KamboardApp, "on_mount", crash)
    store = BoardStore(sound_board, user="alice")
    assert tui_app.run(store, headless=True) == 1
    real_run = tui_app.run
    monkeypatch.setattr(tui_app, "run", lambda store, account=None: real_run(store, account, headless=True))
    result = CliRunner().invoke(cli, [str(sound_board)])
    assert result.exit_code == 1, (result.exit_code, result.output)


def test_an_import_of_records_of_the_wrong_shape_is_refused(sound_board: Path, tmp_path: Path) -> None:
    # the store would write them and then refuse to read its own file
    from click.testing import CliRunner

    from kamboard.cli import cli

    export = tmp_path / "acme.json"
    assert (
        CliRunner()
        .invoke(cli, ["export", "ACME", "--format", "json", "-o", str(export), "-f", str(sound_board)])
        .exit_code
        == 0
    )
    data = json.loads(export.read_bytes())
    data["cards"][0]["rev"] = "x"
    export.write_text(json.dumps(data))
    target = tmp_path / "other.json"
    BoardStore(target, user="bob", create=True).add_account("Other")
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["import", str(export), "--into", str(target)])
    assert result.exit_code == 2
    assert "card 1: field 'rev' is \"x\", not an integer." in result.stderr
    assert target.read_bytes() == before


def test_demo_keeps_a_damaged_demo_board_aside(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kamboard.cli import cli

    path = tmp_path / "demo.json"
    assert CliRunner().invoke(cli, ["demo", str(path), "--no-open"]).exit_code == 0
    data = json.loads(path.read_bytes())
    next(iter(data["cards"].values()))["position"] = "first"
    path.write_text(json.dumps(data, indent=2))
    damaged = path.read_bytes()
    result = CliRunner().invoke(cli, ["demo", str(path), "--no-open"])
    assert result.exit_code == 0, result.output
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("demo.json.replaced-")]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert not BoardStore(path).damage
