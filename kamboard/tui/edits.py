"""Card changes on the board screen: shown at once, saved in the background, rolled back if refused.

``Edits`` changes the screen's cards at once (optimistic) and gives the app's saver the store
change with the base it was made from: the card as the screen showed it, or as the pending save
before it left it. When the saver has nothing left, the screen re-reads the board (the app's
``board_changed`` after saves; ``BoardHost.settled`` after a refusal): a refused or failed save
is then off the screen too, and its notice said what happened and who changed what. No Textual
here: the screen is a ``BoardHost``.

Undo and redo are shown at once as well: the screen keeps the undo list as it will be once
the pending saves are made (``Entry``: how each change looks on the screen), and each undo
checks in the saver that the step it undoes is the one the user saw.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kamboard.errors import BoardError, NotFound, UndoError
from kamboard.i18n import _

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.board_host import BoardHost, Saves
    from kamboard.tui.history import History, Step

Card = dict[str, Any]
_marks = itertools.count(1)
_FAILED: Any = object()  # in Edits._chain: that card's last pending save was not made


def pending_copy(card: Card, **fields: Any) -> Card:
    """``card`` with ``fields`` as shown before it is saved: a new ``updated_at`` mark makes
    the lane draw it anew (its lines are cached by id, revision and ``updated_at``)."""
    return {**card, **fields, "updated_at": f"~{next(_marks)}"}


class NotSaved(BoardError):
    """A change not made because the change before it, which it builds on, was not saved."""


@dataclass(frozen=True)
class Spot:
    """A card as a change leaves it on the screen: ``fields`` over the card (None: not on the
    board) in ``lane`` at ``index`` (lane None: where it is; index None: at the end)."""

    fields: Card | None
    lane: str | None = None
    index: int | None = None


@dataclass(eq=False)
class Entry:
    """One undoable change as the screen shows it: undo shows ``before``, redo ``after``
    (None: not shown until saved)."""

    label: str
    card_id: str
    before: Spot | None = None
    after: Spot | None = None


def entry_of(step: Step) -> Entry:
    """The screen's view of a history step (kept on the step; made once for a step without)."""
    if not isinstance(step.entry, Entry):
        step.entry = Entry(step.label, "")
    return step.entry


def record(history: History, entry: Entry) -> None:
    """Tie the step just recorded (in the saver) to the screen's entry."""
    history.done[-1].entry = entry


