"""`kamboard serve` (the board in browsers, one link per seat) and the hidden `kamboard participant`.

The server and its libraries (aiohttp, textual-serve) load only when `serve` runs.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import socket
from typing import Any

import click

from .. import workshop as rules
from ..i18n import N_, _
from ..model import printable
from .base import CliError, board_options, checked_user, cli, echo, settings

Doc = dict[str, Any]
NETWORK_WARNING = N_("Anyone on that network who has a link can join the board.")
STOP_HINT = N_("Press Ctrl+C to stop; the links end with it.")
HOST_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,253}|\[?[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9]+)?\]?")


@cli.command(
    "serve",
    help=_("Serve ACCOUNT's board to browsers: one link per workshop participant and one for you.")
    + "\n\n"
    + _(
        "Each link acts as its person (their votes, their name on changes) until the server stops\n"
        "(Ctrl+C); every start makes new links. Listens on 127.0.0.1 unless --host says otherwise."
    ),
)
@click.argument("file", required=False)
@click.option("--account", required=True, metavar="NAME", help=_("The account whose board is served."))
@click.option(
    "--workshop",
    "ref",
    default=None,
    metavar="WORKSHOP",
    help=_("Which workshop (default: the one `present` follows)."),
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, metavar="ADDRESS", help=_("Listen here; not loopback: a warning.")
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help=_("0: any free port."),
)
@click.option("--facilitator", default=None, metavar="NAME", help=_("The facilitator's name (default: the user)."))
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 1000),
    default=30,
    show_default=True,
    metavar="N",
    help=_("Sessions at once."),
)
@click.option("--no-qr", is_flag=True, help=_("Print the links only, no QR codes."))
@board_options
def serve(
    file: str | None,
    account: str,
    ref: str | None,
    host: str,
    port: int,
    facilitator: str | None,
    max_sessions: int,
    no_qr: bool,
) -> None:
    from ..store import BoardStore

    conf = settings()
    path = os.path.abspath(file or conf.path)
    store = BoardStore(path, conf.author, readonly=True)
    if store.damage:
        raise CliError(store.readonly_reason)
    doc_account = store.account(account)
    doc = pick(store, doc_account, ref)
    people = [str(p.get("name", "")) for p in doc.get("participants") or []]
    if not people:
        raise CliError(
            _(
                "The workshop {title!r} has no participants; add participants first: "
                "kamboard workshop edit {id} --participant NAME"
            ).format(title=doc.get("title", ""), id=doc["id"][:8])
        )
    lead = checked_user(facilitator) if facilitator is not None else conf.author

    from ..serve.links import SeatBook, is_loopback, link_host, make_seats, url

    sock = listen(host, port)
    port = sock.getsockname()[1]
    seats = make_seats(people, lead)
    shown_host = link_host(host)
    links = [(seat, url(shown_host, port, seat.token)) for seat in seats]
    if not no_qr:  # the codes first, side by side: the links and the hints end on screen
        from ..serve.qr import qr_grid

        width = shutil.get_terminal_size((80, 24)).columns
        click.echo(qr_grid([(printable(seat.label), link) for seat, link in links], width))
        echo("")
    for seat, link in links:
        click.echo(f"{printable(seat.label)}\t{printable(link)}")  # the tab stays a tab
    echo("")
    if not is_loopback(host):
        echo(_(NETWORK_WARNING))
    echo(_(STOP_HINT))

    from ..serve.web import KamboardServer, seat_command

    server = KamboardServer(
        SeatBook(seats),
        lambda seat: seat_command(seat, path, doc_account["id"], doc["id"]),
        title=str(doc.get("title", "kamboard")),
        max_sessions=max_sessions,
    )
    server.run(sock)


def pick(store: Any, account: Doc, ref: str | None) -> Doc:
    """The workshop to serve: ``ref``, else the one `kamboard present` follows, of ``account``."""
    from .workshop import find_workshop

    doc: Doc | None
    if ref:
        doc = find_workshop(store, ref)
        if doc is not None and doc.get("account_id") != account["id"]:
            raise CliError(
                _("The workshop {title!r} is not one of {account!r}.").format(
                    title=doc.get("title", ""), account=account["name"]
                )
            )
    else:
        doc = rules.pick_workshop(store.workshops(account["id"]), dt.date.today())
    if doc is None:
        raise CliError(
            _("No workshop for {account!r}: add one with `kamboard workshop add ACCOUNT`.").format(
                account=account["name"]
            )
        )
    return doc


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening, or a one-line error."""
    if not HOST_PATTERN.fullmatch(host):
        raise CliError(_("--host {host!r} is not an address or host name.").format(host=host))
    try:
        infos = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError):
        raise CliError(
            _("--host {host!r} is not an address or host name this machine can listen on.").format(host=host)
        ) from None
    infos.sort(key=lambda info: info[0] != socket.AF_INET)  # localhost: IPv4 first, as browsers try it
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CliError(_("port {port} is in use: pick another with --port").format(port=port)) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise CliError(_("--host {host!r} is not an address of this machine.").format(host=host)) from None
        if exc.errno == errno.EACCES:
            raise CliError(
                _("port {port} needs special rights: pick one above 1023 with --port").format(port=port)
            ) from None
        raise CliError(
            _("cannot listen on {host}:{port}: {error}").format(host=host, port=port, error=exc.strerror or exc)
        ) from None
    return sock


@cli.command(
    "participant",
    hidden=True,
    help=_("One participant's session (what a participant's link of `kamboard serve` runs)."),
)
@click.argument("file")
@click.option("--account-id", required=True, metavar="ID")
@click.option("--workshop", "workshop_id", required=True, metavar="ID")
@click.option("--as", "person", required=True, metavar="NAME")
def participant(file: str, account_id: str, workshop_id: str, person: str) -> None:
    try:
        from ..tui.participant import run_participant
    except ImportError as exc:
        raise CliError(_("The participant view cannot start: {error}.").format(error=exc)) from None
    code = run_participant(file, account_id, workshop_id, checked_user(person))
    if code:
        raise click.exceptions.Exit(code)
