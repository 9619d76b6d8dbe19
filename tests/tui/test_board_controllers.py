"""The board's controllers without Textual: card edits with undo, voting and the workshop timer,
driven through plain objects standing in for the screen, the app's saver and the dialogs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from board_helpers import T0, TODAY, FakeClock
from test_facilitation import add_workshop

from kamboard.model import LANES
from kamboard.store import BoardStore
from kamboard.tui.board_voting import Voting
from kamboard.tui.card_edits import CardEdits
from kamboard.tui.edits import Edits
from kamboard.tui.facilitation import Facilitation
from kamboard.tui.history import History

Card = dict[str, Any]


class Saver:
    """Runs each job at once (the app's saver runs them in order on its thread)."""

    busy = False

    def __init__(self, store: BoardStore) -> None:
        self.store = store

    def submit(
        self,
        label: str,
        run: Callable[[BoardStore], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        try:
            result = run(self.store)
        except Exception as exc:
            assert failed is not None, label
            failed(exc)
        else:
            if done is not None:
                done(result)

    def when_idle(self, callback: Callable[[], None]) -> None:
        callback()


class Board:
    """The screen as the controllers see it (BoardHost): the account's cards, what it was told."""

    def __init__(self, store: BoardStore, account: str = "ACME") -> None:
        self.store = store
        self.account_id = store.account(account)["id"]
        self.voter = ""
        self.sorted_lanes: frozenset[str] = frozenset()
        self.current = "topic"
        self.notices: list[str] = []
        self.workshops: list[Card | None] = []
        self.all_cards: dict[str, list[Card]] = {}
        self.settled()

    def titles(self, lane: str) -> list[str]:
        return [c["title"] for c in self.all_cards[lane]]

    def notify(self, message: str, **_: Any) -> None:
        self.notices.append(message)

    def report(self, error: Exception, prefix: str = "") -> None:
        self.notices.append(prefix + str(getattr(error, "message", "") or error))

    def show_cards(self, select: dict[str, str] | None = None, lanes: Iterable[str] = LANES) -> None:
        pass

    def show_workshop(self, workshop: Card | None) -> None:
        self.workshops.append(workshop)

    def focus_lane(self, lane: str) -> None:
        self.current = lane

    def settled(self) -> None:  # the screen re-reads the board
        self.all_cards = {lane: self.store.cards(self.account_id, lane) for lane in LANES}


class Dialogs:
    """Answers every question as told."""

    def __init__(self, yes: bool = True, voter: str = "Bob") -> None:
        self.yes = yes
        self.voter = voter
        self.asked: list[str] = []

    def confirm(self, title: str, question: str, yes: str, no: str, then: Callable[[bool | None], None]) -> None:
        self.asked.append(question)
        then(self.yes)

    def edit_card(self, card: Card, links: list[tuple[str, str]], then: Callable[[Card | None], None]) -> None:
        then({"title": card["title"] + " (edited)"})

    def resolve_conflict(self, conflict: Any, then: Callable[[str | None, dict[str, str]], None]) -> None:
        then("mine", {})

    def pick_voter(self, workshop: Card, cards: list[Card], current: str, then: Callable[[str | None], None]) -> None:
        then(self.voter)

    def edit_workshop(self, workshop: Card | None, account: str, then: Callable[[Card | None], None]) -> None:
        then(None)


def card_edits(store: BoardStore, dialogs: Dialogs | None = None) -> tuple[Board, CardEdits]:
    board = Board(store)
    edits = Edits(board, Saver(store), History())
    return board, CardEdits(board, edits, store, dialogs or Dialogs())


def test_controllers_import_no_textual() -> None:
    code = (
        "import sys, kamboard.tui.card_edits, kamboard.tui.board_voting, kamboard.tui.facilitation;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_move_edit_delete_and_undo_them_in_turn(store: BoardStore) -> None:
    board, cards = card_edits(store)
    growth = board.all_cards["topic"][0]
    cards.move_lane(growth, 1)
    assert board.current == "challenge" and board.titles("challenge")[-1] == "Growth in Asia"
    cards.edit(board.all_cards["challenge"][0])
    assert board.titles("challenge")[0] == "Cost pressure (edited)"
    cards.delete(board.all_cards["support"][1])
    assert board.titles("support") == ["Joint pilot"]
    assert board.notices[-1] == "Deleted 'Training'; u undoes."
    for _ in range(3):
        cards.edits.undo()
    assert board.titles("topic") == ["Growth in Asia", "New CEO", "Supply chain"]
    assert board.titles("challenge") == ["Cost pressure", "Skills gap"]
    assert board.titles("support") == ["Joint pilot", "Training"]
    cards.edits.undo()
    assert board.notices[-1] == "Nothing to undo."
    cards.edits.undo(redo=True)  # the last undone: the move
    assert board.titles("challenge") == ["Cost pressure", "Skills gap", "Growth in Asia"]


def test_reorder_moves_past_cards_the_view_hides_and_lanes_end(store: BoardStore) -> None:
    board, cards = card_edits(store)
    topics = board.all_cards["topic"]
    cards.reorder(topics[2], topics[0])  # the view showed them side by side (New CEO filtered out)
    assert board.titles("topic") == ["Supply chain", "Growth in Asia", "New CEO"]
    cards.move_lane(board.all_cards["support"][0], 1)
    assert board.notices[-1] == "Support is the last lane."


def test_quick_add_refuses_a_bad_title_and_records_the_workshop(store: BoardStore) -> None:
    board, cards = card_edits(store)
    assert cards.quick_add("topic", "x" * 201, "") is None
    assert "at most 200" in board.notices[-1]
    ws = add_workshop(store)
    added = cards.quick_add("support", "Pilot plan", ws["id"])
    assert added is not None and added["status"] == "proposed"
    saved = store.card(added["id"])
    assert saved["workshop_id"] == ws["id"] and saved["status"] == "proposed"


def test_a_delete_waits_for_the_answer(store: BoardStore) -> None:
    dialogs = Dialogs(yes=False)
    board, cards = card_edits(store, dialogs)
    cards.delete(board.all_cards["topic"][0])
    assert dialogs.asked == ["Delete 'Growth in Asia'?"]
    assert board.titles("topic") == ["Growth in Asia", "New CEO", "Supply chain"]


def test_voting_casts_within_the_budget_and_sorts_the_lane(store: BoardStore) -> None:
    ws = add_workshop(store, vote_budget=2, vote_per_card=2)
    board = Board(store)
    voting = Voting(board, Edits(board, Saver(store), History()), Dialogs(voter="Bob"))
    voting.pick_voter(ws)
    assert board.voter == "Bob"
    supply = board.all_cards["topic"][2]
    for at in (2, 2, 0):  # the third is over the budget: refused before it is saved
        voting.vote(ws, board.all_cards["topic"][at], 1)
    assert store.card(supply["id"])["voters"] == {"Bob": 2}
    assert "0 vote(s) left of 2" in board.notices[-1]
    assert voting.toggle_sort(ws)
    assert board.sorted_lanes == {"topic"}
    assert voting.view_order("topic", board.all_cards["topic"], ws)[0]["title"] == "Supply chain"
    assert voting.sort_note("topic", ws) == "  by votes"
    assert voting.refuse_sorted() and "sorted by votes" in board.notices[-1]
    voting.reveal(ws)  # hides the counts
    hidden = board.workshops[-1]
    assert hidden is not None and hidden["votes_hidden"] and store.workshop(ws["id"])["votes_hidden"]
    assert voting.view_order("topic", board.all_cards["topic"], hidden)[0]["title"] == "Growth in Asia"
    assert voting.toggle_sort(hidden) and board.sorted_lanes == frozenset()
    assert not voting.toggle_sort(hidden)  # hidden counts: no sorting by them
    assert board.notices[-1] == "The vote counts are hidden: r reveals them, then s sorts."


@pytest.mark.parametrize("fresh", [True, False])
def test_the_timer_shows_at_once_and_a_start_reviews_the_commitments(store: BoardStore, fresh: bool) -> None:
    acme = store.account("ACME")["id"]
    old = store.add_workshop("ACME", "Last year", start="2025-03-10T09:00")
    store.add_card(acme, "support", "Old promise", workshop_id=old["id"], status="agreed")
    ws = add_workshop(store)
    if not fresh:
        store.timer(ws["id"], "toggle", T0)
        ws = store.workshop(ws["id"])
    board = Board(store)
    clock = FakeClock()
    facilitation = Facilitation(board, Edits(board, Saver(store), History()), store, Dialogs(), clock, lambda: TODAY)
    assert facilitation.take(facilitation.find(), []) is None or not fresh
    reviews: list[bool] = []
    facilitation.timer(ws, "toggle", on_start=lambda: reviews.append(True))
    shown = board.workshops[-1]
    assert shown is not None and shown["agenda_state"]["running"] is fresh
    assert store.workshop(ws["id"])["agenda_state"]["running"] is fresh
    assert reviews == ([True] if fresh else [])
