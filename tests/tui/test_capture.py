"""Capture at full speed: quick-add keeps every key of a burst, pastes become cards, Esc drops nothing by accident."""

from __future__ import annotations

import unicodedata

from board_helpers import TODAY, notifications, wait_for, wait_for_saves
from textual import events
from textual.widgets import Input

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.screens.accounts import AccountsScreen
from kamboard.tui.screens.board import BoardScreen
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConfirmDialog
from kamboard.tui.screens.workshop_editor import WorkshopEditor
from kamboard.tui.widgets.lane import Lane

SIX = ["Energy prices", "Regulation", "Talent", "ohne Fluktuation im Lager", "Öl & Gas: 2026", "x"]


def board_app(store: BoardStore) -> KamboardApp:
    return KamboardApp(store, account="ACME", today=TODAY)


def board(app: KamboardApp) -> BoardScreen:
    assert isinstance(app.screen, BoardScreen)
    return app.screen


def stored_titles(store: BoardStore, lane: str) -> list[str]:
    return [c["title"] for c in store.cards(store.account("ACME")["id"], lane)]


def key_event(character: str) -> events.Key:
    """The key the terminal's byte ``character`` is read as (named as Textual names it)."""
    if character == "\r":
        return events.Key("enter", "\r")
    if character == "\t":
        return events.Key("tab", "\t")
    if character.isalnum():
        return events.Key(character, character)
    name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    return events.Key({"hyphen_minus": "minus"}.get(name, name), character)


def burst(app: KamboardApp, typed: str) -> None:
    """Give the app ``typed`` all at once, as one read from the terminal delivers a fast typist's
    keys (or an unbracketed paste): every key is queued before the first is handled."""
    for character in typed:
        app.post_message(key_event(character))


