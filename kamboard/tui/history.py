"""Undo and redo of board changes, kept as pairs of store operations (no Textual here).

An undo or redo is a change made from a base like any other: it passes the store the card
as this user's own changes last left it (``History.bases``), so the store refuses it
(:class:`Conflict`) when someone else changed what it would overwrite. Undoing an add deletes
only an unchanged card, undoing a move moves back only from where this user left it, undoing
a delete restores only a card that is not back already; redo likewise. The commitments
review's decisions and the action plan's status changes are in the same history as the board's
changes: ``u`` on the board undoes them too.

A refused undo or redo is dropped from its list (it would be refused again: the base does not
change) and raised as :class:`UndoError` saying who changed what. An undo that failed for
another reason (lock held, disk full, read-only) stays for another try.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kamboard.errors import BoardError, Conflict, NotFound, UndoError
from kamboard.followup import REVIEW_FIELDS
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.stale import user_fields
from kamboard.store import BoardStore

Card = dict[str, Any]
# An operation applies itself to the store and returns the id of the card to select (or None).
Apply = Callable[[BoardStore], str | None]
# the store's refusals: the record changed, vanished or is back; trying again cannot help
REFUSED = (Conflict, NotFound, ValidationError)


@dataclass
class Step:
    """One change: what it was (for messages) and how to undo and redo it."""

    label: str
    undo: Apply
    redo: Apply
    entry: object = None  # how the board screen shows this change (kamboard.tui.edits.Entry)


def _title(card: Card) -> str:
    return repr(str(card.get("title", "")))


class History:
    """Undo and redo stacks for the changes made in this run."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self.done: list[Step] = []
        self.undone: list[Step] = []
        # per card id: its fields as this user's recorded changes (and undos) left them, the
        # base of the next undo or redo; a field someone else changed keeps this user's value
        self.bases: dict[str, Card] = {}

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)

    def push(self, step: Step) -> None:
        self.done.append(step)
        del self.done[: -self.limit]
        self.undone.clear()

    def undo(self, store: BoardStore) -> tuple[str, str | None]:
        """Undo the last change: (its label, card to select). Raises :class:`UndoError`."""
        return self._run(store, self.done, self.undone, "undo")

    def redo(self, store: BoardStore) -> tuple[str, str | None]:
        """Redo the last undone change: (its label, card to select). Raises :class:`UndoError`."""
        return self._run(store, self.undone, self.done, "redo")

    def _run(self, store: BoardStore, source: list[Step], target: list[Step], what: str) -> tuple[str, str | None]:
        step = source.pop()
        try:
            selected = step.undo(store) if what == "undo" else step.redo(store)
        except REFUSED as exc:
            raise UndoError(what, exc, dropped=True) from exc
        except BoardError as exc:
            source.append(step)
            raise UndoError(what, exc, dropped=False) from exc
        target.append(step)
        return step.label, selected

    # the bases
    def _keep(self, card: Card, fields: Iterable[str] | None = None) -> str:
        """Remember ``card`` as saved: all its fields (None), or only ``fields``; returns its id."""
        card_id = str(card["id"])
        if fields is None:
            self.bases[card_id] = user_fields(card)
        else:
            self.bases.setdefault(card_id, {"id": card_id}).update({k: card.get(k) for k in fields})
        return card_id

    def _delete(self, store: BoardStore, card_id: str) -> Card:
        deleted = store.delete_card(card_id, base=self.bases[card_id])
        self.bases.pop(card_id, None)
        return deleted

    def _restore(self, store: BoardStore, card: Card) -> str:
        return self._keep(store.restore_card(card))

    # recording: each takes the card as the store returned it
    def added(self, card: Card) -> None:
        saved: dict[str, Card] = {"card": card}
        card_id = self._keep(card)

        def undo(store: BoardStore) -> str | None:
            saved["card"] = self._delete(store, card_id)
            return None

        def redo(store: BoardStore) -> str | None:
            return self._restore(store, saved["card"])

        self.push(Step(_("adding {title}").format(title=_title(card)), undo, redo))

    def edited(self, saved: Card, before: Card, after: Card, label: str = "") -> None:
        """An edit that left the card as ``saved``; undo and redo refuse (Conflict) to overwrite
        a field someone else changed since, instead of losing their change. ``label``: how the
        undo's notice names it ('' : "editing 'TITLE'")."""
        card_id = self._keep(saved, after)

        def apply(changes: Card) -> Apply:
            def run(store: BoardStore) -> str | None:
                return self._keep(store.update_card(card_id, changes, base=self.bases[card_id]), changes)

            return run

        self.push(Step(label or _("editing {title}").format(title=_title(saved)), apply(before), apply(after)))

    def reviewed(self, saved: Card, before: Card, label: str) -> None:
        """A commitments review decision that left the card as ``saved`` (what ``review_commitment``
        returned); ``before``: the card just before it. Undo and redo put back only what the
        decision changed (``REVIEW_FIELDS``), and refuse (Conflict) when someone changed it since."""
        fields = [k for k in REVIEW_FIELDS if before.get(k) != saved.get(k)]
        card_id = self._keep(saved, fields)

        def apply(values: Card) -> Apply:
            def run(store: BoardStore) -> str | None:
                return self._keep(store.set_review_fields(card_id, values, base=self.bases[card_id]), fields)

            return run

        was, now = ({k: card.get(k) for k in fields} for card in (before, saved))
        self.push(Step(label, apply(was), apply(now)))

    def moved(self, saved: Card, source: tuple[str, int], target: tuple[str, int]) -> None:
        """A move that left the card as ``saved`` (what ``move_card`` returned), from ``source``
        to ``target`` (lane, index)."""
        place = ("lane", "position")
        card_id = self._keep(saved, place)

        def apply(lane: str, index: int) -> Apply:
            def run(store: BoardStore) -> str | None:
                return self._keep(store.move_card(card_id, lane, index, base=self.bases[card_id]), place)

            return run

        self.push(Step(_("moving {title}").format(title=_title(saved)), apply(*source), apply(*target)))

    def deleted(self, card: Card) -> None:
        """A delete; ``card`` is the card as it was (what ``delete_card`` returned)."""
        saved: dict[str, Card] = {"card": card}
        card_id = str(card["id"])
        self.bases.pop(card_id, None)

        def undo(store: BoardStore) -> str | None:
            return self._restore(store, saved["card"])

        def redo(store: BoardStore) -> str | None:
            saved["card"] = self._delete(store, card_id)
            return None

        self.push(Step(_("deleting {title}").format(title=_title(card)), undo, redo))
