"""Benchmark: persisting one card move on boards of 1,000 and 10,000 cards.

Run: python tests/perf/bench_store.py [--sizes 1000 10000] [--runs 15] [--profile]

For each size it builds a realistic board (accounts of 50 cards, notes, tags, a full event
log) and times, interleaved in the same run so that machine noise hits all alike:
- floor:      orjson.dumps with the store's options + atomic write (temp file, fsync,
              os.replace, fsync folder) of the same data;
- BoardStore: ``move_card`` (lock, stat, position, stamp, event, backup link, atomic write);
- TinyDB:     plain ``TinyDB(path)`` with its JSONStorage persisting what move_card persists:
              the card's lane, position, rev and updated_at/by (one ``update``) and the
              activity-log entry (one ``insert`` into ``events``);
- TinyDB upd: the card ``update`` alone, for reference (half of what BoardStore saves).
It prints medians and the ratios; targets at 10,000 cards: BoardStore <= 2x the floor and
>= 5x faster than plain TinyDB. ``--profile`` shows where BoardStore spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from tinydb import Query, TinyDB

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamboard.model import CARD_DEFAULTS, LANES, SCHEMA_VERSION
from kamboard.storage import SharedJSONStorage, atomic_write
from kamboard.store import EVENT_LIMIT, BoardStore

OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS  # what SharedJSONStorage uses for string keys
STAMP = {
    "created_at": "2026-01-01T09:00:00Z",
    "created_by": "bench",
    "updated_at": "2026-01-01T09:00:00Z",
    "updated_by": "bench",
    "rev": 1,
}


def make_board(path: Path, cards: int, per_account: int = 50) -> list[str]:
    """Write a board of ``cards`` cards; return the card ids."""
    accounts, docs, events = {}, {}, {}
    for a in range((cards + per_account - 1) // per_account):
        accounts[str(a + 1)] = {
            "id": f"{a:08x}" + "a" * 24,
            "name": f"Account {a:04d}",
            "owner": "Kim",
            "notes": "",
            "archived": False,
            **STAMP,
        }
    ids = []
    for i in range(cards):
        account = accounts[str(i // per_account + 1)]
        lane = LANES[i % 3]
        card = {
            **CARD_DEFAULTS,
            "id": f"{i:08x}" + "c" * 24,
            "account_id": account["id"],
            "lane": lane,
            "title": f"Card {i}: what the customer cares about",
            "notes": "Some notes from the workshop, a sentence or two long. " * 2,
            "tags": ["energy", "2026"],
            "position": float(i // 3 + 1),
            **STAMP,
        }
        if lane == "support":
            card.update(owner="Kim", side="us", due="2026-06-30", status="agreed", customer_benefit="less downtime")
            card["our_benefit"] = "a reference customer"
        docs[str(i + 1)] = card
        ids.append(card["id"])
    for e in range(EVENT_LIMIT):
        events[str(e + 1)] = {
            "id": f"{e:032x}",
            "at": "2026-01-01T09:00:00Z",
            "by": "bench",
            "kind": "card.edit",
            "record_id": ids[e % cards],
            "account_id": accounts["1"]["id"],
            "summary": "edited 'Card' (title)",
        }
    data = {
        "meta": {"1": {"id": "m" * 32, "schema": SCHEMA_VERSION, "title": "Bench", **STAMP}},
        "accounts": accounts,
        "cards": docs,
        "workshops": {},
        "events": events,
    }
    SharedJSONStorage(path, indent=2, sort_keys=True).write(data)
    return ids


def floor_write(path: str, data: Any, mode: int) -> None:
    atomic_write(path, orjson.dumps(data, option=OPTIONS), mode, b"\n")


def tiny_move(cards: Any, events: Any, change: dict[str, Any], condition: Any) -> None:
    """What a plain-TinyDB app would do to persist a move with its activity-log entry."""
    cards.update({**change, "updated_by": "bench"}, condition)
    events.insert({"at": change["updated_at"], "by": "bench", "kind": "card.move", "summary": "moved a card"})


def bench(size: int, runs: int, folder: Path, profile: bool) -> dict[str, Any]:
    board = folder / f"board{size}.json"
    ids = make_board(board, size)
    floor_path = folder / f"floor{size}.json"
    tiny_path = folder / f"tiny{size}.json"
    shutil.copy(board, floor_path)
    shutil.copy(board, tiny_path)
    store = BoardStore(board, user="bench")
    data = SharedJSONStorage(floor_path).read()
    mode = os.stat(floor_path).st_mode & 0o7777
    tiny = TinyDB(tiny_path)
    cards = tiny.table("cards")
    events = tiny.table("events")
    card = Query()
    times: dict[str, list[float]] = {"floor": [], "BoardStore": [], "TinyDB": [], "TinyDB upd": []}
    step = max(1, size // (runs + 1))
    for run in range(runs + 1):  # the first round warms up and is not counted
        card_id = ids[(run * step) % size]
        lane = LANES[run % 3]
        change = {"lane": lane, "position": -float(run), "rev": run + 2, "updated_at": "2026-01-02T09:00:00Z"}
        jobs: dict[str, tuple[Any, tuple[Any, ...]]] = {
            "floor": (floor_write, (str(floor_path), data, mode)),
            "BoardStore": (store.move_card, (card_id, lane, 0)),
            "TinyDB": (tiny_move, (cards, events, change, card.id == card_id)),
            "TinyDB upd": (cards.update, (change, card.id == card_id)),
        }
        names = list(jobs)
        for name in names[run % 4 :] + names[: run % 4]:  # take turns at going first
            func, args = jobs[name]
            os.sync()  # nobody pays for another's dirty pages
            start = time.perf_counter()
            func(*args)
            if run:
                times[name].append(time.perf_counter() - start)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for run in range(runs):
            store.move_card(ids[(run * 7) % size], LANES[run % 3], 0)
        profiler.disable()
        print(f"\nBoardStore.move_card x {runs} at {size:,} cards:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    tiny.close()
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {"size": size, "mb": board.stat().st_size / 1e6, **medians}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kamboard-bench-"))
    try:
        rows = [bench(size, args.runs, folder, args.profile) for size in args.sizes]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nPersisting one card move, median of {args.runs} runs (ms):")
    header = (
        f"{'cards':>7} {'file MB':>8} {'floor':>8} {'BoardStore':>11} {'TinyDB':>8} {'TinyDB upd':>11}"
        f" {'store/floor':>12} {'TinyDB/store':>13} {'upd/store':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>7,} {r['mb']:>8.1f} {r['floor']:>8.2f} {r['BoardStore']:>11.2f} {r['TinyDB']:>8.2f}"
            f" {r['TinyDB upd']:>11.2f} {r['BoardStore'] / r['floor']:>11.2f}x {r['TinyDB'] / r['BoardStore']:>12.1f}x"
            f" {r['TinyDB upd'] / r['BoardStore']:>9.1f}x"
        )
    big = rows[-1]
    ok_floor = big["BoardStore"] <= 2 * big["floor"]
    ok_tiny = big["TinyDB"] >= 5 * big["BoardStore"]
    print(
        f"\nTargets at {big['size']:,} cards: BoardStore <= 2x floor: {'met' if ok_floor else 'MISSED'};"
        f" >= 5x faster than TinyDB: {'met' if ok_tiny else 'MISSED'}."
    )


if __name__ == "__main__":
    main()
