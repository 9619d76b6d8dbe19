"""`kamboard serve` as a process, driven over HTTP and websockets (no browser): tokens, limits, sessions, Ctrl+C."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from harness import ScreenClient, ServeProcess, alive, eventually, start_serve

from kamboard import voting
from kamboard.store import BoardStore

pytestmark = pytest.mark.slow
FACILITATOR = "Fran (facilitator)"
TITLE = "Spring <b>workshop</b>"


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("Northbridge")
    store.add_card("Northbridge", "topic", "Nurse shortage")
    people = [{"name": "Ann", "side": "customer"}, {"name": "Bo", "side": "us"}]
    store.add_workshop("Northbridge", TITLE, participants=people)
    return path


@pytest.fixture
def server(board: Path) -> Iterator[ServeProcess]:
    with start_serve(board, "Northbridge", "--facilitator", "Fran") as served:
        yield served


async def get(served: ServeProcess, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{served.port}{path}") as response:
        return response.status, (await response.read()).decode("utf-8", "replace")


async def ws_status(served: ServeProcess, token: str) -> int:
    """The status a websocket request to /ws/TOKEN gets (101 when it was accepted)."""
    client = ScreenClient(served.port, token)
    try:
        await client.connect()
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    await client.close()
    return 101


async def test_a_missing_or_wrong_token_is_refused_before_any_process_starts(server: ServeProcess) -> None:
    good = server.token("Ann")
    wrong = good[:-2] + ("xy" if not good.endswith("xy") else "zz")
    for query in ["/", "/?token=", f"/?token={wrong}", f"/?token={good[:-1]}", "/?token=%00"]:
        status, text = await get(server, query)
        assert status == 403, query
        assert "This link is not valid. Links end when the facilitator stops the server" in text
        assert good not in text
    for token in [wrong, good[:-1], "x"]:
        assert await ws_status(server, token) == 403
    assert (await get(server, "/ws/"))[0] in (404, 405)
    assert server.children() == []
    # the same requests with the right token are let in (the refusals above were about the token)
    status, page = await get(server, f"/?token={good}")
    assert status == 200
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws/{good}"' in page


async def test_the_page_names_the_workshop_as_text(server: ServeProcess) -> None:
    status, page = await get(server, f"/?token={server.token(FACILITATOR)}")
    assert status == 200
    assert "Spring &lt;b&gt;workshop&lt;/b&gt;" in page
    assert "<b>workshop" not in page
    assert "googleapis" not in page  # no request to Google from the participants' browsers
    assert "/static/fonts/RobotoMono-VariableFont_wght.ttf" in page
    assert (await get(server, "/static/fonts/RobotoMono-VariableFont_wght.ttf"))[0] == 200


async def test_nothing_is_downloaded_or_listed(server: ServeProcess) -> None:
    assert (await get(server, "/static/js/textual.js"))[0] == 200  # the page's own script is served
    for path in ["/download/x", "/download/..%2F..%2Fetc%2Fpasswd", "/static/", "/static/js/", "/static/../server.py"]:
        status, text = await get(server, path)
        assert status in (403, 404), path
        assert "textual.js" not in text


async def test_the_facilitator_link_opens_the_board_and_closing_it_ends_the_process(server: ServeProcess) -> None:
    client = ScreenClient(server.port, server.token(FACILITATOR), width=100, height=30)
    await client.connect()
    try:
        screen = await client.wait_for("Nurse shortage", timeout=30)
        assert "Northbridge" in screen
        assert len(server.children()) == 1
        assert [message[0] for message in client.texts if message[0] == "pong"] == ["pong"]
    finally:
        await client.close()
    await eventually(lambda: server.children() == [], what="the session's process to end")


async def test_the_session_limit_refuses_more_with_a_clear_page(board: Path) -> None:
    with start_serve(board, "Northbridge", "--facilitator", "Fran", "--max-sessions", "1") as served:
        first = await ScreenClient(served.port, served.token(FACILITATOR)).connect()
        try:
            await first.wait_for("Nurse shortage", timeout=30)
            assert await ws_status(served, served.token("Ann")) == 503
            status, text = await get(served, f"/?token={served.token('Ann')}")
            assert status == 503
            assert "The board is full (1 people connected). Close another session or ask the facilitator." in text
            assert len(served.children()) == 1
        finally:
            await first.close()
        await eventually(lambda: served.children() == [], what="the first session to end")
        again = await ScreenClient(served.port, served.token(FACILITATOR)).connect()  # its place is free again
        try:
            await again.wait_for("Nurse shortage", timeout=30)
        finally:
            await again.close()


@pytest.mark.parametrize("group", [False, True], ids=["signal to the server", "Ctrl+C in its terminal"])
async def test_ctrl_c_stops_the_server_and_every_session(board: Path, group: bool) -> None:
    served = start_serve(board, "Northbridge", "--facilitator", "Fran")
    try:
        clients = [await ScreenClient(served.port, served.token(FACILITATOR)).connect() for _ in range(2)]
        for client in clients:
            await client.wait_for("Nurse shortage", timeout=30)
        sessions = served.children()
        assert len(sessions) == 2
    finally:
        code = served.stop(group=group)
    assert code == 0, served.errors
    await eventually(lambda: not any(alive(pid) for pid in sessions), what="the sessions' processes to end")
    for client in clients:
        await client.closed.wait()
        await client.close()
    assert "Traceback" not in served.errors


# participants (their sessions run kamboard.tui.participant)
def card_state(path: Path) -> list[tuple[str, str, str]]:
    """Every card's id, lane and title: what deleting or editing would change."""
    return sorted((c["id"], c["lane"], c["title"]) for c in BoardStore(path).cards())


