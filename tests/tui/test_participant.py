"""The participant app: votes and quick-adds land in the file under the participant's name; it
follows the facilitator through the file; nothing edits, deletes or shows the file's path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from board_helpers import FakeClock, make_store, notifications, wait_for
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kamboard import workshop as rules
from kamboard.store import BoardStore
from kamboard.tui.participant import ParticipantApp, run_participant
from kamboard.tui.participant.card_row import MAX_DOTS, CardRow, cut, row_text, vote_marks

PERSON = "Eva"


def _workshop(store: BoardStore, **fields: Any) -> dict[str, Any]:
    """ACME's workshop: welcome, topics, challenges; Eva and Jonas take part."""
    agenda = [
        rules.new_agenda_item("Welcome", "", 15),
        rules.new_agenda_item("Their topics", "topic", 30),
        rules.new_agenda_item("Their challenges", "challenge", 45),
    ]
    people = [{"name": "Eva", "side": "customer"}, {"name": "Jonas", "side": "customer"}]
    return store.add_workshop(
        "ACME", "Spring workshop", start="2026-03-16T09:00", agenda=agenda, participants=people, **fields
    )


def _at_topics(store: BoardStore, ws: dict[str, Any], clock: FakeClock) -> None:
    store.timer(ws["id"], "start", clock.now)
    store.timer(ws["id"], "next", clock.now)


def _app(board_path: Path, ws: dict[str, Any], clock: FakeClock, person: str = PERSON) -> ParticipantApp:
    """The participant's own process: its own store on the file, acting as ``person``."""
    return ParticipantApp(
        BoardStore(board_path, person), ws["account_id"], ws["id"], person, clock=clock, interval=0.05
    )


