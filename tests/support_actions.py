"""A support action as most tests need one: owned, dated, agreed, with both benefits (no gap)."""

from __future__ import annotations

from typing import Any

from kamboard.store import BoardStore

ACTION: dict[str, Any] = {
    "owner": "Bob",
    "side": "us",
    "due": "2026-06-30",
    "status": "agreed",
    "customer_benefit": "Lower energy bill",
    "our_benefit": "Reference customer",
}


def add_support_action(store: BoardStore, account: str, title: str, **fields: Any) -> dict[str, Any]:
    """Add a complete support action to ``account``; ``fields`` override or add to ``ACTION``'s."""
    return store.add_card(account, "support", title, **{**ACTION, **fields})
