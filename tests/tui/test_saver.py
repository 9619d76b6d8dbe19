"""The app's background saver: jobs in order on one thread, answers on the UI thread, and a UI
that keeps answering keys while a job waits (on an event, or on another process's lock)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

from board_helpers import TODAY, FakeClock, lane_lines, lane_titles, notifications, wait_for, wait_for_saves
from filelock import FileLock
from test_facilitation import add_workshop
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from kamboard.errors import BoardError
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.commands import open_action_plan
from kamboard.tui.saver import SAVING, WAITING, Saver
from kamboard.tui.screens.action_plan import AppActionPlan
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.widgets.link_list import LinkList
from kamboard.tui.widgets.save_status import SaveStatus
from kamboard.tui.widgets.timer import AgendaTimer

DEADLOCK = 10  # seconds: only to end a hung test, never a measure of speed


class SaverApp(App[None]):
    """A bare app with a saver, a key counter and the status line."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "count", "Count")]

    def __init__(self, store: BoardStore) -> None:
        super().__init__()
        self.store = store
        self.saver = Saver(self, store)
        self.presses = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")
        yield SaveStatus(self.saver)

    def on_mount(self) -> None:
        self.saver.start()

    def on_unmount(self) -> None:
        self.saver.close()

    def action_count(self) -> None:
        self.presses += 1
        self.query_one("#count", Static).update(str(self.presses))


async def test_jobs_run_in_order_on_one_thread_and_answer_on_the_ui_thread(store: BoardStore) -> None:
    app = SaverApp(store)
    ran: list[tuple[int, int]] = []
    answered: list[tuple[int, int]] = []
    async with app.run_test() as pilot:
        ui = threading.get_ident()
        for n in range(30):
            app.saver.submit(
                f"job {n}",
                lambda _store, n=n: ran.append((n, threading.get_ident())) or n,
                lambda result: answered.append((result, threading.get_ident())),
            )
        assert app.saver.pending == 30
        await app.saver.wait_idle()
        await pilot.pause()
    assert [n for n, _ in ran] == list(range(30))
    assert len({thread for _, thread in ran}) == 1 and ran[0][1] != ui
    assert answered == [(n, ui) for n in range(30)]


async def test_a_failed_job_is_reported_and_the_next_ones_still_run(store: BoardStore) -> None:
    app = SaverApp(store)
    errors: list[tuple[Exception, int]] = []

    def fail(_store: BoardStore) -> None:
        raise BoardError("the disk is full")

    async with app.run_test() as pilot:
        ui = threading.get_ident()
        app.saver.submit("first", fail, failed=lambda exc: errors.append((exc, threading.get_ident())))
        app.saver.submit("second", fail)  # no handler: the app says so
        app.saver.submit("third", lambda s: s.add_account("Initech"))
        await app.saver.wait_idle()
        await pilot.pause()
        assert [(str(e), thread) for e, thread in errors] == [("the disk is full", ui)]
        assert "Not saved (second): the disk is full" in notifications(app)
    assert "Initech" in [a["name"] for a in BoardStore(store.path).accounts()]


async def test_the_ui_answers_keys_while_a_job_waits(store: BoardStore) -> None:
    app = SaverApp(store)
    go = threading.Event()
    idle: list[str] = []
    async with app.run_test() as pilot:
        status = app.query_one(SaveStatus)
        assert not status.display  # nothing to say: hidden (screenshots unchanged)
        app.saver.submit("slow", lambda _store: go.wait(DEADLOCK))
        app.saver.when_idle(lambda: idle.append("idle"))
        await pilot.press("x", "x", "x")
        await pilot.pause()
        assert str(app.query_one("#count", Static).render()) == "3"
        assert app.saver.pending == 1 and idle == []
        assert await wait_for(pilot, lambda: status.display)  # once the save takes a while
        assert str(status.render()) == SAVING
        go.set()
        await app.saver.wait_idle()
        await pilot.pause()
        assert idle == ["idle"]
        assert not status.display


async def test_waiting_for_another_process_lock_is_shown_then_cleared(store: BoardStore, board_path: Path) -> None:
    app = SaverApp(store)
    holder = FileLock(str(board_path) + ".lock")  # another process's lock: its own lock object
    async with app.run_test() as pilot:
        status = app.query_one(SaveStatus)
        with holder:
            app.saver.submit("add", lambda s: s.add_account("Initech"))
            assert await wait_for(pilot, lambda: app.saver.waiting, timeout=DEADLOCK)
            await pilot.pause()
            assert str(status.render()) == WAITING and status.display
            await pilot.press("x")
            await pilot.pause()
            assert str(app.query_one("#count", Static).render()) == "1"
            assert "Initech" not in [a["name"] for a in BoardStore(board_path).accounts()]
        await app.saver.wait_idle()
        await pilot.pause()
        assert not app.saver.waiting and not status.display
    assert "Initech" in [a["name"] for a in BoardStore(board_path).accounts()]


