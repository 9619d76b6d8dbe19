"""The screens in German: the accounts screen and the participant view fit 80x24 with German text,
the participant view's German snapshot, the browser view's pages and sessions in the server's language.

Textual builds key bindings when a screen class is defined, so the German runs import the TUI
afresh after setting the language (the ``german`` fixture) and put the English modules back after.
The German needs the compiled catalogue (kamboard/locale/de/LC_MESSAGES/kamboard.mo).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from board_helpers import TODAY, FakeClock, make_store, notifications, wait_for
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from kamboard import i18n, voting
from kamboard import workshop as rules
from kamboard.store import BoardStore

PERSON = "Eva"


@pytest.fixture
def german() -> Iterator[dict[str, ModuleType]]:
    """German, with every ``kamboard.tui`` module imported afresh (their key tables are built at
    import); the English modules are back afterwards. Yields the fresh modules by name."""
    saved = {name: module for name, module in sys.modules.items() if name.startswith("kamboard.tui")}
    for name in saved:
        del sys.modules[name]
    try:
        i18n.set_language("de")
        names = ("kamboard.tui.app", "kamboard.tui.participant", "kamboard.tui.participant.controller")
        yield {name: importlib.import_module(name) for name in names}
    finally:
        for name in [n for n in sys.modules if n.startswith("kamboard.tui")]:
            del sys.modules[name]
        sys.modules.update(saved)
        i18n.set_language("en")


def _workshop(store: BoardStore) -> dict[str, Any]:
    agenda = [
        rules.new_agenda_item("Begrüßung", "", 15),
        rules.new_agenda_item("Themen sammeln", "topic", 30),
        rules.new_agenda_item("Herausforderungen gewichten", "challenge", 45),
    ]
    people = [{"name": "Eva", "side": "customer"}, {"name": "Jonas", "side": "customer"}]
    return store.add_workshop("ACME", "Frühjahrsworkshop", start="2026-03-16T09:00", agenda=agenda, participants=people)


def _participant_board(path: Path) -> tuple[Path, dict[str, Any]]:
    """Fixed ids and clock: the topics item 10 minutes in, capture open, Eva gave 2 votes."""
    store = make_store(path)
    acme = store.add_account("ACME", "Alice", id="acct0001")
    for i, title in enumerate(("Wachstum in Asien", "Ein neuer CEO aus dem Handel", "Lieferkette")):
        store.add_card(acme["id"], "topic", title, id=f"card000{i}")
    ws = _workshop(store)
    clock = FakeClock()
    store.timer(ws["id"], "start", clock.now)
    store.timer(ws["id"], "next", clock.now)
    store.set_capture(ws["id"], "topic", True)
    store.vote("card0001", "Eva", ws["id"], 2)
    store.vote("card0001", "Jonas", ws["id"], 1)
    return path, ws


def _participant_app(modules: dict[str, ModuleType], path: Path, ws: dict[str, Any]) -> Any:
    clock = FakeClock()
    clock.advance(minutes=10)
    app_class = modules["kamboard.tui.participant"].ParticipantApp
    return app_class(BoardStore(path, PERSON), ws["account_id"], ws["id"], PERSON, clock=clock, interval=0)


def _footer_keys(app: Any) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def _assert_footer_fits(app: Any, width: int = 80) -> None:
    """Every key of the footer whole on the screen, none under the next (the palette's, docked right)."""
    keys = sorted(_footer_keys(app), key=lambda key: key.region.x)
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        assert key.region.width == key.outer_size.width > 0, key.description
        limit = following.region.x if following is not None else width
        assert key.region.right <= limit, (key.description, key.region, limit)


async def test_accounts_screen_is_german_and_fits_80x24(german: dict[str, ModuleType], board_path: Path) -> None:
    store = make_store(board_path)
    store.add_account("ACME", "Alice")
    store.add_account("Globex", "Gina")
    app = german["kamboard.tui.app"].KamboardApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = _footer_keys(app)
        descriptions = [key.description for key in keys]
        for word in ("Board öffnen", "Neu", "Maßnahmenplan", "Filter", "Tasten", "Beenden"):
            assert word in descriptions, descriptions
        _assert_footer_fits(app)
        await pilot.press("A")
        assert await wait_for(pilot, lambda: "Archivierte Accounts werden mit angezeigt." in notifications(app))
        await pilot.press("a")
        await pilot.pause()
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Account hinzufügen" in shown and "Account-Name" in shown


async def test_action_plan_footer_is_german_and_fits_80x24(german: dict[str, ModuleType], board_path: Path) -> None:
    store = make_store(board_path)
    acme = store.add_account("ACME", "Alice")
    store.add_card(acme["id"], "support", "Pilotprojekt", owner="Alice", due="2026-04-01")
    app = german["kamboard.tui.app"].KamboardApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        assert await wait_for(pilot, lambda: "Verantw." in [key.description for key in _footer_keys(app)])
        keys = sorted(_footer_keys(app), key=lambda key: key.region.x)
        palette = next(key for key in keys if key.key == "ctrl+p")
        # the plan's own keys whole, left of the palette's ('?' sits under it, in English too)
        own = [key for key in keys if key.key not in ("ctrl+p", "question_mark")]
        assert [key.description for key in own][-1] == "Zurück"
        assert all(0 < key.region.width == key.outer_size.width for key in own)
        assert own[-1].region.right <= palette.region.x


async def test_participant_view_is_german_and_fits_80x24(german: dict[str, ModuleType], tmp_path: Path) -> None:
    path, ws = _participant_board(tmp_path / "board.json")
    app = _participant_app(german, path, ws)
    budget = voting.rules_of(ws).budget
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen

        def text(selector: str) -> str:
            return str(screen.query_one(selector, Static).content)

        assert text("#p-title").startswith("Du bist Eva · Frühjahrsworkshop")
        assert text("#p-item").startswith("Jetzt: 2/3")
        assert text("#p-budget").startswith(f"{budget - 2} von {budget} Punkten übrig")
        assert "Karte zu" in text("#p-add") and "hinzufügen  (n)" in text("#p-add")
        rows = [row.render().plain for row in screen.query("CardRow")]
        assert any("ich ●●" in row for row in rows), rows
        descriptions = [key.description for key in _footer_keys(app)]
        assert descriptions[:3] == ["Punkten", "Zurücknehmen", "Karte hinzufügen"], descriptions
        _assert_footer_fits(app)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.query_one(Static)
        lines = str(help_text.content).splitlines()
        assert lines[0] == "So machst du mit"
        # the help box shows every line unwrapped, inside 80x24
        assert help_text.content_region.height == len(lines)
        assert help_text.region.right <= 80 and help_text.region.bottom <= 24


def test_participant_view_german_snapshot(
    german: dict[str, ModuleType], snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The topics lane in German at 80x24 with Eva's votes and the total (check the report before
    --snapshot-update)."""
    monkeypatch.chdir(tmp_path)
    path, ws = _participant_board(Path("board.json"))
    app = _participant_app(german, path, ws)

    async def cursor(pilot: Pilot[Any]) -> None:
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=cursor)


def test_participant_messages_in_german(german: dict[str, ModuleType]) -> None:
    controller = german["kamboard.tui.participant.controller"]
    workshop = {"id": "w1", "vote_budget": 3, "vote_per_card": 2}
    a = {"id": "a", "title": "A", "voted_in": "w1", "voters": {"Eva": 2}}
    b = {"id": "b", "title": "B", "voted_in": "w1", "voters": {"Eva": 1}}
    assert controller.votes_left([a, b], "Eva", workshop) == "0 von 3 Punkten übrig"
    assert controller.votes_left([], "Eva", {"id": "w1", "vote_budget": 1}) == "1 von 1 Punkt übrig"
    assert controller.refusal([a, b], a, "Eva", workshop, +1) == "Höchstens 2 Punkte pro Karte."
    error = ValueError("cannot read /data/board.json")
    assert controller.safe_message(error, type("S", (), {"path": "/data/board.json"})()) == (
        "cannot read die Board-Datei"
    )


async def test_browser_pages_and_sessions_in_the_servers_language() -> None:
    from aiohttp.test_utils import make_mocked_request

    from kamboard.serve.links import Seat, SeatBook
    from kamboard.serve.web import KamboardServer, Session

    async def nothing(*_args: object) -> None:
        return None

    seat = Seat("Fran", "facilitator", "t" * 43)
    server = KamboardServer(SeatBook([seat]), lambda _seat: "true", title="kamboard")
    session = Session("true", write_bytes=nothing, write_str=nothing, close=nothing, download_manager=None)  # type: ignore[arg-type]
    try:
        i18n.set_language("de")
        assert seat.label == "Fran (Moderation)"
        page = await server.handle_index(make_mocked_request("GET", "/?token=wrong"))
        assert page.status == 403 and "Dieser Link ist nicht gültig." in (page.text or "")
        # each session's process runs in the server's language, whatever its settings say
        assert session._build_environment(80, 24)["KAMBOARD_LANG"] == "de"
    finally:
        i18n.set_language("en")
    assert seat.label == "Fran (facilitator)"
    page = await server.handle_index(make_mocked_request("GET", "/?token=wrong"))
    assert "This link is not valid." in (page.text or "")
    assert session._build_environment(80, 24)["KAMBOARD_LANG"] == "en"


def test_the_next_workshop_column_holds_the_german_month() -> None:
    from kamboard import i18n
    from kamboard.tui.widgets.accounts_table import column_widths

    assert column_widths(80)["next"] == 10  # 'by 2027-09'
    i18n.set_language("de")
    try:
        assert column_widths(80)["next"] >= len("bis 2027-09")
    finally:
        i18n.set_language("en")
