"""`kamboard serve` without serving: seats and tokens, URLs, QR codes, the command line's output and errors."""

from __future__ import annotations

import base64
import hmac
import re
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
import segno
from click.testing import CliRunner, Result

from kamboard.cli import cli
from kamboard.serve import links, qr
from kamboard.serve.links import Seat, SeatBook, is_loopback, link_host, make_seats, url
from kamboard.serve.web import KamboardServer, seat_command
from kamboard.store import BoardStore

PEOPLE = ["Ann", "Bo Li", "Chris O'Neil"]
URL_FORM = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{43,})")


# seats and tokens
def test_the_facilitator_comes_first_then_each_participant() -> None:
    seats = make_seats(PEOPLE, "Fran")
    assert [(s.name, s.role) for s in seats] == [
        ("Fran", "facilitator"),
        ("Ann", "participant"),
        ("Bo Li", "participant"),
        ("Chris O'Neil", "participant"),
    ]
    assert [s.label for s in seats] == ["Fran (facilitator)", *PEOPLE]


def test_tokens_have_at_least_128_random_bits_and_differ() -> None:
    seats = make_seats(PEOPLE, "Fran")
    for seat in seats:
        raw = base64.urlsafe_b64decode(seat.token + "=" * (-len(seat.token) % 4))
        assert len(raw) * 8 >= 128
    tokens = [s.token for s in seats]
    assert len(set(tokens)) == len(tokens)
    again = make_seats(PEOPLE, "Fran")  # the next start of the server
    assert not {s.token for s in again} & set(tokens)


def test_a_seat_does_not_show_its_token_in_its_repr() -> None:
    seat = make_seats(["Ann"], "Fran")[1]
    assert seat.token not in repr(seat)


def test_find_gives_the_seat_of_each_token_and_nothing_else() -> None:
    seats = make_seats(PEOPLE, "Fran")
    book = SeatBook(seats)
    for seat in seats:
        assert book.find(seat.token) is seat
    token = seats[1].token
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [None, "", changed, token[:-1], token + "x", token.upper() if token.upper() != token else "x", "é" * 43]:
        assert book.find(bad) is None, bad


@pytest.mark.parametrize("which", [0, 2, None], ids=["first seat", "last seat", "no seat"])
def test_find_compares_with_every_seat_in_constant_time(monkeypatch: pytest.MonkeyPatch, which: int | None) -> None:
    seats = make_seats(PEOPLE[:2], "Fran")
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(links.hmac, "compare_digest", counting)
    token = seats[which].token if which is not None else "x" * 43
    found = SeatBook(seats).find(token)
    assert found is (seats[which] if which is not None else None)
    assert len(calls) == len(seats)  # no early exit when the first one matches
    assert {a for a, _ in calls} == {s.token.encode() for s in seats}


# URLs and hosts
def test_url_form() -> None:
    assert url("127.0.0.1", 8000, "abc_-1") == "http://127.0.0.1:8000/?token=abc_-1"
    assert url("::1", 8001, "t") == "http://[::1]:8001/?token=t"
    assert url("board.local", 80, "t") == "http://board.local:80/?token=t"


def test_loopback_hosts() -> None:
    for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2", "LOCALHOST"]:
        assert is_loopback(host), host
    for host in ["0.0.0.0", "::", "192.168.1.20", "board.local"]:
        assert not is_loopback(host), host


def test_links_for_every_address_name_a_reachable_one() -> None:
    assert link_host("192.168.1.20") == "192.168.1.20"
    for host in ["0.0.0.0", "::"]:
        shown = link_host(host)
        assert shown not in ("0.0.0.0", "::", "")


# QR codes
def matrix_from_text(text: str) -> list[list[bool]]:
    """Back from half blocks to modules, True = dark (the inverse of qr_text)."""
    light = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        pairs = [light[ch] for ch in line]
        rows.append([not top for top, _ in pairs])
        rows.append([not bottom for _, bottom in pairs])
    return rows


def test_the_qr_text_holds_segnos_code_of_the_url_with_its_quiet_zone() -> None:
    link = url("192.168.1.20", 8000, make_seats([], "Fran")[0].token)
    text = qr.qr_text(link)
    assert set(text) <= set("█▀▄ \n")
    lines = text.split("\n")
    assert len({len(line) for line in lines}) == 1
    code = segno.make(link, error="l", micro=False)
    expected = [[bool(c) for c in row] for row in code.matrix_iter(scale=1, border=qr.BORDER)]
    drawn = matrix_from_text(text)
    assert drawn[: len(expected)] == expected
    assert all(not any(row) for row in drawn[len(expected) :])  # a padding row, if any, is light