async def test_saves_given_before_the_app_ends_are_still_written(store: BoardStore, board_path: Path) -> None:
    app = SaverApp(store)
    go = threading.Event()
    done: list[Any] = []
    async with app.run_test():
        app.saver.submit("slow", lambda _store: go.wait(DEADLOCK))
        app.saver.submit("add", lambda s: done.append(s.add_account("Initech")))
        go.set()
    # the app has ended; its saver thread finished the jobs it had
    assert done and "Initech" in [a["name"] for a in BoardStore(board_path).accounts()]


# ---- the board: keys act at once, saves follow in the background --------------------------


def board_app(store: BoardStore, polls: bool = True) -> KamboardApp:
    app = KamboardApp(store, account="ACME", today=TODAY)
    if not polls:  # the screen keeps its (stale) view of the file
        app.poll = lambda: None  # type: ignore[method-assign]
    return app


def titles_in_file(board_path: Path, lane: str) -> list[str]:
    other = BoardStore(board_path, user="reader")
    return [c["title"] for c in other.cards(other.account("ACME")["id"], lane)]


async def test_keys_act_at_once_while_another_process_holds_the_lock(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the status line is mounted after the first paint
        board = app.screen
        assert isinstance(board, BoardScreen)
        status = board.query_one(SaveStatus)
        with FileLock(str(board_path) + ".lock"):  # another process is saving
            await pilot.press("J")  # 'Growth in Asia' one down
            assert lane_titles(board.lanes["topic"]) == ["New CEO", "Growth in Asia", "Supply chain"]
            await pilot.press("L")  # ... then to Challenges
            assert lane_titles(board.lanes["challenge"]) == ["Cost pressure", "Skills gap", "Growth in Asia"]
            assert app.focused is board.lanes["challenge"]
            await pilot.press("n", *"Energy prices", "enter", *"Talent", "enter")
            assert lane_titles(board.lanes["challenge"])[-2:] == ["Energy prices", "Talent"]
            field = board.query_one("#col-challenge .quick-add", Input)
            assert app.focused is field and field.value == ""
            assert await wait_for(pilot, lambda: app.saver.waiting, timeout=DEADLOCK)
            await pilot.pause()
            assert status.display and str(status.render()) == WAITING
            assert titles_in_file(board_path, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]
        await wait_for_saves(app)
        await pilot.pause()
        assert titles_in_file(board_path, "topic") == ["New CEO", "Supply chain"]
        assert titles_in_file(board_path, "challenge") == [
            "Cost pressure",
            "Skills gap",
            "Growth in Asia",
            "Energy prices",
            "Talent",
        ]
        assert lane_titles(board.lanes["challenge"])[-3:] == ["Growth in Asia", "Energy prices", "Talent"]
        assert not status.display


async def test_a_move_from_a_stale_view_is_refused_and_rolled_back(store: BoardStore, board_path: Path) -> None:
    app = board_app(store, polls=False)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        carol = BoardStore(board_path, user="carol")
        card = carol.cards(carol.account("ACME")["id"], "topic")[0]
        carol.move_card(card["id"], "support")  # my screen still shows it in Topics
        await pilot.press("L")  # shown at once in Challenges, then refused by the store
        await wait_for_saves(app)
        await pilot.pause()
        assert carol.card(card["id"])["lane"] == "support"  # carol's move stands
        assert "Growth in Asia" not in lane_titles(board.lanes["challenge"])
        assert "Growth in Asia" in lane_titles(board.lanes["support"])
        notice = next(n for n in notifications(app) if "Not moved" in n)
        assert "'Growth in Asia' was changed meanwhile by carol" in notice and "lane" in notice
        await pilot.press("u")  # the refused move is not on the undo list
        assert any("Nothing to undo" in n for n in notifications(app))


async def test_undo_and_redo_show_at_once_and_are_saved_in_order(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("L", "u")
            assert lane_titles(board.lanes["topic"]) == ["Growth in Asia", "New CEO", "Supply chain"]
            assert board.lanes["topic"].selected_card["title"] == "Growth in Asia"
            await pilot.press("ctrl+r")
            assert lane_titles(board.lanes["challenge"])[-1] == "Growth in Asia"
            await pilot.press("u")
            assert "Growth in Asia" not in lane_titles(board.lanes["challenge"])
        await wait_for_saves(app)
        await pilot.pause()
        assert titles_in_file(board_path, "topic") == ["Growth in Asia", "New CEO", "Supply chain"]
        assert titles_in_file(board_path, "challenge") == ["Cost pressure", "Skills gap"]
        assert [n for n in notifications(app) if n.startswith(("Undone", "Redone"))] == [
            "Undone: moving 'Growth in Asia'",
            "Redone: moving 'Growth in Asia'",
            "Undone: moving 'Growth in Asia'",
        ]
        await pilot.press("ctrl+r")  # the undo list is the file's: one redo left
        await wait_for_saves(app)
        assert titles_in_file(board_path, "challenge")[-1] == "Growth in Asia"


async def test_a_failed_save_rolls_the_screen_back_with_a_notice(store: BoardStore, board_path: Path) -> None:
    app = board_app(store)
    go = threading.Event()

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        assert go.wait(DEADLOCK)
        raise BoardError(f"Could not save {board_path.name}: the disk is full. The file is unchanged.")

    store.move_card = disk_full  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("L")
        assert "Growth in Asia" in lane_titles(board.lanes["challenge"])  # at once
        await pilot.press("n", *"Kept", "enter")  # typed meanwhile: saved all the same
        assert lane_titles(board.lanes["challenge"]) == ["Cost pressure", "Skills gap", "Growth in Asia", "Kept"]
        go.set()
        await wait_for_saves(app)
        await pilot.pause()
        assert lane_titles(board.lanes["topic"]) == ["Growth in Asia", "New CEO", "Supply chain"]
        assert lane_titles(board.lanes["challenge"]) == ["Cost pressure", "Skills gap", "Kept"]
        assert titles_in_file(board_path, "challenge") == ["Cost pressure", "Skills gap", "Kept"]
        assert any(n.startswith("Not moved ('Growth in Asia'): Could not save") for n in notifications(app))


async def test_votes_and_timer_keys_act_at_once_while_the_file_is_held(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store)
    app = KamboardApp(store, account="ACME", today=TODAY, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("p", "down", "enter")  # Bob votes
        await pilot.pause()
        topic = board.lanes["topic"]
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("v")
            assert "●1" in lane_lines(topic)[0]
            assert "Bob 4/5 votes left" in str(board.query_one("#vote-status", Static).render())
            await pilot.press("right_square_bracket", "l", "v")  # next agenda item; a vote on a challenge
            assert "2/4 [Topics] Their topics" in str(board.query_one(AgendaTimer).render())
            assert "Bob 3/5 votes left" in str(board.query_one("#vote-status", Static).render())
            held = BoardStore(board_path, user="reader")
            assert held.card(topic.cards[0]["id"]).get("votes", 0) == 0  # not in the file yet
            assert not held.workshop(ws["id"]).get("agenda_state")
        await wait_for_saves(app)
        saved = BoardStore(board_path, user="reader")
        assert saved.card(topic.cards[0]["id"])["voters"] == {"Bob": 1}
        assert saved.card(board.lanes["challenge"].cards[0]["id"])["voters"] == {"Bob": 1}
        assert saved.workshop(ws["id"])["agenda_state"]["index"] == 1


def plan_rows(app: KamboardApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_action_plan_status_changes_act_at_once_and_a_refused_one_rolls_back(
    store: BoardStore, board_path: Path
) -> None:
    app = board_app(store, polls=False)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        open_action_plan(app, board.account_id)
        await pilot.pause()
        plan = app.screen
        assert isinstance(plan, AppActionPlan)
        table = plan.query_one(DataTable)
        training = next(c for c in board.lanes["support"].cards if c["title"] == "Training")
        table.move_cursor(row=table.get_row_index(training["id"]))
        with FileLock(str(board_path) + ".lock"):
            await pilot.press("right_square_bracket")  # proposed -> agreed, at once
            assert plan_rows(app)[:3] == ["Agreed (2)", "Joint pilot", "Training"]
            assert BoardStore(board_path, user="reader").card(training["id"])["status"] == "proposed"
        await wait_for_saves(app)
        assert BoardStore(board_path, user="reader").card(training["id"])["status"] == "agreed"
        carol = BoardStore(board_path, user="carol")
        carol.update_card(training["id"], {"status": "dropped"})  # my plan still shows it agreed
        await pilot.press("right_square_bracket")  # agreed -> in progress, from the stale view
        await wait_for_saves(app)
        assert carol.card(training["id"])["status"] == "dropped"  # carol's change stands
        assert "Dropped (1)" in plan_rows(app) and "In progress (1)" not in plan_rows(app)
        assert any("changed meanwhile by carol" in n for n in notifications(app))


async def test_an_edit_whose_new_link_vanished_is_saved_without_it_and_says_so(
    store: BoardStore, board_path: Path
) -> None:
    app = board_app(store, polls=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "e")  # the support action 'Joint pilot' (links 'Cost pressure')
        editor = app.screen
        assert isinstance(editor, CardEditor)
        carol = BoardStore(board_path, user="carol")
        acme = carol.account("ACME")["id"]
        cost, skills = carol.cards(acme, "challenge")
        editor.query_one("#input-title", Input).value = "Joint pilot, phase 2"
        editor.query_one("#input-links", LinkList).link(skills["id"])
        carol.delete_card(skills["id"])  # while my editor is open
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        saved = carol.cards(acme, "support")[0]
        assert (saved["title"], saved["links"]) == ("Joint pilot, phase 2", [cost["id"]])
        assert any("left out" in n for n in notifications(app))
