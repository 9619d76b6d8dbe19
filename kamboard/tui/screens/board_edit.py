"""Card changes on the board: shown at once, saved in the background, rolled back if refused.

``BoardEditMixin`` gives ``BoardScreen`` its card keys (e, H/L, K/J, d, u, ctrl+r); they and the
quick-add, votes and timer keys go through the screen's ``Edits``. ``Edits`` changes the
screen's cards at once (optimistic) and gives the app's saver the store change with the base it
was made from: the card as the screen showed it, or as the pending save before it left it. When
the saver has nothing left, the screen re-reads the board: a refused or failed save is then off
the screen too, and its notice said what happened and who changed what.

Undo and redo are shown at once as well: the screen keeps the undo list as it will be once
the pending saves are made (``Entry``: how each change looks on the screen), and each undo
checks in the saver that the step it undoes is the one the user saw.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kamboard import model
from kamboard.errors import BoardError, Conflict, NotFound, UndoError
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.stale import user_fields

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.history import History, Step
    from kamboard.tui.screens.board import BoardScreen
    from kamboard.tui.widgets.lane import Lane

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
    entry = getattr(step, "entry", None)
    if not isinstance(entry, Entry):
        entry = Entry(step.label, "")
        step.entry = entry  # type: ignore[attr-defined]
    return entry


def _record(history: History, entry: Entry) -> None:
    """Tie the step just recorded (in the saver) to the screen's entry."""
    history.done[-1].entry = entry  # type: ignore[attr-defined]


class Edits:
    """The board's changes: on the screen at once, in the file through the app's saver."""

    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen
        self._pending: dict[str, int] = {}  # card id -> its saves not answered yet (UI thread)
        self._chain: dict[str, Any] = {}  # card id -> the card as its last save left it (saver thread)
        self._done: list[Entry] | None = None  # the undo list once the pending saves are made
        self._undone: list[Entry] | None = None

    @property
    def app(self) -> KamboardApp:
        return self.screen.app

    @property
    def busy(self) -> bool:
        return self.app.saver.busy

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
                    raise NotSaved(f"{what}: the change before it was not saved.")
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
            if isinstance(exc, NotSaved):
                return  # the refusal of the change it built on was reported
            if failed is not None:
                failed(exc)
            else:
                self.app.report(exc, prefix=f"{what}: ")

        self._pending[card_id] = self._pending.get(card_id, 0) + 1
        self.app.saver.submit(what, job, answered, refused)
        self.app.saver.when_idle(self.settle)

    def _answered(self, card_id: str, saved: Any, failed: bool = False) -> None:
        left = self._pending.get(card_id, 0) - 1
        if left > 0:
            self._pending[card_id] = left
            return
        self._pending.pop(card_id, None)
        if not failed and isinstance(saved, dict) and card_id:
            # the card as saved (revision, position) is the base of its next change
            for card in self.screen.all_cards.get(saved.get("lane", ""), ()):
                if card["id"] == card_id:
                    card.clear()
                    card.update(saved)

    def settle(self) -> None:
        """Every save is answered: every screen shows the board as the file has it (a refused
        change goes from this one), as after a poll."""
        self._pending.clear()
        self._chain.clear()
        self._done = self._undone = None
        self.app.changed()
        for screen in self.app.screen_stack:
            if hasattr(screen, "reload_from_store"):
                screen.reload_from_store()

    # ---- the screen's cards ------------------------------------------------------------------
    def _where(self, card_id: str) -> tuple[str, int] | None:
        for lane, cards in self.screen.all_cards.items():
            for index, card in enumerate(cards):
                if card["id"] == card_id:
                    return lane, index
        return None

    def show(self, card_id: str, spot: Spot | None) -> str | None:
        """Show ``card_id`` as ``spot`` leaves it; returns its lane (None: not shown)."""
        if spot is None:
            return None
        where = self._where(card_id)
        lanes = self.screen.all_cards
        card = lanes[where[0]].pop(where[1]) if where else None
        if spot.fields is None:  # off the board
            if where:
                self.screen.show_cards(lanes=(where[0],))
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
        self.screen.show_cards({lane: card_id}, lanes={lane, where[0]} if where else {lane})
        return lane

    # ---- undo and redo -----------------------------------------------------------------------
    def _stacks(self) -> tuple[list[Entry], list[Entry]]:
        if self._done is None or self._undone is None:
            history = self.screen.history
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
        word = "redo" if redo else "undo"
        if not source:
            self.screen.notify(f"Nothing to {word}.")
            return
        entry = source.pop()
        target.append(entry)
        lane = self.show(entry.card_id, entry.after if redo else entry.before)
        if lane:
            self.screen._focus_lane(lane)
        history = self.screen.history

        def run(store: BoardStore, _base: Card | None) -> Card | None:
            steps = history.undone if redo else history.done
            if not steps or entry_of(steps[-1]) is not entry:
                raise NotSaved(f"Could not {word} {entry.label}: it was not saved.")
            if redo:
                history.redo(store)
            else:
                history.undo(store)
            try:
                return store.card(entry.card_id) if entry.card_id else None
            except NotFound:
                return None

        def done_(saved: Card | None) -> None:
            self.screen.notify(f"{'Redone' if redo else 'Undone'}: {entry.label}", markup=False)

        def failed(exc: Exception) -> None:  # an UndoError says what and whether the step is dropped
            self.app.report(exc, prefix="" if isinstance(exc, UndoError) else f"Could not {word}: ")

        self.save(f"Could not {word}", entry.card_id, None, run, done_, failed, follows=False)


