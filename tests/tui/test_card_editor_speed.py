"""The card editor at workshop speed: Tab and Enter follow the layout and never save a half-filled
card, owner names are suggested, dates are taken as people type them, the links list filters and
marks links by glyph, selects jump by letter; the board passes the names and today down."""

from __future__ import annotations

import itertools

import pytest
from board_helpers import T0, wait_for
from board_helpers import TODAY as BOARD_DAY
from modal_harness import Harness
from test_card_editor import error_text, harness, support_card
from textual import events
from textual.widgets import Input, Label, Select, TextArea

from kamboard.store import BoardStore
from kamboard.tui.app import KamboardApp
from kamboard.tui.card_edits import owner_names
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.widgets.letter_select import LetterSelect
from kamboard.tui.widgets.link_list import LinkList

SUPPORT_ORDER = [
    "input-title",
    "input-owner",
    "input-side",
    "input-due",
    "input-status",
    "input-notes",
    "input-tags",
    "input-customer_benefit",
    "input-our_benefit",
    "links-filter",
    "input-links",
    "save",
    "cancel",
]


@pytest.mark.parametrize("size", [(80, 40), (120, 40)])
async def test_tab_order_follows_the_layout(size: tuple[int, int]) -> None:
    app = harness(support_card())
    async with app.run_test(size=size) as pilot:
        order = [app.focused.id if app.focused else None]
        for _ in SUPPORT_ORDER[1:]:
            await pilot.press("tab")
            order.append(app.focused.id if app.focused else None)
        assert order == SUPPORT_ORDER
        # On screen each field comes after the one before it: below it, right of it in its row,
        # or at the top of the next column (wide: the owner right under the title).
        screen = app.screen
        regions = [screen.query_one(f"#{name}").region for name in SUPPORT_ORDER[:-2]]
        for before, after in itertools.pairwise(regions):
            assert (after.y, after.x) > (before.y, before.x) or after.x >= before.right, (before, after)
        title, owner = screen.query_one("#input-title").region, screen.query_one("#input-owner").region
        assert owner.y > title.y and owner.x == title.x


async def test_enter_goes_to_the_next_field_and_never_saves_a_half_filled_card() -> None:
    app = harness({"lane": "support", "title": ""})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"Pilot in Lyon", "enter")
        assert app.focused is app.screen.query_one("#input-owner")
        await pilot.press(*"Ana", "enter")
        assert app.focused is app.screen.query_one("#input-side")
        app.screen.query_one("#input-tags", Input).focus()
        await pilot.press(*"lyon", "enter")  # an Enter in Tags once saved the card half-filled
        await pilot.pause()
        assert app.focused is app.screen.query_one("#input-customer_benefit")
        assert app.results == []
        assert isinstance(app.screen, CardEditor)
        app.screen.query_one("#links-filter", Input).focus()
        await pilot.press("enter")  # the filter's Enter goes to the list
        assert app.focused is app.screen.query_one("#input-links")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"title": "Pilot in Lyon", "owner": "Ana", "tags": ["lyon"]}]


async def test_the_key_line_says_what_enter_does_in_the_focused_field() -> None:
    app = harness(support_card())
    async with app.run_test(size=(120, 40)) as pilot:
        keys = app.screen.query_one("#editor-keys")
        assert str(keys.render()) == "Enter: next field · Tab / shift+Tab: move"
        app.screen.query_one("#input-notes", TextArea).focus()
        await pilot.pause()
        assert str(keys.render()) == "Enter: new line · Tab: next field"
        app.screen.query_one("#input-status", Select).focus()
        await pilot.pause()
        assert str(keys.render()) == "A letter picks · Enter: open the list"


async def test_owner_suggests_full_names_case_insensitively_and_enter_takes_them() -> None:
    app = harness(support_card(owner=""), owners=["Tobias Groß", "Ana Ruiz", "Tobias Meier"])
    async with app.run_test(size=(120, 40)) as pilot:
        owner = app.screen.query_one("#input-owner", Input)
        owner.focus()
        await pilot.press(*"tob")
        await app.workers.wait_for_complete()
        await pilot.press("right")  # Textual's key for taking the suggestion
        assert owner.value == "Tobias Groß"
        await pilot.press("ctrl+u", *"ana r")
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # Enter takes it too, and goes on
        assert (owner.value, owner.cursor_position) == ("Ana Ruiz", 8)
        assert app.focused is app.screen.query_one("#input-side")
        owner.focus()
        await pilot.press("end", "ctrl+u", *"Zoe", "enter")  # a name nobody has stays as typed
        assert owner.value == "Zoe"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"owner": "Zoe"}]


async def test_due_dates_as_people_type_them_are_shown_and_stored_as_iso() -> None:
    app = harness(support_card(due=""))
    async with app.run_test(size=(120, 40)) as pilot:
        due = app.screen.query_one("#input-due", Input)
        hint = app.screen.query_one("#hint-due", Label)
        # the examples are future dates, counted from today (Monday 2 March 2026)
        assert due.placeholder == "e.g. 16.3. or +14"
        assert str(hint.render()) == "Due: e.g. +14, +2w, fri, 16.3. or 2026-03-16"
        due.focus()
        await pilot.press("plus", "1", "4")
        assert str(hint.render()) == "Due: Mon 16 Mar 2026, in 14 days"
        assert error_text(app, "due") == ""
        await pilot.press("enter")  # written out as it will be stored
        assert due.value == "2026-03-16"
        due.focus()
        await pilot.press("ctrl+u", *"fri")
        assert str(hint.render()) == "Due: Fri 6 Mar 2026, in 4 days"
        await pilot.press("tab")  # leaving the field writes it out too
        assert due.value == "2026-03-06"
        due.focus()
        await pilot.press("ctrl+u", *"14.12.")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"due": "2026-12-14"}]


