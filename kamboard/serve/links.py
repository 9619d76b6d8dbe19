"""Seats (who a link acts as), their tokens and URLs.

A token is ``secrets.token_urlsafe(32)`` (256 bits), made anew each time the server starts and
held only in memory: links end with the server. :meth:`SeatBook.find` compares a token with
every seat's in constant time (``hmac.compare_digest``, no early exit), so neither the match nor
its position shows in the time a refusal takes.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from kamboard.i18n import _

Role = Literal["participant", "facilitator"]
TOKEN_BYTES = 32
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Seat:
    """One link: the person it acts as, their role and the token (never written anywhere)."""

    name: str
    role: Role
    token: str = field(repr=False)

    @property
    def label(self) -> str:
        """The name column of ``kamboard serve``'s output."""
        return _("{name} (facilitator)").format(name=self.name) if self.role == "facilitator" else self.name


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def make_seats(participants: Sequence[str], facilitator: str) -> list[Seat]:
    """The facilitator's seat first, then one per participant, each with a fresh token."""
    seats = [Seat(facilitator, "facilitator", new_token())]
    seats += [Seat(name, "participant", new_token()) for name in participants]
    return seats


class SeatBook:
    """The seats of one server run, looked up by token."""

    def __init__(self, seats: Sequence[Seat]) -> None:
        self.seats = list(seats)

    def find(self, token: str | None) -> Seat | None:
        """The seat whose token is ``token``; every seat is compared (constant time, no early exit)."""
        given = (token or "").encode("utf-8", "surrogateescape")
        found: Seat | None = None
        for seat in self.seats:
            if hmac.compare_digest(seat.token.encode("ascii"), given) and found is None:
                found = seat
        return found if token else None


def url_host(host: str) -> str:
    """``host`` as it goes into a URL (an IPv6 address in brackets)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    return f"[{address}]" if address.version == 6 else str(address)


def url(host: str, port: int, token: str) -> str:
    """``http://HOST:PORT/?token=TOKEN``."""
    return f"http://{url_host(host)}:{port}/?token={token}"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost (and the rest of 127/8): nobody else can connect."""
    if host.strip("[]").casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def link_host(host: str) -> str:
    """The host for the links: ``host``, or for "every address" (0.0.0.0, ::) this machine's
    address on its default route (what phones in the room can reach), else its name."""
    try:
        unspecified = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host
    if not unspecified:
        return host
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # UDP: nothing is sent, the kernel only picks a route
            return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
