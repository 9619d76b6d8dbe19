"""Load: 4 writer processes x 250 changes on a small board while one TUI shows it.

After the last write the TUI must show the file's final state within 1 s: the app polls every
0.5 s, so within two polls. The test drives those polls itself (no clock in the assertion):
once the writers are done it runs the app's poll twice and compares every card on the screen
with the file. While the writers run, it polls every 50 ms besides the app's own timer, so that
many reloads overlap writes. 20 rounds in a row, with the same 4 writer processes, on a file in
memory (/dev/shm) where there is one: fsync costs nothing there, and this test is about what the
screen shows, not about the disk (tests/test_crash.py and tests/test_sharing.py are).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from board_helpers import TODAY, lane_titles

from kamboard.model import LANES
from kamboard.store import BoardStore
from kamboard.tui import app as app_module
from kamboard.tui import watch
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen

WRITERS = 4
CHANGES = 250
ROUNDS = 20
CARDS_EACH = 6  # a small file: each writer adds a few cards, then edits and moves them


def _writer(path: str, number: int, round_: int) -> int:
    """CHANGES changes (add, edit, move) to this writer's own cards on ACME; returns the count."""
    rng = random.Random(number * 1000 + round_)
    store = BoardStore(path, user=f"writer{number}", lock_timeout=60, backups=0)
    account = store.account("ACME")["id"]
    mine: list[str] = []
    for step in range(CHANGES):
        if len(mine) < CARDS_EACH and (step < 2 or rng.random() < 0.1):
            mine.append(store.add_card(account, rng.choice(LANES), f"w{number} card {step}")["id"])
        elif rng.random() < 0.5:
            store.update_card(rng.choice(mine), {"title": f"w{number} edit {step}"})
        else:
            store.move_card(rng.choice(mine), rng.choice(LANES), rng.choice([None, 0, 1]))
    return CHANGES


def shown(board: BoardScreen) -> dict[str, list[tuple[str, str, int]]]:
    """Each lane's cards as the screen holds them: (id, title, rev), in order."""
    return {lane: [(c["id"], c["title"], c["rev"]) for c in board.lanes[lane].cards] for lane in LANES}


def in_file(path: Path, account: str) -> dict[str, list[tuple[str, str, int]]]:
    """The same, read afresh from the file."""
    fresh = BoardStore(path, user="check", readonly=True)
    return {lane: [(c["id"], c["title"], c["rev"]) for c in fresh.cards(account, lane)] for lane in LANES}


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory where the system has one, else the test's temporary folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(dir=shm, prefix="kamboard-load-") as name:
            yield Path(name)
    else:
        yield tmp_path


@pytest.mark.slow
async def test_the_tui_shows_the_final_state_within_two_polls_after_heavy_writing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    announced: list[dict[str, Any]] = []  # every event the app's notices were made from

    def describe(events: list[dict[str, Any]], limit: int = 3) -> str:
        announced.extend(events)
        return watch.describe(events, limit)

    monkeypatch.setattr(app_module, "describe", describe)
    ctx = mp.get_context("spawn")  # no fork of a threaded pytest(-xdist) worker
    with ctx.Pool(WRITERS) as pool:
        for round_ in range(ROUNDS):
            path = folder / f"board{round_}.json"
            store = BoardStore(path, user="tester", create=True)
            account = store.add_account("ACME")["id"]
            store.add_card(account, "topic", "Already there")
            app = KamboardApp(store, account="ACME", today=TODAY)
            announced.clear()
            async with app.run_test(size=(120, 40)) as pilot:
                board = app.screen
                assert isinstance(board, BoardScreen)
                jobs = [pool.apply_async(_writer, (str(path), n, round_)) for n in range(WRITERS)]
                while not all(job.ready() for job in jobs):
                    KamboardApp.poll(app)
                    await pilot.pause(0.05)
                assert [job.get() for job in jobs] == [CHANGES] * WRITERS  # a writer's error is raised here
                for _ in range(2):  # 1 s = two polls of the app
                    KamboardApp.poll(app)
                    await pilot.pause()
                want = in_file(path, account)
                assert sum(map(len, want.values())) == 1 + WRITERS * CARDS_EACH
                assert shown(board) == want, f"round {round_}: the screen is stale"
                assert lane_titles(board.lanes["topic"]) == [title for _, title, _ in want["topic"]]
                # every writer's change was announced once, in order: none lost, none twice
                logged = [e["id"] for _, e in store.events() if e["by"].startswith("writer")]
                assert len(logged) == WRITERS * CHANGES
                assert [e["id"] for e in announced] == logged, f"round {round_}"
