"""Pilot tests for ConfirmDialog, TextPrompt, ConflictDialog and KeysHelp; the side options and the
letter keys (LetterSelect) the card and workshop editors share."""

from __future__ import annotations

from typing import ClassVar

import pytest
from modal_harness import Harness
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Button, Input, Label, Static

from kamboard.errors import Conflict
from kamboard.model import ValidationError, validate_title
from kamboard.tui.screens.dialogs import ConfirmDialog, ConflictDialog, TextPrompt
from kamboard.tui.screens.help import KeysHelp, group_bindings
from kamboard.tui.widgets.letter_select import LetterSelect

MARKUP = "[bold red]x[/] [link=https://e.x]y[/link] \x1b[31m"


def shown(widget: Static) -> str:
    """The plain text a Label/Static shows (its content, not parsed as markup)."""
    return str(widget.content)


def screen_text(app: Harness) -> str:
    return "\n".join(shown(w) for w in app.screen.query("Label, Static").results(Static))


# ---- ConfirmDialog --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(["y"], True), (["n"], False), (["escape"], False), (["enter"], True), (["tab", "enter"], False)],
)
async def test_confirm_keys(keys: list[str], expected: bool) -> None:
    app = Harness(lambda: ConfirmDialog("Delete card", "Delete it?"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
    assert app.results == [expected]


@pytest.mark.parametrize(("button", "expected"), [("#yes", True), ("#no", False)])
async def test_confirm_mouse(button: str, expected: bool) -> None:
    app = Harness(lambda: ConfirmDialog("Archive", "Archive the account?", yes="Archive", no="Keep"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Archive (y)" in str(app.screen.query_one("#yes", Button).label)
        assert "Keep (n)" in str(app.screen.query_one("#no", Button).label)
        await pilot.click(button)
        await pilot.pause()
    assert app.results == [expected]


async def test_confirm_can_default_to_no() -> None:
    app = Harness(lambda: ConfirmDialog("Unsaved", "Discard?", focus_yes=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [False]


async def test_confirm_shows_markup_literally() -> None:
    app = Harness(lambda: ConfirmDialog(MARKUP, f"Delete {MARKUP}?"))
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert MARKUP in text
        assert f"Delete {MARKUP}?" in text
        await pilot.press("n")
        await pilot.pause()
    assert app.results == [False]


# ---- TextPrompt -----------------------------------------------------------------------


def account_name(value: str) -> str:
    name = validate_title(value, "name", "Account name")
    if name.lower() == "acme":
        raise ValidationError("name", f"An account named {name!r} exists already.")
    return name


async def test_prompt_returns_normalised_value() -> None:
    app = Harness(lambda: TextPrompt("New account", "Name", validate=account_name))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"  Globex  ", "enter")
        await pilot.pause()
    assert app.results == ["Globex"]


async def test_prompt_shows_validation_error_and_blocks_enter() -> None:
    app = Harness(lambda: TextPrompt("New account", "Name", validate=account_name))
    async with app.run_test(size=(80, 24)) as pilot:
        error = app.screen.query_one("#prompt-error", Label)
        await pilot.press("enter")  # empty
        await pilot.pause()
        assert app.results == []
        assert shown(error) == "Account name must not be empty."
        assert error.has_class("-shown")
        assert error.region.y == app.screen.query_one(Input).region.bottom
        await pilot.press(*"ACME")
        await pilot.pause()
        assert shown(error) == "An account named 'ACME' exists already."
        await pilot.click("#ok")
        await pilot.pause()
        assert app.results == []
        await pilot.press("end", "backspace", *"E Corp")
        await pilot.pause()
        assert not error.has_class("-shown")
        await pilot.click("#ok")
        await pilot.pause()
    assert app.results == ["ACME Corp"]


async def test_prompt_error_with_markup_is_literal() -> None:
    app = Harness(lambda: TextPrompt("Rename", "Name", value="[b]x[/b]", validate=account_name))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one(Input).value == "[b]x[/b]"
        await pilot.press("end", *"acme")
        await pilot.pause()
        app.screen.query_one(Input).value = "acme"
        await pilot.pause()
        assert shown(app.screen.query_one("#prompt-error", Label)) == "An account named 'acme' exists already."


@pytest.mark.parametrize("how", ["escape", "#cancel"])
async def test_prompt_cancel(how: str) -> None:
    app = Harness(lambda: TextPrompt("Rename", "Name", value="Old"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"er")
        if how == "escape":
            await pilot.press("escape")
        else:
            await pilot.click(how)
        await pilot.pause()
    assert app.results == [None]


async def test_prompt_without_validator_keeps_value() -> None:
    app = Harness(lambda: TextPrompt("Filter", "Text", value="ab"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "c", "enter")
        await pilot.pause()
    assert app.results == ["abc"]


# ---- ConflictDialog -------------------------------------------------------------------


def make_conflict() -> Conflict:
    fields = {
        "title": ("My title", "[bold]Their[/bold] title"),
        "tags": (["a", "b"], []),
        "due": ("2026-01-31", "2026-02-28"),
    }
    current = {"id": "c1", "title": "[bold]Their[/bold] title", "updated_by": "bob [admin]"}
    return Conflict("c1", fields, current)


@pytest.mark.parametrize(("keys", "expected"), [("m", "mine"), ("t", "theirs"), ("enter", "mine")])
async def test_conflict_keys(keys: str, expected: str) -> None:
    app = Harness(lambda: ConflictDialog(make_conflict()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(keys)
        await pilot.pause()
    assert app.results == [expected]


@pytest.mark.parametrize(("button", "expected"), [("#mine", "mine"), ("#theirs", "theirs")])
async def test_conflict_buttons(button: str, expected: str) -> None:
    app = Harness(lambda: ConflictDialog(make_conflict()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click(button)
        await pilot.pause()
    assert app.results == [expected]


async def test_conflict_shows_both_values_side_by_side_and_who() -> None:
    app = Harness(lambda: ConflictDialog(make_conflict()))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        mine = [shown(w) for w in screen.query(".conflict-mine").results(Static)]
        theirs = [shown(w) for w in screen.query(".conflict-theirs").results(Static)]
        names = [shown(w) for w in screen.query(".conflict-field").results(Static)]
        assert names == ["Title", "Tags", "Due"]
        assert mine == ["My title", "a, b", "2026-01-31"]
        assert theirs == ["[bold]Their[/bold] title", "(empty)", "2026-02-28"]
        # Side by side: each pair on one row, mine left of theirs.
        for left, right in zip(screen.query(".conflict-mine"), screen.query(".conflict-theirs"), strict=True):
            assert left.region.y == right.region.y
            assert left.region.right <= right.region.x
        text = screen_text(app)
        assert "Changed meanwhile by bob [admin]" in text
        assert "Theirs (bob [admin])" in text
        # Esc does not decide for the user.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert app.results == []


# ---- KeysHelp -------------------------------------------------------------------------

KEYS = [
    ("n", "Quick-add a card", "Cards"),
    ("e", "Edit card", "Cards"),
    ("enter", "Edit card", "Cards"),
    ("/", "Filter [text]", "View"),
    ("?", "Keys", "App"),
]


def test_group_bindings_merges_keys_of_one_action() -> None:
    groups = group_bindings(KEYS)
    assert list(groups) == ["Cards", "View", "App"]
    assert groups["Cards"] == [("n", "Quick-add a card"), ("e / enter", "Edit card")]


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_help_closes(key: str) -> None:
    app = Harness(lambda: KeysHelp(KEYS))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(key)
        await pilot.pause()
    assert app.results == [None]


async def test_help_lists_keys_grouped_and_the_three_questions() -> None:
    app = Harness(lambda: KeysHelp(KEYS))
    async with app.run_test(size=(100, 30)):
        screen = app.screen
        groups = [shown(w) for w in screen.query(".help-group").results(Static)]
        assert groups[1:] == ["Cards", "View", "App"]
        keys = [shown(w) for w in screen.query(".help-key").results(Static)]
        descriptions = [shown(w) for w in screen.query(".help-desc").results(Static)]
        assert keys == ["n", "e / enter", "/", "?"]
        assert descriptions == ["Quick-add a card", "Edit card", "Filter [text]", "Keys"]
        questions = " ".join(shown(w) for w in screen.query(".help-question").results(Static))
        for needle in (
            "Topics: What is on the customer's mind?",
            "Challenges: What does their business face?",
            "Support: How can we help, to mutual benefit?",
        ):
            assert needle in questions


async def test_help_scrolls_when_long_at_80x24() -> None:
    many = [(f"k{i}", f"Action {i}", f"Group {i // 5}") for i in range(60)]
    app = Harness(lambda: KeysHelp(many))
    async with app.run_test(size=(80, 24)) as pilot:
        body = app.screen.query_one("#help-body")
        close = app.screen.query_one("#help-close")
        assert close.region.bottom <= 24 and close.region.height == 3
        assert body.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y


async def test_conflict_with_long_values_fits_80x24() -> None:
    long_notes = "line of notes " * 80
    conflict = Conflict("c1", {"notes": (long_notes, "short"), "title": ("A", "B")}, {"updated_by": "bob"})
    app = Harness(lambda: ConflictDialog(conflict))
    async with app.run_test(size=(80, 24)) as pilot:
        fields = app.screen.query_one("#conflict-fields")
        for button in app.screen.query("#mine, #theirs"):
            assert button.region.bottom <= 24 and button.region.height == 3
        assert fields.max_scroll_y > 0  # the table scrolls instead of pushing the buttons away
        await pilot.press("t")
        await pilot.pause()
    assert app.results == ["theirs"]


# ---- letter keys on selects (LetterSelect), as the card and workshop editors use them ---------------


async def test_participant_side_and_agenda_lane_jump_by_letter() -> None:
    from kamboard.tui.screens.workshop_editor import AgendaItemDialog, ParticipantDialog

    app = Harness(lambda: ParticipantDialog(None, []))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Eva", "tab", "u", "tab", *"CFO", "enter")
        await pilot.pause()
    assert app.results == [{"name": "Eva", "side": "us", "role": "CFO"}]
    app = Harness(lambda: AgendaItemDialog(None))
    async with app.run_test(size=(100, 30)) as pilot:
        lane = app.screen.query_one("#entry-lane", LetterSelect)
        lane.focus()
        await pilot.press("c")
        assert lane.value == "challenge"
        await pilot.press("s")
        assert lane.value == "support"


class SelectApp(App[None]):
    """A letter select beside an app key that shares a letter with an option."""

    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit_pressed", "Quit"), ("x", "x_pressed", "X")]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield LetterSelect([("Quarterly", "q"), ("Agreed", "a"), ("Also", "b")], prompt="(not set)")

    def action_quit_pressed(self) -> None:
        self.pressed.append("q")

    def action_x_pressed(self) -> None:
        self.pressed.append("x")


async def test_letter_select_takes_its_letters_and_leaves_the_others_to_the_app() -> None:
    app = SelectApp()
    async with app.run_test(size=(60, 20)) as pilot:
        select = app.query_one(LetterSelect)
        select.focus()
        await pilot.press("A")
        assert select.value == "a"
        await pilot.press("a", "a")  # the next option with that letter, round again
        assert select.value == "a"
        await pilot.press("q")  # an option's letter: the select's, not the app's key
        assert select.value == "q"
        await pilot.press("x")  # no option begins with x: the app's key
        assert app.pressed == ["x"]
        await pilot.press("enter")  # the open list searches as Textual's does
        await pilot.pause()
        assert select.expanded
        await pilot.press("a", "l", "enter")
        await pilot.pause()
        assert not select.expanded and select.value == "b"
