"""Sharing one file through the CLI: 4 processes x 100 mixed changes while a reader keeps parsing it.

Each writer is a real process running a small script that calls ``kamboard.cli.main(args,
standalone_mode=False)`` 100 times in-process: every call goes through the whole CLI
(parsing, a fresh BoardStore, lock, refresh, atomic write) without paying ~0.3 s of Python
start-up per change, which keeps the test well under a minute on 2 shared cores.
A second, smaller run has each writer start a real `python -m kamboard` per change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamboard.check import check_board
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 4
CHANGES = 100

WRITER = r"""
import contextlib, io, json, random, subprocess, sys
from kamboard.cli import main

path, worker, changes, out, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = random.Random(worker)
lanes = ["topic", "challenge", "support"]
own = f"Worker {worker}"
cards, deleted, accounts = {}, [], []


def call(*args):
    if mode == "subprocess":  # a real `python -m kamboard` per change
        done = subprocess.run([sys.executable, "-m", "kamboard", *args, "-f", path], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"worker {worker}: {args} exited {done.returncode}: {done.stderr}")
        return done.stdout
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main([*args, "-f", path], standalone_mode=False)
    if rc != 0:
        raise SystemExit(f"worker {worker}: {args} exited {rc}")
    return buf.getvalue()


call("account", "add", own)
accounts.append(own)
done = 1
i = 0
while done < changes:
    i += 1
    kind = i % 5
    if kind in (0, 1) or not cards:
        account = "Shared" if i % 2 else own
        lane = lanes[i % 3]
        doc = json.loads(call("card", "add", account, lane, f"w{worker}-{i}", "--tag", f"w{worker}", "--json"))
        cards[doc["id"]] = {"title": doc["title"], "lane": lane, "notes": "", "account": doc["account"]}
    elif kind == 2:
        card_id = rng.choice(sorted(cards))
        notes = f"notes {worker}-{i}"
        call("card", "edit", card_id[:12], "--notes", notes, "--owner", f"owner {worker}")
        cards[card_id]["notes"] = notes
    elif kind == 3:
        card_id = rng.choice(sorted(cards))
        lane = rng.choice(lanes)
        call("card", "move", card_id[:12], lane, "--position", "1")
        cards[card_id]["lane"] = lane
    elif i % 10 == 4:
        card_id = rng.choice(sorted(cards))
        call("card", "delete", card_id[:16])
        deleted.append(cards.pop(card_id)["title"])
    else:
        name = f"W{worker} account {i}"
        call("account", "add", name, "--owner", f"owner {worker}")
        accounts.append(name)
    done += 1
with open(out, "w") as handle:
    json.dump({"cards": cards, "deleted": deleted, "accounts": accounts, "changes": done}, handle)
"""

READER = r"""
import json, os, sys, time
import orjson

path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
reads, failures, last_cards = 0, [], 0
while not os.path.exists(stop) or reads < 5:
    try:
        with open(path, "rb") as handle:
            data = orjson.loads(handle.read())
        assert isinstance(data["meta"], dict) and isinstance(data["cards"], dict), "not a board"
        assert len(data["cards"]) >= 0
        last_cards = len(data["cards"])
        reads += 1
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
with open(out, "w") as handle:
    json.dump({"reads": reads, "failures": failures[:20], "last_cards": last_cards}, handle)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "changes"), [("in-process", CHANGES), ("subprocess", 12)])
def test_four_cli_writers_and_a_reader_lose_nothing(tmp_path: Path, mode: str, changes: int) -> None:
    """``in-process``: 4 x 100 changes via main(); ``subprocess``: 4 x 12 real `python -m kamboard` runs."""
    board = tmp_path / "shared.json"
    BoardStore(board, "setup", create=True).add_account("Shared")
    (tmp_path / "writer.py").write_text(WRITER)
    (tmp_path / "reader.py").write_text(READER)
    stop = tmp_path / "stop"
    base_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reader = subprocess.Popen(
        [sys.executable, str(tmp_path / "reader.py"), str(board), str(stop), str(tmp_path / "reader.json")],
        env=base_env,
    )
    start = time.monotonic()
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                str(tmp_path / "writer.py"),
                str(board),
                str(w),
                str(changes),
                str(tmp_path / f"writer{w}.json"),
                mode,
            ],
            env={**base_env, "KAMBOARD_USER": f"worker-{w}"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    try:
        errors = [p.communicate(timeout=120)[1] for p in writers]
    finally:
        stop.touch()
        reader.wait(timeout=30)
        for p in writers:
            if p.poll() is None:
                p.kill()
    took = time.monotonic() - start
    assert [p.returncode for p in writers] == [0] * WRITERS, errors
    assert reader.returncode == 0

    read = json.loads((tmp_path / "reader.json").read_text())
    assert read["failures"] == []
    assert read["reads"] >= 5

    store = BoardStore(board)
    cards = {c["id"]: c for c in store.cards()}
    account_names = {a["id"]: a["name"] for a in store.accounts()}
    expected_total = 0
    for w in range(WRITERS):
        result = json.loads((tmp_path / f"writer{w}.json").read_text())
        assert result["changes"] == changes
        for card_id, want in result["cards"].items():
            assert card_id in cards, f"lost {want['title']}"
            got = cards[card_id]
            assert (got["title"], got["lane"], got["notes"]) == (want["title"], want["lane"], want["notes"])
            assert account_names[got["account_id"]] == want["account"]
            assert got["created_by"] == f"worker-{w}"
        expected_total += len(result["cards"])
        titles = {c["title"] for c in cards.values()}
        assert not titles & set(result["deleted"]), "a deleted card came back"
        assert set(result["accounts"]) <= set(account_names.values())
    assert len(cards) == expected_total
    assert len(account_names) == 1 + sum(
        len(json.loads((tmp_path / f"writer{w}.json").read_text())["accounts"]) for w in range(WRITERS)
    )
    assert check_board(board) == []
    print(
        f"\n{WRITERS} x {changes} CLI changes ({mode}) in {took:.1f} s; the reader parsed the file {read['reads']} times"
    )
    assert took < 60
