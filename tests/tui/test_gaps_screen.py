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
    # the fixture: 'Skills gap' is unanswered; 'Training' answers nothing; neither action names a benefit
    app = GapsHarness(store, _acme(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompts = _prompts(app)
        assert prompts[0] == ("Challenges no support action answers (1)", True)
        assert prompts[1][0].startswith("  Skills gap  [Challenges] no support action answers it")
        assert ("Support actions that answer no customer topic or challenge (1)", True) in prompts
        assert any("Training  [Support] no customer need behind it: a sales pitch?" in p for p, _ in prompts)
        assert ("Support actions without value for the customer (2)", True) in prompts
        assert ("Support actions without value for us (2)", True) in prompts
        assert any("Training  [Support] no value for us stated" in p for p, _ in prompts)
        title = str(app.screen.query_one("#gaps-title", Static).content)
        assert title == "Gaps on the board of ACME: 6"
        summary = str(app.screen.query_one("#gaps-summary", Static).content)
        assert summary == (
            "Mutual benefit: 0 of 2 support actions name value for both sides\n"
            "Lacking a benefit: Joint pilot (value for the customer, value for us)"
            " · Training (value for the customer, value for us)"
        )


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
        changes = {"links": [skills["id"]], "customer_benefit": "Skilled staff", "our_benefit": "A reference"}
        store.update_card(training["id"], changes)
        await pilot.press("r")
        await pilot.pause()
        prompts = [p for p, _ in _prompts(app)]
        assert not any("Skills gap" in p for p in prompts)
        assert not any("Training" in p for p in prompts)
        summary = str(app.screen.query_one("#gaps-summary", Static).content)
        assert summary.startswith("Mutual benefit: 1 of 2 support actions")
        assert "Joint pilot (value for the customer, value for us)" in summary and "Training" not in summary
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_no_gaps(store: BoardStore) -> None:
    app = GapsHarness(store, store.account("Globex")["id"])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert _prompts(app) == []
        assert str(app.screen.query_one("#gaps-title", Static).content) == "No gaps on the board of Globex"


async def test_names_the_actions_without_value_for_us_literally(store: BoardStore) -> None:
    """An action naming only the customer's value counts as a gap, named with its title as typed."""
    acme = _acme(store)
    for card in store.cards(acme, lane="support"):
        store.update_card(card["id"], {"customer_benefit": "x", "our_benefit": "y"})
    store.add_card(acme, "support", "[red]Rabatt[/red] 20 %", customer_benefit="Lower costs", owner="Tom")
    app = GapsHarness(store, acme)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompts = _prompts(app)
        assert ("Support actions without value for us (1)", True) in prompts
        assert any("[red]Rabatt[/red] 20 %  [Support] no value for us stated" in p for p, _ in prompts)
        assert not any("without value for the customer" in p for p, _ in prompts)
        summary = str(app.screen.query_one("#gaps-summary", Static).content)
        assert summary.endswith("Lacking a benefit: [red]Rabatt[/red] 20 % (value for us)")
        assert "2 of 3 support actions" in summary
