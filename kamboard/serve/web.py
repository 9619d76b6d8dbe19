"""The web server: textual-serve's, with a token per seat, a session limit and no downloads.

Routes:

- ``/?token=T``: the page (textual-serve's template) whose websocket URL carries the token in its
  path; a missing or unknown token gets a 403 page, a full board (``max_sessions`` running) a 503.
- ``/ws/{token}``: checks the token again and the limit *before* the websocket is accepted, so a
  bad request never starts a process; then runs the seat's own command (its person, its role).
- ``/download/{key}``: always 404 (nothing is delivered from the file system).
- ``/static``: textual-serve's scripts and styles, without directory listings.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import shlex
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from kamboard.i18n import N_, _, language

from .links import Seat, SeatBook

# the pages' texts, translated when sent (in the language `kamboard serve` runs in)
INVALID_TEXT = N_("This link is not valid. Links end when the facilitator stops the server; ask for a new one.")
FULL_TEXT = N_("The board is full ({limit} people connected). Close another session or ask the facilitator.")
QUIT_WAIT = 10.0  # seconds a session may take to end before its process is killed
# textual-serve's page loads its font from Google: participants' browsers would tell Google who
# joins (and an offline room waits for it); the same font ships in its static folder
GOOGLE_FONTS = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
LOCAL_FONT = (
    "<style>@font-face { font-family: 'Roboto Mono'; "
    "src: url('/static/fonts/RobotoMono-VariableFont_wght.ttf') format('truetype'); }</style>"
)
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the page's URL
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def seat_command(seat: Seat, path: str, account_id: str, workshop_id: str) -> str:
    """The shell command of one seat's session: ``kamboard open`` for the facilitator, the
    participant app for everyone else. ``--opt=VALUE`` so no name can read as an option."""
    args = [sys.executable, "-m", "kamboard"]
    if seat.role == "facilitator":
        args += ["open", path, f"--account={account_id}", f"--user={seat.name}"]
    else:
        args += ["participant", path, f"--account-id={account_id}", f"--workshop={workshop_id}", f"--as={seat.name}"]
    return "exec " + shlex.join(args)  # exec: the session's process is kamboard itself, not a shell


def message_page(text: str) -> str:
    from html import escape

    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>kamboard</title></head>"
        "<body style='background:#0c181f;color:#eee;font:20px sans-serif;padding:2em'>"
        f"<p>{escape(text)}</p></body></html>"
    )


def page_response(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=message_page(text), content_type="text/html", headers=PAGE_HEADERS)


class Session(AppService):
    """One browser session's process; file deliveries and other requests from the app are dropped."""

    async def on_meta(self, data: bytes) -> None:
        if json.loads(data).get("type") == "exit":
            await self.remote_close()

    async def on_packed(self, payload: bytes) -> None:
        return None  # file chunks: nothing is delivered

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment for the session's process, plus the server's language
        (``$KAMBOARD_LANG`` decides before any setting: a ``--lang`` given to ``kamboard serve``
        holds for every session). Checked by tests/tui/test_i18n_screens.py."""
        environment = super()._build_environment(width, height)
        environment["KAMBOARD_LANG"] = language()
        return environment

    async def set_terminal_size(self, width: int, height: int) -> None:
        """The browser's size, kept sane: a page sending a huge one cannot make its app eat the memory."""
        await super().set_terminal_size(*terminal_size(width, height))

    async def run(self) -> None:
        """Relay the app's output; when its process ends (or never started), close the page's socket."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._process

    async def end(self, timeout: float = QUIT_WAIT) -> None:
        """Ask the app to quit; kill its process when it has not ended within ``timeout``."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.stop(), timeout)
        process = self.process
        if process is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), timeout)
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


@dataclass
class Running:
    websocket: web.WebSocketResponse
    session: Session


class KamboardServer(Server):
    """textual-serve's server with seats: each token runs its own person's session."""

    def __init__(
        self,
        seats: SeatBook,
        command_for: Callable[[Seat], str],
        *,
        title: str,
        max_sessions: int = 30,
    ) -> None:
        super().__init__("kamboard", title=title)
        self.seats = seats
        self.command_for = command_for
        self.max_sessions = max_sessions
        self.running: set[asyncio.Task[Any]] = set()
        self.sessions: list[Running] = []
        self.count = 0  # sessions admitted and not yet ended

    def initialize_logging(self) -> None:
        """Warnings and errors only, on stderr (no access log: request lines carry tokens)."""
        logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))  # autoescape on
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        return None  # `kamboard serve` has printed its links already

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every session's app quits (or is killed), every websocket closes."""
        running = list(self.sessions)
        await asyncio.gather(*(item.session.end() for item in running), return_exceptions=True)
        for item in running:
            with contextlib.suppress(Exception):
                await item.websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPNotFound(text=_("Not found"))

    def full(self) -> bool:
        return self.count >= self.max_sessions

    async def handle_index(self, request: web.Request) -> web.Response:
        token = request.query.get("token")
        if self.seats.find(token) is None:
            return page_response(403, _(INVALID_TEXT))
        if self.full():
            return page_response(503, _(FULL_TEXT).format(limit=self.max_sessions))
        scheme = "wss" if request.secure else "ws"
        ws_url = f"{scheme}://{request.host}{request.app.router['websocket'].url_for(token=str(token))}"
        context = {
            "font_size": max(8, min(48, to_int(request.query.get("fontsize", ""), 16))),
            "app_websocket_url": ws_url,
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = GOOGLE_FONTS.sub(LOCAL_FONT, response.text or "")
        response.headers.update(PAGE_HEADERS)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Checks first (403, 503), then the websocket and the seat's process."""
        seat = self.seats.find(request.match_info.get("token"))
        if seat is None:
            raise web.HTTPForbidden(text=_(INVALID_TEXT))
        if self.full():
            raise web.HTTPServiceUnavailable(text=_(FULL_TEXT).format(limit=self.max_sessions))
        self.count += 1  # no await since the check: two requests cannot both take the last place
        try:
            return await self._serve_session(request, seat)
        finally:
            self.count -= 1

    async def _serve_session(self, request: web.Request, seat: Seat) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = terminal_size(request.query.get("width", ""), request.query.get("height", ""))
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        session = Session(
            self.command_for(seat),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
        )
        item = Running(websocket, session)
        self.sessions.append(item)
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken message or a dead process: end this session only
            logging.getLogger("kamboard.serve").warning("session of %r ended: %s", seat.name, error)
        finally:
            self.sessions.remove(item)
            await session.end()
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    def run(self, sock: socket.socket) -> None:
        """Serve on ``sock`` (bound and listening) until Ctrl+C or SIGTERM; sessions end with it."""
        import signal

        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        web.run_app(
            self._make_app(),
            sock=sock,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log=None,
            shutdown_timeout=QUIT_WAIT + 5,
        )


def to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size from the browser, as whole numbers within 20-500 columns and 5-300 rows."""
    return max(20, min(500, to_int(str(width), 80))), max(5, min(300, to_int(str(height), 24)))