class Edits:
    """The board's changes: on the screen at once, in the file through the app's saver."""

    def __init__(self, host: BoardHost, saver: Saves, history: History) -> None:
        self.host = host
        self.saver = saver
        self.history = history
        self._pending: dict[str, int] = {}  # card id -> its saves not answered yet (UI thread)
        self._chain: dict[str, Any] = {}  # card id -> the card as its last save left it (saver thread)
        self._done: list[Entry] | None = None  # the undo list once the pending saves are made
        self._undone: list[Entry] | None = None
        self._refused = False  # a save was refused since the saver was last idle

    @property
    def busy(self) -> bool:
        return self.saver.busy

    # ---- saving ------------------------------------------------------------------------------
    def save(
        self,
        what: str,
        card_id: str,
        base: Card | None,
        run: Callable[[BoardStore, Card | None], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        *,
        follows: bool = True,
    ) -> None:
        """Give the saver ``run(store, base)``, which returns the card as saved (None: gone).

        ``base`` is the card as the screen shows it; while an earlier save of the same card is
        pending, the card as that save left it is passed instead (``follows``; a change that
        does not build on the one before, such as an edit merged field by field, keeps
        ``base`` and is made even when the one before was refused). ``what`` heads the notice
        of a failure (``failed`` replaces the notice)."""
        chained = follows and self._pending.get(card_id, 0) > 0
        shown = None if base is None else dict(base)

        def job(store: BoardStore) -> Any:
            use = shown
            if chained:
                use = self._chain.get(card_id, shown)
                if use is _FAILED:
                    raise NotSaved(_("{what}: the change before it was not saved.").format(what=what))
            try:
                saved = run(store, use)
            except Exception:
                self._chain[card_id] = _FAILED
                raise
            self._chain[card_id] = saved
            return saved

        def answered(saved: Any) -> None:
            self._answered(card_id, saved)
            if done is not None:
                done(saved)

        def refused(exc: Exception) -> None:
            self._answered(card_id, None, failed=True)
            self._refused = True
            if isinstance(exc, NotSaved):
                return  # the refusal of the change it built on was reported
            if failed is not None:
                failed(exc)
            else:
                self.host.report(exc, prefix=f"{what}: ")

        self._pending[card_id] = self._pending.get(card_id, 0) + 1
        self.saver.submit(what, job, answered, refused)
        self.saver.when_idle(self.settle)

    def _answered(self, card_id: str, saved: Any, failed: bool = False) -> None:
        left = self._pending.get(card_id, 0) - 1
        if left > 0:
            self._pending[card_id] = left
            return
        self._pending.pop(card_id, None)
        if not failed and isinstance(saved, dict) and card_id:
            # the card as saved (revision, position) is the base of its next change
            for card in self.host.all_cards.get(saved.get("lane", ""), ()):
                if card["id"] == card_id:
                    card.clear()
                    card.update(saved)

    def settle(self) -> None:
        """Every save is answered. The saves made have the screen re-read the board through the
        app (``board_changed``); after a refusal the screen re-reads it itself (``settled``): the
        refused change goes from it even when nothing was saved."""
        self._pending.clear()
        self._chain.clear()
        self._done = self._undone = None
        if self._refused:
            self._refused = False
            self.host.settled()

    # ---- the screen's cards ------------------------------------------------------------------
    def _where(self, card_id: str) -> tuple[str, int] | None:
        for lane, cards in self.host.all_cards.items():
            for index, card in enumerate(cards):
                if card["id"] == card_id:
                    return lane, index
        return None

    def show(self, card_id: str, spot: Spot | None) -> str | None:
        """Show ``card_id`` as ``spot`` leaves it; returns its lane (None: not shown)."""
        if spot is None:
            return None
        where = self._where(card_id)
        lanes = self.host.all_cards
        card = lanes[where[0]].pop(where[1]) if where else None
        if spot.fields is None:  # off the board
            if where:
                self.host.show_cards(lanes=(where[0],))
            return None
        if card is None and "account_id" not in spot.fields:
            return None  # only some fields of a card the screen does not show
        lane = spot.lane or (where[0] if where else str(spot.fields.get("lane", "topic")))
        card = pending_copy(card or {}, **{**spot.fields, "lane": lane, "id": card_id})
        cards = lanes.setdefault(lane, [])
        index = spot.index
        if spot.lane is None and where:  # changed where it is
            index = where[1]
        index = len(cards) if index is None else max(0, min(index, len(cards)))
        cards.insert(index, card)
        self.host.show_cards({lane: card_id}, lanes={lane, where[0]} if where else {lane})
        return lane

    # ---- undo and redo -----------------------------------------------------------------------
    def _stacks(self) -> tuple[list[Entry], list[Entry]]:
        if self._done is None or self._undone is None:
            history = self.history
            self._done = [entry_of(step) for step in history.done]
            self._undone = [entry_of(step) for step in history.undone]
        return self._done, self._undone

    def recorded(self, entry: Entry) -> None:
        """A new change: on the undo list at once (its step is recorded by its save)."""
        done, undone = self._stacks()
        done.append(entry)
        undone.clear()

    def undo(self, redo: bool = False) -> None:
        done, undone = self._stacks()
        source, target = (undone, done) if redo else (done, undone)
        if not source:
            self.host.notify(_("Nothing to redo.") if redo else _("Nothing to undo."))
            return
        entry = source.pop()
        target.append(entry)
        lane = self.show(entry.card_id, entry.after if redo else entry.before)
        if lane:
            self.host.focus_lane(lane)
        history = self.history

        def run(store: BoardStore, _base: Card | None) -> Card | None:
            steps = history.undone if redo else history.done
            if not steps or entry_of(steps[-1]) is not entry:
                raise NotSaved(
                    (
                        _("Could not redo {label}: it was not saved.")
                        if redo
                        else _("Could not undo {label}: it was not saved.")
                    ).format(label=entry.label)
                )
            if redo:
                history.redo(store)
            else:
                history.undo(store)
            try:
                return store.card(entry.card_id) if entry.card_id else None
            except NotFound:
                return None

        def done_(saved: Card | None) -> None:
            self.host.notify(
                (_("Redone: {label}") if redo else _("Undone: {label}")).format(label=entry.label), markup=False
            )

        could_not = _("Could not redo") if redo else _("Could not undo")

        def failed(exc: Exception) -> None:  # an UndoError says what and whether the step is dropped
            self.host.report(exc, prefix="" if isinstance(exc, UndoError) else f"{could_not}: ")

        self.save(could_not, entry.card_id, None, run, done_, failed, follows=False)
