"""The workshop editor: plan an account's workshop (dates, place, people, agenda, votes, notes).

A new workshop starts with the default 1.5-day agenda (``workshop.default_agenda``). Every field
is checked as it is typed, with the message right under it; Save (ctrl+s) is refused while one is
invalid. Participants and agenda items are edited in small dialogs (``workshop_entries``; a add,
e or Enter edits, d removes, K/J move). Nothing is written until Save: the editor dismisses with the fields that
changed (all fields for a new workshop), or None; Esc asks before dropping changes.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kamboard import agenda as plan
from kamboard import model
from kamboard import workshop as rules
from kamboard.i18n import N_, Labels, _
from kamboard.model import ValidationError
from kamboard.tui.internals import KeysFollowFocus
from kamboard.tui.keys import Key, bindings
from kamboard.tui.screens.dialogs import confirm_discard
from kamboard.tui.screens.workshop_entries import AgendaItemDialog, ParticipantDialog
from kamboard.tui.screens.workshop_lists import AgendaList, ItemList, person_line, planned_workshop
from kamboard.tui.styles import WORKSHOP_STYLES
from kamboard.tui.widgets.ordered_input import OrderedInput
from kamboard.tui.widgets.text import literal, multiline

Doc = dict[str, Any]
SCALARS = ("title", "start", "end", "location", "vote_budget", "vote_per_card", "notes")
FIELDS = (*SCALARS, "participants", "agenda")
LABELS = Labels(
    {
        "title": N_("Title"),
        "location": N_("Location"),
        "start": N_("Start"),
        "end": N_("End"),
        "vote_budget": N_("Votes per person"),
        "vote_per_card": N_("Max per card"),
        "notes": N_("Notes"),
    }
)

LIST_CHROME = 22  # rows besides the two lists: border, heading, two field rows, notes, buttons


def first_working_day(today: dt.date) -> dt.date:
    day = today
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def new_workshop(today: dt.date) -> Doc:
    """The fields of a fresh workshop: default times from the next working day, default agenda."""
    start, end = rules.default_times(first_working_day(today))
    return {
        "title": _("Key account workshop {year}").format(year=start[:4]),  # in the language of the moment
        "start": start,
        "end": end,
        "location": "",
        "vote_budget": rules.DEFAULT_BUDGET,
        "vote_per_card": rules.DEFAULT_PER_CARD,
        "notes": "",
        "participants": [],
        "agenda": rules.default_agenda(),
    }


class WorkshopEditor(KeysFollowFocus[Doc | None]):  # keys typed before it showed go to its first field
    """Plan or change a workshop; dismisses with the changed fields (all of them when new)."""

    CSS_PATH = WORKSHOP_STYLES  # read when first shown, not at the app's start

    KEYS = (
        Key(
            "ctrl+s", "save", _("Save"), "workshop_editor.save", _("Save (refused while a field is invalid)"), show=True
        ),
        Key("escape", "cancel", _("Cancel"), "workshop_editor.cancel", _("Close; asks first if changed"), show=True),
    )
    BINDINGS = bindings(KEYS)

    DEFAULT_CSS = """
    WorkshopEditor #agenda-warning {
        display: none;
        color: $text-warning;
        width: 100%;
    }
    WorkshopEditor #agenda-warning.-shown {
        display: block;
    }
    """

    def __init__(self, workshop: Doc | None, account_name: str, today: dt.date) -> None:
        """``workshop``: the one to change; None, or fields without an id (a proposal such as
        ``workshop.next_year``), for a new one."""
        super().__init__(classes="dialog-screen")
        self.is_new = workshop is None or not workshop.get("id")
        self.account_name = account_name
        fresh = new_workshop(today)
        if self.is_new:
            source = {**fresh, **{k: v for k, v in (workshop or {}).items() if k in FIELDS}}
        else:
            assert workshop is not None
            source = {k: workshop.get(k, fresh[k] if k != "agenda" else []) for k in FIELDS}
        last_day = "" if self.is_new else str(source.get("end") or source.get("start") or "")[:10]
        self.held = bool(last_day) and last_day < today.isoformat()  # a past workshop
        # an agenda from before days were stored: the days it is shown with are kept from here on
        source["agenda"] = plan.pin_days(list(source["agenda"] or []), str(source.get("start") or ""))
        self.initial: Doc = copy.deepcopy(source)
        self.participants: list[Doc] = copy.deepcopy(list(source["participants"] or []))
        self.agenda: list[Doc] = copy.deepcopy(list(source["agenda"] or []))
        self.errors: dict[str, str] = {}
        self._warnings: list[str] | None = None  # the days past their end, as last shown

    # ---- layout ----------------------------------------------------------------------------
    def _field(self, name: str, widget: Widget) -> Vertical:
        return Vertical(
            Label(LABELS[name], classes="field-label"),
            widget,
            Label("", id=f"error-{name}", classes="field-error", markup=False),
            id=f"field-{name}",
            classes="field",
        )

    def _input(self, name: str, **kwargs: Any) -> Input:
        return OrderedInput(literal(self.initial.get(name, "")), id=f"input-{name}", compact=True, **kwargs)

    def on_resize(self) -> None:
        # the lists take the rows the other fields leave (the form scrolls below 24 rows)
        height = max(5, self.app.size.height - LIST_CHROME)
        for widget in self.query(ItemList):
            widget.styles.height = height

    def compose(self) -> ComposeResult:
        if self.is_new:
            what = _("New workshop of {account}").format(account=self.account_name)
        else:
            what = _("Workshop of {account}").format(account=self.account_name)
        with Vertical(id="workshop-editor", classes="dialog"):
            heading = Text(what)
            if self.held:
                heading.append("  " + _("(held already: W on the board plans the next one)"), style="italic")
            yield Static(heading, classes="dialog-title")
            with VerticalScroll(id="workshop-form"):
                with Horizontal(classes="field-row"):
                    yield self._field("title", self._input("title"))
                    yield self._field("location", self._input("location"))
                with Horizontal(classes="field-row"):
                    yield self._field("start", self._input("start", placeholder="YYYY-MM-DDTHH:MM"))
                    yield self._field("end", self._input("end", placeholder="YYYY-MM-DDTHH:MM"))
                    yield self._field("vote_budget", self._input("vote_budget", restrict=r"\d*"))
                    yield self._field("vote_per_card", self._input("vote_per_card", restrict=r"\d*"))
                with Horizontal(id="workshop-lists"):
                    with Vertical(id="people-column"):
                        yield Label("", id="people-label", classes="field-label")
                        yield ItemList(id="list-participants", markup=False)
                    with Vertical(id="agenda-column"):
                        yield Label("", id="agenda-label", classes="field-label")
                        yield AgendaList(id="list-agenda", markup=False)
                        yield Label("", id="error-agenda", classes="field-error", markup=False)
                        yield Label("", id="agenda-warning", markup=False)
                yield self._field("notes", TextArea(multiline(self.initial.get("notes", "")), id="input-notes"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="workshop-save")
                yield Button(_("Cancel (Esc)"), id="workshop-cancel")
        yield Footer()  # on a list: a add, e edit, d remove, K/J move

    def on_mount(self) -> None:
        self.on_resize()  # the lists' height at once, not after a first layout
        self._show_lists()
        self.query_one("#input-title", Input).focus()

    # ---- values and checks --------------------------------------------------------------------
    def values(self) -> Doc:
        out: Doc = {name: self.query_one(f"#input-{name}", Input).value for name in SCALARS if name != "notes"}
        out["notes"] = self.query_one("#input-notes", TextArea).text
        out["participants"] = copy.deepcopy(self.participants)
        out["agenda"] = copy.deepcopy(self.agenda)
        return out

    def check(self) -> Doc:
        """Validate every field, show each message under its field; the normalised values."""
        raw = self.values()
        clean: Doc = {}
        errors: dict[str, str] = {}
        for name, value in raw.items():
            try:
                clean.update(rules.validate_workshop_fields({name: value}))
            except ValidationError as exc:
                errors[name] = exc.message
        if not errors:
            try:
                rules.validate_workshop_fields(clean)  # end before start, per-card above the budget
            except ValidationError as exc:
                errors[exc.field if exc.field in raw else "title"] = exc.message
        if not self.agenda:
            errors.setdefault("agenda", _("The agenda is empty: the timer needs at least one item (a adds one)."))
        self.errors = errors
        for name in (*SCALARS, "agenda"):
            label = self.query_one(f"#error-{name}", Label)
            label.update(errors.get(name, ""))
            label.set_class(name in errors, "-shown")
            if name != "agenda":
                self.query_one(f"#field-{name}").set_class(name in errors, "-invalid")
        return clean

    def changes(self) -> Doc:
        """The valid fields that differ from the opened workshop (every field of a new one)."""
        clean = self.check()
        try:
            before = rules.validate_workshop_fields(self.initial)
        except ValidationError:
            before = self.initial
        return {k: v for k, v in clean.items() if self.is_new or v != before.get(k)}

    def dirty(self) -> bool:
        """Anything typed or changed since the editor opened (valid or not)."""
        return self.values() != {
            **self.initial,
            "vote_budget": str(self.initial["vote_budget"]),
            "vote_per_card": str(self.initial["vote_per_card"]),
        }

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        if event.control.id in ("input-start", "input-end"):
            self._show_lists()  # the agenda's planned times and days follow the dates
        else:
            self.check()

    def _show_lists(self, people_at: int | None = None, agenda_at: int | None = None) -> None:
        """Show both lists (``people_at``/``agenda_at``: the entry to highlight, else the one highlighted)."""
        people = self.query_one("#list-participants", ItemList)
        keep = people.highlighted if people_at is None else people_at
        people.clear_options()
        people.add_options([Option(person_line(p)) for p in self.participants])
        if self.participants:
            people.highlighted = max(0, min(keep or 0, len(self.participants) - 1))
        self.query_one("#people-label", Label).update(_("Participants ({count})").format(count=len(self.participants)))
        self._show_agenda(self.agenda_index() if agenda_at is None else agenda_at)
        self.check()

    def _show_agenda(self, at: int | None) -> None:
        """The agenda by day (a heading per day, then its items with their planned times), and a
        warning for each day that runs past its end (also as a notice when a change made it so)."""
        start, end = (self.query_one(f"#input-{name}", Input).value for name in ("start", "end"))
        workshop = planned_workshop(self.agenda, start, end)
        self.query_one("#list-agenda", AgendaList).show(workshop, at)
        total = rules.agenda_minutes(self.agenda)
        self.query_one("#agenda-label", Label).update(
            _("Agenda: {count} items, {hours} h {minutes:02d} min").format(
                count=len(self.agenda), hours=total // 60, minutes=total % 60
            )
        )
        warnings = plan.day_warnings(workshop)
        label = self.query_one("#agenda-warning", Label)
        label.update("\n".join(f"⚠ {w}" for w in warnings))
        label.set_class(bool(warnings), "-shown")
        if self._warnings is not None:
            for warning in warnings:
                if warning not in self._warnings:
                    self.notify(warning, severity="warning", markup=False)
        self._warnings = warnings

    def agenda_index(self) -> int | None:
        """The highlighted agenda item's index in ``self.agenda`` (None: none)."""
        return self.query_one("#list-agenda", AgendaList).item_index

    # ---- list keys (bound on ItemList) -------------------------------------------------------
    def _target(self) -> tuple[str, int | None] | None:
        """The focused list ('participants' or 'agenda') and its highlighted entry's index."""
        focused = self.focused
        if isinstance(focused, ItemList):
            if focused.id == "list-participants":
                index = focused.highlighted if focused.option_count else None
                return "participants", index
            return "agenda", self.agenda_index()
        self.notify(_("Go to the participants or the agenda list first (Tab)."))
        return None

    def _open(self, kind: str, index: int | None) -> None:
        entries = self.participants if kind == "participants" else self.agenda
        entry = entries[index] if index is not None else None

        def done(result: Doc | None) -> None:
            if result is None:
                return
            if kind == "participants":
                if index is None:
                    entries.append(result)
                else:
                    entries[index] = result
                self._show_lists(people_at=len(entries) - 1 if index is None else index)
                return
            at = len(entries) if index is None else index
            if index is None:
                entries.append({"id": model.new_id(), **result})
            else:
                entries[index] = result
            # a new day moves the item: to the start of a later day, the end of an earlier one
            self.agenda, at = plan.set_day(entries, at, plan.day_of(result))
            self._show_lists(agenda_at=at)

        if kind == "participants":
            taken = [str(p.get("name", "")) for i, p in enumerate(self.participants) if i != index]
            self.app.push_screen(ParticipantDialog(entry, taken), done)
        else:
            # a new item goes on the last day, at its end
            new = {"day": plan.day_of(self.agenda[-1])} if self.agenda else None
            self.app.push_screen(AgendaItemDialog(entry or new), done)

    def action_add_item(self) -> None:
        if target := self._target():
            self._open(target[0], None)

    def action_edit_item(self) -> None:
        if (target := self._target()) and target[1] is not None:
            self._open(*target)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit_item()

    def action_remove_item(self) -> None:
        if not (target := self._target()) or (index := target[1]) is None:
            return
        kind = target[0]
        entries = self.participants if kind == "participants" else self.agenda
        removed = entries.pop(index)
        self._show_lists(**({} if kind == "participants" else {"agenda_at": index}))
        name = removed.get("name") if kind == "participants" else removed.get("title")
        self.notify(_("Removed {name!r} (Esc without saving brings it back).").format(name=name), markup=False)

    def action_move_item(self, delta: int) -> None:
        """K/J: the entry one place up or down; an agenda item at the edge of its day goes over
        to the day before or after (see ``agenda.shift_item``)."""
        if not (target := self._target()) or (index := target[1]) is None:
            return
        if target[0] == "agenda":
            self.agenda, at = plan.shift_item(self.agenda, index, delta)
            self._show_lists(agenda_at=at)
            return
        other = index + delta
        if not 0 <= other < len(self.participants):
            return
        people = self.participants
        people[index], people[other] = people[other], people[index]
        self._show_lists(people_at=other)

    # ---- save and cancel ------------------------------------------------------------------------
    @on(Button.Pressed, "#workshop-save")
    def action_save(self) -> None:
        changes = self.changes()
        if self.errors:
            first = next(iter(self.errors))
            self.notify(_("Not saved: {message}").format(message=self.errors[first]), severity="error", markup=False)
            focus = self.query(f"#input-{first}") or self.query("#list-agenda")
            focus.first().focus()
            return
        self.dismiss(changes or None)

    @on(Button.Pressed, "#workshop-cancel")
    def action_cancel(self) -> None:
        if self.is_new:
            question = _("Close and drop this new workshop?")
        else:
            question = _("Close and drop your changes to the workshop?")
        confirm_discard(self, self.dirty(), _("Discard?"), question)
