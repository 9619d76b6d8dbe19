"""Benchmark of the TUI: first paint, key-to-repaint, peak memory.

Run: python tests/perf/bench_tui.py [--accounts 200 --cards 45 --lane 1000 --runs 7]

Builds two 10,000-card boards: 200 generated accounts of 45 cards plus "Big" with 1,000
cards in one lane; and 200 accounts of 50 cards. Then prints in one run:
- time to first paint of a bare Textual App and of kamboard, started as `kamboard FILE
  --account NAME` starts (the command line, its collector pause, the store, the app), with
  "Big" open, and with one 50-card account of the second board open (target ratio <= 1.5);
  kamboard reads the rest of the file once that board is painted (see store_preview.py);
- key-to-repaint when moving a card within and out of the 1,000-card lane: saved in the
  background (target <= 16 ms median, <= 33 ms max: one frame), against saving in the key's
  handler as the board did before (the ratio), and while another process holds the lock;
- peak memory (max RSS and the Python heap via tracemalloc) of both (target <= 2x).
Each first-paint and memory figure comes from a fresh process (bare and kamboard children
take turns, so that the machine's load falls on both alike); the median of --runs is shown.
"""

from __future__ import annotations

import time

START = time.perf_counter()  # before textual is imported: first paint counts the imports too

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import tracemalloc  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (100, 30)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_board(path: str, accounts: int, cards: int, lane: int) -> tuple[int, str]:
    """Write the board in one bulk transaction: ``accounts`` accounts of ``cards`` cards, plus
    "Big" with ``lane`` cards in one lane when ``lane``. Returns the number of cards and the
    account to open: "Big", else the middle one."""
    from kamboard.demo import demo_records
    from kamboard.model import new_id
    from kamboard.store import BoardStore

    store = BoardStore(path, user="bench", create=True, backups=0)
    docs, card_docs, workshops = demo_records(accounts, cards)
    opened = str(docs[len(docs) // 2]["name"])
    if lane:
        big = {"id": new_id(), "name": "Big", "owner": "Bench"}
        card_docs += [{"account_id": big["id"], "lane": "topic", "title": f"Big topic {n + 1}"} for n in range(lane)]
        docs.append(big)
        opened = "Big"
    counts = store.bulk_insert(docs, card_docs, workshops, replace=True)
    return int(counts.get("cards", len(card_docs))), opened


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: on Linux a child's ru_maxrss
    starts from its parent's peak at fork, which would charge the benchmark's own memory."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- children: one fresh process per measurement -------------------------------------------


def child(kind: str, path: str, memory: bool, account: str) -> None:
    if memory:
        tracemalloc.start()
    painted: dict[str, float] = {}

    if kind == "bare":
        from textual.app import App
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> Any:
                yield Static("Hello")

            def _display(self, screen: Any, renderable: Any) -> None:
                super()._display(screen, renderable)
                if renderable is not None and "t" not in painted:
                    painted["t"] = time.perf_counter()
                    self.exit()

        Bare().run(headless=True, size=SIZE)
    else:
        run_kamboard(path, account, painted)
    result = {
        "first_paint_ms": (painted.get("t", time.perf_counter()) - START) * 1000,
        "open_ms": painted.get("open", 0.0) * 1000,
        "maxrss_mb": peak_rss_mb(),
    }
    if memory:
        result["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(result))


def run_kamboard(path: str, account: str, painted: dict[str, float]) -> None:
    """``kamboard PATH --account ACCOUNT`` as the console script runs it (``kamboard.cli.main``:
    its imports, settings, collector pause, store and app), only headless, at SIZE, and ending
    at the board's first paint."""
    from kamboard.cli import board as cli_board
    from kamboard.cli import main as cli_main

    real_runner = cli_board._tui_runner

    def tui_runner() -> Any:
        real_runner()  # imports textual and the app as the program does
        from kamboard.store import BoardStore
        from kamboard.tui.app import KamboardApp
        from kamboard.tui.screens.board import BoardScreen

        class Kamboard(KamboardApp):
            def _display(self, screen: Any, renderable: Any) -> None:
                super()._display(screen, renderable)
                if renderable is not None and isinstance(screen, BoardScreen) and "t" not in painted:
                    painted["t"] = time.perf_counter()
                    self.exit()

        opening = BoardStore.__init__

        def timed_open(store: Any, *args: Any, **kwargs: Any) -> None:
            started = time.perf_counter()
            opening(store, *args, **kwargs)
            painted["open"] = time.perf_counter() - started

        BoardStore.__init__ = timed_open  # type: ignore[method-assign,assignment]  # timed, same call

        def run(store: Any, account: str | None = None) -> int:  # kamboard.tui.app.run, headless at SIZE
            app = Kamboard(store, account=account)
            app.run(headless=True, size=SIZE)
            return app.return_code or 0

        return run

    cli_board._tui_runner = tui_runner
    cli_main([path, "--account", account], standalone_mode=False)


def run_child(kind: str, path: str, account: str = "", memory: bool = False) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = [sys.executable, os.path.abspath(__file__), "--child", kind, "--file", path, "--account", account]
    if memory:
        args.append("--memory")
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- key-to-repaint, in this process -----------------------------------------------------

KEYS = {
    "reorder (J/K)": "KJ",
    "to next lane and back (L/H)": "LH",
    "cursor (j/k)": "kj",
    "focus next lane and back (l/h)": "lh",
}
NO_SAVE = ("cursor (j/k)", "focus next lane and back (l/h)")  # keys that change nothing: the floor
MODES = {
    "background": "saved in the background (now)",
    "inline": "saved in the key's handler (before)",
    "locked": "while another process holds the lock",
}


def inline_saver(app: Any) -> Any:
    """A saver that saves on the UI thread, in the key's handler: how the board saved before
    the background saver (the same store calls, then the same re-read of the board)."""
    from kamboard.tui.saver import Job, Saver

    class InlineSaver(Saver):
        def start(self) -> None:
            pass  # no thread

        def submit(self, label: str, run: Any, done: Any = None, failed: Any = None) -> None:
            self.pending += 1
            try:
                result, error = run(self.store), None
            except Exception as exc:
                result, error = None, exc
            self._answer(Job(label, run, done, failed), result, error)

    return InlineSaver(app, app.store)


async def key_to_repaint(path: str, rounds: int, mode: str) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Per key pair: ms from each key press to the first paint that shows its effect (the
    moved card selected where it went, the cursor moved); and how many presses came while
    the previous key's save was in flight (background: each key is pressed as soon as the
    previous key's write is about to begin) or queued (another process holds the lock)."""
    import threading

    from filelock import FileLock

    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.screens.board import BoardScreen

    paints: list[tuple[float, str, int]] = []

    class Timed(KamboardApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and isinstance(screen, BoardScreen):
                paints.append((time.perf_counter(), screen.current, screen.lane.cursor))

    app = Timed(BoardStore(path), account="Big")
    if mode == "inline":
        app.saver = inline_saver(app)
    # background: each write waits for the next key press, so that serialising and syncing the
    # 6 MB file runs on the saver's thread while the UI handles that key
    ready, go = threading.Event(), threading.Event()
    write = app.store.storage.write

    def write_with_the_next_key(data: Any) -> None:  # on the saver's thread
        if mode == "background":
            ready.set()
            go.wait(10)
            go.clear()
        write(data)

    app.store.storage.write = write_with_the_next_key  # type: ignore[method-assign]
    saving = False  # a write waits for the next key
    names = [name for name in KEYS if mode == "background" or name not in NO_SAVE]
    out: dict[str, list[float]] = {name: [] for name in names}
    pending: dict[str, int] = dict.fromkeys(names, 0)
    holder = FileLock(path + ".lock")  # "another process": its own lock object
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("end")  # the last card: moving it rewrites positions at the far end
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        if mode == "locked":
            holder.acquire()
        try:
            for name in names:
                keys = KEYS[name]
                for n in range(rounds):
                    key = keys[n % 2]
                    lane, cursor = board.current, board.lane.cursor
                    want: tuple[str, int | None]
                    if key in "LHlh":
                        want = ("challenge" if key in "Ll" else "topic", None)
                    else:
                        want = (lane, cursor - 1 if key in "Kk" else cursor + 1)
                    if saving:  # the previous key's write starts with this key
                        ready.wait(10)  # (blocks the UI thread until that write is ready)
                        ready.clear()
                        go.set()
                    pending[name] += app.saver.busy
                    paints.clear()
                    started = time.perf_counter()
                    await pilot.press(key)
                    await pilot.pause()
                    saving = mode == "background" and key in "JKLH"
                    shown = [t for t, cur, pos in paints if cur == want[0] and want[1] in (None, pos)]
                    if shown:
                        out[name].append((shown[0] - started) * 1000)
        finally:
            if mode == "locked":
                holder.release()
            mode = "done"  # the writes still waiting go on
            go.set()
        await app.saver.wait_idle()  # every move is in the file before the app ends
    return out, pending


def print_keys(
    lane: int, total: int, rounds: int, keys: dict[str, tuple[dict[str, list[float]], dict[str, int]]]
) -> None:
    """The key-to-repaint table; the ratio against saving in the key's handler when that was measured."""
    print(
        f"\nkey-to-repaint in the {lane}-card lane of the {total:,}-card file "
        f"(ms, {rounds} presses each){'median':>9}{'max':>9}{'ratio':>8}  target"
    )
    before = keys["inline"][0] if "inline" in keys else {}
    for mode, (times, pending) in keys.items():
        label = MODES[mode]
        print(f"  {label}")
        for name, found in times.items():
            if not found:
                print(f"    {name:<70}  no repaint seen")
                continue
            median, worst = statistics.median(found), max(found)
            shown = f"{median / statistics.median(before[name]):>8.2f}" if before.get(name) else f"{'':>8}"
            target = "(before)" if mode == "inline" else "<= 16 median, <= 33 max"
            if name in NO_SAVE:
                target = "(no save)"
            note = f", {pending[name]} with saves pending" if mode != "inline" else ""
            print(f"    {name + note:<70}{median:>9.1f}{worst:>9.1f}{shown}  {target}")
    print("  ratio: median against saving in the key's handler (before), measured in this run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=("bare", "kamboard"))
    parser.add_argument("--file")
    parser.add_argument("--account", default="Big")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--cards", type=int, default=45)
    parser.add_argument("--lane", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--paint-only", action="store_true", help="only the first-paint figures")
    parser.add_argument(
        "--keys-only", action="store_true", help="only key-to-repaint (background saves), to iterate on the keys"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.memory, args.account)
        return

    import asyncio
    import compileall

    sys.path.insert(0, ROOT)
    # Byte-compile kamboard first, as installing the wheel does. Textual's modules come
    # precompiled; with PYTHONDONTWRITEBYTECODE set (as in some environments) every child
    # would otherwise compile kamboard's ~40 modules from source (~35 ms) on each run.
    compileall.compile_dir(os.path.join(ROOT, "kamboard"), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("KAMBOARD_CONFIG_DIR", folder)
        path = os.path.join(folder, "bench.json")
        spread = os.path.join(folder, "spread.json")  # the same cards, every account alike
        per_account = args.cards + args.lane // max(args.accounts, 1)
        built = time.perf_counter()
        total, big = build_board(path, args.accounts, args.cards, args.lane)
        spread_total, middle = build_board(spread, args.accounts, per_account, 0)
        print(
            f"boards: {total:,} cards ({os.path.getsize(path) / 2**20:.1f} MB) with {big!r} of {args.lane:,} cards; "
            f"{spread_total:,} cards ({os.path.getsize(spread) / 2**20:.1f} MB) in {args.accounts} accounts of "
            f"{per_account}; built in {time.perf_counter() - built:.2f} s"
        )
        cases = {
            "bare": ("bare", path, ""),
            "big": ("kamboard", path, big),
            "spread": ("kamboard", spread, middle),
        }
        runs: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
        if args.keys_only:
            print_keys(
                args.lane,
                total,
                args.rounds,
                {"background": asyncio.run(key_to_repaint(path, args.rounds, "background"))},
            )
            return
        for _ in range(args.runs):  # taking turns: a busy moment of the machine hits all alike
            for case, (kind, file, account) in cases.items():
                runs[case].append(run_child(kind, file, account))
        paint = {k: statistics.median(r["first_paint_ms"] for r in runs[k]) for k in runs}
        opening = {k: statistics.median(r["open_ms"] for r in runs[k]) for k in ("big", "spread")}
        rss = {k: statistics.median(r["maxrss_mb"] for r in runs[k]) for k in runs}
        if not args.paint_only:
            memory = {k: run_child(*cases[k], memory=True) for k in ("bare", "big")}
            keys = {mode: asyncio.run(key_to_repaint(path, args.rounds, mode)) for mode in MODES}

    print(
        f"\n{'first paint (ms, median of ' + str(args.runs) + ')':<56}{'bare Textual':>14}{'kamboard':>10}{'ratio':>7}  target"
    )
    for case, label in (
        ("big", f"{big!r} ({args.lane:,} cards) of {total:,} cards"),
        ("spread", f"an account of {per_account} cards of {spread_total:,} cards"),
    ):
        ratio = paint[case] / paint["bare"]
        print(f"{label:<56}{paint['bare']:>14.0f}{paint[case]:>10.0f}{ratio:>7.2f}  <= 1.5")
        print(f"{'  of which opening the board file (BoardStore)':<56}{'':>14}{opening[case]:>10.0f}")
    if args.paint_only:
        return
    print(f"\n{'measure':<56}{'bare Textual':>14}{'kamboard':>10}{'ratio':>7}  target")
    print(
        f"{'peak memory, max RSS (MB), ' + repr(big) + ' open':<56}{rss['bare']:>14.1f}{rss['big']:>10.1f}{rss['big'] / rss['bare']:>7.2f}  <= 2"
    )
    heap_bare, heap_kb = memory["bare"]["heap_peak_mb"], memory["big"]["heap_peak_mb"]
    print(
        f"{'peak Python heap, tracemalloc (MB)':<56}{heap_bare:>14.1f}{heap_kb:>10.1f}{heap_kb / heap_bare:>7.2f}  (info)"
    )
    print_keys(args.lane, total, args.rounds, keys)


if __name__ == "__main__":
    main()
