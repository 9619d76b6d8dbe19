"""Card changes on the board: edit (with conflicts and restore), move, reorder, delete, undo/redo.

``BoardEditMixin`` is mixed into ``BoardScreen``; every change goes through the store and is
recorded in the run's history so u and ctrl+r can take it back.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from kamboard import model
from kamboard.errors import BoardError, Conflict, NotFound
from kamboard.model import LANE_TITLES, LANES, ValidationError

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.history import History
    from kamboard.tui.widgets.lane import Lane

Card = dict[str, Any]


class BoardEditMixin:
    """The card-change keys of the board screen (e, H/L, K/J, d, u, ctrl+r)."""

    if TYPE_CHECKING:  # provided by BoardScreen / FacilitationMixin / Screen
        app: KamboardApp
        all_cards: dict[str, list[Card]]

        @property
        def lane(self) -> Lane: ...
        @property
        def history(self) -> History: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def reload(self, select: dict[str, str] | None = None) -> None: ...
        def refuse_sorted(self) -> bool: ...
        def _focus_lane(self, lane: str) -> None: ...
        def _refuse_readonly(self) -> bool: ...
        def _selected(self) -> Card | None: ...
        def _after_change(self, select: dict[str, str] | None = None) -> None: ...

    def _full_index(self, card: Card) -> int:
        for index, other in enumerate(self.all_cards[card["lane"]]):
            if other["id"] == card["id"]:
                return index
        return len(self.all_cards[card["lane"]])

    def action_edit(self, card: Card | None = None) -> None:
        if self._refuse_readonly():
            return
        card = card or self._selected()
        if card is None:
            return
        from kamboard.tui.screens.card_editor import CardEditor

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
        store = self.app.store
        try:
            saved = store.update_card(opened["id"], changes, base=base or opened)
        except Conflict as exc:
            from kamboard.tui.screens.dialogs import ConflictDialog

            conflict = exc
            self.app.push_screen(
                ConflictDialog(conflict), lambda choice: self._resolve(opened, changes, conflict, choice)
            )
            return
        except NotFound:
            self._offer_restore(opened, changes)
            return
        except (BoardError, ValidationError) as exc:
            self.app.report(exc)
            return
        before = {k: (base or opened).get(k) for k in changes}  # after "keep mine": their value
        after = {k: saved.get(k) for k in changes}
        if before != after:
            self.history.edited(saved, before, after)
        self._after_change({saved["lane"]: saved["id"]})

    def _resolve(self, opened: Card, changes: dict[str, Any], conflict: Conflict, choice: str | None) -> None:
        if choice != "mine":
            changes = {k: v for k, v in changes.items() if k not in conflict.fields}
        if not changes:
            self.notify("Kept their version.")
            self.reload()
            return
        self._save_edit(opened, changes, base=conflict.current)

    def _offer_restore(self, opened: Card, changes: dict[str, Any]) -> None:
        from kamboard.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                self.notify("Your changes to the deleted card were dropped.", markup=False)
                return
            try:
                restored = self.app.store.restore_card({**opened, **model.validate_card_fields(changes)})
            except (BoardError, ValidationError) as exc:
                self.app.report(exc)
                return
            self.history.added(restored)
            self._after_change({restored["lane"]: restored["id"]})

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

    def action_move_lane(self, delta: int) -> None:
        if self._refuse_readonly() or (card := self._selected()) is None:
            return
        index = LANES.index(card["lane"]) + delta
        if not 0 <= index < len(LANES):
            self.notify(f"{LANE_TITLES[card['lane']]} is the {'first' if delta < 0 else 'last'} lane.")
            return
        target = LANES[index]
        source = (card["lane"], self._full_index(card))
        try:
            moved = self.app.store.move_card(card["id"], target, base=card)
        except (BoardError, ValidationError) as exc:
            self.app.report(exc)
            return
        self.history.moved(moved, source, (target, len(self.all_cards[target])))
        self._after_change({target: moved["id"]})
        self._focus_lane(target)

    def action_reorder(self, delta: int) -> None:
        if self._refuse_readonly() or self.refuse_sorted() or (card := self._selected()) is None:
            return
        lane = self.lane
        neighbour_at = lane.cursor + delta
        if not 0 <= neighbour_at < len(lane.cards):
            return
        neighbour = self._full_index(lane.cards[neighbour_at])
        source = (card["lane"], self._full_index(card))
        try:
            moved = self.app.store.move_card(card["id"], card["lane"], neighbour, base=card)
        except (BoardError, ValidationError) as exc:
            self.app.report(exc)
            return
        self.history.moved(moved, source, (card["lane"], neighbour))
        self._after_change({card["lane"]: card["id"]})

    def action_delete(self) -> None:
        if self._refuse_readonly() or (card := self._selected()) is None:
            return
        from kamboard.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                deleted = self.app.store.delete_card(card["id"], base=card)
            except (BoardError, ValidationError) as exc:
                self.app.report(exc)
                return
            self.history.deleted(deleted)
            self._after_change()
            self.notify(f"Deleted {deleted['title']!r}; u undoes.", markup=False)

        self.app.push_screen(
            ConfirmDialog("Delete card", f"Delete {card.get('title', '')!r}?", yes="Delete", no="Keep"), answered
        )

    def _undo_redo(self, redo: bool) -> None:
        if self._refuse_readonly():
            return
        history = self.history
        if not (history.can_redo if redo else history.can_undo):
            self.notify(f"Nothing to {'redo' if redo else 'undo'}.")
            return
        try:
            label, card_id = history.redo(self.app.store) if redo else history.undo(self.app.store)
        except BoardError as exc:  # an UndoError: its text says what and whether the step is dropped
            self.app.report(exc)
            self.reload()
            return
        select: dict[str, str] = {}
        if card_id:
            with suppress(BoardError):
                select[self.app.store.card(card_id)["lane"]] = card_id
        self._after_change(select)
        if select:
            self._focus_lane(next(iter(select)))
        self.notify(f"{'Redone' if redo else 'Undone'}: {label}", markup=False)

    def action_undo(self) -> None:
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        self._undo_redo(redo=True)