def _text(app: ParticipantApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def _rows(app: ParticipantApp) -> list[str]:
    return [row.render().plain for row in app.screen.query(CardRow)]


def _screen_text(app: ParticipantApp) -> str:
    """Every text on every screen of the app (the help over the participant screen too)."""
    widgets = [w for screen in app.screen_stack for w in screen.query("*")]
    return "\n".join(str(w.render()) for w in widgets if isinstance(w, Static | CardRow))


def _card(path: Path, title: str) -> dict[str, Any]:
    data = json.loads(path.read_text())
    return next(c for c in data["cards"].values() if c["title"] == title)


async def _until(pilot: Pilot[Any], condition: Callable[[], bool]) -> bool:
    """Generous: the app polls the file every 0.05 s, but a busy machine may take its time."""
    return await wait_for(pilot, condition, timeout=20)


async def _saved(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ParticipantApp)
    await pilot.pause()
    await app.saver.wait_idle()
    await pilot.pause()


def _at_topics_app(store: BoardStore, board_path: Path) -> tuple[Any, dict[str, Any], FakeClock]:
    """The usual start: the workshop at its topics item, and Eva's app on it."""
    clock = FakeClock()
    ws = _workshop(store)
    _at_topics(store, ws, clock)
    return _app(board_path, ws, clock), ws, clock


async def test_v_votes_in_the_participants_name(store: BoardStore, board_path: Path) -> None:
    app, ws, _clock = _at_topics_app(store, board_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Topics: What is on the customer's mind?" in _text(app, "#p-lane")
        assert _text(app, "#p-budget").startswith("5 of 5 votes left")
        await pilot.press("j", "v", "v")  # two votes on New CEO
        await _saved(pilot)
        card = _card(board_path, "New CEO")
        assert card["voters"] == {"Eva": 2} and card["voted_in"] == ws["id"]
        events = [e for e in json.loads(board_path.read_text())["events"].values() if e.get("kind") == "card.vote"]
        assert [e["by"] for e in events] == ["Eva", "Eva"]
        assert _text(app, "#p-budget").startswith("3 of 5 votes left")
        assert "you ●●" in _rows(app)[1]
        await pilot.press("V")
        await _saved(pilot)
        assert _card(board_path, "New CEO")["voters"] == {"Eva": 1}


async def test_a_burst_of_votes_loses_none(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store, vote_budget=9)
    _at_topics(store, ws, clock)
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v", "v", "v", "j", "v", "v", "V", "j", "v", "v", "v")
        await _saved(pilot)
        votes = {t: _card(board_path, t).get("voters") for t in ("Growth in Asia", "New CEO", "Supply chain")}
        assert votes == {"Growth in Asia": {"Eva": 3}, "New CEO": {"Eva": 1}, "Supply chain": {"Eva": 3}}


async def test_click_votes_and_the_minus_takes_back(store: BoardStore, board_path: Path) -> None:
    app, _ws, _clock = _at_topics_app(store, board_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(CardRow))
        await pilot.click(rows[2], offset=(5, 0))
        await pilot.click(rows[2], offset=(5, 0))
        await _saved(pilot)
        assert _card(board_path, "Supply chain")["voters"] == {"Eva": 2}
        row = list(app.screen.query(CardRow))[2]
        assert row.render().plain.rstrip().endswith("−")
        await pilot.click(row, offset=(row.size.width - 3, 0))  # on the '−'
        await _saved(pilot)
        assert _card(board_path, "Supply chain")["voters"] == {"Eva": 1}


async def test_no_votes_left_says_so_and_writes_nothing(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store, vote_budget=2, vote_per_card=2)
    _at_topics(store, ws, clock)
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v", "v")
        await _saved(pilot)
        before = board_path.read_text()
        await pilot.press("j", "v")
        await _saved(pilot)
        assert "No votes left: you have used all 2." in notifications(app)
        assert board_path.read_text() == before
        assert _text(app, "#p-budget").startswith("0 of 2 votes left")


async def test_edit_and_delete_keys_change_nothing(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    _at_topics(store, ws, clock)
    store.set_capture(ws["id"], "topic", True)
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = board_path.read_text()
        await pilot.press("d", "delete", "e", "backspace", "enter", "x", "D", "ctrl+d", "u", "ctrl+z", "s", "p")
        await _saved(pilot)
        assert board_path.read_text() == before
        assert len(list(app.screen.query(CardRow))) == 3


async def test_the_palette_offers_only_the_participants_actions(store: BoardStore, board_path: Path) -> None:
    app, _ws, _clock = _at_topics_app(store, board_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles == ["Vote", "Take back a vote", "Add a card", "Help", "Leave"]
        await pilot.press("ctrl+p", *"Vote")

        def first_hit() -> str:
            found = app.screen.query(CommandList)
            return str(found.first().get_option_at_index(0).prompt) if found and found.first().option_count else ""

        assert await _until(pilot, lambda: first_hit().startswith("Vote"))
        await pilot.press("enter")
        await _saved(pilot)
        assert _card(board_path, "Growth in Asia")["voters"] == {"Eva": 1}


async def test_quick_add_only_while_capture_is_open(store: BoardStore, board_path: Path) -> None:
    app, ws, _clock = _at_topics_app(store, board_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Adding cards is closed for this lane" in _text(app, "#p-add")
        before = board_path.read_text()
        await pilot.press("n", *"Export to Asia", "enter")
        await _saved(pilot)
        assert board_path.read_text() == before
        assert not app.screen.query_one(Input).display

        BoardStore(board_path, "Alice").set_capture(ws["id"], "topic", True)  # the facilitator opens it
        assert await _until(pilot, lambda: "+ Add a card to Topics" in _text(app, "#p-add"))
        await pilot.press("n", *"Export to Asia", "enter", *"Second idea", "enter")
        await _saved(pilot)
        added = _card(board_path, "Export to Asia")
        assert added["created_by"] == "Eva" and added["lane"] == "topic" and added["workshop_id"] == ws["id"]
        assert _card(board_path, "Second idea")["created_by"] == "Eva"
        assert await _until(pilot, lambda: any("Second idea" in r for r in _rows(app)))

        # closed while a title is typed, not submitted: the text stays, nothing is added
        await pilot.press(*"Half typed")
        BoardStore(board_path, "Alice").set_capture(ws["id"], "topic", False)
        assert await _until(pilot, lambda: "Adding cards is closed" in _text(app, "#p-add"))
        assert app.screen.query_one(Input).value == "Half typed"
        await pilot.press("enter")
        await _saved(pilot)
        assert "Half typed" not in board_path.read_text()
        assert app.screen.query_one(Input).value == "Half typed"


async def test_follows_the_facilitator_to_another_lane(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    store.timer(ws["id"], "start", clock.now)
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Now: 1/3: Welcome" in _text(app, "#p-item") and "switch lanes" in _text(app, "#p-item")
        await pilot.press("right")  # an item without a lane: the participant picks one
        assert "Challenges:" in _text(app, "#p-lane")
        facilitator = BoardStore(board_path, "Alice")
        facilitator.timer(ws["id"], "next", clock.now)
        assert await _until(pilot, lambda: "Topics:" in _text(app, "#p-lane"))
        assert "Growth in Asia" in _rows(app)[0]
        facilitator.timer(ws["id"], "next", clock.now)
        assert await _until(pilot, lambda: "Challenges:" in _text(app, "#p-lane"))
        assert "Their challenges" in _text(app, "#p-item")
        assert any("Cost pressure" in r for r in _rows(app))
        await pilot.press("left")  # the item has a lane: it stays
        assert "Challenges:" in _text(app, "#p-lane")


async def test_titles_show_literally_and_no_path_anywhere(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store)
    _at_topics(store, ws, clock)
    store.add_card("ACME", "topic", "[red]x[/red]")
    odd = store.add_card("ACME", "topic", "placeholder")
    data = json.loads(board_path.read_text())  # a title the store refuses, as a hand edit leaves it
    next(c for c in data["cards"].values() if c["id"] == odd["id"])["title"] = "bell\x1b[31mred"
    board_path.write_text(json.dumps(data))
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = _rows(app)
        assert any("[red]x[/red]" in r for r in rows)
        assert any("bell␛[31mred" in r for r in rows)
        assert not any("\x1b" in r for r in rows)
        await pilot.press("question_mark")
        await pilot.pause()
        everything = _screen_text(app) + app.title + str(app.sub_title)
        for name in (str(board_path), board_path.name, str(board_path.parent)):
            assert name not in everything
        assert "You are Eva · Spring workshop · ACME" in _screen_text(app)
        assert "How to take part" in _screen_text(app)


async def test_an_error_names_the_board_file_not_its_path(store: BoardStore, board_path: Path) -> None:
    app, _ws, _clock = _at_topics_app(store, board_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board_path.write_text("{ not json")
        await pilot.press("v")
        await _saved(pilot)
        said = notifications(app)
        assert any("Vote not saved" in n and "the board file" in n for n in said), said
        assert not any(board_path.name in n for n in said)


def test_the_row_cuts_a_long_title() -> None:
    card = {"id": "c1", "title": "A very long title " * 10, "voters": {"Eva": 2}, "voted_in": "w1", "votes": 2}
    text = row_text(card, {"id": "w1"}, "Eva", 60, cursor=True).plain
    assert len(text) == 60 and "…" in text and "you ●●" in text and "all 2" in text
    assert cut("abcdef", 4) == "abc…" and cut("abc", 4) == "abc"
    assert "all ?" in row_text(card, {"id": "w1", "votes_hidden": True}, "Eva", 60, cursor=False).plain


LONG = "Consolidate the three regional warehouses into one hub near the port"  # 70 characters


@pytest.mark.parametrize("width", [80, 100])
def test_a_high_per_card_limit_shows_a_number_and_keeps_the_title(width: int) -> None:
    """Limit 99 (the most the workshop allows): 'you 12', not room for 99 dots that leaves no title."""
    ws = {"id": "w1", "vote_per_card": 99}
    cards = [
        {"id": "c1", "title": LONG, "voters": {"Eva": 12, "Jonas": 80}, "voted_in": "w1", "votes": 92},
        {"id": "c2", "title": LONG, "voters": {"Eva": 3}, "voted_in": "w1", "votes": 3},
        {"id": "c3", "title": LONG, "voters": {"Jonas": 1}, "voted_in": "w1", "votes": 1},
    ]
    rows = [row_text(card, ws, "Eva", width, cursor=i == 0).plain for i, card in enumerate(cards)]
    assert all(len(row) == width for row in rows), rows
    assert "●" not in "".join(rows)
    assert "you 12" in rows[0] and "you 3 " in rows[1] and "you" not in rows[2]
    for row in rows:  # most of the row is the title: at least 40 characters of it at 80 columns
        shown = row[2:].split("  ")[0].rstrip("…")
        assert LONG.startswith(shown) and len(shown) >= width - 40, (shown, row)
    ends = [found.end() for row in rows if (found := re.search(r"all \d+", row))]
    assert len(ends) == 3 and len(set(ends)) == 1, rows  # the totals line up
    assert vote_marks(cards[0], ws, "Eva").startswith("you 12  ")


def test_a_small_per_card_limit_still_draws_dots() -> None:
    for limit in range(1, MAX_DOTS + 1):
        ws = {"id": "w1", "vote_per_card": limit}
        card = {"id": "c1", "title": "Growth", "voters": {"Eva": 1}, "voted_in": "w1", "votes": 1}
        other = {"id": "c2", "title": "Growth", "voters": {"Jonas": 1}, "voted_in": "w1", "votes": 1}
        assert vote_marks(card, ws, "Eva") == f"{'you ●'.ljust(4 + limit)}   all 1"
        assert len(vote_marks(other, ws, "Eva")) == len(vote_marks(card, ws, "Eva"))


async def test_votes_at_limit_99_leave_the_title_on_an_80_column_screen(store: BoardStore, board_path: Path) -> None:
    clock = FakeClock()
    ws = _workshop(store, vote_budget=99, vote_per_card=99, votes_hidden=False)
    _at_topics(store, ws, clock)
    store.add_card("ACME", "topic", LONG)
    app = _app(board_path, ws, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, lambda: any("Consolidate" in r for r in _rows(app)))
        index = next(i for i, r in enumerate(_rows(app)) if "Consolidate" in r)
        await pilot.press(*["j"] * index, *["v"] * 7)
        await _saved(pilot)
        assert _card(board_path, LONG)["voters"] == {"Eva": 7}
        assert await _until(pilot, lambda: "you 7" in _rows(app)[index])
        row = _rows(app)[index]
        assert LONG[:40] in row and "all 7" in row, row


def test_run_participant_refuses_someone_not_taking_part(
    store: BoardStore, board_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workshop(store)
    assert run_participant(str(board_path), ws["account_id"], ws["id"], "Mallory") == 2
    err = capsys.readouterr().err
    assert "Mallory" in err and "not a participant" in err and str(board_path) not in err
    globex = store.account("Globex")["id"]
    assert run_participant(str(board_path), globex, ws["id"], "Eva") == 2
    assert run_participant(str(board_path), ws["account_id"], "nope", "Eva") == 2
    assert run_participant(str(board_path.parent / "missing.json"), ws["account_id"], ws["id"], "Eva") == 2
    assert "missing.json" not in capsys.readouterr().err


def _snapshot_board(path: Path) -> tuple[Path, dict[str, Any]]:
    """A small board with fixed ids and clock: a topics item 10 minutes in, capture open, some votes."""
    store = make_store(path)
    acme = store.add_account("ACME", "Alice", id="acct0001")
    for i, title in enumerate(("Growth in Asia", "A new CEO from the retail side of the group", "Supply chain")):
        store.add_card(acme["id"], "topic", title, id=f"card000{i}")
    ws = _workshop(store)
    clock = FakeClock()
    _at_topics(store, ws, clock)
    store.set_capture(ws["id"], "topic", True)
    store.vote("card0001", "Eva", ws["id"], 2)
    store.vote("card0001", "Jonas", ws["id"], 1)
    return path, ws


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_participant_snapshot(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The topics lane, votes hidden (check the report before --snapshot-update)."""
    monkeypatch.chdir(tmp_path)
    path, ws = _snapshot_board(Path("board.json"))
    clock = FakeClock()
    clock.advance(minutes=10)
    app = ParticipantApp(BoardStore(path, "Eva"), ws["account_id"], ws["id"], "Eva", clock=clock, interval=0)

    async def cursor(pilot: Pilot[Any]) -> None:
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=cursor)


def test_refusals_follow_the_voting_rules_in_the_participants_words() -> None:
    from kamboard.tui.participant.controller import refusal

    workshop = {"id": "w1", "vote_budget": 3, "vote_per_card": 2}
    a = {"id": "a", "title": "A", "voted_in": "w1", "voters": {"Eva": 2}}
    b = {"id": "b", "title": "B", "voted_in": "w1", "voters": {"Eva": 1}}
    c = {"id": "c", "title": "C"}
    cards = [a, b, c]
    assert refusal(cards, a, "Eva", workshop, +1) == "At most 2 votes on one card."
    assert refusal(cards, c, "Eva", workshop, +1) == "No votes left: you have used all 3."
    assert refusal(cards, c, "Eva", workshop, -1) == "You have no vote on this card to take back."
    assert refusal(cards, a, "Eva", workshop, -1) == ""
    assert refusal(cards, c, "Ann", workshop, +1) == ""
