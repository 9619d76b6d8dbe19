"""The card editor: a modal form for one card, validated field by field.

It dismisses with only the user fields that changed (normalised, keys in ``model.CARD_FIELDS``),
or None when cancelled. Each invalid field is explained right under it and blocks saving.

Tab order is the on-screen order, column by column (the action's title, owner, side, due and
status first). Enter in a one-line field goes on to the next field; only ctrl+s (or the Save
button) saves. The owner field suggests the names it is given (the workshop's participants, the
account's owners); the due field takes dates as people type them (``kamboard.dates``) and shows
the date it understood; the links list filters as you type and marks each card ``[x]`` or ``[ ]``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from kamboard import model
from kamboard.dates import describe, parse_date
from kamboard.i18n import N_, Labels, _
from kamboard.model import ValidationError
from kamboard.tui.internals import KeysFollowFocus
from kamboard.tui.keys import Key, bindings
from kamboard.tui.screens.dialogs import SIDE_OPTIONS, confirm_discard
from kamboard.tui.styles import DIALOG_STYLES
from kamboard.tui.widgets.letter_select import LetterSelect
from kamboard.tui.widgets.link_list import LinkList
from kamboard.tui.widgets.ordered_input import OrderedInput
from kamboard.tui.widgets.text import literal, multiline

# the editor's heading: German nouns need their own article, so each is a whole message
EDIT_HEADINGS = Labels(
    {"topic": N_("Edit topic"), "challenge": N_("Edit challenge"), "support": N_("Edit support action")}
)
NEW_HEADINGS = Labels({"topic": N_("New topic"), "challenge": N_("New challenge"), "support": N_("New support action")})
STATUS_NAMES = Labels(
    {
        "proposed": N_("Proposed"),
        "agreed": N_("Agreed"),
        "in_progress": N_("In progress"),
        "done": N_("Done"),
        "dropped": N_("Dropped"),
    }
)
LABELS = Labels(
    {
        "title": N_("Title"),
        "notes": N_("Notes"),
        "tags": N_("Tags (comma-separated)"),
        "owner": N_("Owner"),
        "side": N_("Side"),
        "due": N_("Due date"),
        "status": N_("Status"),
        "customer_benefit": N_("Benefit for the customer"),
        "our_benefit": N_("Benefit for us"),
        "links": N_("Links (what this card answers)"),
    }
)
WIDE_MIN = 96  # terminal columns from which a card with links or a support action is edited in two columns
EDITOR_CHROME = 7  # rows the editor needs besides its form: border 2, heading 2, buttons 3
# The key line under the form, for the focused field (by its id, else by its kind).
KEY_HINTS = Labels(
    {
        "input-owner": N_("Enter: take the suggested name, next field · →: take it"),
        "input-due": N_("Enter: write the date out, next field"),
        "links-filter": N_("Type to filter · Enter: to the list"),
        "input-links": N_("Space or Enter: link / unlink"),
        "TextArea": N_("Enter: new line · Tab: next field"),
        "Select": N_("A letter picks · Enter: open the list"),
        "Button": N_("Enter: press the button"),
    }
)
KEYS_ALWAYS = N_("Enter: next field · Tab / shift+Tab: move")  # translated where shown


def status_options() -> list[tuple[str, str]]:
    """The status choices: (label in the language, stored id)."""
    return [(STATUS_NAMES[status], status) for status in model.STATUSES]


def normalise(name: str, value: Any) -> Any:
    """The model's normalised form of one field value (raises ValidationError)."""
    return model.validate_card_fields({name: value})[name]


class FieldValidator(Validator):
    """A Textual validator for an Input that defers to the model's rules for one card field
    (after ``convert``, which turns what was typed into the stored form)."""

    def __init__(self, name: str, convert: Callable[[str], Any] | None = None) -> None:
        super().__init__()
        self.name = name
        self.convert = convert

    def validate(self, value: str) -> ValidationResult:
        try:
            normalise(self.name, self.convert(value) if self.convert else value)
        except ValidationError as error:
            return self.failure(error.message, value)
        return self.success()


