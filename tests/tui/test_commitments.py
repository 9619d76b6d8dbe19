"""The commitments review modal: done, carry over, drop from the keyboard; the list shrinks; counts."""

from __future__ import annotations

from typing import Any

from board_helpers import notifications
from modal_harness import Harness
from textual.widgets import OptionList, Static

from kamboard.store import BoardStore
from kamboard.tui.screens.commitments import CommitmentsScreen


def _setup(store: BoardStore) -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    old = store.add_workshop("ACME", "Workshop 2025", start="2025-03-10")
    new = store.add_workshop("ACME", "Workshop 2026", start="2026-03-16")
    cards = {
        title: store.add_card("ACME", "support", title, workshop_id=old["id"], status=status, owner="Bob")
        for title, status in (("Pilot", "agreed"), ("Training", "in_progress"), ("Audit", ""), ("Closed", "done"))
    }
    return old, new, cards


def _titles(app: Harness) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]


def _message(app: Harness) -> str:
    return str(app.screen.query_one("#commitments-message", Static).content)


async def test_review_outcomes_from_the_keyboard(store: BoardStore) -> None:
    old, new, cards = _setup(store)
    app = Harness(lambda: CommitmentsScreen(store, new["id"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _titles(app) == ["Pilot", "Training", "Audit"]
        assert _message(app).startswith("3 still open from Workshop 2025")
        await pilot.press("d")  # Pilot done
        await pilot.pause()
        assert _titles(app) == ["Training", "Audit"]
        await pilot.press("c")  # Training carried over
        await pilot.pause()
        await pilot.press("x")  # Audit dropped
        await pilot.pause()
        assert _titles(app) == []
        assert _message(app) == "All commitments reviewed. Esc or q closes."
        await pilot.press("d")  # nothing left: no effect
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [3]
    assert store.card(cards["Pilot"]["id"])["status"] == "done"
    training = store.card(cards["Training"]["id"])
    assert training["workshop_id"] == new["id"] and training["status"] == "in_progress"
    assert store.card(cards["Audit"]["id"])["status"] == "dropped"
    assert store.card(cards["Closed"]["id"])["workshop_id"] == old["id"]


async def test_first_workshop_has_nothing_to_review(store: BoardStore) -> None:
    first = store.add_workshop("ACME", "First", start="2026-03-16")
    app = Harness(lambda: CommitmentsScreen(store, first["id"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert _titles(app) == []
        assert "first workshop" in _message(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [0]


async def test_a_colleague_reviewed_it_meanwhile(store: BoardStore, board_path: Any) -> None:
    _, new, cards = _setup(store)
    app = Harness(lambda: CommitmentsScreen(store, new["id"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        colleague = BoardStore(board_path, user="carla")
        colleague.review_commitment(cards["Pilot"]["id"], new["id"], "drop")
        await pilot.press("d")  # the highlighted Pilot is no longer open: an error notice, list refreshed
        await pilot.pause()
        assert notifications(app)[-1].endswith("is not an open commitment from the previous workshop.")
        assert _titles(app) == ["Training", "Audit"]
    assert store.card(cards["Pilot"]["id"])["status"] == "dropped"
