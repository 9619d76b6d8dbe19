"""Conflicts to review in the TUI: the board's count, the review screen (keys, mouse, values
shown literally), and conflicted copies a sync tool leaves beside the board merged at the start
and while the app runs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from board_helpers import TODAY, notifications, wait_for, wait_for_saves
from test_followup_tui import palette_entries
from textual.widgets import Button, OptionList, Static

from kamboard.storage import BACKUP_DIR
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.conflicts import ConflictsScreen

SIZE = (100, 30)
DROPBOX = "board (Bob's conflicted copy 2026-03-16).json"


def clock(at: str) -> Any:
    return lambda: at


def anna_and_bob(path: Path, copy: Path) -> tuple[BoardStore, BoardStore]:
    """Anna's board and Bob's copy of it (as a sync tool forks it), both with ACME and two cards."""
    anna = BoardStore(path, "anna", create=True, clock=clock("2026-03-16T09:00:00Z"))
    acme = anna.add_account("ACME", "Alice", id="a" * 32)
    anna.add_card(acme["id"], "topic", "Pricing", id="1" * 32)  # fixed ids: a fixed order on screen
    anna.add_card(acme["id"], "topic", "Roadmap", notes="First notes", id="2" * 32)
    shutil.copyfile(path, copy)
    anna.clock = clock("2026-03-16T09:30:00Z")
    bob = BoardStore(copy, "bob", clock=clock("2026-03-16T10:00:00Z"))
    return anna, bob


def card_id(store: BoardStore, title: str) -> str:
    return next(c["id"] for c in store.cards() if c["title"] == title)


@pytest.fixture
def conflicted(tmp_path: Path) -> BoardStore:
    """Anna's board after merging Bob's copy: two conflicts (a title, notes); Bob's later values shown."""
    path, copy = tmp_path / "board.json", tmp_path / "copy.json"
    anna, bob = anna_and_bob(path, copy)
    pricing, roadmap = card_id(anna, "Pricing"), card_id(anna, "Roadmap")
    bob.update_card(pricing, {"title": "Pricing 2027"})
    bob.update_card(roadmap, {"notes": "Bob's notes\nsecond line"})
    anna.update_card(pricing, {"title": "Pricing model"})
    anna.update_card(roadmap, {"notes": "Anna's notes"})
    anna.merge_from(copy)
    copy.unlink()
    assert len(anna.conflicts()) == 2
    return anna


def title_bar(app: KamboardApp) -> str:
    return str(app.screen.query_one("#title-bar", Static).render())


def shown(app: KamboardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_review(pilot: Any) -> ConflictsScreen:
    await pilot.press("C")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConflictsScreen)
    return screen


# ---- the board's count and the review screen ------------------------------------------
async def test_the_board_counts_conflicts_and_c_opens_the_review(conflicted: BoardStore) -> None:
    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        assert "2 conflicts to review (C)" in title_bar(app)
        screen = await open_review(pilot)
        options = screen.query_one(OptionList)
        assert options.option_count == 2
        assert "2 conflicts to review" in shown(app, "#conflicts-title")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert any("Pricing 2027 · title" in line and "(bob / anna)" in line for line in lines)
        options.highlighted = next(i for i, line in enumerate(lines) if "· title" in line)
        await pilot.pause()
        # both values side by side, who and when
        assert shown(app, "#this-value") == "Pricing 2027"
        assert shown(app, "#that-value") == "Pricing model"
        assert "changed by bob, 2026-03-16 10:00" in shown(app, "#this-head")
        assert "changed by anna, 2026-03-16 09:30" in shown(app, "#that-head")
        this, that = app.screen.query_one("#side-this"), app.screen.query_one("#side-that")
        assert this.region.y == that.region.y and this.region.right <= that.region.x
        assert "Keep both" in str(screen.query_one("#keep-both", Button).label)


