"""Small modal dialogs: confirm, one-line prompt, and edit-conflict resolution; and what the
card and workshop editors share: ``confirm_discard``, ``SIDE_OPTIONS``.

Titles and messages may hold user text (card titles, account names): it is always shown
literally via ``rich.text.Text``, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from kamboard.errors import Conflict
from kamboard.i18n import N_, Labels, _
from kamboard.model import ValidationError
from kamboard.tui.keys import Key, bindings
from kamboard.tui.styles import DIALOG_STYLES
from kamboard.tui.widgets.ordered_input import OrderedInput
from kamboard.tui.widgets.text import literal

# Human names for card fields in the conflict dialog.
FIELD_LABELS = Labels(
    {
        "title": N_("Title"),
        "notes": N_("Notes"),
        "tags": N_("Tags"),
        "links": N_("Links"),
        "owner": N_("Owner"),
        "side": N_("Side"),
        "due": N_("Due"),
        "status": N_("Status"),
        "customer_benefit": N_("Value for the customer"),  # as model.FIELD_LABELS names them
        "our_benefit": N_("Value for us"),
        "lane": N_("Lane"),
        "position": N_("Position"),
    }
)
# Whose side a person is on, the customer first: the card editor and the participant dialog alike.
# (built at import, as the key tables: the TUI is imported once the language is chosen)
SIDE_OPTIONS = [(_("Customer"), "customer"), (_("Us (our team)"), "us")]
CONFLICT_CHROME = 12  # rows besides the field table: border 2, heading 2, message 3-4, buttons 4
# Free-text card fields "keep both" joins: the title with " / ", the others with a blank line.
JOINABLE = {"title": " / ", "notes": "\n\n", "customer_benefit": "\n\n", "our_benefit": "\n\n"}


def can_keep_both(fields: dict[str, tuple[Any, Any]]) -> bool:
    """Can every conflicting field keep both values, joined? (free text on both sides)"""
    return bool(fields) and all(
        name in JOINABLE and all(isinstance(v, str | None) for v in pair) for name, pair in fields.items()
    )


def keep_both(fields: dict[str, tuple[Any, Any]]) -> dict[str, str]:
    """Each field's two texts joined, mine first: 'Mine / Theirs', notes with a blank line between.
    An empty side or two equal texts give the one text."""
    out = {}
    for name, (mine, theirs) in fields.items():
        texts = [t for t in dict.fromkeys(str(v or "") for v in (mine, theirs)) if t.strip()]
        out[name] = JOINABLE[name].join(texts)
    return out


def display_value(value: Any) -> Text:
    """A field value as literal text: lists joined by commas, empty shown as a dim dash."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    if value in (None, ""):
        return Text(_("(empty)"), style="italic")
    return Text(str(value))


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question: ``y`` or the yes button gives True; ``n``, Esc or the no button False."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    KEYS = (
        Key("y", "answer(True)", _("Yes"), "confirm.yes", _("Answer yes"), show=True),
        Key("n", "answer(False)", _("No"), "confirm.no", _("Answer no"), show=True),
        Key("escape", "answer(False)", _("Cancel"), "confirm.cancel", _("Close without doing it"), show=True),
    )
    BINDINGS = bindings(KEYS)

    def __init__(
        self, title: str, message: str, yes: str | None = None, no: str | None = None, *, focus_yes: bool = True
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._message = message
        self._yes = _("Yes") if yes is None else yes
        self._no = _("No") if no is None else no
        self._focus_yes = focus_yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Static(Text(self._message), id="confirm-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(f"{self._yes} (y)"), variant="primary", id="yes")
                yield Button(Text(f"{self._no} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self._focus_yes else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _pressed_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _pressed_no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def confirm_discard(screen: Screen[Any], dirty: bool, title: str, question: str) -> None:
    """Close an editor with None: at once when nothing changed, else only after ``question`` is answered yes."""
    if not dirty:
        screen.dismiss(None)
        return

    def answered(discard: bool | None) -> None:
        if discard:
            screen.dismiss(None)

    screen.app.push_screen(
        ConfirmDialog(title, question, yes=_("Discard"), no=_("Keep editing"), focus_yes=False), answered
    )


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; ``validate`` normalises it or raises ValidationError (shown, blocks Enter)."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    KEYS = (Key("escape", "cancel", _("Cancel"), "prompt.cancel", _("Close without changing anything"), show=True),)
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        validate: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._label = label
        self._value = value
        self._validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Label(Text(self._label), classes="field-label")
            yield OrderedInput(literal(self._value), id="prompt-input")
            yield Label("", id="prompt-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK (Enter)"), variant="primary", id="ok")
                yield Button(_("Cancel (Esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _check(self, value: str) -> str | None:
        """The normalised value, or None after showing why it is refused."""
        error = self.query_one("#prompt-error", Label)
        try:
            result = self._validate(value) if self._validate else value
        except ValidationError as exc:
            error.update(Text(exc.message))
            error.add_class("-shown")
            self.query_one(Input).add_class("-invalid")
            return None
        error.update("")
        error.remove_class("-shown")
        self.query_one(Input).remove_class("-invalid")
        return result

    @on(Input.Changed, "#prompt-input")
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    @on(Input.Submitted, "#prompt-input")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        field = self.query_one(Input)
        result = self._check(field.value)
        if result is None:
            field.focus()  # e.g. after a click on OK: let the user fix it at once
        else:
            self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConflictDialog(ModalScreen[str]):
    """Someone else changed the same fields meanwhile: show both values, keep ``"mine"`` or
    ``"theirs"``, or for free text (title, notes, benefits) ``"both"`` joined (``keep_both``)."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    KEYS = (
        Key("m", "choose('mine')", _("Keep mine"), "conflict.mine", _("Save your values over theirs"), show=True),
        Key(
            "t", "choose('theirs')", _("Keep theirs"), "conflict.theirs", _("Drop your values, keep theirs"), show=True
        ),
        Key("b", "choose('both')", _("Keep both"), "conflict.both", _("Keep both texts, yours first"), show=True),
        Key("escape", "explain", _("Choose"), "conflict.escape", _("A choice is needed")),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(classes="dialog-screen")
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        who = str(self.conflict.current.get("updated_by") or _("someone"))
        title = self.conflict.current.get("title") or self.conflict.record_id
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Label(Text(_("Changed meanwhile by {who}").format(who=who)), classes="dialog-title")
            yield Static(self._message(who, str(title)), classes="dialog-message")
            with VerticalScroll(id="conflict-fields"), Grid(id="conflict-grid"):
                yield Label(_("Field"), classes="conflict-head")
                yield Label(_("Yours"), classes="conflict-head")
                yield Label(Text(_("Theirs ({who})").format(who=who)), classes="conflict-head")
                for name, (mine, theirs) in self.conflict.fields.items():
                    yield Label(Text(FIELD_LABELS.get(name, name)), classes="conflict-field")
                    yield Static(display_value(mine), classes="conflict-mine")
                    yield Static(display_value(theirs), classes="conflict-theirs")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Keep mine (m)"), variant="primary", id="mine")
                yield Button(_("Keep theirs (t)"), variant="warning", id="theirs")
                if can_keep_both(self.conflict.fields):
                    yield Button(_("Keep both (b)"), id="both")

    def _message(self, who: str, title: str) -> Text:
        """'While you edited 'TITLE', WHO changed the same field(s). Which version should stay?'
        with the title in bold (split around it: the title is user text, never markup)."""
        many = len(self.conflict.fields) > 1
        sentence = (
            _("While you edited {title}, {who} changed the same fields. Which version should stay?")
            if many
            else _("While you edited {title}, {who} changed the same field. Which version should stay?")
        )
        before, _title, after = sentence.partition("{title}")
        return Text.assemble(before.format(who=who), (repr(title), "bold"), after.format(who=who))

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#mine", Button).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # The field table scrolls within what is left after border, heading, message and buttons.
        self.query_one("#conflict-fields").styles.max_height = max(3, self.app.size.height - CONFLICT_CHROME)

    @on(Button.Pressed, "#mine")
    def _keep_mine(self) -> None:
        self.dismiss("mine")

    @on(Button.Pressed, "#theirs")
    def _keep_theirs(self) -> None:
        self.dismiss("theirs")

    @on(Button.Pressed, "#both")
    def _keep_both(self) -> None:
        self.dismiss("both")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("both",):
            return can_keep_both(self.conflict.fields)
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_explain(self) -> None:
        if can_keep_both(self.conflict.fields):
            message = _("Choose which version stays: m keeps yours, t keeps theirs, b keeps both.")
        else:
            message = _("Choose which version stays: m keeps yours, t keeps theirs.")
        self.notify(message, title=_("Conflict"))
