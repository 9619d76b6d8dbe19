"""The commitments review modal: done, carry over, drop from the keyboard; the list shrinks; counts;
u undoes a decision, here and on the board behind it, which shows each decision as it is saved."""

from __future__ import annotations

from typing import Any

from board_helpers import TODAY, notifications, wait_for, wait_for_saves
from modal_harness import Harness
from textual.app import App
from textual.widgets import OptionList, Static

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.commitments import CommitmentsScreen


def _setup(store: BoardStore) -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    old = store.add_workshop("ACME", "Workshop 2025", start="2025-03-10")
    new = store.add_workshop("ACME", "Workshop 2026", start="2026-03-16")
    cards = {
        title: store.add_card("ACME", "support", title, workshop_id=old["id"], status=status, owner="Bob")
        for title, status in (("Pilot", "agreed"), ("Training", "in_progress"), ("Audit", ""), ("Closed", "done"))
    }
    return old, new, cards


def _titles(app: App[Any]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]


def _message(app: App[Any]) -> str:
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


async def test_u_undoes_the_decisions_made_in_the_review(store: BoardStore) -> None:
    old, new, cards = _setup(store)
    app = Harness(lambda: CommitmentsScreen(store, new["id"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d", "c")  # Pilot done, Training carried over
        await pilot.pause()
        assert _titles(app) == ["Audit"]
        await pilot.press("u")
        await pilot.pause()
        assert _titles(app) == ["Training", "Audit"]
        assert notifications(app)[-1] == "Undone: carrying over 'Training'"
        training = store.card(cards["Training"]["id"])
        assert training["workshop_id"] == old["id"] and "carried_from" not in training
        await pilot.press("u")
        await pilot.pause()
        assert _titles(app) == ["Pilot", "Training", "Audit"]
        assert store.card(cards["Pilot"]["id"])["status"] == "agreed"
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == "Nothing to undo in this review."
        await pilot.press("x", "escape")  # Pilot dropped: one decision stands
        await pilot.pause()
        assert app.results == [1]
    assert store.card(cards["Pilot"]["id"])["status"] == "dropped"


def _support(board: BoardScreen) -> dict[str, dict[str, Any]]:
    return {c["title"]: c for c in board.lanes["support"].cards}


async def test_the_board_shows_each_decision_and_its_u_undoes_them(store: BoardStore) -> None:
    old, new, cards = _setup(store)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CommitmentsScreen))
        await pilot.press("d")  # Pilot done: the board behind shows it once saved, the review still open
        await wait_for_saves(app)
        await pilot.pause()
        assert isinstance(app.screen, CommitmentsScreen)
        assert _support(board)["Pilot"]["status"] == "done"
        await pilot.press("c")  # Training carried over
        await wait_for_saves(app)
        await pilot.pause()
        assert _support(board)["Training"]["workshop_id"] == new["id"]
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is board)
        await pilot.press("u")  # the carry, shown back at once
        assert _support(board)["Training"]["workshop_id"] == old["id"]
        await wait_for_saves(app)
        assert "Undone: carrying over 'Training'" in notifications(app)
        training = store.card(cards["Training"]["id"])
        assert training["workshop_id"] == old["id"] and "carried_from" not in training
        await pilot.press("u")
        assert _support(board)["Pilot"]["status"] == "agreed"
        await wait_for_saves(app)
        assert store.card(cards["Pilot"]["id"])["status"] == "agreed"
        await pilot.press("ctrl+r")  # and redone
        await wait_for_saves(app)
        assert store.card(cards["Pilot"]["id"])["status"] == "done"
        assert notifications(app)[-1] == "Redone: marking 'Pilot' done"


async def test_a_refused_undo_of_a_decision_says_who_changed_what(store: BoardStore, board_path: Any) -> None:
    cards = _setup(store)[2]
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CommitmentsScreen))
        await pilot.press("x")  # Pilot dropped
        await wait_for_saves(app)
        BoardStore(board_path, user="carla").update_card(cards["Pilot"]["id"], {"status": "in_progress"})
        await pilot.press("u")
        await wait_for_saves(app)
        await pilot.pause()
        # (in the notices, not necessarily the last: the app's poll may announce carla's change after it)
        assert "Could not undo: 'Pilot' was changed meanwhile by carla: status. Dropped from the undo list." in (
            notifications(app)
        )
        assert _titles(app) == ["Pilot", "Training", "Audit"]  # carla's in progress: open again
        await pilot.press("escape", "u")  # nothing left to undo on the board either
        await pilot.pause()
        assert "Nothing to undo." in notifications(app)
    assert store.card(cards["Pilot"]["id"])["status"] == "in_progress"
