"""SVG snapshot of the board during a running workshop (fixed clock, fixed data), 100x30."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from board_helpers import T0, TODAY, make_store, wait_for
from support_actions import add_support_action
from textual.pilot import Pilot

from kamboard import workshop as rules
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.workshop_editor import WorkshopEditor


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Planned times are wall-clock times: "behind schedule" reads the fixed clock as UTC here, on any machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def running_workshop_app(path: Path) -> KamboardApp:
    """ACME's board 12 minutes into 'Their challenges': Eva has voted, counts revealed."""
    store = make_store(path)
    acme = store.add_account("ACME", "Alice")["id"]
    for title in ("Growth in Asia", "New CEO"):
        store.add_card(acme, "topic", title)
    cost = store.add_card(acme, "challenge", "Cost pressure in the plants", tags=["cost"])
    skills = store.add_card(acme, "challenge", "Skills gap")
    add_support_action(store, acme, "Joint energy pilot", links=[cost["id"]])
    store.add_card(acme, "support", "Training", owner="Carla", side="customer", status="proposed")
    agenda = [
        rules.new_agenda_item("Welcome", "", 15),
        rules.new_agenda_item("Their topics", "topic", 30),
        rules.new_agenda_item("Their challenges", "challenge", 45),
        rules.new_agenda_item("How we support them", "support", 30),
    ]
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}]
    ws = store.add_workshop("ACME", "Spring workshop", start="2026-03-16T09:00", agenda=agenda, participants=people)
    store.timer(ws["id"], "goto", T0, 2)
    store.timer(ws["id"], "start", T0)
    store.vote(cost["id"], "Eva", ws["id"], 2)
    store.vote(skills["id"], "Eva", ws["id"], 1)
    return KamboardApp(store, account="ACME", today=TODAY, clock=lambda: T0 + dt.timedelta(minutes=12))


def test_board_during_a_running_workshop(snap_compare: Any, tmp_path: Path) -> None:
    async def choose_voter(pilot: Pilot[Any]) -> None:
        await pilot.press("p", "enter")  # Eva votes; the challenge lane is focused (the current item's)
        await pilot.pause()

    app = running_workshop_app(tmp_path / "board.json")
    assert snap_compare(app, terminal_size=(100, 30), run_before=choose_voter)


def test_workshop_editor_shows_the_agenda_by_day(snap_compare: Any, tmp_path: Path) -> None:
    """The editor's agenda: a heading per day with its times, start times per item, notes marked,
    and the warning for day 1, which a 45-minute site tour pushes past 17:00."""
    store = make_store(tmp_path / "board.json")
    store.add_account("ACME", "Alice")
    agenda = rules.default_agenda()
    agenda.insert(3, rules.new_agenda_item("Site tour", "", 45, day=1))
    agenda[1]["notes"] = "Pilot agreed"
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}, {"name": "Bob", "side": "us", "role": "KAM"}]
    store.add_workshop(
        "ACME",
        "ACME Workshop 2026",
        start="2026-03-16T09:00",
        end="2026-03-17T13:00",
        agenda=agenda,
        participants=people,
    )
    app = KamboardApp(store, account="ACME", today=TODAY, clock=lambda: T0)

    async def open_editor(pilot: Pilot[Any]) -> None:
        await pilot.press("w")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopEditor) and app.screen.is_mounted)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(110, 40), run_before=open_editor)
