"""Text from the file never reaches the terminal as control: editors and toasts show it visibly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, TextArea

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp

EVIL = "EVIL\x1b[2J\x1b]0;pwned\x07"


def _board(tmp_path: Path) -> tuple[BoardStore, str]:
    path = tmp_path / "b.json"
    store = BoardStore(path, user="eve", create=True)
    store.add_account("Acme")
    card = store.add_card("Acme", "topic", "placeholder")
    data = json.loads(path.read_text())
    for doc in data["cards"].values():  # as a hand-edited or hostile file would hold it
        doc["title"], doc["notes"] = EVIL, "line 1\n" + EVIL
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return BoardStore(path, user="eve"), card["id"]


async def test_card_editor_shows_control_characters_visibly(tmp_path: Path) -> None:
    store, _ = _board(tmp_path)
    app = KamboardApp(store, account="Acme")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        title = app.screen.query_one("#input-title", Input).value
        notes = app.screen.query_one("#input-notes", TextArea).text
        assert "\x1b" not in title and "\x07" not in title
        assert title.startswith("EVIL␛[2J")
        assert "\x1b" not in notes and notes.startswith("line 1\nEVIL␛")  # the newline stays


async def test_toasts_show_control_characters_visibly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(App, "notify", lambda self, message, *, title="", **kw: shown.append((message, title)))
    store, _ = _board(tmp_path)
    app = KamboardApp(store, account="Acme")
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify(f"Deleted {EVIL!s}\nsecond line", title=EVIL, markup=False)
        await pilot.pause()
        message, title = shown[-1]
        assert "\x1b" not in message and "\x1b" not in title
        assert message == "Deleted EVIL␛[2J␛]0;pwned␇\nsecond line"