class CardEditor(KeysFollowFocus[dict | None]):  # keys typed before it showed go to its title
    """Edit a card's title, notes, tags, links and (for support actions) the action fields."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    KEYS = (
        Key(
            "ctrl+s", "save", _("Save"), "editor.save", _("Save the card (refused while a field is invalid)"), show=True
        ),
        Key(
            "escape", "cancel", _("Cancel"), "editor.cancel", _("Close; asks first if you changed something"), show=True
        ),
        Key("enter", "next_field", _("Next field"), "editor.next", _("In a one-line field: go to the next field")),
    )
    # Enter is a priority key: it moves the focus before the next key is delivered, so what is typed
    # right after it lands in the next field (the Input's own Enter would move it a message later).
    BINDINGS: ClassVar[list[BindingType]] = [
        replace(binding, priority=True) if isinstance(binding, Binding) and binding.id == "editor.next" else binding
        for binding in bindings(KEYS)
    ]

    def __init__(
        self,
        card: dict[str, Any],
        link_choices: list[tuple[str, str]],
        *,
        owners: Sequence[str] = (),
        today: dt.date | None = None,
    ) -> None:
        """``link_choices``: (id, label) of the cards it may link to; ``owners``: the names the
        owner field suggests, best first (``card_edits.owner_names``); ``today``: what relative dates count from."""
        lane = str(card.get("lane") or "topic")
        super().__init__(classes="dialog-screen -support" if lane == "support" else "dialog-screen")
        self.card = card
        self.lane = lane
        self.link_choices = list(link_choices)
        self.owners = list(owners)
        self.today = today or dt.date.today()
        self.is_support = self.lane == "support"
        self.has_links = self.lane in ("support", "challenge")
        self._initial: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.convert: dict[str, Callable[[str], Any]] = {"due": self._due}

    def _due(self, text: str) -> str:
        return parse_date(text, self.today)

    # ---- layout -------------------------------------------------------------------------

    def field_names(self) -> tuple[str, ...]:
        """The card fields this editor shows, in form (and Tab) order."""
        names: tuple[str, ...] = ("title",)
        if self.is_support:
            names += ("owner", "side", "due", "status")
        names += ("notes", "tags")
        if self.is_support:
            names += ("customer_benefit", "our_benefit")
        if self.has_links:
            names += ("links",)
        return names

    def _text(self, name: str) -> str:
        value = self.card.get(name, model.CARD_DEFAULTS.get(name, ""))
        if name == "tags" and isinstance(value, list | tuple):
            return ", ".join(str(tag) for tag in value)
        return "" if value is None else str(value)

    def _field(self, name: str, *widgets: Widget) -> Vertical:
        """A labelled field: caption, the input widget(s), and a hidden error line under them."""
        return Vertical(
            Label(LABELS[name], classes="field-label"),
            *widgets,
            Label("", id=f"error-{name}", classes="field-error", markup=False),
            id=f"field-{name}",
            classes="field",
        )

    def _input(self, name: str, placeholder: str = "") -> Input:
        suggest = name == "owner" and self.owners
        return OrderedInput(
            literal(self._text(name)),  # the terminal would obey control characters from the file
            placeholder=placeholder,
            id=f"input-{name}",
            validators=[FieldValidator(name, self.convert.get(name))],
            validate_on=["changed", "submitted"],
            select_on_focus=False,
            suggester=SuggestFromList(self.owners, case_sensitive=False) if suggest else None,
        )

    def _area(self, name: str) -> TextArea:
        return TextArea(multiline(self._text(name)), id=f"input-{name}", soft_wrap=True, tab_behavior="focus")

    def _select(self, name: str, options: list[tuple[str, str]]) -> Select[str]:
        current = self.card.get(name) or ""
        valid = current in {value for _, value in options}
        return LetterSelect(
            options,
            prompt=_("(not set)"),
            allow_blank=True,
            value=current if valid else Select.NULL,
            id=f"input-{name}",
        )

    def _links(self) -> list[Widget]:
        if not self.link_choices:
            return [Static(_("No topics or challenges on this account yet."), classes="field-note")]
        linked = set(self.card.get("links") or [])
        return [
            OrderedInput(placeholder=_("Filter: type words of a title"), id="links-filter", compact=True),
            LinkList(self.link_choices, linked, id="input-links"),
            Label("", id="links-count", classes="field-note"),
        ]

    def _due_placeholder(self) -> str:
        soon = self.today + dt.timedelta(days=14)  # an example after today, never a past date
        return _("e.g. {day}.{month}. or +14").format(day=soon.day, month=soon.month)

    def _due_examples(self) -> str:
        soon = self.today + dt.timedelta(days=14)
        return _("Due: e.g. +14, +2w, fri, {day}.{month}. or {iso}").format(
            day=soon.day, month=soon.month, iso=soon.isoformat()
        )

    def compose(self) -> ComposeResult:
        headings = EDIT_HEADINGS if self.card.get("id") else NEW_HEADINGS
        if self.lane in headings:
            heading = headings[self.lane]
        else:
            heading = _("Edit card") if self.card.get("id") else _("New card")
        with Vertical(id="editor", classes="dialog"):
            yield Static(
                Text.assemble((heading, "bold"), "  ", (model.LANE_QUESTIONS.get(self.lane, ""), "italic")),
                id="editor-title",
                classes="dialog-title",
            )
            # The DOM order is the Tab order: down the first column, then down the second.
            with VerticalScroll(id="editor-form"), Container(id="editor-columns"):
                with Vertical(id="column-main", classes="editor-column"):
                    yield self._field("title", self._input("title", _("One line, required")))
                    if self.is_support:
                        with Horizontal(classes="field-row"):
                            yield self._field("owner", self._input("owner", _("Who does it")))
                            yield self._field("side", self._select("side", SIDE_OPTIONS))
                        with Horizontal(classes="field-row", id="row-due"):
                            yield self._field("due", self._input("due", self._due_placeholder()))
                            yield self._field("status", self._select("status", status_options()))
                        yield Label("", id="hint-due", classes="field-hint", markup=False)
                    yield self._field("notes", self._area("notes"))
                    yield self._field("tags", self._input("tags", _("e.g. logistics, 2026")))
                if self.is_support or self.has_links:
                    with Vertical(id="column-side", classes="editor-column"):
                        if self.is_support:
                            yield self._field("customer_benefit", self._area("customer_benefit"))
                            yield self._field("our_benefit", self._area("our_benefit"))
                        if self.has_links:
                            yield self._field("links", *self._links())
                            hidden = self._hidden_links()
                            if hidden:
                                yield Static(
                                    _("{count} more link(s) to cards not listed here are kept.").format(
                                        count=len(hidden)
                                    ),
                                    classes="field-note",
                                )
            with Horizontal(classes="dialog-buttons"):
                yield Static(_(KEYS_ALWAYS), id="editor-keys", markup=False)
                yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Cancel (Esc)"), id="cancel")

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Two columns (form | support action) when the terminal is wide enough, else one."""
        width, height = self.app.size
        self.set_class(width >= WIDE_MIN, "-wide")
        # The form scrolls; it gets the height left after border, heading and buttons.
        self.query_one("#editor-form").styles.max_height = max(4, height - EDITOR_CHROME)

    def on_mount(self) -> None:
        self._fit()
        self._initial = self.raw_values()
        for name in self.field_names():
            self.check_field(name)
        self._count_links()
        self.query_one("#input-title", Input).focus()

    # ---- values -------------------------------------------------------------------------

    def _hidden_links(self) -> list[str]:
        """Existing links to cards that are not offered as choices: kept untouched."""
        offered = {card_id for card_id, _ in self.link_choices}
        return [link for link in self.card.get("links") or [] if link not in offered]

    def raw_value(self, name: str) -> Any:
        """What the widget for ``name`` holds now, before validation."""
        if name == "links":
            chosen = self.query_one("#input-links", LinkList).selected if self.link_choices else []
            return [*chosen, *self._hidden_links()]
        widget = self.query_one(f"#input-{name}")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        raise TypeError(name)

    def raw_values(self) -> dict[str, Any]:
        return {name: self.raw_value(name) for name in self.field_names()}

    def value(self, name: str) -> Any:
        """What the widget for ``name`` holds, in the stored form (a typed date as YYYY-MM-DD);
        raises ValidationError when it cannot be."""
        raw = self.raw_value(name)
        convert = self.convert.get(name)
        return convert(raw) if convert else raw

    def check_field(self, name: str) -> bool:
        """Validate one field and show or clear its message; True when valid."""
        value = None
        try:
            value = normalise(name, self.value(name))
        except ValidationError as error:
            self.errors[name] = error.message
        else:
            self.errors.pop(name, None)
        message = self.errors.get(name, "")
        label = self.query_one(f"#error-{name}", Label)
        label.update(Text(message))
        label.set_class(bool(message), "-shown")
        self.query_one(f"#field-{name}").set_class(bool(message), "-invalid")
        if name == "due":  # the date understood, else the forms understood
            understood = _("Due: {date}").format(date=describe(value, self.today)) if value and not message else ""
            self.query_one("#hint-due", Label).update(understood or self._due_examples())
        return not message

    def is_dirty(self) -> bool:
        return self.raw_values() != self._initial

    def changes(self) -> dict[str, Any]:
        """The normalised values of the fields that differ from the card (raises ValidationError)."""
        values = model.validate_card_fields({name: self.value(name) for name in self.field_names()})
        changed: dict[str, Any] = {}
        for name, value in values.items():
            before = self.card.get(name, model.CARD_DEFAULTS.get(name, ""))
            # A stored value the rules no longer accept stays as it is: any valid new value is a change.
            with contextlib.suppress(ValidationError):
                before = normalise(name, before)
            if value != before:
                changed[name] = value
        return changed

    # ---- events and actions ------------------------------------------------------------

    def _field_of(self, widget: Widget) -> str | None:
        widget_id = widget.id or ""
        return widget_id.removeprefix("input-") if widget_id.startswith("input-") else None

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(LinkList.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed | Select.Changed | LinkList.Changed) -> None:
        name = self._field_of(event.control)
        if name in self.field_names():
            self.check_field(name)
        if name == "links":
            self._count_links()

    @on(Input.Changed, "#links-filter")
    def _filter_links(self, event: Input.Changed) -> None:
        self.query_one(LinkList).show(event.value)
        self._count_links()

    def _count_links(self) -> None:
        if not (self.has_links and self.link_choices):
            return
        links = self.query_one(LinkList)
        shown = len(links.shown())
        count = _("{count} linked").format(count=len(links.selected))
        if shown < len(links.choices):
            if shown:
                count += _("; {shown} of {total} shown").format(shown=shown, total=len(links.choices))
            else:
                count += _("; none matches the filter")
        self.query_one("#links-count", Label).update(count)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":  # elsewhere Enter is the widget's: a new line, open a list, press
            return isinstance(self.focused, Input)
        return True

    def action_next_field(self) -> None:
        """Enter in a one-line field goes on to the next field (the owner takes the name suggested,
        the due date is written as it will be stored); ctrl+s saves."""
        field = self.focused
        if not isinstance(field, Input):
            return
        if field.id == "input-owner" and (name := self.suggested_owner(field.value)):
            field.value = name
            field.cursor_position = len(name)
        self._settle_due(field)
        self.focus_next()

    def suggested_owner(self, typed: str) -> str | None:
        """The name the owner field suggests for ``typed``: the first that begins with it, as
        ``SuggestFromList(case_sensitive=False)`` picks it."""
        key = typed.casefold()
        return next((name for name in self.owners if key and name.casefold().startswith(key)), None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter never saves (ctrl+s does); it is handled as next_field above

    @on(Input.Blurred, "#input-due")
    def _due_left(self, event: Input.Blurred) -> None:
        self._settle_due(event.input)

    def _settle_due(self, field: Input) -> None:
        """A due date typed as '+14' or 'fri' is written back as the date it means."""
        if field.id != "input-due":
            return
        with contextlib.suppress(ValidationError):
            stored = self._due(field.value)
            if stored != field.value:
                field.value = stored
                field.cursor_position = len(stored)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        hint = KEY_HINTS.get(widget.id or "") or next(
            (KEY_HINTS[kind.__name__] for kind in type(widget).__mro__ if kind.__name__ in KEY_HINTS), ""
        )
        self.query_one("#editor-keys", Static).update(hint or _(KEYS_ALWAYS))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        invalid = [name for name in self.field_names() if not self.check_field(name)]
        if invalid:
            names = ", ".join(LABELS[name].split(" (")[0] for name in invalid)
            self.notify(_("Fix first: {names}.").format(names=names), title=_("Cannot save"), severity="error")
            self._focus_field(invalid[0])
            return
        try:
            changes = self.changes()
        except ValidationError as error:  # should not happen after the per-field checks
            self.notify(error.message, title=_("Cannot save"), severity="error")
            return
        self.dismiss(changes)

    def _focus_field(self, name: str) -> None:
        widgets = self.query(f"#input-{name}")
        if widgets:
            widgets.first().focus()
            self.query_one(f"#field-{name}").scroll_visible()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        confirm_discard(self, self.is_dirty(), _("Unsaved changes"), _("Discard your changes?"))
