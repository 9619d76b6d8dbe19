"""Benchmark of `kamboard serve`: memory per session and vote-to-facilitator-screen latency.

Run: python tests/perf/bench_serve.py [--participants 12 --seconds 60 --interval 1.0]

Starts `kamboard serve` on a free loopback port with a workshop of ``--participants`` people
(vote budget 99, votes revealed, the agenda on the topics lane), opens every participant's
session and the facilitator's through the server's websocket as a browser does (the test
harness's ScreenClient: aiohttp and a pyte screen), then every participant votes about once per
``--interval`` seconds for ``--seconds``, moving over the lane's cards. It prints:
- the resident memory (VmRSS) of every session process (the kamboard processes under the
  server), sampled while they vote; target <= 60 MB per session;
- the latency from a participant's key press to the facilitator's screen showing that vote (the
  workshop bar's 'K votes' reaching it): p50, p95, max; target p95 <= 1 s;
- the lost votes (votes each participant's screen showed as taken that are not in the file).
Exit code 0 when both targets are met and no vote was lost, else 1.

The k-th vote in the file's activity log (its order of saving) is the one that brings the total
to k; a participant's n-th vote event is their n-th press (each waits until their own screen
counted the one before), so every vote's latency is exact, whatever the order of the saves.
tests/serve/test_load.py runs the same (``vote_run``) and asserts what is exact, not the times.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "serve"))

from harness import ScreenClient, ServeProcess, children_of, start_serve, voting_board  # noqa: E402

from kamboard import voting  # noqa: E402
from kamboard.store import BoardStore  # noqa: E402

ACCOUNT = "Hansa Logistik AG"
FACILITATOR = "Fran Keller"
TOPICS = ["Fleet electrification", "Port congestion in Hamburg", "Driver shortage", "Cold chain audits"]
BUDGET = 99
PER_CARD = 25  # 4 cards x 25 >= the budget; the participant's row keeps room for this many dots
LEFT = re.compile(r"(\d+) of (\d+) votes left")
TOTAL = re.compile(r"voted (\d+)/(\d+)(?: · (\d+) votes?)?")
MARKER = re.compile(r"●(\d+)")  # a card's votes on the facilitator's board
MB_TARGET, P95_TARGET = 60.0, 1.0


def build_board(path: str | os.PathLike[str], people: list[str]) -> str:
    """The benchmark's board (``harness.voting_board``): vote budget 99. Returns the workshop id."""
    return voting_board(
        path, people, TOPICS, budget=BUDGET, per_card=PER_CARD, account=ACCOUNT, facilitator=FACILITATOR
    )[0]


def people_named(count: int) -> list[str]:
    return [f"Person {n + 1:02d}" for n in range(count)]


def facilitator_total(text: str) -> int | None:
    """The votes the facilitator's screen shows: the workshop bar's total, or the cards' vote
    markers added up when that is more (the notices of others' changes can cover the bar's end).
    None while neither shows."""
    found, markers = TOTAL.search(text), MARKER.findall(text)
    if found is None and not markers:
        return None
    return max(int(found.group(3) or 0) if found else 0, sum(int(n) for n in markers))


def votes_left(text: str) -> int | None:
    found = LEFT.search(text)
    return None if found is None else int(found.group(1))


@dataclass
class RunResult:
    """What a voting run saw: presses per person and card, send times, the facilitator's times."""

    presses: dict[str, list[int]] = field(default_factory=dict)  # person -> card index of each press
    sent: dict[str, list[float]] = field(default_factory=dict)  # person -> send time of each press
    reached: dict[int, float] = field(default_factory=dict)  # total k -> when the facilitator first showed >= k
    facilitator_final: int = 0
    rss_mb: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (command, peak sampled VmRSS)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_presses(self) -> int:
        return sum(len(p) for p in self.presses.values())