async def test_keys_resolve_and_the_count_drops(conflicted: BoardStore) -> None:
    pricing, roadmap = card_id(conflicted, "Pricing 2027"), card_id(conflicted, "Roadmap")
    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        first = screen.current
        assert first is not None
        await pilot.press("2")  # keep that: the other value
        await wait_for_saves(app)
        assert len(conflicted.conflicts()) == 1
        assert screen.query_one(OptionList).option_count == 1
        second = screen.current
        assert second is not None and second.id != first.id
        await pilot.press("1")  # keep this: the value shown
        await wait_for_saves(app)
        assert conflicted.conflicts() == []
        assert "none left" in shown(app, "#conflicts-title")
        assert not app.screen.query_one("#conflict-detail").display
        await pilot.press("q")
        await wait_for_saves(app)
        assert isinstance(app.screen, BoardScreen)
        assert "conflict" not in title_bar(app)
    kept = {first.id: first.other_value, second.id: second.value}
    assert conflicted.card(pricing)["title"] == kept[pricing]
    assert conflicted.card(roadmap)["notes"] == kept[roadmap]


async def test_keep_both_joins_texts(conflicted: BoardStore) -> None:
    pricing, roadmap = card_id(conflicted, "Pricing 2027"), card_id(conflicted, "Roadmap")
    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("b", "b")
        await wait_for_saves(app)
        assert conflicted.conflicts() == []
    assert conflicted.card(pricing)["title"] == "Pricing 2027 / Pricing model"
    assert conflicted.card(roadmap)["notes"] == "Bob's notes\nsecond line\n\nAnna's notes"


async def test_next_previous_and_the_mouse(conflicted: BoardStore) -> None:
    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        options = screen.query_one(OptionList)
        assert options.highlighted == 0
        await pilot.press("n")
        assert options.highlighted == 1
        await pilot.press("n")  # stays on the last
        assert options.highlighted == 1
        await pilot.press("p")
        assert options.highlighted == 0
        await pilot.click("#conflicts-list", offset=(5, 2))  # the second line of the list
        assert options.highlighted == 1
        other = screen.current
        assert other is not None
        await pilot.click("#keep-theirs")
        await wait_for_saves(app)
        assert len(conflicted.conflicts()) == 1
        assert conflicted.card(other.id)[other.field] == other.other_value
        await pilot.click("#back")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert "1 conflict to review (C)" in title_bar(app)


async def test_it_fits_80x24(conflicted: BoardStore) -> None:
    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        for button in screen.query(Button):
            assert button.region.right <= 80 and button.region.bottom <= 22 and button.region.height == 3
        assert screen.query_one("#this-value").region.height >= 1


