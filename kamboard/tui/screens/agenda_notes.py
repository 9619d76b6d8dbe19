"""Notes or decisions on one agenda item, taken during the workshop (N on the board).

A small dialog with the item's notes in a text area: ctrl+s saves (dismisses with the text), Esc
closes (asking first when something was typed). The notes go into the minutes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static, TextArea

from kamboard import agenda as plan
from kamboard.i18n import _
from kamboard.model import ValidationError
from kamboard.tui.keys import Key, bindings
from kamboard.tui.screens.dialogs import confirm_discard
from kamboard.tui.styles import DIALOG_STYLES
from kamboard.tui.widgets.text import literal, multiline


class AgendaNotesDialog(ModalScreen[str | None]):
    """Edit the notes of agenda ``item``; dismisses with the new text (None: cancelled)."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    DEFAULT_CSS = """
    AgendaNotesDialog .dialog {
        width: 80;
    }
    AgendaNotesDialog #notes-input {
        height: 8;
    }
    """

    KEYS = (
        Key("ctrl+s", "save", _("Save"), "agenda_notes.save", _("Save the notes"), show=True),
        Key("escape", "cancel", _("Cancel"), "agenda_notes.cancel", _("Close; asks first if changed"), show=True),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, item: dict[str, Any]) -> None:
        super().__init__(classes="dialog-screen")
        self.item = item
        self.initial = multiline(str(item.get("notes") or ""))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text(_("Notes: "))
            title.append(literal(str(self.item.get("title", ""))), style="bold")
            yield Static(title, classes="dialog-title")
            yield Static(_("Notes and decisions on this agenda item (they go into the minutes)"), classes="field-note")
            yield TextArea(self.initial, id="notes-input", soft_wrap=True, tab_behavior="focus")
            yield Label("", id="notes-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="notes-save")
                yield Button(_("Cancel (Esc)"), id="notes-cancel")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # go on writing after what is there

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(Button.Pressed, "#notes-save")
    def action_save(self) -> None:
        try:
            notes = plan.validate_agenda_fields({"notes": self.text})["notes"]
        except ValidationError as exc:
            error = self.query_one("#notes-error", Label)
            error.update(exc.message)
            error.add_class("-shown")
            return
        self.dismiss(notes)

    @on(Button.Pressed, "#notes-cancel")
    def action_cancel(self) -> None:
        confirm_discard(self, self.text != self.initial, _("Discard?"), _("Close and drop the notes typed?"))
