"""SVG snapshots of the card editor (support action) and the key help at 100x30.

Read the report before accepting changes: pytest tests/tui/test_modal_snapshots.py --snapshot-update
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from modal_harness import Harness
from textual.pilot import Pilot
from textual.widgets import Input

from kamboard.errors import Conflict
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConflictDialog
from kamboard.tui.screens.help import KeysHelp

SIZE = (100, 30)
CARD: dict[str, Any] = {
    "id": "s1",
    "lane": "support",
    "title": "Pilot [bold red]predictive[/] maintenance",
    "notes": "Two sites first, then all plants.\nReview after 3 months.",
    "tags": ["maintenance", "2026"],
    "links": ["t1"],
    "owner": "Ana Ruiz",
    "side": "us",
    "due": "2026-03-31",
    "status": "agreed",
    "customer_benefit": "Less unplanned downtime",
    "our_benefit": "A reference case for the sector",
}
CHOICES = [("t1", "Topic: energy prices"), ("c1", "Challenge: skilled staff shortage")]
TODAY = dt.date(2026, 3, 2)  # the due date's hint counts from it
KEYS = [
    ("←/→ h/l", "Focus previous / next lane", "Board"),
    ("↑/↓ k/j", "Focus previous / next card", "Board"),
    ("n", "Quick-add a card in this lane", "Cards"),
    ("e / enter", "Edit the card", "Cards"),
    ("H / L", "Move card to previous / next lane", "Cards"),
    ("K / J", "Move card up / down", "Cards"),
    ("d", "Delete the card", "Cards"),
    ("u / ctrl+r", "Undo / redo", "Cards"),
    ("/", "Filter by text, tag or owner", "View"),
    ("z", "Focus mode (one lane large)", "View"),
    ("?", "This help", "App"),
]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, Harness)
    app.stop_blinking()
    await pilot.pause()


def test_card_editor_support_action(snap_compare: Any) -> None:
    app = Harness(lambda: CardEditor(CARD, CHOICES, today=TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_card_editor_with_errors(snap_compare: Any) -> None:
    async def break_fields(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+e", "ctrl+u")  # empty the title
        pilot.app.screen.query_one("#input-due", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()

    app = Harness(lambda: CardEditor(CARD, CHOICES, today=TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=break_fields)


def test_keys_help(snap_compare: Any) -> None:
    app = Harness(lambda: KeysHelp(KEYS))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_conflict_dialog(snap_compare: Any) -> None:
    conflict = Conflict(
        "s1",
        {"due": ("2026-03-31", "2026-04-15"), "status": ("agreed", "in_progress")},
        {"id": "s1", "title": "Pilot predictive maintenance", "updated_by": "bob"},
    )
    app = Harness(lambda: ConflictDialog(conflict))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