async def test_links_filter_as_you_type_and_show_linked_by_glyph() -> None:
    choices = [("t1", "Topic: energy prices"), ("c1", "Challenge: staff shortage"), ("c2", "Challenge: staff costs")]
    app = harness(support_card(links=["t1"]), choices=choices)
    async with app.run_test(size=(120, 40)) as pilot:
        links = app.screen.query_one("#input-links", LinkList)
        count = app.screen.query_one("#links-count", Label)

        def prompts() -> list[str]:
            return [str(links.get_option_at_index(i).prompt) for i in range(links.option_count)]

        assert prompts() == ["[x] Topic: energy prices", "[ ] Challenge: staff shortage", "[ ] Challenge: staff costs"]
        assert str(count.render()) == "1 linked"
        app.screen.query_one("#links-filter", Input).focus()
        await pilot.press(*"STAFF sho")
        assert prompts() == ["[ ] Challenge: staff shortage"]
        assert str(count.render()) == "1 linked; 1 of 3 shown"
        await pilot.press("enter", "space")  # to the list, link it
        assert prompts() == ["[x] Challenge: staff shortage"]
        await pilot.press("shift+tab", "ctrl+u", *"nothing like it")
        assert prompts() == []
        assert str(count.render()) == "2 linked; none matches the filter"
        await pilot.press("ctrl+u")
        assert prompts()[:2] == ["[x] Topic: energy prices", "[x] Challenge: staff shortage"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"links": ["t1", "c1"]}]


async def test_status_and_side_jump_to_the_option_by_typed_letter() -> None:
    app = harness(support_card(side="", status=""))
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.screen.query_one("#input-status", Select)
        status.focus()
        await pilot.press("d")
        assert status.value == "done"
        await pilot.press("d")  # again: the next option with that letter
        assert status.value == "dropped"
        await pilot.press("d", "i")
        assert status.value == "in_progress"
        await pilot.press("z")  # no option begins with it: nothing changes
        assert status.value == "in_progress"
        await pilot.press("shift+tab", "shift+tab", "u")
        assert app.focused is app.screen.query_one("#input-side")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"side": "us", "status": "in_progress"}]


def test_owner_names_participants_first_each_once_no_short_forms() -> None:
    participants = ["Tobias Groß", "Ana  Ruiz", ""]
    owners = ["tobias", "Bob", "ana ruiz", "Tobias", "Bob", "Tobias Groß (customer)", "  ", "Ben", "ben Ott"]
    assert owner_names(participants, owners) == ["Tobias Groß", "Ana Ruiz", "Bob", "Tobias Groß (customer)", "ben Ott"]


async def test_the_board_passes_participants_and_owners_to_the_editor(store: BoardStore) -> None:
    store.add_workshop(
        "ACME",
        "Spring",
        start="2026-03-16T09:00",
        end="2026-03-17T13:00",
        participants=[{"name": "Tobias Groß", "side": "customer"}, {"name": "Bob", "side": "us"}],
    )
    store.add_card("ACME", "support", "Audit", owner="Tobias")
    app = KamboardApp(store, account="ACME", today=BOARD_DAY, clock=lambda: T0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "l", "e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CardEditor))
        editor = app.screen
        assert isinstance(editor, CardEditor)
        assert editor.owners == ["Tobias Groß", "Bob", "Carla"]  # no "Tobias" beside "Tobias Groß"
        assert editor.today == BOARD_DAY


async def test_both_editors_list_the_sides_in_the_same_order() -> None:
    from kamboard.tui.screens.workshop_editor import ParticipantDialog

    sides: list[list[tuple[str, str]]] = []
    for make in (
        lambda: CardEditor({"id": "s1", "lane": "support", "title": "Pilot"}, []),
        lambda: ParticipantDialog(None, []),
    ):
        app = Harness(make)
        async with app.run_test(size=(100, 30)):
            select = app.screen.query_one("#input-side, #entry-side", LetterSelect)
            sides.append(select.choices)
    assert sides[0] == sides[1] == [("Customer", "customer"), ("Us (our team)", "us")]


async def test_keys_typed_right_after_enter_land_in_the_next_field() -> None:
    app = harness(support_card(owner="", tags=[]))
    async with app.run_test(size=(120, 40)) as pilot:
        title = app.screen.query_one("#input-title", Input)
        title.focus()
        await pilot.press("end")
        # a burst, all queued before the app handles any of them (as a fast typist's keys arrive)
        for key, char in [("enter", None), ("B", "B"), ("o", "o"), ("enter", None), ("c", "c")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert title.value == "Pilot predictive maintenance"
        assert app.screen.query_one("#input-owner", Input).value == "Bo"
        side = app.screen.query_one("#input-side", Select)
        assert app.focused is side and side.value == "customer"


async def test_a_card_the_filter_hides_can_be_linked_and_stays_linked() -> None:
    app = harness(support_card(links=[]))
    async with app.run_test(size=(120, 40)) as pilot:
        links = app.screen.query_one("#input-links", LinkList)
        app.screen.query_one("#links-filter", Input).focus()
        await pilot.press(*"energy")
        links.link("c1")  # hidden by the filter
        links.link("gone")  # not offered: nothing to link
        await pilot.pause()
        assert str(app.screen.query_one("#links-count", Label).render()) == "1 linked; 1 of 2 shown"
        await pilot.press("ctrl+u")
        assert str(links.get_option_at_index(1).prompt) == "[x] Challenge: [bold]staff[/bold] shortage"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"links": ["c1"]}]
