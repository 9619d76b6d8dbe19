"""Choose who votes: one line per participant of the workshop with the votes they have left."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kamboard import voting
from kamboard.i18n import _
from kamboard.tui.screens.workshop_lists import side_word
from kamboard.tui.styles import WORKSHOP_STYLES
from kamboard.tui.widgets.text import literal

Doc = dict[str, Any]


class VoterPicker(ModalScreen[str | None]):
    """Choose who votes: one line per participant with the votes they have left."""

    CSS_PATH = WORKSHOP_STYLES  # read when first shown, not at the app's start

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", _("Cancel"), id="voter.cancel", tooltip=_("Close without choosing")),
    ]

    def __init__(self, workshop: Doc, cards: list[Doc], current: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.workshop = workshop
        self.cards = cards
        self.current = current

    def compose(self) -> ComposeResult:
        rules_ = voting.rules_of(self.workshop)
        options = []
        for person in self.workshop.get("participants") or []:
            name = str(person.get("name", ""))
            line = Text(literal(name), style="bold")
            extra = ", ".join(
                literal(side_word(person[k]) if k == "side" else str(person[k]))
                for k in ("side", "role")
                if person.get(k)
            )
            if extra:
                line.append(f" ({extra})")
            left = voting.remaining(self.cards, name, self.workshop)
            line.append("  " + _("{left} of {budget} votes left").format(left=left, budget=rules_.budget), style="dim")
            options.append(Option(line, id=name))
        with Vertical(id="voter-dialog", classes="dialog"):
            yield Static(_("Who votes now?"), classes="dialog-title", markup=False)
            yield OptionList(*options, id="voter-list", markup=False)
            yield Static(_("Enter chooses · Esc cancels"), classes="field-note", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [o.id for o in options.options]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    @on(OptionList.OptionSelected, "#voter-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
