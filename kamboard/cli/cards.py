"""`kamboard card ...`: add, list, show, edit, move, delete cards."""

from __future__ import annotations

from .base import cli


@cli.group("card")
def card() -> None:
    """Cards in an account's lanes (topic, challenge, support)."""
