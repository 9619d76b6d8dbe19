"""Fixtures for the TUI tests: a small board built with a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from board_helpers import make_store

from kamboard.store import BoardStore


@pytest.fixture
def board_path(tmp_path: Path) -> Path:
    return tmp_path / "board.json"


@pytest.fixture
def store(board_path: Path) -> BoardStore:
    """A board with one account, ACME, holding a few cards in each lane."""
    s = make_store(board_path)
    acme = s.add_account("ACME", "Alice")
    for title in ("Growth in Asia", "New CEO", "Supply chain"):
        s.add_card(acme["id"], "topic", title)
    challenge = s.add_card(acme["id"], "challenge", "Cost pressure", tags=["cost"])
    s.add_card(acme["id"], "challenge", "Skills gap")
    s.add_card(
        acme["id"],
        "support",
        "Joint pilot",
        owner="Bob",
        side="us",
        due="2026-03-01",
        status="agreed",
        links=[challenge["id"]],
    )
    s.add_card(acme["id"], "support", "Training", owner="Carla", side="customer", due="2026-05-01", status="proposed")
    s.add_account("Globex", "Gina")
    return s
