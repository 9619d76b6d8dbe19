"""The presenter view follows the facilitator through the file, never writes, turns red on overrun."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from board_helpers import FakeClock, wait_for
from textual.app import App, ComposeResult
from textual.widgets import Digits, Label, Static

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.screens.presenter import PresenterScreen, item_heading, lane_text, ranks, shows_ranking

ROOT = Path(__file__).resolve().parents[2]


class PresenterHarness(App[None]):
    """A projector app: opens its own store on the file and shows the presenter view."""

    def __init__(self, path: Path, workshop_id: str, clock: FakeClock) -> None:
        super().__init__()
        self.board = BoardStore(path, user="projector")
        self.workshop_id = workshop_id
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Label("background")

    def on_mount(self) -> None:
        self.push_screen(PresenterScreen(self.board, self.workshop_id, self.clock, interval=0.05))


def _workshop(store: BoardStore) -> dict[str, Any]:
    agenda = [
        rules.new_agenda_item("Welcome", "", 15),
        rules.new_agenda_item("Their topics", "topic", 30),
        rules.new_agenda_item("Their challenges", "challenge", 45),
    ]
    people = [{"name": "Eva", "side": "customer"}]
    return store.add_workshop("ACME", "Spring workshop", start="2026-03-16T09:00", agenda=agenda, participants=people)


def _voting_workshop(store: BoardStore) -> dict[str, Any]:
    """A workshop at its dot-voting item on the challenges, with two voters and two more challenges."""
    agenda = [
        rules.new_agenda_item("Welcome", "", 15),
        rules.new_agenda_item("Challenges: prioritise by dot voting", "challenge", 45),
        rules.new_agenda_item("How we support them", "support", 60),
    ]
    people = [{"name": "Eva", "side": "customer"}, {"name": "Jonas", "side": "customer"}]
    ws = store.add_workshop("ACME", "Spring workshop", start="2026-03-16T09:00", agenda=agenda, participants=people)
    store.add_card("ACME", "challenge", "Energy prices")
    store.add_card("ACME", "challenge", "[b]Lieferketten[/b]")
    return ws


def _cast_votes(store: BoardStore, ws: dict[str, Any]) -> None:
    """Skills gap 4, Energy prices 3, Cost pressure 3, the bracketed title none."""
    titles = {c["title"]: c["id"] for c in store.cards(lane="challenge")}
    for who, title, n in [("Eva", "Skills gap", 3), ("Jonas", "Skills gap", 1), ("Jonas", "Energy prices", 3)]:
        store.vote(titles[title], who, ws["id"], n)
    store.vote(titles["Cost pressure"], "Eva", ws["id"], 2)
    store.vote(titles["Cost pressure"], "Jonas", ws["id"], 1)


def _static(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def _digits(app: App[None]) -> Digits:
    return app.screen.query_one("#presenter-left", Digits)


async def test_follows_a_second_store_through_the_file(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PresenterScreen)
        assert "Spring workshop · ACME" in _static(app, "#presenter-workshop")
        assert "1/3: Welcome  (paused)" in _static(app, "#presenter-item")
        assert _digits(app).value == "15:00"
        assert "▶ 09:00  Welcome" in _static(app, "#presenter-lane")  # general item: the agenda
        assert "Next: Their topics (30 min)" in _static(app, "#presenter-next")

        # the facilitator (another store on the same file) starts and moves to the topics
        store.timer(ws["id"], "start", clock.now)
        store.timer(ws["id"], "next", clock.now)
        assert await wait_for(pilot, lambda: "2/3 · Topics: Their topics" in _static(app, "#presenter-item"))
        lane = _static(app, "#presenter-lane")
        assert "Growth in Asia" in lane and "New CEO" in lane and "Cost pressure" not in lane
        assert _static(app, "#presenter-question") == "What is on the customer's mind?"
        clock.advance(600)
        assert await wait_for(pilot, lambda: _digits(app).value == "20:00")

        store.timer(ws["id"], "next", clock.now)
        assert await wait_for(pilot, lambda: "Cost pressure" in _static(app, "#presenter-lane"))
        assert "Last item" in _static(app, "#presenter-next")


async def test_overrun_turns_the_digits_red(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    store.timer(ws["id"], "start", clock.now)
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not _digits(app).has_class("-overrun")
        clock.advance(15 * 60 + 5)
        assert await wait_for(pilot, lambda: _digits(app).has_class("-overrun"))
        assert _digits(app).value == "-00:05"
        assert "1 min over" in str(app.screen.query_one("#presenter-item").render())  # in words too
        error = app.get_css_variables()["error"].lower()[:7]
        assert _digits(app).styles.color.hex.lower() == error
        store.timer(ws["id"], "extend", clock.now)
        assert await wait_for(pilot, lambda: not _digits(app).has_class("-overrun"))
        assert _digits(app).value == "04:55"
        assert "over" not in str(app.screen.query_one("#presenter-item").render())


async def test_hidden_votes_and_read_only(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    store.timer(ws["id"], "next", clock.now)
    topic = store.cards(lane="topic")[0]
    store.set_votes_hidden(ws["id"], True)
    store.vote(topic["id"], "Eva", ws["id"], 2)
    before = board_path.read_bytes()
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Growth in Asia  ●?" in _static(app, "#presenter-lane")
        store.set_votes_hidden(ws["id"], False)
        after_reveal = board_path.read_bytes()
        assert await wait_for(pilot, lambda: "Growth in Asia  ●2" in _static(app, "#presenter-lane"))
        for key in ("n", "space", "enter", "plus", "delete"):
            await pilot.press(key)
        await pilot.pause(0.2)
        assert board_path.read_bytes() == after_reveal != before  # the presenter wrote nothing
        await pilot.press("escape")
        assert not isinstance(app.screen, PresenterScreen)


async def test_follows_another_process(store: BoardStore, board_path: Path) -> None:
    """A real second process (the CLI) advances the agenda; the open presenter follows."""
    clock = FakeClock()
    ws = _workshop(store)
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, "-m", "kamboard", "workshop", "timer", ws["id"], "next", "-f", str(board_path)]
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert await wait_for(pilot, lambda: "2/3 · Topics" in _static(app, "#presenter-item"))


async def test_missing_workshop_shows_a_message(store: BoardStore, board_path: Path) -> None:
    app = PresenterHarness(board_path, "nope", FakeClock())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "No workshop with id nope" in _static(app, "#presenter-workshop")
        assert _static(app, "#presenter-item") == "No agenda yet"


def test_ranks_share_places_and_leave_unvoted_cards_unranked() -> None:
    cards = [{"voted_in": "w", "voters": {"a": v}} if v else {} for v in (4, 3, 3, 1, 0)]
    assert ranks(cards, "w") == [1, 2, 2, 4, 0]
    assert not shows_ranking(cards, {"id": "w", "votes_hidden": True})  # hidden: the board order
    assert shows_ranking(cards, {"id": "w"}) and not shows_ranking(cards[4:], {"id": "w"})
    assert not shows_ranking(cards, {"id": "other workshop"})  # last year's votes rank nothing


def test_the_lane_is_said_once_in_the_heading() -> None:
    assert item_heading(1, 3, "challenge", "Challenges: prioritise by dot voting") == (
        "2/3 · Challenges: prioritise by dot voting"
    )
    assert item_heading(1, 3, "topic", "Their topics") == "2/3 · Topics: Their topics"
    assert item_heading(0, 3, "", "Welcome") == "1/3: Welcome"


async def test_shows_the_ranking_once_votes_are_revealed(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _voting_workshop(store)
    store.timer(ws["id"], "next", clock.now)
    store.set_votes_hidden(ws["id"], True)
    _cast_votes(store, ws)
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        item = _static(app, "#presenter-item")
        assert item == "2/3 · Challenges: prioritise by dot voting  (paused)"  # the lane said once
        lane = _static(app, "#presenter-lane")
        assert lane.index("Cost pressure  ●?") < lane.index("Skills gap  ●?")  # hidden: the board order
        assert "(ranked" not in _static(app, "#presenter-question")

        store.set_votes_hidden(ws["id"], False)  # the facilitator reveals: now the board can sort by votes
        assert await wait_for(pilot, lambda: "(ranked by votes)" in _static(app, "#presenter-question"))
        lines = [line for line in _static(app, "#presenter-lane").splitlines() if line.strip()]
        assert lines == [
            "1. Skills gap  ●4",
            "2. Cost pressure  ●3",
            "2. Energy prices  ●3",
            "   [b]Lieferketten[/b]",  # unvoted: after the ranked ones, unnumbered, brackets literal
        ]


async def test_support_actions_show_the_benefit_pair(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _voting_workshop(store)
    store.timer(ws["id"], "next", clock.now)
    store.timer(ws["id"], "next", clock.now)
    pilot_card = next(c for c in store.cards(lane="support") if c["title"] == "Joint pilot")
    store.update_card(
        pilot_card["id"], {"customer_benefit": "Less downtime,\nplanned stops", "our_benefit": "[i]Ref[/i]"}
    )
    training = next(c for c in store.cards(lane="support") if c["title"] == "Training")
    store.update_card(training["id"], {"our_benefit": "A new market"})
    app = PresenterHarness(board_path, ws["id"], clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lines = _static(app, "#presenter-lane").splitlines()
        at = lines.index("• Joint pilot  (Bob)")
        assert lines[at + 1 : at + 3] == [
            "    for the customer: Less downtime, planned stops",
            "    for us: [i]Ref[/i]",
        ]
        at = lines.index("• Training  (Carla)")
        assert lines[at + 1 : at + 3] == ["    for the customer: —", "    for us: A new market"]


def test_a_support_action_without_benefits_shows_no_pair() -> None:
    text = lane_text([{"id": "s", "lane": "support", "title": "Bare", "owner": "Tom"}], {"id": "w"}).plain
    assert text == "• Bare  (Tom)"


def test_presenter_ranking_snapshot(snap_compare: Any, store: BoardStore, board_path: Path) -> None:
    """The projector at the dot-voting item once the votes are revealed: the challenges ranked
    (check the report before --snapshot-update)."""
    clock = FakeClock()
    ws = _voting_workshop(store)
    store.timer(ws["id"], "start", clock.now)
    store.timer(ws["id"], "next", clock.now)
    _cast_votes(store, ws)
    clock.advance(600)
    assert snap_compare(PresenterHarness(board_path, ws["id"], clock), terminal_size=(100, 30))


def test_presenter_snapshot(snap_compare: Any, store: BoardStore, board_path: Path) -> None:
    """The projector during the topics item, 10 minutes in (check the report before --snapshot-update)."""
    clock = FakeClock()
    ws = _workshop(store)
    store.timer(ws["id"], "start", clock.now)
    store.timer(ws["id"], "next", clock.now)
    store.vote(store.cards(lane="topic")[1]["id"], "Eva", ws["id"], 3)
    clock.advance(600)
    assert snap_compare(PresenterHarness(board_path, ws["id"], clock), terminal_size=(100, 30))


async def test_presenter_app_on_its_own(store: BoardStore, board_path: Path) -> None:
    """`kamboard present` runs PresenterApp; escape leaves the app."""
    from kamboard.tui.screens.presenter import PresenterApp

    ws = _workshop(store)
    readonly = BoardStore(board_path, user="projector", readonly=True)
    app = PresenterApp(readonly, ws["id"], FakeClock())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PresenterScreen)
        assert _digits(app).value == "15:00"
        assert app.return_code is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code == 0  # exit() was called
