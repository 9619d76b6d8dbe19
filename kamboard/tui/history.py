"""Undo and redo of board changes, kept as pairs of store operations (no Textual here).

Each recorded change knows how to undo and redo itself through the store's own methods,
so an undo is an ordinary, logged, conflict-checked change like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kamboard.store import BoardStore

Card = dict[str, Any]
# An operation applies itself to the store and returns the id of the card to select (or None).
Apply = Callable[[BoardStore], str | None]


@dataclass
class Step:
    """One change: what it was (for messages) and how to undo and redo it."""

    label: str
    undo: Apply
    redo: Apply


def _title(card: Card) -> str:
    return repr(str(card.get("title", "")))


class History:
    """Undo and redo stacks for the changes made in this run."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self.done: list[Step] = []
        self.undone: list[Step] = []

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
        """Undo the last change: (its label, card to select). Raises the store's errors; the step is then dropped."""
        step = self.done.pop()
        selected = step.undo(store)
        self.undone.append(step)
        return step.label, selected

    def redo(self, store: BoardStore) -> tuple[str, str | None]:
        step = self.undone.pop()
        selected = step.redo(store)
        self.done.append(step)
        return step.label, selected

    # recording
    def added(self, card: Card) -> None:
        saved: dict[str, Card] = {"card": card}

        def undo(store: BoardStore) -> str | None:
            saved["card"] = store.delete_card(card["id"])
            return None

        def redo(store: BoardStore) -> str | None:
            return store.restore_card(saved["card"])["id"]

        self.push(Step(f"adding {_title(card)}", undo, redo))

    def edited(self, saved: Card, before: Card, after: Card) -> None:
        """An edit that left the card as ``saved``; undo and redo refuse (Conflict) to overwrite
        a field someone else changed since, instead of losing their change."""
        card_id = saved["id"]
        state: dict[str, Card] = {"doc": saved}

        def undo(store: BoardStore) -> str | None:
            state["doc"] = store.update_card(card_id, before, base=state["doc"])
            return card_id

        def redo(store: BoardStore) -> str | None:
            state["doc"] = store.update_card(card_id, after, base=state["doc"])
            return card_id

        self.push(Step(f"editing {_title(saved)}", undo, redo))

    def moved(self, card: Card, source: tuple[str, int], target: tuple[str, int]) -> None:
        card_id = card["id"]

        def undo(store: BoardStore) -> str | None:
            return store.move_card(card_id, source[0], source[1])["id"]

        def redo(store: BoardStore) -> str | None:
            return store.move_card(card_id, target[0], target[1])["id"]

        self.push(Step(f"moving {_title(card)}", undo, redo))

    def deleted(self, card: Card) -> None:
        saved: dict[str, Card] = {"card": card}

        def undo(store: BoardStore) -> str | None:
            restored = store.restore_card(saved["card"])
            return restored["id"]

        def redo(store: BoardStore) -> str | None:
            saved["card"] = store.delete_card(card["id"])
            return None

        self.push(Step(f"deleting {_title(card)}", undo, redo))
