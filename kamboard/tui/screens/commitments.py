"""The commitments review: last workshop's open support actions, each marked done, carried over or dropped.

Shown when a workshop starts. ``d`` marks the highlighted action done, ``c`` carries it over to
this workshop, ``x`` drops it, ``u`` undoes the last decision made here; the list shrinks as
actions are reviewed. Dismisses with the number of actions reviewed. Uses the ``.dialog`` classes
of styles/dialogs.tcss.

Given the app's saver, a decision leaves the list at once and is written in the background; a
refused one comes back with a notice. Without a saver (a bare app) it is written at once. Each
decision is a step of the board's undo history (given by the board): ``u`` on the board undoes
it too, once the review is closed, and a refused undo says who changed what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kamboard.errors import BoardError
from kamboard.followup import REVIEW_FIELDS
from kamboard.i18n import N_, Labels, _, format_date
from kamboard.model import ValidationError
from kamboard.tui.edits import Entry, NotSaved, Spot, entry_of, record
from kamboard.tui.history import History
from kamboard.tui.keys import Key, bindings
from kamboard.tui.reporting import report
from kamboard.tui.styles import DIALOG_STYLES
from kamboard.tui.widgets.text import literal

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.saver import Saver

OUTCOME_WORDS = Labels({"done": N_("marked done"), "carry": N_("carried over"), "drop": N_("dropped")})
# how the undo names a decision: "Undone: carrying over 'Pilot'"
OUTCOME_STEPS = Labels({"done": N_("marking {} done"), "carry": N_("carrying over {}"), "drop": N_("dropping {}")})
STATUS_WORDS = Labels(
    {
        "open": N_("open"),
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "dropped": N_("dropped"),
    }
)


def commitment_option(card: dict[str, Any]) -> Option:
    line = Text(literal(card.get("title", "")), style="bold")
    status = str(card.get("status") or "open")
    details = [
        STATUS_WORDS[status] if status in STATUS_WORDS else status.replace("_", " "),
        literal(card.get("owner") or _("no owner")),
        _("due {date}").format(date=format_date(str(card["due"]))) if card.get("due") else _("no due date"),
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
        Key("d", "review('done')", _("Done"), "commitments.done", _("Mark the action done"), show=True),
        Key(
            "c", "review('carry')", _("Carry over"), "commitments.carry", _("Carry it over to this workshop"), show=True
        ),
        Key("x", "review('drop')", _("Drop"), "commitments.drop", _("Drop the action"), show=True),
        Key("u", "undo", _("Undo"), "commitments.undo", _("Undo the last decision made in this review"), show=True),
        Key("escape,q", "close", _("Close"), "commitments.close", _("Close the review"), show=True),
    )
    BINDINGS = bindings(KEYS)

    def __init__(
        self, store: BoardStore, workshop_id: str, saver: Saver | None = None, history: History | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.store = store
        self.workshop_id = workshop_id
        self.saver = saver  # the app's: decisions are written in the background
        self.history = history if history is not None else History()  # the board's: its u undoes them too
        self.reviewed = 0
        self._unsaved: set[str] = set()  # decided, not in the file yet: left off the list
        self._cards: dict[str, dict[str, Any]] = {}  # the actions listed, by id
        self._decided: list[Entry] = []  # this review's decisions, oldest first: what u undoes here

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Last year's commitments"), classes="dialog-title", markup=False)
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
        self._cards = {c["id"]: c for c in cards}
        highlighted = options.highlighted or 0
        options.clear_options()
        options.add_options([commitment_option(c) for c in cards])
        options.display = bool(cards)  # no empty box under "nothing to review"
        if cards:
            options.highlighted = min(highlighted, len(cards) - 1)
            where = literal(previous.get("title", "")) if previous else ""
            message.update(
                _("{count} still open from {where}: d done · c carry over · x drop").format(
                    count=len(cards), where=where
                )
            )
        elif previous is None:
            message.update(_("This is the account's first workshop: nothing to review."))
        else:
            message.update(_("All commitments reviewed. Esc or q closes."))

    def _submit(
        self,
        label: str,
        run: Callable[[BoardStore], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """Give the app's saver ``run``; without one, run it now. The list follows the file once
        every save is answered."""
        saver = self.saver
        if saver is not None:
            saver.submit(label, run, done, failed)
            saver.when_idle(self._settle)
            return
        try:
            result = run(self.store)
        except (BoardError, ValidationError) as exc:
            failed(exc)
        else:
            done(result)
        self._settle()

    def action_review(self, outcome: str) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or options.option_count == 0:
            return
        card_id = options.get_option_at_index(options.highlighted).id or ""
        title = repr(str(self._cards.get(card_id, {}).get("title", "")))
        entry = Entry(OUTCOME_STEPS[outcome].format(title), card_id)
        workshop_id, history = self.workshop_id, self.history
        self._unsaved.add(card_id)  # off the list at once; the file follows
        self._decided.append(entry)
        self.reviewed += 1
        self.reload()

        def run(store: BoardStore) -> dict[str, Any]:
            before = store.card(card_id)
            saved = store.review_commitment(card_id, workshop_id, outcome)
            history.reviewed(saved, before, entry.label)
            changed = [k for k in REVIEW_FIELDS if before.get(k) != saved.get(k)]
            # how the board shows its undo and redo at once
            entry.before = Spot({k: before.get(k) for k in changed})
            entry.after = Spot({k: saved.get(k) for k in changed})
            record(history, entry)
            return saved

        def done(card: dict[str, Any]) -> None:
            self.notify(
                _("{title}: {outcome}").format(title=literal(card.get("title", "")), outcome=OUTCOME_WORDS[outcome]),
                markup=False,
            )

        def failed(exc: Exception) -> None:
            self._unsaved.discard(card_id)
            if entry in self._decided:
                self._decided.remove(entry)
            self.reviewed -= 1
            self._refused(exc)

        self._submit(_("review of {card}").format(card=card_id), run, done, failed)

    def action_undo(self) -> None:
        """Undo the last decision made in this review (once it is saved: in the saver's turn)."""
        if not self._decided:
            self.notify(_("Nothing to undo in this review."), markup=False)
            return
        entry = self._decided.pop()
        history = self.history

        def run(store: BoardStore) -> None:
            if not history.done or entry_of(history.done[-1]) is not entry:
                raise NotSaved(_("Could not undo {label}: it was not saved.").format(label=entry.label))
            history.undo(store)

        def done(_result: None) -> None:
            self.reviewed -= 1
            self.notify(_("Undone: {label}").format(label=literal(entry.label)), markup=False)

        def failed(exc: Exception) -> None:  # an UndoError says who changed what
            report(self.app, exc)

        self._submit(_("undo of {label}").format(label=entry.label), run, done, failed)

    def _refused(self, exc: Exception) -> None:
        report(self.app, exc, _("Not saved: "))

    def _settle(self) -> None:
        """Every save is answered: the list as the file has it."""
        self._unsaved.clear()
        if self.is_attached:
            self.reload()

    def action_close(self) -> None:
        self.dismiss(self.reviewed)
