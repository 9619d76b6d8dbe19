"""Live sharing: another process writes the board file while the app runs."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from board_helpers import TODAY, lane_titles, notifications, wait_for, wait_for_saves
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConfirmDialog, ConflictDialog
from kamboard.tui.screens.presenter import PresenterScreen
from kamboard.workshop import new_agenda_item


def board_app(store: BoardStore) -> KamboardApp:
    return KamboardApp(store, account="ACME", today=TODAY)


def other(board_path: Path) -> tuple[BoardStore, str]:
    """A second writer on the same file, as another user would be."""
    bob = BoardStore(board_path, user="bob")
    return bob, bob.account("ACME")["id"]


async def test_change_by_another_process_appears_and_focus_stays(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("l", "j")
        lane = board.lanes["challenge"]
        assert lane.selected_card["title"] == "Skills gap"
        bob, acme = other(board_path)
        started = time.monotonic()
        bob.add_card(acme, "challenge", "Inflation", index=0)
        assert await wait_for(pilot, lambda: "Inflation" in lane_titles(lane), timeout=3)
        assert time.monotonic() - started < 1.5
        assert lane_titles(lane) == ["Inflation", "Cost pressure", "Skills gap"]
        assert app.focused is lane
        assert lane.selected_card["title"] == "Skills gap"  # the selection follows the card, not the row
        assert await wait_for(pilot, lambda: any("bob" in n and "Inflation" in n for n in notifications(app)))
        # the accounts screen below is refreshed too
        await pilot.press("escape")
        await pilot.pause()
        table_text = str(app.screen.query_one("DataTable").get_row_at(0))
        assert "3" in table_text


async def test_others_votes_show_without_a_notice_and_news_replace_each_other(
    store: BoardStore, board_path: Path
) -> None:
    """12 participants voting made a stack of "Changed by others" toasts over the board."""
    workshop = store.add_workshop("ACME", "Spring", participants=[{"name": "bob", "side": "customer", "role": ""}])
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        bob, acme = other(board_path)
        card = bob.cards(acme, "challenge")[0]
        bob.vote(card["id"], "bob", workshop["id"])
        assert await wait_for(pilot, lambda: board.lanes["challenge"].cards[0].get("votes") == 1, timeout=5)
        await pilot.pause(0.6)  # one more poll
        assert not [n for n in notifications(app) if "bob" in n]
        toasts = lambda: [n for n in app._notifications if n.title == "Changed by others"]  # noqa: E731
        bob.add_card(acme, "topic", "First news")
        assert await wait_for(pilot, lambda: any("First news" in n.message for n in toasts()))
        bob.add_card(acme, "topic", "Second news")
        assert await wait_for(pilot, lambda: any("Second news" in n.message for n in toasts()))
        await pilot.pause()
        assert len(toasts()) == 1  # the second replaced the first


async def test_own_changes_are_not_announced(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Mine", "enter", "escape")
        await pilot.pause(1.2)
        assert not any("Mine" in n for n in notifications(app))


async def test_open_editor_stays_open_while_the_board_refreshes(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        editor.query_one("#input-title", Input).value = "Growth in Asia and India"
        bob, acme = other(board_path)
        bob.add_card(acme, "topic", "From Bob")
        assert await wait_for(pilot, lambda: "From Bob" in lane_titles(board.lanes["topic"]))
        assert app.screen is editor
        assert editor.query_one("#input-title", Input).value == "Growth in Asia and India"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert store.cards(acme, "topic")[0]["title"] == "Growth in Asia and India"


async def test_untouched_fields_merge_silently(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        bob, acme = other(board_path)
        card = bob.cards(acme, "topic")[0]
        bob.update_card(card["id"], {"notes": "Bob's notes"})
        editor.query_one("#input-title", Input).value = "Growth in APAC"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert not isinstance(app.screen, ConflictDialog)
        saved = bob.card(card["id"])
        assert (saved["title"], saved["notes"]) == ("Growth in APAC", "Bob's notes")


async def test_conflict_keep_mine(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        bob, acme = other(board_path)
        card_id = bob.cards(acme, "topic")[1]["id"]
        bob.update_card(card_id, {"title": "New CEO (Bob)"})
        editor.query_one("#input-title", Input).value = "New CEO (mine)"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, ConflictDialog)
        assert app.screen.conflict.fields["title"] == ("New CEO (mine)", "New CEO (Bob)")
        await pilot.press("m")
        await wait_for_saves(app)
        assert isinstance(app.screen, BoardScreen)
        assert bob.card(card_id)["title"] == "New CEO (mine)"
        await pilot.press("u")  # undoing the resolved edit brings back their value, not the old one
        await wait_for_saves(app)
        assert bob.card(card_id)["title"] == "New CEO (Bob)"


async def test_conflict_keep_theirs_still_saves_my_other_fields(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        bob, acme = other(board_path)
        card_id = bob.cards(acme, "topic")[1]["id"]
        bob.update_card(card_id, {"title": "New CEO (Bob)"})
        editor.query_one("#input-title", Input).value = "New CEO (mine)"
        editor.query_one("#input-notes", TextArea).text = "My notes"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("t")
        await wait_for_saves(app)
        saved = bob.card(card_id)
        assert (saved["title"], saved["notes"]) == ("New CEO (Bob)", "My notes")


async def test_card_deleted_meanwhile_can_be_restored(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("j", "e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        bob, acme = other(board_path)
        card_id = bob.cards(acme, "topic")[1]["id"]
        bob.delete_card(card_id)
        assert await wait_for(pilot, lambda: "New CEO" not in lane_titles(board.lanes["topic"]))
        assert app.screen is editor
        editor.query_one("#input-title", Input).value = "New CEO, restored"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_for_saves(app)
        assert bob.card(card_id)["title"] == "New CEO, restored"
        assert "New CEO, restored" in lane_titles(board.lanes["topic"])


async def test_broken_file_from_another_process_is_reported_then_recovers(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        good = board_path.read_bytes()
        board_path.write_text('{"cards": ')
        assert await wait_for(pilot, lambda: any("not valid JSON" in n for n in notifications(app)))
        assert lane_titles(board.lanes["topic"]) == ["Growth in Asia", "New CEO", "Supply chain"]
        board_path.write_bytes(good)
        bob, acme = other(board_path)
        bob.add_card(acme, "topic", "After repair")
        assert await wait_for(pilot, lambda: "After repair" in lane_titles(board.lanes["topic"]))


async def test_undo_never_overwrites_a_later_change_by_someone_else(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        editor.query_one("#input-title", Input).value = "Growth in APAC"
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        bob, acme = other(board_path)
        card_id = bob.cards(acme, "topic")[0]["id"]
        bob.update_card(card_id, {"title": "Growth in APAC and India"})
        await pilot.press("u")
        await wait_for_saves(app)
        assert bob.card(card_id)["title"] == "Growth in APAC and India"
        assert any("Could not undo" in n and "bob" in n for n in notifications(app))


async def test_a_change_read_together_with_mine_is_still_announced(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    app.poll = lambda: None  # type: ignore[method-assign]  # no polling: my own write reads bob's change
    async with app.run_test(size=(100, 30)) as pilot:
        bob, acme = other(board_path)
        bob.add_card(acme, "support", "Bob's idea")
        await pilot.press("n", *"Mine", "enter")
        await wait_for_saves(app)
        assert any("bob" in n and "Bob's idea" in n for n in notifications(app))
        assert not any("tester:" in n for n in notifications(app))
        assert "Bob's idea" in lane_titles(app.screen.lanes["support"])  # type: ignore[attr-defined]


# A write can land between two reads of one reload (or of one poll). The timer's polls are
# switched off in these tests; each calls the app's poll itself, so "the next poll" is exact.
def manual_polls(app: KamboardApp) -> Callable[[], None]:
    app.poll = lambda: None  # type: ignore[method-assign]
    return lambda: KamboardApp.poll(app)


@asynccontextmanager
async def polled_board(
    store: BoardStore, board_path: Path
) -> AsyncIterator[tuple[KamboardApp, Pilot[None], BoardScreen, Callable[[], None], BoardStore, str]]:
    """The board open, polled only when the test calls ``poll``; bob writes through his own store."""
    app = board_app(store)
    poll = manual_polls(app)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        bob, acme = other(board_path)
        yield app, pilot, board, poll, bob, acme


def write_first(store: BoardStore, method: str, write: Callable[[], object]) -> list[object]:
    """Make ``store.<method>`` run ``write`` (another process's change) once before it reads."""
    real = getattr(store, method)
    written: list[object] = []

    def patched(*args: object, **kwargs: object) -> object:
        if not written:
            written.append(write())
        return real(*args, **kwargs)

    setattr(store, method, patched)
    return written


def count_notices(app: KamboardApp, words: str) -> int:
    return sum(words in n for n in notifications(app))


async def test_a_write_between_the_reads_of_a_reload_shows_at_the_next_poll(
    store: BoardStore, board_path: Path
) -> None:
    async with polled_board(store, board_path) as (app, pilot, board, poll, bob, acme):
        # the board reads the account, its cards, then its workshops: bob writes just before the last read
        written = write_first(store, "workshops", lambda: bob.add_card(acme, "topic", "Landed mid-reload"))
        bob.add_card(acme, "challenge", "First change")
        poll()
        await pilot.pause()
        assert written, "the reload did not read the workshops"
        assert "First change" in lane_titles(board.lanes["challenge"])
        poll()
        await pilot.pause()
        assert "Landed mid-reload" in lane_titles(board.lanes["topic"])
        assert count_notices(app, "Landed mid-reload") == 1
        assert count_notices(app, "First change") == 1
        poll()
        await pilot.pause()
        assert count_notices(app, "Landed mid-reload") == 1


async def test_a_change_another_read_picked_up_shows_at_the_next_poll(store: BoardStore, board_path: Path) -> None:
    async with polled_board(store, board_path) as (app, pilot, board, poll, bob, acme):
        bob.add_card(acme, "support", "Read elsewhere")
        store.account(acme)  # any read between two polls (a dialog, an editor) parses bob's change
        poll()
        await pilot.pause()
        assert "Read elsewhere" in lane_titles(board.lanes["support"])
        assert count_notices(app, "Read elsewhere") == 1


async def test_a_write_while_the_poll_reads_the_log_is_announced_once(store: BoardStore, board_path: Path) -> None:
    async with polled_board(store, board_path) as (app, pilot, board, poll, bob, acme):
        written = write_first(store, "last_event_key", lambda: bob.add_card(acme, "topic", "Between two log reads"))
        bob.add_card(acme, "topic", "Before the poll")
        poll()
        await pilot.pause()
        assert written
        poll()
        await pilot.pause()
        poll()
        await pilot.pause()
        assert count_notices(app, "Before the poll") == 1
        assert count_notices(app, "Between two log reads") == 1
        assert {"Before the poll", "Between two log reads"} <= set(lane_titles(board.lanes["topic"]))


async def test_a_write_during_my_own_change_is_announced_once_and_shown(store: BoardStore, board_path: Path) -> None:
    async with polled_board(store, board_path) as (app, pilot, board, poll, bob, acme):
        written = write_first(store, "last_event_key", lambda: bob.add_card(acme, "support", "Bob, meanwhile"))
        await pilot.press("n", *"Mine", "enter", "escape")
        await wait_for_saves(app)
        assert written  # bob wrote between my change and the watcher's reading of the log
        poll()
        await pilot.pause()
        poll()
        await pilot.pause()
        assert count_notices(app, "Bob, meanwhile") == 1
        assert not any("tester:" in n for n in notifications(app))
        assert {"Mine", "Bob, meanwhile"} <= set(
            lane_titles(board.lanes["topic"]) + lane_titles(board.lanes["support"])
        )


class PresenterHost(App[None]):
    """The presenter view on its own store, polled only by the test."""

    def __init__(self, screen: PresenterScreen) -> None:
        super().__init__()
        self.presenter = screen

    def on_mount(self) -> None:
        self.push_screen(self.presenter)


async def test_the_presenter_shows_a_write_between_its_reads_at_the_next_poll(
    store: BoardStore, board_path: Path
) -> None:
    start = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)
    agenda = [new_agenda_item("Welcome", "", 15), new_agenda_item("Their topics", "topic", 30)]
    ws = store.add_workshop("ACME", "Spring workshop", start="2026-03-16T09:00", agenda=agenda)
    projector = BoardStore(board_path, user="projector")
    presenter = PresenterScreen(projector, ws["id"], lambda: start, interval=0)
    app = PresenterHost(presenter)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        item = presenter.query_one("#presenter-item", Static)
        assert "(paused)" in str(item.content)
        # the presenter reads the workshop, then the cards: the facilitator starts the timer in between
        written = write_first(projector, "cards", lambda: store.timer(ws["id"], "start", start))
        store.add_card(store.account("ACME")["id"], "topic", "Late topic")
        presenter.poll()
        await pilot.pause()
        assert written
        presenter.poll()
        await pilot.pause()
        assert "1/2: Welcome" in str(item.content)
        assert "(paused)" not in str(item.content)


def test_reads_in_a_snapshot_see_one_parse_but_a_change_there_reads_the_file(
    store: BoardStore, board_path: Path
) -> None:
    bob, acme = other(board_path)
    with store.snapshot() as generation:
        bob.add_card(acme, "topic", "Bob's card")
        assert "Bob's card" not in [c["title"] for c in store.cards(acme)]  # no re-stat inside
        store.add_card(acme, "topic", "Mine")  # a change re-reads the file under the lock
        assert {"Bob's card", "Mine"} <= {c["title"] for c in store.cards(acme)}
    assert store.storage.generation > generation
    assert {"Bob's card", "Mine"} <= {c["title"] for c in bob.cards(acme)}  # nothing overwritten


def test_a_snapshot_pins_only_its_own_thread(store: BoardStore, board_path: Path) -> None:
    bob, acme = other(board_path)
    seen: list[str] = []
    with store.snapshot():
        bob.add_card(acme, "topic", "Bob's card")
        worker = threading.Thread(target=lambda: seen.extend(c["title"] for c in store.cards(acme)))
        worker.start()
        worker.join()
    assert "Bob's card" in seen
