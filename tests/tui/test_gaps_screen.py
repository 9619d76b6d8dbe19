"""The gaps view: grouped gaps, Enter jumps to a card, escape goes back, r re-reads the board."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Label, OptionList, Static

from kamboard.store import BoardStore
from kamboard.tui.screens.gaps import GapsScreen


class GapsHarness(App[None]):
    def __init__(self, store: BoardStore, account_id: str) -> None:
        super().__init__()
        self.board = store
        self.account_id = account_id
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("background")

    def on_mount(self) -> None:
        self.push_screen(GapsScreen(self.board, self.account_id), self.results.append)


def _prompts(app: App[None]) -> list[tuple[str, bool]]:
    options = app.screen.query_one(OptionList)
    return [
        (str(options.get_option_at_index(i).prompt), options.get_option_at_index(i).disabled)
        for i in range(options.option_count)
    ]


def _acme(store: BoardStore) -> str:
    return str(store.account("ACME")["id"])


async def test_lists_gaps_grouped(store: BoardStore) -> None:
    # the fixture: 'Skills gap' is unanswered; 'Training' answers nothing; neither action names a customer benefit
    app = GapsHarness(store, _acme(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompts = _prompts(app)
        assert prompts[0] == ("Challenges no support action answers (1)", True)
        assert prompts[1][0].startswith("  Skills gap  [Challenges] no support action answers it")
        assert ("Support actions that answer no customer topic or challenge (1)", True) in prompts
        assert any("Training  [Support] no customer need behind it: a sales pitch?" in p for p, _ in prompts)
        assert ("Support actions without a customer benefit (2)", True) in prompts
        title = str(app.screen.query_one("#gaps-title", Static).content)
        assert title == "Gaps on the board of ACME: 4"
        summary = str(app.screen.query_one("#gaps-summary", Static).content)
        assert summary == "Mutual benefit: 0 of 2 support actions name value for both sides"


async def test_enter_dismisses_with_the_card(store: BoardStore) -> None:
    skills = next(c for c in store.cards(lane="challenge") if c["title"] == "Skills gap")
    app = GapsHarness(store, _acme(store))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # headings are disabled: the first gap is highlighted
        await pilot.pause()
        assert app.results == [skills["id"]]
        assert not isinstance(app.screen, GapsScreen)


async def test_escape_and_reload(store: BoardStore) -> None:
    acme = _acme(store)
    app = GapsHarness(store, acme)
    async with app.run_test() as pilot:
        await pilot.pause()
        skills = next(c for c in store.cards(lane="challenge") if c["title"] == "Skills gap")
        training = next(c for c in store.cards(lane="support") if c["title"] == "Training")
        store.update_card(training["id"], {"links": [skills["id"]], "customer_benefit": "Skilled staff"})
        await pilot.press("r")
        await pilot.pause()
        prompts = [p for p, _ in _prompts(app)]
        assert not any("Skills gap" in p for p in prompts)
        assert not any("Training" in p for p in prompts)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_no_gaps(store: BoardStore) -> None:
    app = GapsHarness(store, store.account("Globex")["id"])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert _prompts(app) == []
        assert str(app.screen.query_one("#gaps-title", Static).content) == "No gaps on the board of Globex"