def voters(path: Path) -> dict[str, int]:
    store = BoardStore(path)
    workshop_id = store.workshops()[0]["id"]
    card = next(c for c in store.cards() if c["title"] == "Nurse shortage")
    return voting.voters_in(card, workshop_id)


async def test_each_participant_votes_as_themselves(board: Path, server: ServeProcess) -> None:
    # Ann's link with a query that names someone else: the token alone says who it is
    ann = ScreenClient(server.port, server.token("Ann"), query="as=Bo&person=Bo&user=Bo")
    bo = ScreenClient(server.port, server.token("Bo"))
    for client in (ann, bo):
        await client.connect()
    try:
        await ann.wait_for(lambda s: "You are Ann" in s and "Nurse shortage" in s, timeout=30)
        await bo.wait_for(lambda s: "You are Bo" in s and "Nurse shortage" in s, timeout=30)
        await ann.press("v")
        await eventually(lambda: voters(board) == {"Ann": 1}, what="Ann's vote in the file")
        await bo.press("v", "v")
        await eventually(lambda: voters(board) == {"Ann": 1, "Bo": 2}, what="Bo's votes in the file")
        await ann.wait_for("4 of 5 votes left")
        await bo.wait_for("3 of 5 votes left")
    finally:
        await ann.close()
        await bo.close()
    card = next(c for c in BoardStore(board).cards() if c["title"] == "Nurse shortage")
    assert card["updated_by"] in ("Ann", "Bo")


async def test_a_participant_cannot_delete_or_edit_a_card(board: Path, server: ServeProcess) -> None:
    before = card_state(board)
    client = await ScreenClient(server.port, server.token("Ann")).connect()
    try:
        await client.wait_for("Nurse shortage", timeout=30)
        await client.press("d", "delete", "backspace", "e", "enter", "D", "x")
        await client.press("v")  # keys are read in order: once this vote lands, those were handled
        await eventually(lambda: voters(board) == {"Ann": 1}, what="the vote after the other keys")
        assert "Nurse shortage" in await client.wait_for("4 of 5 votes left")
    finally:
        await client.close()
    assert card_state(board) == before


async def test_a_session_that_cannot_start_closes_its_page(board: Path, server: ServeProcess) -> None:
    store = BoardStore(board, "setup")
    workshop = store.workshops()[0]
    store.update_workshop(workshop["id"], {"participants": [p for p in workshop["participants"] if p["name"] != "Ann"]})
    client = await ScreenClient(server.port, server.token("Ann")).connect()  # Ann's link, made before
    try:
        await eventually(client.closed.is_set, timeout=30, what="the server to close the socket")
    finally:
        await client.close()
    assert voters(board) == {}
    assert "Ann" not in client.screen_text()
    await eventually(lambda: server.children() == [], what="the failed session to be gone")
