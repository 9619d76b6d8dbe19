"""Fixtures for the TUI tests: a small board built with a fixed clock; every app records its notices."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
from board_helpers import NOTICES, make_store
from textual.app import App
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from kamboard.store import BoardStore


@pytest.fixture(autouse=True)
def _record_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``run_test`` records the app's notices (Textual's Notify messages, after the app's own
    ``notify`` made control characters visible) for ``board_helpers.notifications(app)``."""
    run_test = App.run_test

    def recording_run_test(app: App[Any], **options: Any) -> AbstractAsyncContextManager[Pilot[Any]]:
        given = options.pop("message_hook", None)

        def hook(message: Message) -> None:
            if isinstance(message, Notify):
                NOTICES.setdefault(app, []).append(message.notification.message)
            if given is not None:
                given(message)

        return run_test(app, message_hook=hook, **options)

    monkeypatch.setattr(App, "run_test", recording_run_test)


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
