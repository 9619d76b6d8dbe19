"""Drive `kamboard serve` from tests without a browser.

- :func:`start_serve` runs ``python -m kamboard serve FILE --account NAME ... --no-qr`` in a
  subprocess on a free loopback port (``--port 0``: the system picks one, no race) and waits for
  its link lines. :class:`ServeProcess` has ``.links`` (name column -> URL; the facilitator's name
  column is ``NAME (facilitator)``), ``.port``, ``.token(name)``, ``.children()`` (the session
  processes) and ``.stop()`` (SIGINT, as Ctrl+C, then a kill if it hangs).
- :class:`ScreenClient` is what the browser's page does: a websocket to ``/ws/TOKEN``, the
  terminal output fed to a pyte screen, keys sent as ``["stdin", text]``.

Waits poll with generous timeouts (sessions are Python processes that take seconds to start on a
busy 2-core machine); nothing here measures time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pyte

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "Press Ctrl+C to stop"
START_WAIT = 30.0

# key names -> what a terminal (xterm.js) sends
KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "ctrl+q": "\x11",
}


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (from /proc; empty once it has gone)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return sorted(found)


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting ({timeout:.0f} s) for {what}")
        time.sleep(0.1)


async def eventually(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """:func:`wait_until` for async tests: the event loop (and the screens' readers) keep running."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting ({timeout:.0f} s) for {what}")
        await asyncio.sleep(0.1)


class ServeProcess:
    """A running `kamboard serve`; its output is read continuously (the pipes never fill)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.out: list[str] = []
        self.err: list[str] = []
        self.links: dict[str, str] = {}
        self.port = 0
        self._readers = [
            threading.Thread(target=self._read, args=(process.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(process.stderr, self.err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def output(self) -> str:
        return "\n".join(self.out)

    @property
    def errors(self) -> str:
        return "\n".join(self.err)

    def wait_ready(self, timeout: float = START_WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not any(line.startswith(READY_LINE) for line in list(self.out)):
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the readers finish
                raise RuntimeError(f"kamboard serve ended ({self.process.returncode}): {self.errors or self.output}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kamboard serve printed no links in {timeout:.0f} s: {self.output}")
            time.sleep(0.05)
        for line in self.out:
            if "\t" in line:
                name, link = line.split("\t", 1)
                self.links[name] = link
        self.port = urlsplit(next(iter(self.links.values()))).port or 0

    def url(self, name: str) -> str:
        return self.links[name]

    def token(self, name: str) -> str:
        return parse_qs(urlsplit(self.links[name]).query)["token"][0]

    def children(self) -> list[int]:
        """The server's child processes that still run: its sessions."""
        return [pid for pid in children_of(self.pid) if alive(pid)]

    def stop(self, timeout: float = 30.0, *, group: bool = False) -> int:
        """Ctrl+C (SIGINT) and wait; killed when it has not ended within ``timeout``. The exit code.

        ``group``: to the server and its sessions at once, as a terminal's Ctrl+C does (the server
        runs in a process group of its own); else to the server alone, which ends its sessions."""
        if self.process.poll() is None:
            if group:
                os.killpg(self.process.pid, signal.SIGINT)
            else:
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for reader in self._readers:
            reader.join(5)
        return self.process.returncode

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def start_serve(
    path: str | os.PathLike[str], account: str, *args: str, env: dict[str, str] | None = None
) -> ServeProcess:
    """`kamboard serve PATH --account ACCOUNT ARGS` on a free loopback port, once its links are printed."""
    command = [sys.executable, "-m", "kamboard", "serve", str(path), "--account", account, *args]
    command += ["--host", "127.0.0.1", "--port", "0", "--no-qr"]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=serve_env(env),
        cwd=ROOT,
        start_new_session=True,  # its own process group: a group Ctrl+C reaches it and its sessions only
    )
    served = ServeProcess(process)
    served.wait_ready()
    return served


class ScreenClient:
    """One browser session without a browser: a websocket to the server and a pyte screen."""

    def __init__(self, port: int, token: str, width: int = 100, height: int = 30, *, query: str = "") -> None:
        self.query = query  # more of the query string (a test trying to pass for someone else)
        self.port = port
        self.token = token
        self.width = width
        self.height = height
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.texts: list[Any] = []  # the JSON messages (pong, ...)
        self.closed = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def ws_url(self) -> str:
        extra = f"&{self.query}" if self.query else ""
        return f"http://127.0.0.1:{self.port}/ws/{self.token}?width={self.width}&height={self.height}{extra}"

    async def connect(self) -> ScreenClient:
        """Open the websocket (raises ``aiohttp.WSServerHandshakeError`` with ``.status`` when refused),
        then send what the page sends once it is open: the size and a ping."""
        self._http = aiohttp.ClientSession()
        try:
            self._ws = await self._http.ws_connect(self.ws_url)
        except BaseException:
            await self._http.close()
            raise
        self._reader = asyncio.create_task(self._read())
        await self.send(["resize", {"width": self.width, "height": self.height}])
        await self.send(["ping", str(int(time.time() * 1000))])
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for message in self._ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.stream.feed(message.data)
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.texts.append(json.loads(message.data))
        finally:
            self.closed.set()

    async def send(self, envelope: list[Any]) -> None:
        assert self._ws is not None, "connect() first"
        await self._ws.send_str(json.dumps(envelope))

    async def press(self, *keys: str) -> None:
        """Each key: a name from :data:`KEYS` (enter, delete, left, ...) or literal text."""
        for key in keys:
            await self.send(["stdin", KEYS.get(key, key)])

    def screen_text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(self, expected: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        """Poll the screen until it shows ``expected`` (or the predicate holds); the screen text."""
        check = (lambda text: expected in text) if isinstance(expected, str) else expected
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen_text()
            if check(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen did not show {expected!r} within {timeout:.0f} s:\n{text}")
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 10)
        if self._http is not None:
            await self._http.close()

    async def __aenter__(self) -> ScreenClient:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def voting_board(
    path: str | os.PathLike[str],
    people: list[str],
    titles: list[str],
    *,
    budget: int,
    per_card: int,
    account: str = "Hansa Logistik AG",
    facilitator: str = "Fran Keller",
) -> tuple[str, str]:
    """One account with ``titles`` as topics (and a challenge) and a running workshop on the topics
    lane: ``people`` as participants, the given vote rules, votes revealed. Returns (workshop id, account id)."""
    from kamboard.store import BoardStore

    store = BoardStore(path, user=facilitator, create=True)
    account_doc = store.add_account(account, owner=facilitator)
    for title in titles:
        store.add_card(account, "topic", title)
    store.add_card(account, "challenge", "Margins under pressure")
    workshop = store.add_workshop(
        account,
        "Key account workshop 2026",
        participants=[{"name": name, "side": "customer"} for name in people],
        agenda=[{"title": "What is on your mind?", "lane": "topic", "minutes": 60}],
        vote_budget=budget,
        vote_per_card=per_card,
        votes_hidden=False,
    )
    store.timer(workshop["id"], "start")
    return str(workshop["id"]), str(account_doc["id"])
