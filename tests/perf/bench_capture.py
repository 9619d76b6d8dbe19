"""Benchmark of capture: 50 titles typed into quick-add at workshop speed, counted in the file.

Run: python tests/perf/bench_capture.py [--titles 50 --delay 0.01 --burst]

Starts `kamboard FILE --account NAME` on a fresh board in a terminal of its own (a private tmux
server, `tmux -L kb_cap`; only its own session is ever killed), opens quick-add with `n`, types
the titles a key at a time with --delay seconds between keys (tmux `send-keys -l` per
character), Enter after each; --burst sends each title and its Enter in one write instead, as a
terminal delivers a fast typist's keys or an unbracketed paste. Then Esc closes quick-add,
ctrl+q quits, and the board file is read: prints how many cards were made, how many titles came
out exact, and "50 of 50 exact" (the target) or what went wrong.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = "kb_cap"  # a tmux server of its own: the user's sessions are never touched
SESSION = f"bench-capture-{os.getpid()}"
ACCOUNT = "Bench Capture"
WORDS = ["Fluktuation im Lager", "Preise für Energie", "Öl & Gas", "neue Regeln (EU)", "Schreiner & Partner"]


def titles(count: int) -> list[str]:
    """``count`` distinct titles as a workshop types them: words, umlauts, digits, punctuation."""
    return [f"{n + 1:02d} {WORDS[n % len(WORDS)]}" for n in range(count)]


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", SERVER, *args], capture_output=True, text=True, check=check)


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION, check=False).stdout


def alive() -> bool:
    return tmux("has-session", "-t", SESSION, check=False).returncode == 0


def wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}; the screen:\n{screen()}")
        time.sleep(0.05)


def type_titles(wanted: list[str], delay: float, burst: bool) -> float:
    """Type ``wanted`` into the open quick-add; the seconds it took."""
    start = time.perf_counter()
    for title in wanted:
        if burst:
            tmux("send-keys", "-t", SESSION, "-l", title + "\r")
            time.sleep(delay)
            continue
        for character in title:
            tmux("send-keys", "-t", SESSION, "-l", character)
            time.sleep(delay)
        tmux("send-keys", "-t", SESSION, "Enter")
        time.sleep(delay)
    return time.perf_counter() - start


def run(count: int, delay: float, burst: bool) -> int:
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed")
    folder = tempfile.mkdtemp(prefix="kb-capture-")
    path = os.path.join(folder, "board.json")
    env = {**os.environ, "KAMBOARD_USER": "bench", "KAMBOARD_CONFIG_DIR": os.path.join(folder, "config")}
    kamboard = [sys.executable, "-m", "kamboard"]
    subprocess.run([*kamboard, "-f", path, "account", "add", ACCOUNT], env=env, check=True, capture_output=True)
    wanted = titles(count)
    command = " ".join([*kamboard, path, "--account", f"'{ACCOUNT}'"])
    tmux(
        "new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "-c", ROOT,
        "-e", "LANG=C.UTF-8", "-e", "KAMBOARD_USER=bench", "-e", f"KAMBOARD_CONFIG_DIR={env['KAMBOARD_CONFIG_DIR']}",
        command,
    )  # fmt: skip
    try:
        wait(lambda: "What is on the customer's mind?" in screen(), 30, "the board")
        tmux("send-keys", "-t", SESSION, "n")
        wait(lambda: "Enter adds" in screen(), 10, "the quick-add field")
        took = type_titles(wanted, delay, burst)
        tmux("send-keys", "-t", SESSION, "Escape")
        time.sleep(0.5)
        tmux("send-keys", "-t", SESSION, "C-q")
        wait(lambda: not alive(), 30, "kamboard to quit")
    finally:
        if alive():
            print(f"the screen at the end:\n{screen()}", file=sys.stderr)
            tmux("kill-session", "-t", SESSION, check=False)
    return report(path, wanted, took, delay, burst)


def report(path: str, wanted: list[str], took: float, delay: float, burst: bool) -> int:
    sys.path.insert(0, ROOT)
    from kamboard.store import BoardStore

    store = BoardStore(path, user="bench")
    got = [card["title"] for card in store.cards(store.account(ACCOUNT)["id"], "topic")]
    exact = sum(1 for title in wanted if title in got)
    how = "in bursts (a title and its Enter in one write)" if burst else f"at {delay * 1000:.0f} ms per key"
    print(f"typed {len(wanted)} titles {how} in {took:.1f} s")
    print(f"cards made: {len(got)}; exact titles: {exact}; in order: {got == wanted}")
    for title in got:
        if title not in wanted:
            print(f"  not typed so: {title!r}")
    print(f"{exact} of {len(wanted)} exact" + ("" if exact == len(wanted) == len(got) else "  (target: all, no more)"))
    return 0 if exact == len(wanted) == len(got) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--titles", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.01, help="seconds between keys (default 0.01)")
    parser.add_argument("--burst", action="store_true", help="each title and its Enter in one write")
    args = parser.parse_args()
    return run(args.titles, args.delay, args.burst)


if __name__ == "__main__":
    sys.exit(main())
