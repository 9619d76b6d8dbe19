"""Running the workshop from the board: timer, voting, links, gaps, presenter; keys like a user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from board_helpers import (
    T0,
    TODAY,
    FakeClock,
    clear_notifications,
    lane_lines,
    make_store,
    notifications,
    wait_for,
    wait_for_saves,
)
from support_actions import add_support_action
from textual.color import Color
from textual.widgets import Digits, OptionList, Static

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.agenda_notes import AgendaNotesDialog
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.commitments import CommitmentsScreen
from kamboard.tui.screens.dialogs import ConflictDialog
from kamboard.tui.screens.gaps import GapsScreen
from kamboard.tui.screens.presenter import PresenterScreen
from kamboard.tui.screens.voter_picker import VoterPicker
from kamboard.tui.screens.workshop_editor import WorkshopEditor
from kamboard.tui.widgets.card_text import card_rows
from kamboard.tui.widgets.timer import AgendaTimer


def add_workshop(store: BoardStore, **fields: Any) -> dict[str, Any]:
    agenda = [
        rules.new_agenda_item("Welcome", "", 15),
        rules.new_agenda_item("Their topics", "topic", 30),
        rules.new_agenda_item("Their challenges", "challenge", 45),
        rules.new_agenda_item("How we support them", "support", 30),
    ]
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}, {"name": "Bob", "side": "us", "role": ""}]
    values = {"start": "2026-03-16T09:00", "agenda": agenda, "participants": people, **fields}
    return store.add_workshop("ACME", "Spring workshop", **values)


def board_app(store: BoardStore, clock: FakeClock) -> KamboardApp:
    return KamboardApp(store, account="ACME", today=TODAY, clock=clock)


def board(app: KamboardApp) -> BoardScreen:
    assert isinstance(app.screen, BoardScreen)
    return app.screen


def timer_line(app: KamboardApp) -> str:
    return str(board(app).query_one(AgendaTimer).render())


async def test_timer_start_pause_overrun_and_extend_on_the_board(store: BoardStore) -> None:
    ws = add_workshop(store)
    clock = FakeClock()
    app = board_app(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timer = board(app).query_one(AgendaTimer)
        assert board(app).query_one("#workshop-bar").display
        assert "⏸ 1/4 Welcome  15:00 left" in timer_line(app)
        await pilot.press("t")
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["agenda_state"]["running"]
        clock.advance(minutes=10)
        timer.tick()
        assert "▶ 1/4 Welcome  05:00 left" in timer_line(app)
        await pilot.press("t")  # pause: the time left stays
        clock.advance(minutes=30)
        timer.tick()
        assert "⏸ 1/4 Welcome  05:00 left" in timer_line(app)
        await pilot.press("t")
        clock.advance(minutes=6)
        timer.tick()
        await pilot.pause()
        assert "1 min over" in timer_line(app) and "-01:00" not in timer_line(app)
        assert timer.has_class("-overrun")
        assert timer.styles.background == Color.parse(app.theme_variables["error"])  # red in any theme
        assert any("Time is up for 'Welcome'" in n for n in notifications(app))
        await pilot.press("plus")
        await pilot.pause()
        timer.tick()
        assert "04:00 left" in timer_line(app)
        assert not timer.has_class("-overrun")


async def test_next_item_focuses_its_lane_and_colleagues_follow(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store)
    clock = FakeClock()
    app = board_app(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert board(app).current == "topic"
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "3/4 [Challenges] Their challenges  45:00 left" in timer_line(app)  # at once
        await wait_for_saves(app)
        assert board(app).current == "challenge"
        assert app.focused is board(app).lanes["challenge"]
        # a colleague's process moves the agenda on: this board follows through the file
        colleague = BoardStore(board_path, user="colleague")
        colleague.timer(ws["id"], "next", T0)
        assert await wait_for(pilot, lambda: board(app).current == "support")
        assert "4/4 [Support]" in timer_line(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert board(app).current == "challenge"


async def test_votes_budget_per_card_limit_hidden_then_revealed(store: BoardStore) -> None:
    ws = add_workshop(store, vote_budget=3, vote_per_card=2, votes_hidden=True)
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")  # no voter yet: the picker opens first, then the vote is cast
        await pilot.pause()
        assert isinstance(app.screen, VoterPicker)
        await pilot.press("down", "enter")  # Bob
        await wait_for_saves(app)
        assert board(app).voter == "Bob"
        growth = store.cards(ws["account_id"], "topic")[0]
        assert store.card(growth["id"])["voters"] == {"Bob": 1}
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("v")  # a third vote on one card: over the per-card limit
        await wait_for_saves(app)
        assert store.card(growth["id"])["votes"] == 2
        assert any("at most 2 per card" in n for n in notifications(app))
        lane = board(app).lanes["topic"]
        assert "●?" in lane_lines(lane)[0]  # hidden while voting
        assert "●2" not in lane_lines(lane)[0]
        await pilot.press("j", "v", "j", "v")  # the budget (3) runs out on the third card
        await pilot.pause()
        assert any("has 0 vote(s) left of 3" in n for n in notifications(app))
        assert "Bob 0/3 votes" in str(board(app).query_one("#vote-status", Static).render())
        await pilot.press("V")  # nothing to take back on the third card
        await pilot.pause()
        assert any("Bob has no vote on 'Supply chain' to take back" in n for n in notifications(app))
        await pilot.press("k", "V")  # take the vote on the second card back
        await wait_for_saves(app)
        assert store.card(lane.cards[1]["id"]).get("votes", 0) == 0
        await pilot.press("r")  # reveal
        await wait_for_saves(app)
        assert store.workshop(ws["id"])["votes_hidden"] is False
        assert "●2" in lane_lines(lane)[0]
        await pilot.press("p")  # another voter
        await pilot.pause()
        assert isinstance(app.screen, VoterPicker)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert board(app).voter == "Eva"
        await pilot.press("j", "j", "v", "v")  # Eva: two votes on the third topic
        await pilot.pause()
        assert [c["title"] for c in lane.cards] == ["Growth in Asia", "New CEO", "Supply chain"]
        await pilot.press("s")  # sort by votes: a view, the stored order stays
        await pilot.pause()
        assert [c["title"] for c in lane.cards] == ["Growth in Asia", "Supply chain", "New CEO"]
        assert "by votes" in str(board(app).query_one("#head-topic", Static).render())
        assert [c["title"] for c in store.cards(ws["account_id"], "topic")][1] == "New CEO"
        await pilot.press("K")  # moving cards by hand is refused while sorted
        await pilot.pause()
        assert any("sorted by votes" in n for n in notifications(app))
        await pilot.press("s")
        await pilot.pause()
        assert [c["title"] for c in lane.cards] == ["Growth in Asia", "New CEO", "Supply chain"]


async def test_selecting_a_card_highlights_its_links_in_other_lanes(store: BoardStore) -> None:
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        b = board(app)
        support = b.lanes["support"]
        await pilot.press("l")  # Cost pressure: the support action "Joint pilot" links to it
        await pilot.pause()
        assert support.linked == {support.cards[0]["id"]}
        assert lane_lines(support)[0].startswith("▌Joint pilot")
        assert not lane_lines(support)[5].startswith("▌")  # Training: not linked
        row = support.render_line(0)
        linked_bg = support.get_component_rich_style("lane--linked").bgcolor
        assert {s.style and s.style.bgcolor for s in row if s.text.strip()} == {linked_bg}
        await pilot.press("j")  # Skills gap: nothing linked
        await pilot.pause()
        assert support.linked == frozenset()
        assert not lane_lines(support)[0].startswith("▌")
        await pilot.press("l")  # from the support action: its challenge lights up
        await pilot.pause()
        challenge = b.lanes["challenge"]
        assert challenge.linked == {challenge.cards[0]["id"]}
        assert lane_lines(challenge)[0].startswith("▌Cost pressure")


async def test_gaps_view_enter_jumps_to_the_card(store: BoardStore) -> None:
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"growth", "enter")  # a filter that hides the gap's card
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GapsScreen)
        gaps = app.screen.query_one(OptionList)
        assert "Skills gap" in str(gaps.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")
        await pilot.pause()
        b = board(app)
        assert b.current == "challenge" and b.lane.selected_card["title"] == "Skills gap"
        assert b.filter_text == ""


async def test_presenter_from_the_board_follows_a_second_store(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store)
    clock = FakeClock()
    app = board_app(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PresenterScreen)
        item = app.screen.query_one("#presenter-item", Static)
        assert "1/4: Welcome" in str(item.content)
        colleague = BoardStore(board_path, user="facilitator")
        colleague.timer(ws["id"], "start", T0)
        colleague.timer(ws["id"], "next", T0)
        assert await wait_for(pilot, lambda: "2/4 · Topics: Their topics" in str(item.content))
        assert "Growth in Asia" in str(app.screen.query_one("#presenter-lane", Static).content)
        clock.advance(minutes=31)
        assert await wait_for(pilot, lambda: app.screen.query_one(Digits).has_class("-overrun"))
        await pilot.press("escape")
        await pilot.pause()
        assert board(app).current == "topic"
        assert "2/4 [Topics]" in timer_line(app)


async def test_workshop_start_opens_the_commitments_review(store: BoardStore) -> None:
    acme = store.account("ACME")["id"]
    old = store.add_workshop("ACME", "Last year", start="2025-03-10T09:00")
    store.add_card(acme, "support", "Old promise", workshop_id=old["id"], status="agreed")
    add_workshop(store)
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await wait_for_saves(app)  # the review opens once the start is saved
        assert isinstance(app.screen, CommitmentsScreen)
        await pilot.press("d", "escape")
        await wait_for_saves(app)
        assert store.cards(acme, "support")[-1]["status"] == "done"
        await pilot.press("c")  # the review again, from its key: nothing left
        await pilot.pause()
        assert "All commitments reviewed" in str(app.screen.query_one("#commitments-message", Static).content)


async def test_no_workshop_and_readonly_explain_the_keys(store: BoardStore, board_path: Path) -> None:
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not [bar for bar in board(app).query("#workshop-bar") if bar.display]  # no timer line
        for key in ("t", "v", "P"):
            await pilot.press(key)
        await pilot.pause()
        assert notifications(app).count("This account has no workshop yet: press w to plan one.") == 3
    add_workshop(store)
    readonly = BoardStore(board_path, user="reader", readonly=True)
    app = KamboardApp(readonly, account="ACME", today=TODAY, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("w", "W", "t", "right_square_bracket", "left_square_bracket", "plus", "v", "V", "r", "c"):
            clear_notifications(app)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen), key
            assert any("read-only" in n for n in notifications(app)), key
        assert store.workshop(store.workshops()[0]["id"]).get("agenda_state") is None


async def test_new_keys_are_in_the_help_and_the_palette(store: BoardStore) -> None:
    add_workshop(store)
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        workshop_keys = [k for k in BoardScreen.KEYS if k.group in ("Workshop", "Voting") or k.id == "board.gaps"]
        assert len(workshop_keys) == 16  # with N: notes on the current agenda item, o: capture
        for key in workshop_keys:
            assert (key.palette or key.description) in titles
            assert key.id and key.tooltip
        await pilot.press("question_mark")
        await pilot.pause()
        shown = " ".join(str(label.render()) for label in app.screen.query(".help-desc"))
        assert "Timer start/pause" in shown and "Reveal/hide votes" in shown and "Gaps" in shown


def test_support_cards_mark_the_mutual_benefit_pair() -> None:
    card = {"lane": "support", "title": "Pilot", "owner": "Bob", "side": "us", "due": "2026-01-10"}
    card |= {"status": "agreed", "customer_benefit": "Lower cost", "our_benefit": "Reference"}

    def status_row(c: dict[str, Any], width: int) -> str:
        return "".join(text for text, _ in card_rows(c, TODAY, width)[3][0])

    assert status_row(card, 60) == "overdue 2026-01-10  agreed  win-win"
    assert status_row(card, 30) == "! 2026-01-10 agreed win-win"  # short words make room
    assert status_row(card, 20) == "! 2026-01-10 agreed"
    assert "win-win" not in status_row({**card, "our_benefit": " "}, 60)


async def test_timer_line_keeps_the_time_left_at_80_columns(store: BoardStore) -> None:
    ws = add_workshop(store, vote_budget=5)
    store.update_agenda_item(ws["id"], "1", title="Welcome, goals, agenda and a very long round of introductions")
    app = board_app(store, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        line = timer_line(app)
        assert line.rstrip().endswith("15:00 left") and "…" in line
        assert "Eva 5/5 votes" in str(board(app).query_one("#vote-status", Static).render())


async def test_cards_added_during_the_workshop_record_it(store: BoardStore) -> None:
    ws = add_workshop(store, start="2026-03-20T09:00", end="2026-03-21T13:00")  # next week
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Before", "enter")
        await pilot.pause()
        await pilot.press("escape", "t")  # the facilitator starts it early: it is under way
        await pilot.pause()
        await pilot.press("n", *"During", "enter")
        await wait_for_saves(app)
        captured = {c["title"]: c.get("workshop_id", "") for c in store.cards(ws["account_id"], "topic")}
        assert captured["Before"] == "" and captured["During"] == ws["id"]


async def test_voter_status_says_the_votes_are_the_ones_left(store: BoardStore) -> None:
    people = [{"name": "Eva", "side": "customer", "role": "CFO"}]
    store.add_workshop("ACME", "Workshop", start="2026-03-16T09:00", participants=people)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter", "v")
        await pilot.pause()
        status = str(app.screen.query_one("#vote-status").render())
        assert "Eva 4/5 votes left" in status


async def test_q_closes_the_voter_picker(store: BoardStore) -> None:

    people = [{"name": "Eva", "side": "customer", "role": "CFO"}]
    store.add_workshop("ACME", "Workshop", start="2026-03-16T09:00", participants=people)
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, VoterPicker)
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)


async def test_commitments_review_shows_no_empty_list_and_q_closes_it(store: BoardStore) -> None:

    store.add_workshop("ACME", "First workshop", start="2026-03-16T09:00")
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CommitmentsScreen)
        await pilot.pause()
        assert "nothing to review" in str(app.screen.query_one("#commitments-message").render())
        assert not app.screen.query_one("#commitments-list").display
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)


async def test_gaps_view_without_gaps_shows_no_empty_list(tmp_path: Path) -> None:

    store = make_store(tmp_path / "board.json")
    acme = store.add_account("ACME", "Alice")["id"]
    topic = store.add_card(acme, "topic", "Growth")
    add_support_action(store, acme, "Pilot", links=[topic["id"]])  # owner, due, both benefits
    app = KamboardApp(store, account="ACME", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GapsScreen)
        await pilot.pause()
        assert "No gaps" in str(app.screen.query_one("#gaps-title").render())
        assert not app.screen.query_one("#gaps-list").display
        await pilot.press("q")
        assert isinstance(app.screen, BoardScreen)


async def test_n_takes_notes_on_the_current_agenda_item(store: BoardStore, board_path: Path) -> None:
    ws = add_workshop(store)
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right_square_bracket")  # 'Their topics'
        await wait_for_saves(app)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, AgendaNotesDialog)
        assert "Their topics" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press(*"Decided: pilot in [b]Q3[/b]", "ctrl+s")
        await wait_for_saves(app)
        assert isinstance(app.screen, BoardScreen)
        assert store.workshop(ws["id"])["agenda"][1]["notes"] == "Decided: pilot in [b]Q3[/b]"
        assert "Notes on 'Their topics' saved." in notifications(app)
        # again: the notes are there to go on with; a colleague adds theirs meanwhile
        await pilot.press("N")
        await pilot.pause()
        colleague = BoardStore(board_path, user="colleague")
        item = colleague.workshop(ws["id"])["agenda"][1]
        colleague.update_agenda_item(ws["id"], item["id"], notes="Owner: Bob", base=item)
        await pilot.press("enter", *"Budget open", "ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.press("b")  # keep both, mine first
        await wait_for_saves(app)
        notes = store.workshop(ws["id"])["agenda"][1]["notes"]
        assert notes == "Decided: pilot in [b]Q3[/b]\nBudget open\n\nOwner: Bob"
        # Esc with typed text asks; nothing typed closes at once
        await pilot.press("N", "x", "escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("N", "escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert store.workshop(ws["id"])["agenda"][1]["notes"] == notes


async def test_shift_w_proposes_last_years_people_and_next_year(store: BoardStore) -> None:
    add_workshop(store, start="2025-03-11T09:00", end="2025-03-12T13:00")
    store.update_workshop(store.workshops()[0]["id"], {"title": "ACME Workshop 2025", "location": "Hamburg"})
    app = board_app(store, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("W")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, WorkshopEditor) and editor.is_new
        values = editor.values()
        assert values["title"] == "ACME Workshop 2026" and values["location"] == "Hamburg"
        assert (values["start"], values["end"]) == ("2026-03-16T09:00", "2026-03-17T13:00")  # overdue: from today
        assert [p["name"] for p in values["participants"]] == ["Eva", "Bob"]
        assert [i["title"] for i in values["agenda"]] == [
            "Welcome",
            "Their topics",
            "Their challenges",
            "How we support them",
        ]
        await pilot.press("ctrl+s")
        await wait_for_saves(app)
        assert sorted(w["title"] for w in store.workshops()) == ["ACME Workshop 2025", "ACME Workshop 2026"]
