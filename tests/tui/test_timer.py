"""The agenda timer widget with an injected clock: start, pause, overrun (red, one notice, in minutes), +5 min,
next, behind schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from board_helpers import FakeClock
from textual.app import App, ComposeResult
from textual.message import Message

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.widgets.timer import AgendaTimer


class TimerHarness(App[None]):
    def __init__(self, workshop: dict[str, Any], clock: FakeClock) -> None:
        super().__init__()
        self.workshop = workshop
        self.clock = clock
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield AgendaTimer(self.workshop, self.clock, interval=0, id="timer")

    def on_agenda_timer_overrun(self, message: AgendaTimer.Overrun) -> None:
        self.seen.append(message)

    def on_agenda_timer_item_changed(self, message: AgendaTimer.ItemChanged) -> None:
        self.seen.append(message)


def _workshop(store: BoardStore) -> dict[str, Any]:
    agenda = [
        rules.new_agenda_item("Their [b]topics[/b]", "topic", 10),
        rules.new_agenda_item("Challenges", "challenge", 20),
    ]
    return store.add_workshop("ACME", "Spring", agenda=agenda)


def _text(app: App[None]) -> str:
    return str(app.query_one(AgendaTimer).content)


async def test_start_pause_overrun_and_extend(store: BoardStore) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    app = TimerHarness(ws, clock)
    async with app.run_test() as pilot:
        timer = app.query_one(AgendaTimer)
        assert "1/2 [Topics] Their [b]topics[/b]  10:00 left" in _text(app)  # user text shown literally
        assert timer.has_class("-paused") and not timer.has_class("-overrun")

        timer.workshop = store.timer(ws["id"], "start", clock.now)
        clock.advance(240)
        timer.tick()
        assert "06:00 left" in _text(app) and not timer.has_class("-paused")

        timer.workshop = store.timer(ws["id"], "pause", clock.now)
        clock.advance(3600)
        timer.tick()
        assert "06:00 left" in _text(app)  # paused: the clock does not count

        timer.workshop = store.timer(ws["id"], "start", clock.now)
        clock.advance(361)
        timer.tick()
        await pilot.pause()
        assert timer.has_class("-overrun") and "1 min over" in _text(app)  # not "-00:01 over"
        clock.advance(30)
        timer.tick()
        await pilot.pause()
        overruns = [m for m in app.seen if isinstance(m, AgendaTimer.Overrun)]
        assert len(overruns) == 1 and overruns[0].item["title"] == "Their [b]topics[/b]"

        timer.workshop = store.timer(ws["id"], "extend", clock.now)
        assert not timer.has_class("-overrun") and "04:29 left" in _text(app)
        clock.advance(300)
        timer.tick()
        await pilot.pause()
        assert timer.has_class("-overrun")
        assert len([m for m in app.seen if isinstance(m, AgendaTimer.Overrun)]) == 2


async def test_overrun_uses_the_theme_error_colour(store: BoardStore) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    app = TimerHarness(store.timer(ws["id"], "start", clock.now), clock)
    async with app.run_test() as pilot:
        timer = app.query_one(AgendaTimer)
        error = app.get_css_variables()["error"].lower()[:7]
        assert timer.styles.background.hex.lower() != error
        clock.advance(601)
        timer.tick()
        await pilot.pause()
        assert timer.styles.background.hex.lower() == error


async def test_next_item_posts_item_changed(store: BoardStore) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    app = TimerHarness(ws, clock)
    async with app.run_test() as pilot:
        timer = app.query_one(AgendaTimer)
        timer.workshop = store.timer(ws["id"], "next", clock.now)
        await pilot.pause()
        changed = [m for m in app.seen if isinstance(m, AgendaTimer.ItemChanged)]
        assert [m.lane for m in changed] == ["challenge"]
        assert "2/2 [Challenges] Challenges  20:00 left" in _text(app)
        timer.workshop = store.timer(ws["id"], "next", clock.now)  # already the last: no change
        await pilot.pause()
        assert len([m for m in app.seen if isinstance(m, AgendaTimer.ItemChanged)]) == 1


async def test_no_workshop_and_empty_agenda(store: BoardStore) -> None:
    clock = FakeClock()
    app = TimerHarness(store.add_workshop("ACME", "Empty"), clock)
    async with app.run_test():
        assert _text(app) == "No agenda yet"
        app.query_one(AgendaTimer).workshop = None
        assert _text(app) == "No workshop running"


async def test_overrun_reads_in_minutes_and_hours(store: BoardStore) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    app = TimerHarness(store.timer(ws["id"], "start", clock.now), clock)
    async with app.run_test():
        timer = app.query_one(AgendaTimer)
        clock.advance(600 + 300)
        timer.tick()
        assert _text(app).endswith("  5 min over") and "-05:00" not in _text(app)
        clock.advance(3600)
        timer.tick()
        assert _text(app).endswith("  1 h 5 min over")


async def test_behind_schedule_from_the_planned_start_of_the_item(store: BoardStore) -> None:
    """09:00 start, 'Their topics' (10 min) then 'Challenges' (20 min, planned 09:10)."""
    clock = FakeClock()
    local = lambda hour, minute: dt.datetime(2026, 3, 16, hour, minute).astimezone()  # noqa: E731
    agenda = [rules.new_agenda_item("Their topics", "topic", 10), rules.new_agenda_item("Challenges", "challenge", 20)]
    ws = store.add_workshop("ACME", "Spring", start="2026-03-16T09:00", end="2026-03-16T17:00", agenda=agenda)
    clock.now = local(8, 55)
    app = TimerHarness(ws, clock)
    async with app.run_test():
        timer = app.query_one(AgendaTimer)
        assert _text(app).endswith("  10:00 left")  # before the start: not behind
        clock.now = local(9, 7)
        timer.tick()
        assert _text(app).endswith("  10:00 left · behind schedule by 7 min")  # not started yet
        timer.workshop = store.timer(ws["id"], "start", clock.now)
        clock.now = local(9, 15)
        timer.workshop = store.timer(ws["id"], "next", clock.now)  # Challenges: planned 09:10
        assert _text(app).endswith("  20:00 left · behind schedule by 5 min")
        clock.now = local(9, 40)
        timer.tick()
        assert _text(app).endswith("  5 min over · behind schedule by 10 min")
