"""The store used from two threads of one process (the TUI reads on its UI thread while its
saver writes): reads never see half of a change, and waiting for another process's lock
holds nothing the readers need and is told to ``on_lock_wait``."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from kamboard.errors import LockTimeout
from kamboard.store import BoardStore

DEADLOCK = 10  # seconds: only to end a hung test, never a measure of speed


@pytest.fixture
def store(tmp_path: Path) -> BoardStore:
    s = BoardStore(tmp_path / "board.json", user="me", create=True)
    s.add_account("ACME")
    return s


class SpyLock:
    """The store's thread lock, noting when a thread had to wait for it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.contended = threading.Event()

    def __enter__(self) -> None:
        if not self.lock.acquire(blocking=False):
            self.contended.set()
            self.lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def test_a_read_waits_for_a_change_being_applied_on_another_thread(store: BoardStore) -> None:
    spy = SpyLock()
    store._mutex = spy  # type: ignore[assignment]
    acme = store.account("ACME")["id"]
    half_done, finish = threading.Event(), threading.Event()

    def writer() -> None:  # a change in two halves: two cards in one transaction
        with store._change() as data:
            store._insert(data, "cards", {"id": "c1", "account_id": acme, "lane": "topic", "title": "One"})
            half_done.set()
            assert finish.wait(DEADLOCK)
            store._insert(data, "cards", {"id": "c2", "account_id": acme, "lane": "topic", "title": "Two"})

    seen: list[list[str]] = []
    write = threading.Thread(target=writer)
    write.start()
    assert half_done.wait(DEADLOCK)
    read = threading.Thread(target=lambda: seen.append([c["title"] for c in store.cards(acme)]))
    read.start()
    assert spy.contended.wait(DEADLOCK), "the read did not wait for the change"
    finish.set()
    write.join(DEADLOCK)
    read.join(DEADLOCK)
    assert seen == [["One", "Two"]]


def test_waiting_for_another_process_lock_is_told_and_holds_no_thread_lock(store: BoardStore, tmp_path: Path) -> None:
    holder = FileLock(str(tmp_path / "board.json.lock"))
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:  # another "process": its own lock object on its own thread
        with holder:
            taken.set()
            assert release.wait(DEADLOCK)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(DEADLOCK)
    told: list[Any] = []

    def on_lock_wait() -> None:
        # a reader on another thread is not kept waiting meanwhile
        def read() -> None:
            free = store._mutex.acquire(blocking=False)
            told.append(free)
            if free:
                store._mutex.release()

        reader = threading.Thread(target=read)
        reader.start()
        reader.join(DEADLOCK)
        release.set()

    store.on_lock_wait = on_lock_wait
    store.add_account("Globex")
    thread.join(DEADLOCK)
    assert told == [True]
    assert [a["name"] for a in BoardStore(tmp_path / "board.json").accounts()] == ["ACME", "Globex"]


def test_a_free_lock_is_not_reported_and_a_lock_held_too_long_still_times_out(
    store: BoardStore, tmp_path: Path
) -> None:
    told: list[str] = []
    store.on_lock_wait = lambda: told.append("waiting")
    store.add_account("Globex")
    assert told == []
    short = BoardStore(tmp_path / "board.json", user="me", lock_timeout=0.3)
    short.on_lock_wait = lambda: told.append("waiting")
    with FileLock(str(tmp_path / "board.json.lock")), pytest.raises(LockTimeout):
        # the holder here is this thread's own other lock object: filelock's lock is per object
        short.add_account("Initech")
    assert told == ["waiting"]
