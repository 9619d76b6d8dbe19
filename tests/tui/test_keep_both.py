"""The card editor's conflict dialog keeps both texts when asked: a title joined with " / ",
notes and benefits with a blank line between; offered for free text only."""

from __future__ import annotations

from pathlib import Path

from board_helpers import TODAY, wait_for_saves
from modal_harness import Harness
from textual.widgets import Input

from kamboard.errors import Conflict
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConflictDialog, can_keep_both, keep_both

SIZE = (100, 30)


def test_keep_both_joins_titles_and_notes() -> None:
    assert keep_both({"title": ("Mine", "Theirs")}) == {"title": "Mine / Theirs"}
    assert keep_both({"notes": ("a\nb", "c")}) == {"notes": "a\nb\n\nc"}
    assert keep_both({"title": ("Same", "Same"), "our_benefit": ("", "x")}) == {"title": "Same", "our_benefit": "x"}
    assert can_keep_both({"title": ("a", "b"), "notes": ("c", None)})
    assert not can_keep_both({"title": ("a", "b"), "due": ("2026-01-01", "2026-02-01")})
    assert not can_keep_both({"tags": (["a"], ["b"])})


async def test_dialog_offers_keep_both_for_text_only() -> None:
    text = Conflict("c1", {"title": ("Mine", "Theirs")}, {"id": "c1", "updated_by": "bob"})
    app = Harness(lambda: ConflictDialog(text))
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query("#both")
        await pilot.press("b")
        await pilot.pause()
    assert app.results == ["both"]
    dates = Conflict("c1", {"due": ("2026-01-01", "2026-02-01")}, {"id": "c1", "updated_by": "bob"})
    app = Harness(lambda: ConflictDialog(dates))
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query("#both")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
    assert app.results == []


async def test_dialog_keep_both_button() -> None:
    conflict = Conflict("c1", {"notes": ("Mine", "Theirs")}, {"id": "c1", "updated_by": "bob"})
    app = Harness(lambda: ConflictDialog(conflict))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#both")
        await pilot.pause()
    assert app.results == ["both"]


async def test_editor_conflict_keep_both_saves_the_joined_title(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, "anna", create=True)
    acme = store.add_account("ACME")
    card = store.add_card(acme["id"], "topic", "New CEO")
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        BoardStore(path, "bob").update_card(card["id"], {"title": "New CEO (Bob)"})
        editor.query_one("#input-title", Input).value = "New CEO (mine)"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("b")
        await wait_for_saves(app)
        assert isinstance(app.screen, BoardScreen)
    assert store.card(card["id"])["title"] == "New CEO (mine) / New CEO (Bob)"
