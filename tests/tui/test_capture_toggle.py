"""The facilitator's board in a hybrid workshop: o opens or closes the focused lane for
participants to add cards, and the workshop bar shows where capture is open and who has voted,
following the file as other processes (participants' sessions) change it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from board_helpers import TODAY, FakeClock, notifications, wait_for, wait_for_saves
from textual.widgets import Static

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.board_keys import KEYS
from kamboard.tui.widgets.timer import AgendaTimer
from kamboard.tui.widgets.workshop_bar import live_status

PEOPLE = [{"name": n, "side": "customer", "role": ""} for n in ("Eva", "Bob", "Ada")]


def add_workshop(store: BoardStore, **fields: Any) -> dict[str, Any]:
    agenda = [rules.new_agenda_item("Their topics", "topic", 30)]
    values = {"start": "2026-03-16T09:00", "agenda": agenda, "participants": PEOPLE, **fields}
    return store.add_workshop("ACME", "Spring workshop", **values)


def board_app(store: BoardStore) -> KamboardApp:
    return KamboardApp(store, account="ACME", today=TODAY, clock=FakeClock())


def live_text(app: KamboardApp) -> str:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return str(screen.query_one("#workshop-live", Static).render())


def test_the_live_parts_give_way_in_order_when_the_line_is_narrow() -> None:
    workshop = {"id": "w1", "participants": PEOPLE, "capture": ["topic", "challenge"]}
    cards = [{"id": "c", "voted_in": "w1", "voters": {"Eva": 2, "ada": 1, "Gone": 1}}]  # Gone: not listed
    assert str(live_status(workshop, cards)) == "capture: Topics, Challenges · voted 2/3 · 4 votes"
    assert str(live_status(workshop, cards, 40)) == "capture: Topics, Challenges · voted 2/3"
    assert str(live_status(workshop, cards, 30)) == "capture: 2 lanes · voted 2/3"
    assert str(live_status(workshop, cards, 12)) == "capture: 2 …"
    every = {**workshop, "capture": ["topic", "challenge", "support"]}
    assert str(live_status(every, [], 30)) == "capture: all lanes · voted 0/3"
    assert str(live_status({"id": "w1", "capture": []}, cards)) == ""  # no participants, nothing open


def test_the_key_is_in_the_boards_table_with_its_palette_title() -> None:
    [key] = [k for k in KEYS if k.action == "capture"]
    assert (key.keys, key.description, key.group) == ("o", "Capture", "Workshop")
    assert "participants" in key.palette


async def test_o_opens_and_closes_the_focused_lane_for_participants(store: BoardStore) -> None:
    ws = add_workshop(store)
    app = board_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "capture" not in live_text(app) and "voted 0/3" in live_text(app)
        await pilot.press("o")
        assert "capture: Topics" in live_text(app)  # shown at once
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["capture"] == ["topic"]
        assert notifications(app)[-1] == "Participants can add cards to Topics"
        await pilot.press("right", "o")
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["capture"] == ["topic", "challenge"]
        assert "capture: Topics, Challenges" in live_text(app)
        await pilot.press("left", "o")
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["capture"] == ["challenge"]
        assert notifications(app)[-1] == "Capture closed in Topics"
        assert "capture: Challenges" in live_text(app) and "Topics" not in live_text(app)
    events = [e["summary"] for _, e in store.events() if e["kind"] == "workshop.capture"]
    assert events[-1] == "closed capture in Topics for participants" and len(events) == 3


async def test_o_keeps_a_lane_another_facilitator_opened_meanwhile(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store)
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        BoardStore(board_path, "carol").set_capture(ws["id"], "support", True)  # not seen yet
        await pilot.press("o")
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["capture"] == ["topic", "support"]
        assert await wait_for(pilot, lambda: "capture: Topics, Support" in live_text(app), timeout=20)


async def test_o_without_a_workshop_says_so_and_writes_nothing(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = board_path.read_bytes()
        await pilot.press("o")
        await wait_for_saves(app)
        assert notifications(app)[-1] == "This account has no workshop yet: press w to plan one."
        assert board_path.read_bytes() == before


async def test_o_on_a_read_only_board_says_so_and_writes_nothing(store: BoardStore, board_path: Path) -> None:
    add_workshop(store)
    before = board_path.read_bytes()
    app = board_app(BoardStore(board_path, user="reader", readonly=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert any("read-only" in n for n in notifications(app))
        assert "capture" not in live_text(app)
    assert board_path.read_bytes() == before


async def test_the_bar_follows_votes_and_capture_from_other_processes(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store, vote_budget=5)
    card = store.cards(store.account("ACME")["id"], "topic")[0]
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "voted 0/3" in live_text(app)
        eva = BoardStore(board_path, "Eva")  # a participant's session: another store on the file
        eva.vote(card["id"], "Eva", ws["id"])
        eva.vote(card["id"], "Eva", ws["id"])
        assert await wait_for(pilot, lambda: "voted 1/3 · 2 votes" in live_text(app), timeout=20)
        BoardStore(board_path, "Ada").vote(card["id"], "Ada", ws["id"])
        assert await wait_for(pilot, lambda: "voted 2/3 · 3 votes" in live_text(app), timeout=20)
        BoardStore(board_path, "carol").set_capture(ws["id"], "challenge", True)
        assert await wait_for(pilot, lambda: "capture: Challenges" in live_text(app), timeout=20)


async def test_the_bar_fits_at_80_columns_with_the_time_left_showing(store: BoardStore) -> None:
    ws = add_workshop(store, capture=["topic", "challenge"])
    card = store.cards(store.account("ACME")["id"], "topic")[0]
    for name in ("Eva", "Bob"):
        store.vote(card["id"], name, ws["id"])
    app = board_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter")  # a voter chosen here too: the longest vote status
        await wait_for(pilot, lambda: "votes left" in str(app.screen.query_one("#vote-status", Static).render()))
        screen = app.screen
        live = screen.query_one("#workshop-live", Static)
        status = screen.query_one("#vote-status", Static)
        timer = screen.query_one(AgendaTimer)
        assert "30:00 left" in str(timer.render())
        assert "voted 2/3" in live_text(app) and "capture:" in live_text(app)
        assert live.region.right <= status.region.x and status.region.right <= 80
        assert len(live_text(app)) <= live.content_region.width