def test_the_qr_code_has_its_three_finder_patterns() -> None:
    drawn = matrix_from_text(qr.qr_text("http://127.0.0.1:8000/?token=abc"))
    b = qr.BORDER
    size = len(drawn[0]) - 2 * b
    finder = [[i in (0, 6) or j in (0, 6) or (2 <= i <= 4 and 2 <= j <= 4) for j in range(7)] for i in range(7)]
    for top, left in [(b, b), (b, b + size - 7), (b + size - 7, b)]:
        assert [row[left : left + 7] for row in drawn[top : top + 7]] == finder
    assert not any(drawn[0]) and not any(row[0] for row in drawn)  # the quiet zone is light


# the seat's command
def test_each_seat_runs_its_own_person_quoted_for_the_shell() -> None:
    name = "Chris O'Neil; touch /tmp/x $(id)"
    fac, part = Seat(name, "facilitator", "t1"), Seat(name, "participant", "t2")
    fac_cmd = seat_command(fac, "/b oards/b.json", "ACC", "WS")
    assert fac_cmd.startswith("exec ")
    assert shlex.split(fac_cmd)[1:] == [
        sys.executable,
        "-m",
        "kamboard",
        "open",
        "/b oards/b.json",
        "--account=ACC",
        f"--user={name}",
    ]
    assert shlex.split(seat_command(part, "/b.json", "ACC", "WS"))[4:] == [
        "participant",
        "/b.json",
        "--account-id=ACC",
        "--workshop=WS",
        f"--as={name}",
    ]
    assert "t1" not in fac_cmd  # tokens stay in the server


