"""The card-change keys of the board screen: edit, move, reorder, delete, undo and redo.

``BoardEditMixin`` gives ``BoardScreen`` its card keys (e, H/L, K/J, d, u, ctrl+r); they and the
quick-add, votes and timer keys go through the screen's ``Edits`` (kamboard/tui/edits.py), which
shows each change at once and saves it in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kamboard import model
from kamboard.errors import BoardError, Conflict, NotFound
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.stale import user_fields
from kamboard.tui.edits import Card, Edits, Entry, Spot, _record

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.history import History
    from kamboard.tui.widgets.lane import Lane


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
