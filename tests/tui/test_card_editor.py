"""Pilot tests for the card editor: changed fields only, validation next to each field, unsaved changes
(the workshop-speed keys, names, dates and links: test_card_editor_speed.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from modal_harness import Harness
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, Static, TextArea

from kamboard.model import TITLE_MAX
from kamboard.tui.screens.card_editor import CardEditor
from kamboard.tui.screens.dialogs import ConfirmDialog
from kamboard.tui.widgets.link_list import LinkList

CHOICES = [("t1", "Topic: energy prices"), ("c1", "Challenge: [bold]staff[/bold] shortage")]
TODAY = dt.date(2026, 3, 2)  # a Monday


def support_card(**overrides: Any) -> dict[str, Any]:
    card = {
        "id": "s1",
        "lane": "support",
        "title": "Pilot predictive maintenance",
        "notes": "Two sites first.",
        "tags": ["maintenance"],
        "links": ["t1"],
        "owner": "Ana",
        "side": "us",
        "due": "2026-03-31",
        "status": "agreed",
        "customer_benefit": "Less downtime",
        "our_benefit": "Reference case",
        "rev": 3,
    }
    card.update(overrides)
    return card


def topic_card(**overrides: Any) -> dict[str, Any]:
    card = {"id": "t9", "lane": "topic", "title": "Energy prices", "notes": "", "tags": [], "links": []}
    card.update(overrides)
    return card


def harness(
    card: dict[str, Any], choices: list[tuple[str, str]] | None = None, owners: list[str] | None = None
) -> Harness:
    return Harness(lambda: CardEditor(card, CHOICES if choices is None else choices, owners=owners or [], today=TODAY))


def error_text(app: Harness, name: str) -> str:
    label = app.screen.query_one(f"#error-{name}", Label)
    return str(label.content) if label.has_class("-shown") and label.display else ""


async def replace_text(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus an Input, clear it with ctrl+u/ctrl+k and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.press("end", "ctrl+u", *text)
    await pilot.pause()


async def test_change_title_and_save_returns_only_that_field() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await replace_text(pilot, "#input-title", "Pilot in Lyon")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"title": "Pilot in Lyon"}]


async def test_ctrl_s_saves_normalised_values() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await replace_text(pilot, "#input-tags", " maintenance , lyon,maintenance, ")
        await replace_text(pilot, "#input-title", "  Trimmed title  ")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"title": "Trimmed title", "tags": ["maintenance", "lyon"]}]


async def test_save_without_changes_returns_empty_dict() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#save")
        await pilot.pause()
    assert app.results == [{}]


async def test_esc_without_changes_closes_at_once() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Title must not be empty."),
        ("title", "x" * (TITLE_MAX + 1), f"Title is {TITLE_MAX + 1} characters long; at most {TITLE_MAX} are allowed."),
        (
            "due",
            "31/03/2026",
            "Date '31/03/2026' is not understood; write e.g. +14, +2w, fri, 16.3., 16.03.2026 or 2026-03-16.",
        ),
        ("due", "2026-02-30", "Date '2026-02-30' does not exist in the calendar."),
        ("tags", "ok, [b]x\x07", "A tag must not contain control characters."),
    ],
)
async def test_each_invalid_input_is_explained_next_to_its_field_and_blocks_save(
    field: str, value: str, message: str
) -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        if "\x07" in value:  # a control character cannot be typed: paste it
            app.screen.query_one(f"#input-{field}", Input).value = value
        else:
            await replace_text(pilot, f"#input-{field}", value)
        await pilot.pause()
        assert error_text(app, field) == message
        field_box = app.screen.query_one(f"#field-{field}")
        assert field_box.has_class("-invalid")
        # The message sits right under its input, inside the same field box.
        label = app.screen.query_one(f"#error-{field}", Label)
        assert label.parent is field_box
        assert label.region.y == app.screen.query_one(f"#input-{field}").region.bottom
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, CardEditor)
        # Focus jumps to the offending field.
        assert app.focused is app.screen.query_one(f"#input-{field}")
        # Fixing it clears the message and saving works.
        good = {"title": "Fixed", "due": "2026-04-01", "tags": "ok"}[field]
        app.screen.query_one(f"#input-{field}", Input).value = good
        await pilot.pause()
        assert error_text(app, field) == ""
        assert not field_box.has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(app.results) == 1
    assert field in app.results[0]


async def test_control_characters_in_title_are_refused() -> None:
    app = harness(topic_card())
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#input-title", Input).value = "Bad \x1b[31mred"
        await pilot.pause()
        assert error_text(app, "title") == "Title must not contain control characters."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []


async def test_several_errors_are_all_shown_at_once() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await replace_text(pilot, "#input-title", "")
        await replace_text(pilot, "#input-due", "soon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app, "title") == "Title must not be empty."
        assert "Date 'soon' is not understood; write e.g. +14" in error_text(app, "due")
        assert app.focused is app.screen.query_one("#input-title")
        assert app.results == []


async def test_esc_with_changes_asks_and_no_keeps_editing() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        await replace_text(pilot, "#input-title", "Changed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard your changes?" in str(app.screen.query_one("#confirm-message", Static).content)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        assert app.screen.query_one("#input-title", Input).value == "Changed"
        assert app.results == []
        # Enter on the default button (No) keeps editing too: nothing is lost by accident.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        # Yes discards.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [None]


async def test_notes_are_multi_line() -> None:
    app = harness(topic_card())
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#input-notes", TextArea).focus()
        await pilot.press(*"first", "enter", *"second")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"notes": "first\nsecond"}]


async def test_support_fields_side_status_owner() -> None:
    app = harness(support_card(side="", status=""))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.query_one("#input-side", Select).value = "customer"
        screen.query_one("#input-status", Select).value = "in_progress"
        await replace_text(pilot, "#input-owner", "Ben (customer)")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"side": "customer", "status": "in_progress", "owner": "Ben (customer)"}]


async def test_status_select_opens_and_picks_with_keys() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#input-status", Select).focus()
        await pilot.press("enter")  # open the overlay
        await pilot.pause()
        await pilot.press("down", "enter")  # agreed -> in progress
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"status": "in_progress"}]


async def test_links_selection_toggles_and_keeps_links_not_offered() -> None:
    app = harness(support_card(links=["t1", "gone"]))
    async with app.run_test(size=(100, 30)) as pilot:
        selection = app.screen.query_one("#input-links", LinkList)
        assert selection.selected == ["t1"]
        # The link to a card not offered is kept and said so.
        assert any("1 more link" in str(note.content) for note in app.screen.query(".field-note").results(Static))
        selection.focus()
        await pilot.press("space")  # unlink t1 (highlighted first)
        await pilot.press("down", "space")  # link c1
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"links": ["c1", "gone"]}]


async def test_link_labels_are_shown_literally() -> None:
    app = harness(support_card())
    async with app.run_test(size=(100, 30)):
        selection = app.screen.query_one("#input-links", LinkList)
        prompt = selection.get_option_at_index(1).prompt
        assert "[bold]staff[/bold]" in str(prompt)


async def test_topic_cards_hide_support_fields_and_links() -> None:
    app = harness(topic_card())
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        for name in ("owner", "side", "due", "status", "customer_benefit", "our_benefit", "links"):
            assert not screen.query(f"#input-{name}"), name
        assert screen.query_one("#input-title", Input).value == "Energy prices"


async def test_challenge_cards_have_links_but_no_support_fields() -> None:
    app = harness(topic_card(lane="challenge", id="c7"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert not screen.query("#input-owner")
        screen.query_one("#input-links", LinkList).focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"links": ["t1"]}]


async def test_no_link_choices_says_so() -> None:
    app = harness(support_card(links=[]), choices=[])
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.screen.query("#input-links")
        assert any(
            "No topics or challenges" in str(note.content) for note in app.screen.query(".field-note").results(Static)
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{}]


async def test_markup_and_escape_sequences_in_values_stay_literal() -> None:
    title = "[bold red]x[/] \\[y] [link=http://e.x]z[/link]"
    app = harness(support_card(title=title, notes="[i]notes[/i]"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.screen.query_one("#input-title", Input).value == title
        assert app.screen.query_one("#input-notes", TextArea).text == "[i]notes[/i]"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{}]


async def test_stored_value_the_rules_refuse_is_flagged_but_kept_until_fixed() -> None:
    app = harness(support_card(due="2026-13-01"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "does not exist" in error_text(app, "due")
        await pilot.press("escape")  # nothing changed by the user: closes without asking
        await pilot.pause()
    assert app.results == [None]


async def test_new_card_heading_and_save_all_filled_fields() -> None:
    app = harness({"lane": "topic", "title": ""})
    async with app.run_test(size=(80, 24)) as pilot:
        assert "New topic" in str(app.screen.query_one("#editor-title", Static).content)
        await pilot.press(*"Fresh idea")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"title": "Fresh idea"}]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 60)])
async def test_editor_fits_the_terminal_and_every_field_can_be_reached(size: tuple[int, int]) -> None:
    app = harness(support_card())
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        editor = screen.query_one("#editor")
        assert editor.region.bottom <= size[1]
        assert editor.region.right <= size[0]
        save = screen.query_one("#save")
        assert save.region.bottom <= size[1] and save.region.height > 0
        assert screen.has_class("-wide") == (size[0] >= 96)
        # Tab through the form: each field scrolls into view when focused.
        seen = set()
        for _ in range(20):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None
            if focused.id and focused.id.startswith("input-"):
                seen.add(focused.id)
                form = screen.query_one("#editor-form")
                assert focused.region.overlaps(form.region), focused.id
        assert {"input-title", "input-notes", "input-due", "input-our_benefit", "input-links"} <= seen