async def test_a_burst_with_enters_makes_exactly_those_cards(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        field = board(app).query_one("#col-topic .quick-add", Input)
        burst(app, "".join(f"{title}\r" for title in SIX))
        assert await wait_for(pilot, lambda: len(board(app).all_cards["topic"]) == 3 + len(SIX))
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == SIX
        assert not [n for n in notifications(app) if "characters long" in n]
        assert field.value == "" and app.focused is field  # open for the next title


async def test_keys_typed_after_enter_start_the_next_title(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Lager", "enter")
        burst(app, "ohne Fluktuation")  # typed before the first card was even shown
        await pilot.press("enter")
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == ["Lager", "ohne Fluktuation"]


async def test_a_refused_title_goes_back_before_what_was_typed_after_it(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        field = board(app).query_one("#col-topic .quick-add", Input)
        burst(app, "x" * 201 + "\rok\rmo")
        assert await wait_for(pilot, lambda: field.value == "x" * 201 + "mo")
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == ["ok"]
        assert [n for n in notifications(app) if "201 characters long" in n]
        assert field.cursor_position == 201  # after the refused title, before what followed it


async def test_an_unbracketed_paste_makes_a_card_per_line(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "n")
        burst(app, "Cost of energy\rCost of energy, too\r")  # a terminal without bracketed paste types it
        await pilot.pause()
        await wait_for_saves(app)
        assert stored_titles(store, "challenge")[2:] == ["Cost of energy", "Cost of energy, too"]


async def test_a_paste_of_a_few_lines_adds_a_card_each_at_once(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"kept")
        field = board(app).query_one("#col-topic .quick-add", Input)
        app.post_message(events.Paste("Pricing\n\n  Delivery times \r\nService\n"))
        await pilot.pause()
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == ["Pricing", "Delivery times", "Service"]
        assert "Added 3 cards to Topics." in notifications(app)
        assert field.value == "kept" and app.focused is field


async def test_a_paste_of_one_line_with_its_line_break_is_typed_into_the_field(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        field = board(app).query_one("#col-topic .quick-add", Input)
        app.post_message(events.Paste("\nPricing\n"))
        await pilot.pause()
        assert field.value == "Pricing"
        await pilot.press("enter")
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == ["Pricing"]


async def test_a_long_paste_asks_once_then_adds_a_card_per_line(store: BoardStore) -> None:
    app = board_app(store)
    titles = [f"Topic {n}" for n in range(1, 13)]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        app.post_message(events.Paste("\n".join(titles)))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Add 12 cards to Topics?" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")  # cancelled: nothing added
        await pilot.pause()
        await wait_for_saves(app)
        assert len(stored_titles(store, "topic")) == 3
        app.post_message(events.Paste("\n".join(titles)))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await wait_for_saves(app)
        assert stored_titles(store, "topic")[3:] == titles
        assert "Added 12 cards to Topics." in notifications(app)


async def test_esc_in_quick_add_with_text_asks_before_dropping_it(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Half a thought", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the focused button keeps typing: a stray Enter drops nothing
        await pilot.pause()
        field = board(app).query_one("#col-topic .quick-add", Input)
        assert app.focused is field and field.value == "Half a thought"
        await pilot.press("escape", "y")  # discard
        await pilot.pause()
        assert isinstance(app.focused, Lane) and not field.display
        await pilot.press("n", "escape")  # an empty field closes at once
        await pilot.pause()
        assert app.screen is board(app) and isinstance(app.focused, Lane) and not field.display
        await wait_for_saves(app)
        assert len(stored_titles(store, "topic")) == 3


async def test_esc_after_the_filter_closed_stays_on_the_board_until_pressed_again(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = board(app)
        await pilot.press("slash", *"asia", "backspace", "backspace", "backspace", "backspace", "enter")
        await pilot.pause()
        assert not screen.query_one("#board-filter", Input).display  # Enter on an empty filter closed it
        await pilot.press("escape")  # meant for the filter, already closed
        await pilot.pause()
        assert app.screen is screen
        assert notifications(app)[-1] == "The filter is closed. Esc again goes back to the accounts."
        await pilot.press("escape")  # on purpose
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)


async def test_esc_long_after_the_filter_closed_leaves_at_once(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = board(app)
        screen.capture.esc_again_seconds = 0  # as if the filter closed long ago
        await pilot.press("slash", *"asia", "escape")  # clears and closes the filter: stays
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert not [n for n in notifications(app) if "Esc again" in n]


async def test_keys_typed_right_after_e_go_to_that_cards_editor(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = board(app)
        burst(app, "ejx")  # 'j' and 'x' belong in the title: not 'move down', not lost
        assert await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.value == "Growth in Asiajx")
        editor = app.screen
        assert isinstance(editor, CardEditor) and editor.card["title"] == "Growth in Asia"
        assert app.screen_stack[-2:] == [screen, editor] and screen.lanes["topic"].cursor == 0


async def test_keys_typed_right_after_tab_in_the_workshop_editor_go_to_the_next_field(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopEditor) and app.focused is not None)
        first = app.focused
        assert isinstance(first, Input)
        burst(app, "Abc\tXyz")
        assert await wait_for(pilot, lambda: app.focused is not first and getattr(app.focused, "value", "") == "Xyz")
        assert first.value.endswith("Abc") and "X" not in first.value


def burst_keys(app: KamboardApp, *keys: events.Key) -> None:
    """Give the app these keys all at once (see ``burst``), named keys included."""
    for key in keys:
        app.post_message(key)


def typed(text: str) -> list[events.Key]:
    return [key_event(character) for character in text]


async def test_editing_keys_in_a_burst_act_where_they_were_typed(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        backspace = events.Key("backspace", "\x7f")
        burst_keys(app, *typed("Talenz"), backspace, *typed("t\r"))  # a typo put right at full speed
        await wait_for_saves(app)
        assert await wait_for(pilot, lambda: "Talent" in stored_titles(store, "topic"))


async def test_ctrl_u_then_a_new_title_in_one_burst_keeps_the_new_title(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        burst_keys(app, *typed("e"), events.Key("ctrl+u", "\x15"), *typed("Growth in Europe"))
        assert await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.value == "Growth in Europe")
        assert isinstance(app.screen, CardEditor)


async def test_a_tab_typed_before_the_editor_is_shown_moves_on_after_the_keys_before_it(store: BoardStore) -> None:
    app = board_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")  # a challenge: title, then notes
        tab = events.Key("tab", "\t")
        burst_keys(app, *typed("e"), events.Key("ctrl+u", "\x15"), *typed("Fresh"), tab, *typed("xy"))
        assert await wait_for(pilot, lambda: getattr(app.focused, "text", None) == "xy")
        assert app.screen.query_one("#input-title", Input).value == "Fresh"
