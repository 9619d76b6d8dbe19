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
from typing import Any

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
        ({"meta": {"1": {"schema": "one"}}}, "no kamboard meta table"),
    ],
)
def test_json_that_is_not_a_board(tmp_path: Path, content: Any, reason: str) -> None:
    path = tmp_path / "board.json"
    path.write_text(json.dumps(content))
    message = _open_error(path)
    assert message == f"{path} is JSON but not a kamboard board ({reason}); open another file."


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


@pytest.fixture
def held_lock(board: Path) -> Iterator[Path]:
    lock_file = Path(str(board) + ".lock")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield lock_file
    finally:
        proc.kill()
        proc.wait()


def test_lock_held_by_another_process(board: Path, held_lock: Path) -> None:
    before = board.read_bytes()
    started = time.monotonic()
    store = BoardStore(board, user="alice", lock_timeout=0.2)  # opening and reading need no lock
    assert [c["title"] for c in store.cards()] == ["Energy costs"]
    with pytest.raises(LockTimeout) as info:
        store.add_account("Other")
    assert time.monotonic() - started < 5
    message = _one_line(info.value, held_lock)
    assert message == (f"{held_lock} has been held for over 0.2 s; if no kamboard is running, delete that lock file.")
    assert board.read_bytes() == before
    assert [a["name"] for a in store.accounts()] == ["ACME"]


def test_opening_does_not_wait_for_a_held_lock(board: Path, held_lock: Path) -> None:
    leftover = board.parent / f".board.json.abcd1234{TEMP_SUFFIX}"  # maybe the holder's save in progress
    leftover.write_bytes(b"{")
    started = time.monotonic()
    store = BoardStore(board, user="alice")  # default lock timeout: 10 s
    assert time.monotonic() - started < 2
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
    assert json.loads(board.read_bytes())["cards"]["1"]["title"] == "Saved"


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
