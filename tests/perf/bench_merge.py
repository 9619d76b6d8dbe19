"""Benchmark: merging two diverged copies of a 10,000-card board.

Run: python tests/perf/bench_merge.py [--cards 10000] [--changes 500] [--runs 9] [--profile]

Builds a demo board (kamboard.demo's generated accounts of 50 cards), writes it as the store
does (orjson, indent 2, sorted keys), lets two people make ``--changes`` changes each the way
the store will (edit title/notes/status, tags, move, vote, delete, add; stamped with
``stamp_change``/``stamp_delete``), writes both copies, then times, interleaved in one run:
- floor: orjson.loads of both files;
- merge: ``merge_board.merge`` of the two parsed copies (report included).
Target: merge <= 3x the floor. It also prints what the change stamps cost: the bytes that
1,000 edits add to the file with and without stamps, and the parse time of both.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as dt
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kamboard import merge_board as mb
from kamboard.demo import demo_records
from kamboard.model import CARD_DEFAULTS, LANES

OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
Doc = dict[str, Any]
T0 = "2026-01-01T09:00:00Z"


def make_board(cards: int) -> Doc:
    per = 50
    accounts, docs, _ = demo_records(accounts=max(1, cards // per), cards=per, today=dt.date(2026, 1, 1))
    stamp = {"created_at": T0, "created_by": "seed", "updated_at": T0, "updated_by": "seed", "rev": 1}
    positions: dict[tuple[str, str], float] = {}
    table = {}
    for i, card in enumerate(docs[:cards]):
        slot = (card["account_id"], card["lane"])
        positions[slot] = positions.get(slot, 0.0) + 1.0
        table[str(i + 1)] = {**CARD_DEFAULTS, **card, "position": positions[slot], **stamp}
    meta = {"id": "bench-board", "schema": mb.SCHEMA, "title": "bench", "created_at": T0, "created_by": "seed"}
    events = {
        str(i + 1): {"id": f"ev{i:04d}", "at": T0, "by": "seed", "kind": "card.edit", "record_id": "", "summary": "x"}
        for i in range(1000)
    }
    return {
        "meta": {"1": meta},
        "accounts": {str(i + 1): {**a, "archived": False, **stamp} for i, a in enumerate(accounts)},
        "cards": table,
        "workshops": {},
        "events": events,
        "tombstones": {},
    }


def diverge(data: Doc, user: str, changes: int, seed: int, stamped: bool = True) -> Doc:
    """``changes`` random changes by ``user``, made as the store makes them."""
    rnd = random.Random(seed)
    keys = list(data["cards"])
    events = data["events"]
    for n in range(changes):
        at = f"2026-02-01T10:{n // 60 % 60:02d}:{n % 60:02d}Z"
        key = rnd.choice(keys)
        rec = data["cards"].get(key)
        what = rnd.random()
        if rec is None:
            continue
        if what < 0.03:  # delete
            if stamped:
                mb.put_tombstone(data, mb.stamp_delete(rec, "cards", user, at))
            del data["cards"][key]
        elif what < 0.06:  # add
            new = {**CARD_DEFAULTS, "id": f"{user}-{seed}-{n:05d}", "account_id": rec["account_id"], "lane": "topic"}
            new |= {"title": f"New {n}", "position": 1000.0 + n, "rev": 1}
            new |= {"created_at": at, "created_by": user, "updated_at": at, "updated_by": user}
            key = str(max(int(k) for k in data["cards"]) + 1)
            data["cards"][key] = new
            keys.append(key)
        else:
            before = copy.deepcopy(rec)
            if what < 0.35:
                rec["title"] = f"{rec['title']} ({user} {n})"
            elif what < 0.5:
                rec["notes"] = f"Notes by {user}, change {n}.\nSecond line."
            elif what < 0.62:
                tag = rnd.choice(("IT", "Einkauf", "Strategie", "Quality"))
                rec["tags"] = [t for t in rec["tags"] if t != tag] if tag in rec["tags"] else [*rec["tags"], tag]
            elif what < 0.8:
                rec["lane"], rec["position"] = rnd.choice(LANES), rnd.random() * 50
            elif what < 0.9:
                voters = dict(rec.get("voters") or {})
                voters[user] = voters.get(user, 0) + 1
                rec["voters"], rec["votes"], rec["voted_in"] = voters, sum(voters.values()), "w"
            else:
                rec["status"] = rnd.choice(("proposed", "agreed", "done"))
            rec["updated_at"], rec["updated_by"], rec["rev"] = at, user, rec["rev"] + 1
            if stamped:
                mb.stamp_change(before, rec, user, at=at)
        eid = f"{user}-ev{n:05d}"
        events[str(max(int(k) for k in events) + 1)] = {"id": eid, "at": at, "by": user, "kind": "card.edit"}
    return data


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    base = make_board(args.cards)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / "ours.json", Path(tmp) / "theirs.json"]
        for path, user, seed in zip(paths, ("anna", "bob"), (1, 2), strict=True):
            path.write_bytes(orjson.dumps(diverge(copy.deepcopy(base), user, args.changes, seed), option=OPTIONS))
        raw = [p.read_bytes() for p in paths]
        floor, merging = [], []
        report = None
        for _ in range(args.runs):
            start = time.perf_counter()
            ours, theirs = (orjson.loads(r) for r in raw)
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            merged, report = mb.merge(ours, theirs)
            merging.append(time.perf_counter() - start)
        assert report is not None
        if args.profile:
            ours, theirs = (orjson.loads(r) for r in raw)
            cProfile.runctx("mb.merge(ours, theirs)", globals(), locals(), "/tmp/bench_merge.prof")
            pstats.Stats("/tmp/bench_merge.prof").sort_stats("cumulative").print_stats(25)

    size = len(raw[0]) / 1e6
    print(f"board: {args.cards:,} cards ({size:.1f} MB a copy); {args.changes} changes on each side")
    print(f"merged: {report.summary()}")
    print(f"{'':28}{'median':>10}{'ratio':>9}")
    f, m = median_ms(floor), median_ms(merging)
    print(f"{'floor: orjson.loads x2':28}{f:8.1f} ms{1:8.2f}x")
    print(f"{'merge (in memory)':28}{m:8.1f} ms{m / f:8.2f}x   target <= 3x the floor")

    # what the stamps cost: 1,000 edits with and without them
    texts = {s: orjson.dumps(diverge(copy.deepcopy(base), "anna", 1000, 3, s), option=OPTIONS) for s in (False, True)}
    sizes = {s: len(text) for s, text in texts.items()}
    runs: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.runs):  # interleaved: noise hits both alike
        for stamped, text in texts.items():
            start = time.perf_counter()
            orjson.loads(text)
            runs[stamped].append(time.perf_counter() - start)
    parse = {s: median_ms(r) for s, r in runs.items()}
    extra = sizes[True] - sizes[False]
    print(
        f"stamps after 1,000 edits: +{extra:,} bytes ({extra / sizes[False]:.1%} of {sizes[False]:,}); "
        f"parse {parse[False]:.1f} -> {parse[True]:.1f} ms"
    )


if __name__ == "__main__":
    main()