def file_votes(path: str | os.PathLike[str], workshop_id: str) -> dict[str, dict[str, int]]:
    """{person: {card title: votes}} in the workshop, as the file holds them."""
    store = BoardStore(path, user="bench", readonly=True)
    out: dict[str, dict[str, int]] = {}
    for card in store.cards():
        for person, count in voting.voters_in(card, workshop_id).items():
            out.setdefault(person, {})[str(card["title"])] = count
    return out


def vote_events(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The vote events of the activity log in the order they were saved."""
    store = BoardStore(path, user="bench", readonly=True)
    return [event for _, event in store.events() if event.get("kind") == "card.vote"]


def descendants(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants(child)]
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample_rss(server: ServeProcess, into: dict[int, tuple[str, float]]) -> None:
    """The peak VmRSS so far of every kamboard session under the server (the shell that
    textual-serve starts each with is left out: it is not a kamboard process)."""
    for pid in descendants(server.pid):
        command = command_of(pid)
        if "-m kamboard" in command and not command.startswith(("/bin/sh", "sh ")):
            into[pid] = (command, max(rss_mb(pid), into.get(pid, ("", 0.0))[1]))


async def vote_run(
    server: ServeProcess,
    path: str | os.PathLike[str],
    people: list[str],
    seconds: float = 60.0,
    interval: float = 1.0,
    wait: float = 20.0,
) -> RunResult:
    """Every participant in ``people`` votes about once per ``interval`` for ``seconds``, each
    press once their own screen counted the one before; the facilitator's screen is watched."""
    result = RunResult(presses={p: [] for p in people}, sent={p: [] for p in people})
    facilitator = ScreenClient(server.port, server.token(f"{FACILITATOR} (facilitator)"), 160, 45)
    clients = {p: ScreenClient(server.port, server.token(p), 100, 30) for p in people}
    await facilitator.connect()
    for client in clients.values():
        await client.connect()
    try:
        await facilitator.wait_for(lambda text: facilitator_total(text) is not None, 90)
        for client in clients.values():
            await client.wait_for(lambda text: votes_left(text) == BUDGET, 90)
        done = asyncio.Event()
        watcher = asyncio.create_task(_watch(facilitator, result, done))
        sampler = asyncio.create_task(_sample(server, result, done))
        start = time.monotonic()
        await asyncio.gather(*(_participant(p, clients[p], result, start + seconds, interval, wait) for p in people))
        result.seconds = time.monotonic() - start
        expected = result.total_presses
        deadline = time.monotonic() + wait
        while (result.facilitator_final or 0) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        done.set()
        await asyncio.gather(watcher, sampler)
    finally:
        for client in [facilitator, *clients.values()]:
            await client.close()
    result.latencies = latencies(result, vote_events(path))
    return result


async def _participant(
    person: str, client: ScreenClient, result: RunResult, until: float, interval: float, wait: float
) -> None:
    presses, sent = result.presses[person], result.sent[person]
    card = 0
    rng = random.Random(person)
    await asyncio.sleep(rng.uniform(0, interval))  # not all at once
    while time.monotonic() < until and len(presses) < BUDGET - 4:
        due = time.monotonic() + interval * rng.uniform(0.7, 1.3)
        sent.append(time.monotonic())
        presses.append(card)
        await client.press("v")
        left = BUDGET - len(presses)
        await client.wait_for(lambda text, left=left: votes_left(text) == left, wait)
        step = "down" if card < len(TOPICS) - 1 else "up"
        moves = 1 if card < len(TOPICS) - 1 else len(TOPICS) - 1
        await client.press(*[step] * moves)
        card = (card + 1) % len(TOPICS)
        await asyncio.sleep(max(0.0, due - time.monotonic()))


async def _watch(facilitator: ScreenClient, result: RunResult, done: asyncio.Event) -> None:
    """When the facilitator's total first reached each count (polled every 20 ms)."""
    while not done.is_set():
        total = facilitator_total(facilitator.screen_text()) or 0
        now = time.monotonic()
        for k in range(result.facilitator_final + 1, total + 1):
            result.reached.setdefault(k, now)
        result.facilitator_final = max(result.facilitator_final, total)
        await asyncio.sleep(0.02)


async def _sample(server: ServeProcess, result: RunResult, done: asyncio.Event) -> None:
    while not done.is_set():
        sample_rss(server, result.rss_mb)
        await asyncio.sleep(1.0)


def latencies(result: RunResult, events: list[dict[str, Any]]) -> list[float]:
    """Seconds from each press to the facilitator's screen showing it: the k-th vote saved is
    its voter's n-th press (n counted per voter in the order saved)."""
    seen: dict[str, int] = {}
    out = []
    for k, event in enumerate(events, start=1):
        person = str(event.get("by", ""))
        n = seen.get(person, 0)
        seen[person] = n + 1
        if person in result.sent and n < len(result.sent[person]) and k in result.reached:
            out.append(result.reached[k] - result.sent[person][n])
    return out


def lost_votes(result: RunResult, held: dict[str, dict[str, int]]) -> int:
    """Presses the participants' screens counted that the file does not hold (per card)."""
    lost = 0
    for person, cards in result.presses.items():
        for index, title in enumerate(TOPICS):
            lost += max(0, cards.count(index) - held.get(person, {}).get(title, 0))
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def report(result: RunResult, participants: int, lost: int) -> bool:
    """Print the table; True when every target is met."""
    sessions = [mb for _, mb in result.rss_mb.values()]
    kinds = {pid: "facilitator" if " open " in f" {cmd} " else "participant" for pid, (cmd, _) in result.rss_mb.items()}
    part = [mb for pid, (_, mb) in result.rss_mb.items() if kinds[pid] == "participant"]
    fac = [mb for pid, (_, mb) in result.rss_mb.items() if kinds[pid] == "facilitator"]
    lat = result.latencies
    p95 = percentile(lat, 0.95)
    rss_ok = bool(sessions) and max(sessions) <= MB_TARGET
    lat_ok = bool(lat) and p95 <= P95_TARGET
    print(
        f"\n{participants} participants + facilitator, {result.total_presses} votes in {result.seconds:.0f} s "
        f"({result.total_presses / max(result.seconds, 1e-9):.1f}/s); {os.cpu_count()} CPUs"
    )
    print(f"{'measure':<52}{'p50':>8}{'p95':>8}{'max':>8}  {'target':<14}met")
    if part:
        print(
            f"{'RSS per participant session (MB, ' + str(len(part)) + ' processes)':<52}"
            f"{statistics.median(part):>8.1f}{percentile(part, 0.95):>8.1f}{max(part):>8.1f}"
            f"  {'<= 60 MB':<14}{'yes' if max(part) <= MB_TARGET else 'NO'}"
        )
    if fac:
        print(
            f"{'RSS of the facilitator session (MB)':<52}{'':>8}{'':>8}{max(fac):>8.1f}  {'<= 60 MB':<14}"
            f"{'yes' if max(fac) <= MB_TARGET else 'NO'}"
        )
    if lat:
        print(
            f"{'vote -> facilitator screen (s, ' + str(len(lat)) + ' votes)':<52}"
            f"{statistics.median(lat):>8.2f}{p95:>8.2f}{max(lat):>8.2f}  {'p95 <= 1 s':<14}{'yes' if lat_ok else 'NO'}"
        )
    print(f"{'lost votes':<52}{'':>8}{'':>8}{lost:>8}  {'0':<14}{'yes' if lost == 0 else 'NO'}")
    return rss_ok and lat_ok and lost == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between a participant's votes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("KAMBOARD_CONFIG_DIR", folder)
        path = os.path.join(folder, "board.json")
        people = people_named(args.participants)
        workshop_id = build_board(path, people)
        server = start_serve(path, ACCOUNT, "--workshop", workshop_id, "--facilitator", FACILITATOR)
        try:
            result = asyncio.run(vote_run(server, path, people, args.seconds, args.interval))
        finally:
            server.stop()
        lost = lost_votes(result, file_votes(path, workshop_id))
    return 0 if report(result, args.participants, lost) else 1


if __name__ == "__main__":
    sys.exit(main())