# the command line
@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("Northbridge")
    store.add_account("Westfield")
    store.add_workshop("Northbridge", "Spring workshop", participants=[{"name": n, "side": "customer"} for n in PEOPLE])
    store.add_workshop("Westfield", "West workshop")
    return path


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """KamboardServer.run recorded instead of serving."""
    runs: list[dict[str, Any]] = []

    def fake_run(self: KamboardServer, sock: socket.socket) -> None:
        runs.append({"server": self, "port": sock.getsockname()[1]})
        sock.close()

    monkeypatch.setattr(KamboardServer, "run", fake_run)
    return runs


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def fails(*args: str, message: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, (result.output, result.exception)
    err = result.stderr.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert message in err, err
    return err


def test_serve_prints_one_link_per_seat_then_the_hint(board: Path, served: list[dict[str, Any]]) -> None:
    result = run("serve", str(board), "--account", "northbridge", "--port", "0", "--no-qr")
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    port = served[0]["port"]
    names = [line.split("\t")[0] for line in lines[:4]]
    assert names == ["tester (facilitator)", *PEOPLE]
    tokens = []
    for line in lines[:4]:
        match = URL_FORM.fullmatch(line.split("\t")[1])
        assert match, line
        assert int(match[1]) == port
        tokens.append(match[2])
    server = served[0]["server"]
    assert [server.seats.find(t).label for t in tokens] == names
    assert server.title == "Spring workshop"
    assert server.max_sessions == 30
    assert lines[4:] == ["", "Press Ctrl+C to stop; the links end with it."]
    assert "network" not in result.stdout  # loopback: no warning


def test_qr_codes_stand_side_by_side_as_many_as_fit_each_under_its_name() -> None:
    items = [(f"Person {i}", f"http://127.0.0.1:8000/?token={'x' * 43}{i}") for i in range(3)]
    codes = [qr.qr_text(link).split("\n") for _, link in items]
    size = len(codes[0][0])
    grid = qr.qr_grid(items, width=2 * size + qr.GAP).split("\n")
    first, second = grid[: len(codes[0]) + 1], grid[len(codes[0]) + 2 :]
    assert first[0].split() == ["Person", "0", "Person", "1"]
    for row, line in enumerate(first[1:]):
        assert line[:size] == codes[0][row]
        assert line[size + qr.GAP :].rstrip() == codes[1][row].rstrip()
    assert grid[len(codes[0]) + 1] == ""  # a blank line between rows of codes
    assert second[0].rstrip() == "Person 2"
    assert [line.rstrip() for line in second[1:]] == [line.rstrip() for line in codes[2]]
    assert len(qr.qr_grid(items, width=10).split("\n")) == 3 * (len(codes[0]) + 1) + 2  # one per row at least


def test_serve_draws_the_qr_codes_then_the_links(board: Path, served: list[dict[str, Any]]) -> None:
    result = run("serve", str(board), "--account", "Northbridge", "--port", "0", "--facilitator", "Fran")
    assert result.exit_code == 0, (result.output, result.exception)
    out = result.stdout
    lines = out.splitlines()
    links_ = [line.split("\t")[1] for line in lines if "\t" in line]
    assert len(links_) == 4
    labels = ["Fran (facilitator)", *PEOPLE]
    grid = qr.qr_grid(list(zip(labels, links_, strict=True)), 80)  # CliRunner: no terminal, 80 columns
    assert out.startswith(grid + "\n\n")
    assert lines[-1] == "Press Ctrl+C to stop; the links end with it."
    assert lines.index(next(line for line in lines if "\t" in line)) > len(grid.split("\n"))


def test_serve_on_every_address_warns(board: Path, served: list[dict[str, Any]]) -> None:
    result = run("serve", str(board), "--account", "Northbridge", "--host", "0.0.0.0", "--port", "0", "--no-qr")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Anyone on that network who has a link can join the board." in result.stdout
    assert "0.0.0.0" not in result.stdout  # the links name a reachable address


def test_serve_takes_the_workshop_and_limits_given(board: Path, served: list[dict[str, Any]]) -> None:
    store = BoardStore(board)
    later = store.add_workshop("Northbridge", "Autumn workshop", participants=[{"name": "Dee", "side": "us"}])
    args = ["--port", "0", "--no-qr", "--max-sessions", "3", "--facilitator", "Fran"]
    result = run("serve", str(board), "--account", "Northbridge", "--workshop", later["id"], *args)
    assert result.exit_code == 0, (result.output, result.exception)
    assert [line.split("\t")[0] for line in result.stdout.splitlines() if "\t" in line] == ["Fran (facilitator)", "Dee"]
    assert served[0]["server"].max_sessions == 3
    assert served[0]["server"].title == "Autumn workshop"


def test_serve_errors(board: Path, served: list[dict[str, Any]]) -> None:
    base = ["serve", str(board), "--port", "0", "--no-qr"]
    fails(*base, "--account", "Nobody", message="No account 'Nobody'")
    fails(*base, "--account", "Westfield", message="add participants first: kamboard workshop")
    store = BoardStore(board)
    store.add_account("Eastgate")
    fails(*base, "--account", "Eastgate", message="No workshop for 'Eastgate'")
    fails(*base, "--account", "Northbridge", "--workshop", "West workshop", message="is not one of 'Northbridge'")
    fails(*base, "--account", "Northbridge", "--host", "not a host!", message="--host 'not a host!'")
    fails(*base, "--account", "Northbridge", "--host", "192.0.2.1", message="not an address of this machine")
    fails(*base, "--account", "Northbridge", "--facilitator", "Fran\x1b[2J", message="control characters")
    fails("serve", str(board.parent / "missing.json"), "--account", "Northbridge", message="does not exist")
    assert served == []


def test_serve_refuses_a_port_in_use(board: Path, served: list[dict[str, Any]]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        err = fails("serve", str(board), "--account", "Northbridge", "--port", str(port), message="is in use")
    assert err == f"Error: port {port} is in use: pick another with --port"
    assert served == []


def test_the_participant_command_is_hidden(board: Path) -> None:
    listed = [line.split()[0] for line in run("--help").stdout.split("Commands:\n", 1)[1].splitlines() if line.strip()]
    assert "serve" in listed
    assert "participant" not in listed


async def test_a_session_keeps_the_browsers_terminal_size_sane() -> None:
    from kamboard.serve.web import Session

    sent: list[dict[str, Any]] = []
    session = Session.__new__(Session)

    async def send_meta(data: dict[str, Any]) -> bool:
        sent.append(data)
        return True

    session.send_meta = send_meta  # type: ignore[method-assign]
    await session.set_terminal_size(10**9, -3)
    await session.set_terminal_size("x", "40")  # type: ignore[arg-type]
    await session.set_terminal_size(120, 40)
    assert [(m["width"], m["height"]) for m in sent] == [(500, 5), (80, 40), (120, 40)]