async def test_values_are_shown_literally(tmp_path: Path) -> None:
    path, copy = tmp_path / "board.json", tmp_path / "copy.json"
    anna, bob = anna_and_bob(path, copy)
    pricing = card_id(anna, "Pricing")
    bob.update_card(pricing, {"title": "[bold]Bob[/bold] [link=x]"})
    anna.update_card(pricing, {"title": "[red]Anna"})
    anna.merge_from(copy)
    app = KamboardApp(anna, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        assert shown(app, "#this-value") == "[bold]Bob[/bold] [link=x]"
        assert shown(app, "#that-value") == "[red]Anna"


async def test_a_deleted_card_changed_elsewhere(tmp_path: Path) -> None:
    path, copy = tmp_path / "board.json", tmp_path / "copy.json"
    anna, bob = anna_and_bob(path, copy)
    pricing = card_id(anna, "Pricing")
    anna.delete_card(pricing)
    bob.update_card(pricing, {"title": "Pricing 2027"})
    anna.merge_from(copy)
    assert [c.deleted for c in anna.conflicts()] == [True]
    app = KamboardApp(anna, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert "deleted by anna" in shown(app, "#that-head")
        assert shown(app, "#that-value") == "(deleted)"
        assert str(screen.query_one("#keep-theirs", Button).label) == "Delete it (2)"
        assert screen.query_one("#keep-both", Button).disabled
        await pilot.press("2")
        await wait_for_saves(app)
    assert anna.conflicts() == []
    assert "Pricing 2027" not in [c["title"] for c in anna.cards()]


def test_review_screen_snapshot(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("board.json")
    anna, bob = anna_and_bob(path, Path("copy.json"))
    bob.update_card("1" * 32, {"title": "Pricing 2027"})
    bob.update_card("2" * 32, {"notes": "Bob's notes:\n- pilot first\n- then the roll-out"})
    anna.update_card("1" * 32, {"title": "Pricing model"})
    anna.update_card("2" * 32, {"notes": "Anna's notes"})
    anna.merge_from(Path("copy.json"))
    app = KamboardApp(anna, account="ACME", today=TODAY)

    async def review(pilot: Any) -> None:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=review)


async def test_the_palette_lists_the_review(conflicted: BoardStore) -> None:
    from kamboard.tui.commands import binding_commands

    app = KamboardApp(conflicted, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE):
        titles = [command.title for command in binding_commands(app.screen)]
        assert "Review conflicts (merged copies)" in titles


async def test_the_accounts_screen_palette_offers_the_review(conflicted: BoardStore) -> None:
    app = KamboardApp(conflicted, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        command = (await palette_entries(app))["Review conflicts (merged copies)"]
        assert (command.help or "").startswith("2 conflicts to review")
        command.command()
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        await pilot.press("1", "1")
        await wait_for_saves(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Review conflicts (merged copies)" not in await palette_entries(app)


# ---- conflicted copies beside the board --------------------------------------------------
async def test_a_copy_there_at_the_start_is_merged(tmp_path: Path) -> None:
    path, copy = tmp_path / "board.json", tmp_path / DROPBOX
    anna, bob = anna_and_bob(path, copy)
    bob.add_card(bob.account("ACME")["id"], "challenge", "Cost pressure")
    app = KamboardApp(anna, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        assert await wait_for(pilot, lambda: any("Merged Bob's conflicted copy" in n for n in notifications(app)))
        assert "Merged Bob's conflicted copy (Dropbox): 1 card" in notifications(app)
        assert await wait_for(pilot, lambda: [c["title"] for c in board.lanes["challenge"].cards] == ["Cost pressure"])
    assert not copy.exists()
    assert (tmp_path / BACKUP_DIR / DROPBOX).is_file()


async def test_a_copy_arriving_while_the_app_runs_is_merged_and_counted(tmp_path: Path) -> None:
    path, fork = tmp_path / "board.json", tmp_path / "elsewhere.json"
    anna, bob = anna_and_bob(path, fork)
    pricing = card_id(anna, "Pricing")
    bob.update_card(pricing, {"title": "Pricing 2027"})
    app = KamboardApp(anna, account="ACME", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        anna.update_card(pricing, {"title": "Pricing model"})
        shutil.copyfile(fork, tmp_path / "board.sync-conflict-20260316-100000-BOBLAPT.json")
        app.copies.check()  # what the app's interval does every few seconds
        assert await wait_for(pilot, lambda: any("Syncthing" in n for n in notifications(app)))
        assert (
            "Merged the conflicted copy from device BOBLAPT (Syncthing): 1 card, 1 conflict to review. "
            "C on a board reviews them."
        ) in notifications(app)
        assert await wait_for(pilot, lambda: "1 conflict to review (C)" in title_bar(app))


async def test_a_copy_of_another_board_is_said_once(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    store = BoardStore(path, "anna", create=True)
    store.add_account("ACME")
    BoardStore(tmp_path / "other.json", "bob", create=True)
    copy = tmp_path / "board (conflicted copy 2026-03-16 100000).json"
    shutil.copyfile(tmp_path / "other.json", copy)
    app = KamboardApp(store, account="ACME", today=TODAY)
    said = f"Left {copy.name} alone: not a copy of this board (another board id)"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: said in notifications(app))
        (tmp_path / "unrelated.txt").write_text("the folder changed")
        app.copies.check()
        await wait_for_saves(app)
        assert notifications(app).count(said) == 1
    assert copy.exists()