class BoardEditMixin:
    """The card-change keys of the board screen (e, H/L, K/J, d, u, ctrl+r)."""

    if TYPE_CHECKING:  # provided by BoardScreen / FacilitationMixin / Screen
        app: KamboardApp
        all_cards: dict[str, list[Card]]
        edits: Edits

        @property
        def lane(self) -> Lane: ...
        @property
        def history(self) -> History: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def reload(self, select: dict[str, str] | None = None) -> None: ...
        def refuse_sorted(self) -> bool: ...
        def show_cards(self, select: dict[str, str] | None = None, lanes: Any = LANES) -> None: ...
        def _focus_lane(self, lane: str) -> None: ...
        def _refuse_readonly(self) -> bool: ...
        def _selected(self) -> Card | None: ...

    def _full_index(self, card: Card) -> int:
        for index, other in enumerate(self.all_cards[card["lane"]]):
            if other["id"] == card["id"]:
                return index
        return len(self.all_cards[card["lane"]])

    # ---- edit ------------------------------------------------------------------------------------
    def action_edit(self, card: Card | None = None) -> None:
        if self._refuse_readonly():
            return
        card = card or self._selected()
        if card is None:
            return
        from kamboard.tui.screens.card_editor import CardEditor

        if self.edits.busy:  # saves pending: the card as shown (reading would wait for them)
            opened = dict(card)
        else:
            try:
                opened = self.app.store.card(card["id"])
            except BoardError as exc:
                self.app.report(exc)
                return
        # a support action answers challenges or topics; a challenge may answer topics
        lanes = ("challenge", "topic") if opened.get("lane") == "support" else ("topic",)
        choices = [
            (c["id"], f"{LANE_TITLES[c['lane']][:-1]}: {c.get('title', '')}")
            for lane in lanes
            for c in self.all_cards[lane]
            if c["id"] != opened["id"]
        ]
        self.app.push_screen(CardEditor(opened, choices), lambda changes: self._save_edit(opened, changes))

    def _save_edit(self, opened: Card, changes: dict[str, Any] | None, base: Card | None = None) -> None:
        if not changes:
            return
        try:
            clean = model.validate_card_fields(changes)
        except ValidationError as exc:
            self.app.report(exc)
            return
        card_id, was = opened["id"], base or opened
        entry = Entry(
            f"editing {opened.get('title', '')!r}",
            card_id,
            Spot({k: was.get(k) for k in clean}),
            Spot(clean),
        )
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history

        def run(store: BoardStore, _base: Card | None) -> Card:
            saved = store.update_card(card_id, changes, base=was)
            before = {k: was.get(k) for k in changes}  # after "keep mine": their value
            after = {k: saved.get(k) for k in changes}
            if before != after:
                history.edited(saved, before, after)
                _record(history, entry)
            return saved

        def done(saved: Card) -> None:
            dropped = getattr(saved, "dropped_links", None)
            if dropped:
                self.notify(
                    f"Saved; {len(dropped)} link(s) to cards deleted meanwhile were left out.",
                    severity="warning",
                    markup=False,
                )

        def failed(exc: Exception) -> None:
            if isinstance(exc, Conflict):
                from kamboard.tui.screens.dialogs import ConflictDialog

                self.app.push_screen(ConflictDialog(exc), lambda choice: self._resolve(opened, changes, exc, choice))
            elif isinstance(exc, NotFound):
                self._offer_restore(opened, changes)
            else:
                self.app.report(exc, prefix="Not saved: ")

        self.edits.save("Not saved", card_id, opened, run, done, failed, follows=False)

    def _resolve(self, opened: Card, changes: dict[str, Any], conflict: Conflict, choice: str | None) -> None:
        if choice == "both":  # free text: mine and theirs joined (ConflictDialog offers it then only)
            from kamboard.tui.screens.dialogs import keep_both

            changes = {**changes, **keep_both(conflict.fields)}
        elif choice != "mine":
            changes = {k: v for k, v in changes.items() if k not in conflict.fields}
        if not changes:
            self.notify("Kept their version.")
            return
        self._save_edit(opened, changes, base=conflict.current)

    def _offer_restore(self, opened: Card, changes: dict[str, Any]) -> None:
        from kamboard.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                self.notify("Your changes to the deleted card were dropped.", markup=False)
                return
            try:
                card = {**opened, **model.validate_card_fields(changes)}
            except ValidationError as exc:
                self.app.report(exc)
                return
            self._add(card, "restoring", lambda store: store.restore_card(card))

        self.app.push_screen(
            ConfirmDialog(
                "Card deleted meanwhile",
                f"{opened.get('title', '')!r} was deleted by someone else while you edited it. "
                "Restore it with your changes?",
                yes="Restore",
                no="Drop my changes",
            ),
            answered,
        )

    def _add(self, card: Card, what: str, make: Callable[[BoardStore], Card]) -> None:
        """Show ``card`` at once (by its position, else at the end of its lane) and save it with
        ``make``; undo deletes it."""
        lane = card["lane"]
        position = card.get("position")
        cards = self.all_cards.get(lane, [])
        index = None if position is None else sum(1 for c in cards if c.get("position", 0) < position)
        entry = Entry(f"adding {card.get('title', '')!r}", card["id"], Spot(None), Spot(card, lane, index))
        self.edits.recorded(entry)
        self.edits.show(card["id"], entry.after)
        history = self.history

        def run(store: BoardStore, _base: Card | None) -> Card:
            saved = make(store)
            history.added(saved)
            _record(history, entry)
            return saved

        self.edits.save(f"Not saved ({what} {card.get('title', '')!r})", card["id"], None, run, follows=False)

    # ---- move, reorder, delete -------------------------------------------------------------
    def action_move_lane(self, delta: int) -> None:
        if self._refuse_readonly() or (card := self._selected()) is None:
            return
        index = LANES.index(card["lane"]) + delta
        if not 0 <= index < len(LANES):
            self.notify(f"{LANE_TITLES[card['lane']]} is the {'first' if delta < 0 else 'last'} lane.")
            return
        target = LANES[index]
        source = (card["lane"], self._full_index(card))
        dest = (target, len(self.all_cards[target]))
        self._move(card, source, dest, end=True)
        self._focus_lane(target)

    def action_reorder(self, delta: int) -> None:
        if self._refuse_readonly() or self.refuse_sorted() or (card := self._selected()) is None:
            return
        lane = self.lane
        neighbour_at = lane.cursor + delta
        if not 0 <= neighbour_at < len(lane.cards):
            return
        neighbour = self._full_index(lane.cards[neighbour_at])
        self._move(card, (card["lane"], self._full_index(card)), (card["lane"], neighbour))

    def _move(self, card: Card, source: tuple[str, int], dest: tuple[str, int], end: bool = False) -> None:
        """Move ``card`` from ``source`` to ``dest`` (lane, index); ``end``: to the end of the lane."""
        card_id, lane = card["id"], dest[0]
        entry = Entry(
            f"moving {card.get('title', '')!r}",
            card_id,
            Spot({"lane": source[0]}, *source),
            Spot({"lane": lane}, lane, None if end else dest[1]),
        )
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history
        index = None if end else dest[1]

        def run(store: BoardStore, base: Card | None) -> Card:
            moved = store.move_card(card_id, lane, index, base=base)
            history.moved(moved, source, dest)
            _record(history, entry)
            return moved

        self.edits.save(f"Not moved ({card.get('title', '')!r})", card_id, card, run)

    def action_delete(self) -> None:
        if self._refuse_readonly() or (card := self._selected()) is None:
            return
        from kamboard.tui.screens.dialogs import ConfirmDialog

        shown = dict(card)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(shown)

        self.app.push_screen(
            ConfirmDialog("Delete card", f"Delete {card.get('title', '')!r}?", yes="Delete", no="Keep"), answered
        )

    def _delete(self, card: Card) -> None:
        card_id = card["id"]
        lane = card["lane"]
        index = self._full_index(card)
        title = card.get("title", "")
        entry = Entry(f"deleting {title!r}", card_id, Spot(user_fields(card), lane, index), Spot(None))
        self.edits.recorded(entry)
        self.edits.show(card_id, entry.after)
        history = self.history

        def run(store: BoardStore, base: Card | None) -> None:
            history.deleted(store.delete_card(card_id, base=base))
            _record(history, entry)

        self.edits.save(f"Not deleted ({title!r})", card_id, card, run)
        self.notify(f"Deleted {title!r}; u undoes.", markup=False)

    # ---- undo and redo -----------------------------------------------------------------------
    def action_undo(self) -> None:
        if not self._refuse_readonly():
            self.edits.undo()

    def action_redo(self) -> None:
        if not self._refuse_readonly():
            self.edits.undo(redo=True)
