"""The small dialogs of the workshop editor: one participant, one agenda item.

Enter or ctrl+s saves, Esc cancels; each dismisses with the checked entry, or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from kamboard import agenda as plan
from kamboard import workshop as rules
from kamboard.i18n import N_, _
from kamboard.model import LANE_TITLES, LANES, ValidationError
from kamboard.tui.keys import Key, bindings
from kamboard.tui.screens.dialogs import SIDE_OPTIONS
from kamboard.tui.styles import WORKSHOP_STYLES
from kamboard.tui.widgets.letter_select import LetterSelect
from kamboard.tui.widgets.ordered_input import OrderedInput
from kamboard.tui.widgets.text import literal, multiline

Doc = dict[str, Any]


def lane_options() -> list[tuple[str, str]]:
    """The lanes an agenda item can work on: (title in the language, id)."""
    return [(LANE_TITLES[lane], lane) for lane in LANES]


class _EntryDialog(ModalScreen[Doc | None]):
    """Shared frame of the participant and agenda item dialogs: Enter or ctrl+s saves, Esc cancels."""

    CSS_PATH = WORKSHOP_STYLES  # read when first shown, not at the app's start

    KEYS = (
        Key("ctrl+s", "save", _("Save"), "entry.save", _("Save the entry"), show=True),
        Key("escape", "cancel", _("Cancel"), "entry.cancel", _("Close without changing anything"), show=True),
    )
    BINDINGS = bindings(KEYS)
    heading = ""  # marked with N_, translated when shown

    def __init__(self, entry: Doc | None) -> None:
        super().__init__(classes="dialog-screen")
        self.entry = dict(entry or {})

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog entry-dialog"):
            yield Label(_(self.heading) if self.heading else "", classes="dialog-title")
            yield from self.fields()
            yield Label("", id="entry-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK (Enter)"), variant="primary", id="entry-ok")
                yield Button(_("Cancel (Esc)"), id="entry-cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    if TYPE_CHECKING:

        def result(self) -> Doc:  # each dialog reads its fields; ValidationError if one is bad
            return {}

    @on(Input.Submitted)
    @on(Button.Pressed, "#entry-ok")
    def action_save(self) -> None:
        error = self.query_one("#entry-error", Label)
        try:
            self.dismiss(self.result())
        except ValidationError as exc:
            error.update(exc.message)
            error.add_class("-shown")

    @on(Button.Pressed, "#entry-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ParticipantDialog(_EntryDialog):
    heading = N_("Participant")

    def __init__(self, entry: Doc | None, taken: list[str]) -> None:
        super().__init__(entry)
        self.taken = {name.casefold() for name in taken}

    def fields(self) -> ComposeResult:
        yield Label(_("Name"), classes="field-label")
        yield OrderedInput(literal(self.entry.get("name", "")), id="entry-name")
        yield Label(_("Side"), classes="field-label")
        side = self.entry.get("side") or Select.NULL
        yield LetterSelect(SIDE_OPTIONS, value=side, prompt=_("Not set"), id="entry-side")
        yield Label(_("Role"), classes="field-label")
        yield OrderedInput(literal(self.entry.get("role", "")), id="entry-role")

    def result(self) -> Doc:
        side = self.query_one("#entry-side", Select).value
        person = rules.validate_participant(
            {
                "name": self.query_one("#entry-name", Input).value,
                "side": "" if side is Select.NULL else str(side),
                "role": self.query_one("#entry-role", Input).value,
            }
        )
        if person["name"].casefold() in self.taken:
            raise ValidationError("participants", _("{name!r} is already a participant.").format(name=person["name"]))
        return person


class AgendaItemDialog(_EntryDialog):
    """Title, lane, minutes, day and notes of an agenda item (``entry["day"]``: the day a new one goes on)."""

    heading = N_("Agenda item")
    DEFAULT_CSS = """
    AgendaItemDialog #entry-numbers {
        height: auto;
    }
    AgendaItemDialog #entry-numbers > Vertical {
        width: 1fr;
        height: auto;
    }
    AgendaItemDialog #entry-notes {
        height: 5;
    }
    """

    def fields(self) -> ComposeResult:
        yield Label(_("Title"), classes="field-label")
        yield OrderedInput(literal(self.entry.get("title", "")), id="entry-title")
        yield Label(_("Works on lane (none: a general item such as a break)"), classes="field-label")
        lane = self.entry.get("lane") or Select.NULL
        yield LetterSelect(lane_options(), value=lane, prompt=_("General"), id="entry-lane")
        with Horizontal(id="entry-numbers"):
            with Vertical():
                yield Label(_("Minutes"), classes="field-label")
                yield OrderedInput(str(self.entry.get("minutes", 30)), id="entry-minutes", restrict=r"\d*")
            with Vertical():
                yield Label(_("Day of the workshop"), classes="field-label")
                yield OrderedInput(str(plan.day_of(self.entry)), id="entry-day", restrict=r"\d*")
        yield Label(_("Notes and decisions (shown in the minutes)"), classes="field-label")
        yield TextArea(multiline(self.entry.get("notes", "")), id="entry-notes")

    def result(self) -> Doc:
        lane = self.query_one("#entry-lane", Select).value
        fields = {
            "title": self.query_one("#entry-title", Input).value,
            "lane": "" if lane is Select.NULL else str(lane),
            "minutes": self.query_one("#entry-minutes", Input).value,
            "day": self.query_one("#entry-day", Input).value,
            "notes": self.query_one("#entry-notes", TextArea).text,
        }
        out = {**self.entry, **rules.validate_agenda_fields(fields)}
        if not out["notes"] and "notes" not in self.entry:
            del out["notes"]  # no notes: no new field
        return out
