"""Several processes change one board file at once while another keeps reading it.

4 writer processes x 100 mixed changes (add, edit, move) through BoardStore; a reader
process parses the file with plain orjson all the while. At the end every change is
there (each card's title, lane and rev say how many changes it saw) and no read failed.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from kamboard.model import LANES
from kamboard.store import BoardStore

WRITERS = 4
CHANGES = 100


def _writer(path: str, number: int, results: Any) -> None:
    """Make CHANGES changes to this writer's own cards; report what each card should look like."""
    rng = random.Random(number)
    expected: dict[str, dict[str, Any]] = {}
    try:
        store = BoardStore(path, user=f"writer{number}", lock_timeout=60)
        for step in range(CHANGES):
            kind = "add" if step < 5 or rng.random() < 0.35 else rng.choice(["edit", "move"])
            if kind == "add":
                lane = rng.choice(LANES)
                doc = store.add_card("ACME", lane, f"w{number} card {step}", index=rng.choice([None, 0, 1]))
                expected[doc["id"]] = {"title": doc["title"], "lane": lane, "rev": 1}
            elif kind == "edit":
                card_id = rng.choice(sorted(expected))
                title = f"w{number} card edited at {step}"
                doc = store.update_card(card_id, {"title": title, "notes": f"step {step}"})
                expected[card_id].update(title=title, rev=expected[card_id]["rev"] + 1)
            else:
                card_id = rng.choice(sorted(expected))
                lane = rng.choice(LANES)
                doc = store.move_card(card_id, lane, rng.choice([None, 0, 2]))
                expected[card_id].update(lane=lane, rev=expected[card_id]["rev"] + 1)
            assert doc["rev"] == expected[doc["id"]]["rev"]
        results.put(("ok", number, expected))
    except BaseException as exc:  # report, so the test shows the cause rather than a hang
        results.put(("error", number, repr(exc)))


def _reader(path: str, stop: Any, results: Any) -> None:
    """Parse the whole file again and again with plain orjson; count reads and failures."""
    reads, failures, most_cards = 0, [], 0
    while not stop.is_set():
        try:
            with open(path, "rb") as handle:
                data = orjson.loads(handle.read())
            most_cards = max(most_cards, len(data["cards"]))
            assert isinstance(data["meta"], dict)
            reads += 1
        except Exception as exc:
            failures.append(repr(exc))
    results.put((reads, failures[:5], len(failures), most_cards))


@pytest.mark.slow
def test_four_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, user="setup", create=True)
    store.add_account("ACME")
    ctx = mp.get_context("spawn")  # no fork of a threaded pytest(-xdist) worker
    results, reader_results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    reader = ctx.Process(target=_reader, args=(str(path), stop, reader_results), daemon=True)
    writers = [ctx.Process(target=_writer, args=(str(path), n, results), daemon=True) for n in range(WRITERS)]
    started = time.monotonic()
    try:
        reader.start()
        for proc in writers:
            proc.start()
        reports = [results.get(timeout=120) for _ in writers]
        for proc in writers:
            proc.join(timeout=30)
    finally:
        stop.set()
        for proc in writers:
            if proc.is_alive():
                proc.kill()
    reads, failures, failure_count, most_cards = reader_results.get(timeout=30)
    reader.join(timeout=30)
    elapsed = time.monotonic() - started

    errors = [r for r in reports if r[0] != "ok"]
    assert errors == []
    assert failure_count == 0, failures
    assert reads > 10, f"the reader only managed {reads} reads in {elapsed:.1f} s"
    assert all(proc.exitcode == 0 for proc in [*writers, reader])

    final = BoardStore(path, user="check")
    cards = {c["id"]: c for c in final.cards()}
    expected: dict[str, dict[str, Any]] = {}
    for _, _, mine in reports:
        expected.update(mine)
    assert len(cards) == len(expected) > WRITERS * 5
    assert most_cards <= len(cards)
    for card_id, want in expected.items():
        got = cards[card_id]
        assert (got["title"], got["lane"], got["rev"]) == (want["title"], want["lane"], want["rev"]), card_id
    # every change left exactly one event, by the writer that made it
    events = [e for _, e in final.events() if e["by"].startswith("writer")]
    assert len(events) == WRITERS * CHANGES
    for n in range(WRITERS):
        assert sum(e["by"] == f"writer{n}" for e in events) == CHANGES
    # positions within each lane stay unique: moves never collided
    for lane in LANES:
        positions = [c["position"] for c in final.cards(lane=lane)]
        assert len(positions) == len(set(positions))
    # record keys are unique, and the file is still exactly what a fresh parse gives
    raw = orjson.loads(path.read_bytes())
    assert len(raw["cards"]) == len(cards)
    assert not list(tmp_path.glob(".board.json.*"))
