"""`kamboard account ...`: add, list, rename, archive key accounts."""

from __future__ import annotations

from .base import cli


@cli.group("account")
def account() -> None:
    """Key accounts: add, list, rename, archive."""
