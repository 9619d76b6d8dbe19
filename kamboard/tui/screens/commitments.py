"""The commitments review: last workshop's open support actions, each marked done, carried over or dropped.

Shown when a workshop starts. ``d`` marks the highlighted action done, ``c`` carries it over to
this workshop, ``x`` drops it; the list shrinks as actions are reviewed. Dismisses with the
number of actions reviewed. Uses the ``.dialog`` classes of styles/dialogs.tcss.

Given the app's saver, a decision leaves the list at once and is written in the background; a
refused one comes back with a notice. Without a saver (a bare app) it is written at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kamboard.errors import BoardError
from kamboard.model import ValidationError
from kamboard.tui.keys import Key, bindings
from kamboard.tui.reporting import message_of
from kamboard.tui.styles import DIALOG_STYLES
from kamboard.tui.widgets.text import literal

if TYPE_CHECKING:
    from kamboard.tui.saver import Saver

OUTCOME_WORDS = {"done": "marked done", "carry": "carried over", "drop": "dropped"}


def commitment_option(card: dict[str, Any]) -> Option:
    line = Text(literal(card.get("title", "")), style="bold")
    details = [
        str(card.get("status") or "open").replace("_", " "),
        literal(card.get("owner") or "no owner"),
        f"due {card['due']}" if card.get("due") else "no due date",
    ]
    line.append("  " + " · ".join(details), style="dim")
    return Option(line, id=str(card["id"]))


class CommitmentsScreen(ModalScreen[int]):
    """Review the open commitments from the account's previous workshop."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    DEFAULT_CSS = """
    CommitmentsScreen .dialog {
        width: 90;
    }
    CommitmentsScreen #commitments-list {
        height: auto;
        max-height: 20;
    }
    """

    KEYS = (
        Key("d", "review('done')", "Done", "commitments.done", "Mark the action done", show=True),
        Key("c", "review('carry')", "Carry over", "commitments.carry", "Carry it over to this workshop", show=True),
        Key("x", "review('drop')", "Drop", "commitments.drop", "Drop the action", show=True),
        Key("escape,q", "close", "Close", "commitments.close", "Close the review", show=True),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, store: Any, workshop_id: str, saver: Saver | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.store = store
        self.workshop_id = workshop_id
        self.saver = saver  # the app's: decisions are written in the background
        self.reviewed = 0
        self._unsaved: set[str] = set()  # decided, not in the file yet: left off the list

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Last year's commitments", classes="dialog-title", markup=False)
            yield Static("", id="commitments-message", classes="dialog-message", markup=False)
            yield OptionList(id="commitments-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        options = self.query_one(OptionList)
        message = self.query_one("#commitments-message", Static)
        try:
            self.store.refresh()
            previous = self.store.previous_workshop(self.workshop_id)
            cards = [c for c in self.store.open_commitments(self.workshop_id) if c["id"] not in self._unsaved]
        except BoardError as exc:
            message.update(str(exc))
            return
        highlighted = options.highlighted or 0
        options.clear_options()
        options.add_options([commitment_option(c) for c in cards])
        options.display = bool(cards)  # no empty box under "nothing to review"
        if cards:
            options.highlighted = min(highlighted, len(cards) - 1)
            where = literal(previous.get("title", "")) if previous else ""
            message.update(f"{len(cards)} still open from {where}: d done · c carry over · x drop")
        elif previous is None:
            message.update("This is the account's first workshop: nothing to review.")
        else:
            message.update("All commitments reviewed. Esc or q closes.")

    def action_review(self, outcome: str) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or options.option_count == 0:
            return
        card_id = options.get_option_at_index(options.highlighted).id or ""
        saver = self.saver
        if saver is None:
            try:
                card = self.store.review_commitment(card_id, self.workshop_id, outcome)
            except (BoardError, ValidationError) as exc:
                self._refused(exc)
            else:
                self._reviewed(card, outcome)
            return
        workshop_id = self.workshop_id
        self._unsaved.add(card_id)  # off the list at once; the file follows
        self.reviewed += 1
        self.reload()

        def run(store: Any) -> dict[str, Any]:
            return store.review_commitment(card_id, workshop_id, outcome)

        def failed(exc: Exception) -> None:
            self._unsaved.discard(card_id)
            self.reviewed -= 1
            self._refused(exc)

        saver.submit(f"review of {card_id}", run, lambda card: self._reviewed(card, outcome, counted=True), failed)
        saver.when_idle(self._settle)

    def _reviewed(self, card: dict[str, Any], outcome: str, counted: bool = False) -> None:
        if not counted:
            self.reviewed += 1
        self.notify(f"{literal(card.get('title', ''))}: {OUTCOME_WORDS[outcome]}", markup=False)
        if self.is_attached:
            self.reload()

    def _refused(self, exc: Exception) -> None:
        self.app.notify(f"Not saved: {message_of(exc)}", severity="error", markup=False, timeout=8)
        if self.is_attached:
            self.reload()

    def _settle(self) -> None:
        """Every save is answered: the list as the file has it."""
        self._unsaved.clear()
        if self.is_attached:
            self.reload()

    def action_close(self) -> None:
        self.dismiss(self.reviewed)
