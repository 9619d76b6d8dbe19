"""The board in German: an SVG snapshot at 80x24 (a running workshop: timer, capture, votes; cards
with German dates and statuses), the footer's keys fit 80 columns, the key help and a dialog in German.

Textual builds key labels when a class is defined: the fixture sets German, then imports the TUI
modules fresh (and puts the English ones back afterwards). The German comes from the compiled
catalogue (kamboard/locale/de/LC_MESSAGES/kamboard.mo).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from board_helpers import T0, TODAY, make_store
from textual.pilot import Pilot

from kamboard import i18n
from kamboard import workshop as rules


@pytest.fixture
def german() -> Iterator[ModuleType]:
    """``kamboard.tui.app`` imported fresh with German chosen first; English and the modules as
    they were afterwards."""
    saved = {name: module for name, module in sys.modules.items() if name.startswith("kamboard.tui")}
    for name in saved:
        del sys.modules[name]
    i18n.set_language("de")
    try:
        yield importlib.import_module("kamboard.tui.app")
    finally:
        i18n.set_language("en")
        for name in [name for name in sys.modules if name.startswith("kamboard.tui")]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """The workshop's planned times are wall-clock times: read the fixed clock as UTC everywhere."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def german_board(app_module: ModuleType, path: Path) -> Any:
    """A German team's board 12 minutes into 'Herausforderungen': capture open in Themen, Eva
    voted, support actions due, overdue, carried over."""
    store = make_store(path)
    acme = store.add_account("Müller Maschinenbau", "Anna Schmidt")["id"]
    store.add_card(acme, "topic", "Wachstum in Asien")
    store.add_card(acme, "topic", "Neue Geschäftsführung")
    cost = store.add_card(acme, "challenge", "Kostendruck in den Werken", tags=["kosten"])
    store.add_card(acme, "challenge", "Fachkräftemangel")
    store.add_card(
        acme,
        "support",
        "Gemeinsames Energie-Pilotprojekt",
        owner="Tobias",
        side="us",
        status="agreed",
        due="2026-03-01",
        links=[cost["id"]],
    )
    store.add_card(acme, "support", "Schulung", owner="Carla", side="customer", status="in_progress", due="2026-06-30")
    agenda = [
        rules.new_agenda_item("Begrüßung", "", 15),
        rules.new_agenda_item("Ihre Themen", "topic", 30),
        rules.new_agenda_item("Ihre Herausforderungen", "challenge", 45),
    ]
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}, {"name": "Jan", "side": "us", "role": "KAM"}]
    ws = store.add_workshop(acme, "Frühjahrsworkshop", start="2026-03-16T09:00", agenda=agenda, participants=people)
    store.timer(ws["id"], "goto", T0, 2)
    store.timer(ws["id"], "start", T0)
    store.vote(cost["id"], "Eva", ws["id"], 2)
    store.set_capture(ws["id"], "topic", True)
    clock = lambda: T0 + dt.timedelta(minutes=12)  # noqa: E731
    return app_module.KamboardApp(store, account=acme, today=TODAY, clock=clock)


def test_german_board_at_80x24(snap_compare: Any, german: ModuleType, tmp_path: Path) -> None:
    async def choose_voter(pilot: Pilot[Any]) -> None:
        await pilot.press("p", "enter")  # Eva votes
        await pilot.pause()

    app = german_board(german, tmp_path / "board.json")
    assert snap_compare(app, terminal_size=(80, 24), run_before=choose_voter)


async def test_footer_and_key_help_speak_german(german: ModuleType, tmp_path: Path) -> None:
    app = german_board(german, tmp_path / "board.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query("FooterKey"))
        palette = next(key for key in keys if key.has_class("-command-palette"))
        shown = {key.description: key.region for key in keys}
        # every key up to q drawn whole left of the palette key (as in English, ? is under it:
        # the title bar names it)
        for label in ("Neu", "Bearb.", "Löschen", "Rückg.", "Filter", "Max", "Workshop", "Zurück"):
            assert label in shown, (label, sorted(shown))
            assert shown[label].width and shown[label].right <= palette.region.x, (label, shown[label])
        assert "Add" not in shown and "Edit" not in shown

        await pilot.press("question_mark")
        help_screen = app.screen
        assert type(help_screen).__name__ == "KeysHelp"
        groups = {name: [desc for _, desc in rows] for name, rows in help_screen._groups.items()}
        assert {"Bewegen", "Karten", "Ansicht", "Workshop", "Punkten"} <= set(groups)
        assert "Punkt zurücknehmen" in groups["Punkten"] and "Neu" in groups["Karten"]
        assert "Cards" not in groups and "Voting" not in groups
        await pilot.press("escape")

        await pilot.press("d")  # the delete question: German words and buttons
        await pilot.pause()
        labels = [str(button.label) for button in app.screen.query("Button")]
        assert labels == ["Löschen (y)", "Behalten (n)"]
        await pilot.press("n")
