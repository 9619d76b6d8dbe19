"""kill -9 a writer at random moments: the board file always parses and holds the old or the new state.

The writer edits one card again and again (title v1, v2, ...) on a board of 6,000 cards
(several MB) and prints each number once its save returned. After the kill the file must
hold state N or N+1, where N is the last number printed, and be fully consistent: the
card's title, its rev and the last event agree. A temp file left by the kill is removed
on the next open.

The moments do not depend on how fast the machine is: after a random number of confirmed
saves, half the trials kill the writer at a random moment; the other half stop it while its
temp file exists (a save half done, held there by SIGSTOP) and kill it then.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

import kamboard
from kamboard.model import CARD_DEFAULTS, SCHEMA_VERSION
from kamboard.storage import TEMP_SUFFIX, SharedJSONStorage
from kamboard.store import BoardStore

CARDS = 6000
TRIALS = 32
WRITER = """
import sys
from kamboard.store import BoardStore
store = BoardStore(sys.argv[1], user="crash", lock_timeout=30)
card_id = sys.argv[2]
n = int(store.card(card_id)["title"][1:])
print("ready", n, flush=True)
while True:
    n += 1
    store.update_card(card_id, {"title": f"v{n}"})
    print(n, flush=True)
"""


def _env() -> dict[str, str]:
    root = str(Path(kamboard.__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}


def _big_board(path: Path) -> str:
    """A valid board of CARDS cards with longish notes; returns the id of the card to edit."""
    account = {"id": "a" * 32, "name": "ACME", "owner": "", "notes": "", "archived": False, "rev": 1}
    cards = {}
    for i in range(1, CARDS + 1):
        cards[str(i)] = {
            **CARD_DEFAULTS,
            "id": f"{i:032x}",
            "account_id": account["id"],
            "lane": ("topic", "challenge", "support")[i % 3],
            "title": f"Card {i}",
            "notes": f"Notes for card {i}. " * 25,
            "position": float(i),
            "rev": 1,
            "created_at": "2026-01-01T00:00:00Z",
            "created_by": "gen",
            "updated_at": "2026-01-01T00:00:00Z",
            "updated_by": "gen",
        }
    cards["1"]["title"] = "v0"
    data = {
        "meta": {"1": {"id": "m" * 32, "schema": SCHEMA_VERSION, "title": "Crash test"}},
        "accounts": {"1": account},
        "cards": cards,
        "workshops": {},
        "events": {},
    }
    SharedJSONStorage(path, indent=2, sort_keys=True).write(data)
    return cards["1"]["id"]


def _state(path: Path, card_id: str) -> int:
    """The edit number the file holds, after checking that the file is whole and consistent."""
    data = orjson.loads(path.read_bytes())  # always parses
    assert len(data["cards"]) == CARDS
    card = next(c for c in data["cards"].values() if c["id"] == card_id)
    n = int(card["title"][1:])
    assert card["rev"] == n + 1
    if n:
        last = max(data["events"].values(), key=lambda e: e["seq"])  # keys are random; seq counts up
        assert last["summary"] == f"edited 'v{n}' (title)"
    return n


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def _stop_mid_save(proc: subprocess.Popen[str], folder: Path) -> None:
    """Wait until the writer is half-way through a save (its temp file exists) and stop it there."""
    while True:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "the writer ended"
        if _temps(folder):
            proc.send_signal(signal.SIGSTOP)
            os.waitpid(proc.pid, os.WUNTRACED)  # returns once it is stopped
            if _temps(folder):
                return  # stopped with its save half done
            proc.send_signal(signal.SIGCONT)  # the save ended meanwhile: wait for the next one
        time.sleep(0.001)


@pytest.mark.slow
def test_kill_9_never_breaks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    card_id = _big_board(path)
    assert path.stat().st_size > 4_000_000
    rng = random.Random(20260)
    confirmed = 0
    for trial in range(TRIALS):
        mid_save = trial % 2 == 1
        assert _temps(tmp_path) == []
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), card_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        try:
            assert proc.stdout is not None
            ready = proc.stdout.readline()
            assert ready.startswith("ready"), proc.stderr.read() if proc.stderr else ready
            seen = "".join(proc.stdout.readline() for _ in range(rng.randint(0 if mid_save else 1, 3)))
            if mid_save:
                _stop_mid_save(proc, tmp_path)
            else:  # a random moment after a random number of saves returned
                time.sleep(rng.uniform(0.0, 0.02))
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == -signal.SIGKILL, err
        printed = [int(line) for line in (seen + out).split()]
        assert mid_save or printed, (trial, err)  # the writer saved before this kill
        last_printed = printed[-1] if printed else int(ready.split()[1])
        state = _state(path, card_id)
        assert state in (last_printed, last_printed + 1), (trial, state, last_printed)
        confirmed += len(printed)
        temps = _temps(tmp_path)
        assert temps or not mid_save, trial  # killed half-way through a save: its temp file stays
        if temps or trial % 8 == 0:
            before = path.read_bytes()
            store = BoardStore(path, user="check")  # the next open cleans up
            assert _temps(tmp_path) == []
            assert path.read_bytes() == before
            assert store.card(card_id)["title"] == f"v{state}"
    print(f"{TRIALS} kills, {confirmed} confirmed saves, {TRIALS // 2} of them mid-save")
    # and the board still works for a normal change afterwards
    store = BoardStore(path, user="after")
    edited = store.update_card(card_id, {"title": "after the crashes"})
    assert edited["rev"] == _state_rev(path, card_id)


def _state_rev(path: Path, card_id: str) -> int:
    data = orjson.loads(path.read_bytes())
    return next(c["rev"] for c in data["cards"].values() if c["id"] == card_id)
