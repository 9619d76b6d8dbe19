"""Conflicts to review: values two people wrote at the same time to one field, on two copies of
the board (a synced folder, a git branch) that were merged since. The record shows one of them
(the later change); the other waits here.

The list shows each conflict (record, field); below it both values side by side, who wrote them
and when. ``1`` keeps this value (the one the board shows), ``2`` keeps that one, ``b`` keeps
both for text (a title joined with " / ", notes with a blank line between); ``n``/``p`` go to
the next/previous conflict; ``q``/Esc back. The choices and Back have buttons, the list and
the footer's keys are clickable. A card deleted on one side and changed on the other stayed: ``1`` keeps it, ``2``
deletes it after all. Resolutions are saved in the background (the app's saver).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import orjson
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kamboard.i18n import N_, Labels, _, format_date
from kamboard.merge_edit import FieldConflict
from kamboard.model import field_label
from kamboard.store_merge import conflict_id
from kamboard.tui.commands import Providers, ScreenCommands, export_commands, plan_commands
from kamboard.tui.keys import Key, bindings
from kamboard.tui.reporting import report, reporting
from kamboard.tui.styles import CONFLICT_STYLES
from kamboard.tui.widgets.footer import KeyFooter
from kamboard.tui.widgets.text import conflicts_to_review, literal, multiline, text

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp

NOUNS = Labels({"cards": N_("Card"), "accounts": N_("Account"), "workshops": N_("Workshop"), "meta": N_("Board")})
HINT = N_("1: the value the board shows now · 2: the value written at the same time on another copy")
WHO = Labels({"changed": N_("changed by "), "deleted": N_("deleted by ")})
GROUP = _("Conflicts")  # the key help's

# fmt: off
CONFLICT_KEYS = (
    # keys, action, description, id, tooltip, group, palette title, shown in the footer
    Key("1", "keep('mine')", _("Keep this"), "conflicts.mine", _("Keep the value the board shows"),
        GROUP, _("Conflict: keep this value"), show=True),
    Key("2", "keep('theirs')", _("Keep that"), "conflicts.theirs", _("Keep the other value"),
        GROUP, _("Conflict: keep that value"), show=True),
    Key("b", "keep('both')", _("Keep both"), "conflicts.both", _("Keep both texts, joined"),
        GROUP, _("Conflict: keep both texts"), show=True),
    Key("n", "step(1)", _("Next"), "conflicts.next", _("The next conflict"), GROUP, _("Next conflict"), show=True),
    Key("p", "step(-1)", _("Previous"), "conflicts.previous", _("The previous conflict"), GROUP,
        _("Previous conflict"), show=True),
    Key("q,escape", "close", _("Back"), "conflicts.close", _("Back to the board"), GROUP, _("Back to the board"),
        show=True),
)
# fmt: on


def is_text(conflict: FieldConflict) -> bool:
    """Can both values be kept, joined? Texts only (a title, notes, an owner)."""
    return not conflict.deleted and all(isinstance(v, str | None) for v in (conflict.value, conflict.other_value))


def show_value(value: Any, deleted: bool = False) -> Text:
    """A value as literal text: text with its lines, lists by commas, empty and deleted in italics."""
    if deleted:
        return Text(_("(deleted)"), style="italic")
    if value is None or value == "" or value == []:
        return Text(_("(empty)"), style="italic")
    if isinstance(value, str):
        return Text(multiline(value))
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return Text(literal(", ".join(str(v) for v in value)))
    if isinstance(value, dict | list):
        return Text(literal(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()))
    return Text(literal(value))


def when(at: str) -> str:
    """'2026-09-25T14:30:12.123456Z' -> '2026-09-25 14:30' ('25.09.2026 14:30' in German)."""
    return (format_date(at[:10]) + at[10:16].replace("T", " ")) if at else "?"


def who_line(by: str, at: str, what: str = "changed") -> Text:
    """'changed by Anna, 2026-09-25 14:30' (``what``: 'changed' or 'deleted')."""
    lead = WHO.get(what, f"{what} by ")
    return Text.assemble((lead, "dim"), text(by or _("someone"), "bold"), (f", {when(at)}", "dim"))


def option_line(conflict: FieldConflict) -> Text:
    """'Card  Pricing  · title  (Anna / Bob)': one line in the list."""
    noun = NOUNS.get(conflict.table, conflict.table)
    field = _("deleted on one side") if conflict.deleted else field_label(conflict.field)
    return Text.assemble(
        (f"{noun} ", "dim"),
        text(conflict.title, "bold"),
        " · ",
        text(field),
        ("  (", "dim"),
        text(conflict.by or "?", "dim"),
        (" / ", "dim"),
        text(conflict.other_by or "?", "dim"),
        (")", "dim"),
    )


class ConflictCommands(ScreenCommands):
    """The review's palette entries: the action plan of all accounts, the screenshot."""

    def commands(self) -> Iterable[SystemCommand]:
        yield from plan_commands(self.kamboard)
        yield from export_commands(self.kamboard, None)


class ConflictsScreen(Screen[None]):
    """Every conflict to review on the board, one at a time with both values side by side."""

    CSS_PATH = CONFLICT_STYLES  # read when first shown, not at the app's start
    KEYS = CONFLICT_KEYS
    BINDINGS = bindings(KEYS)
    COMMANDS: ClassVar[Providers] = {ConflictCommands}

    app: KamboardApp

    def __init__(self) -> None:
        super().__init__(id="conflicts")
        self.found: list[FieldConflict] = []
        self._busy: set[tuple[str, str]] = set()  # (record id, path) being saved: hidden meanwhile

    @property
    def store(self) -> BoardStore:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="conflicts-title", classes="title-bar")
        yield OptionList(id="conflicts-list", markup=False)
        with Vertical(id="conflict-detail"):
            yield Static(id="conflict-record")
            with Horizontal(id="conflict-sides"):
                with Vertical(classes="conflict-side", id="side-this"):
                    yield Static(id="this-head", classes="side-head")
                    with VerticalScroll(classes="side-value"):
                        yield Static(id="this-value")
                with Vertical(classes="conflict-side", id="side-that"):
                    yield Static(id="that-head", classes="side-head")
                    with VerticalScroll(classes="side-value"):
                        yield Static(id="that-value")
            with Horizontal(id="conflict-buttons"):
                yield Button(_("Keep this (1)"), id="keep-mine", variant="primary")
                yield Button(_("Keep that (2)"), id="keep-theirs", variant="warning")
                yield Button(_("Keep both (b)"), id="keep-both")
                yield Button(_("Back (q)"), id="back")
        yield Static(_(HINT), id="conflicts-hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()
        self.app.board_changed.subscribe(self, self._board_changed)

    # data
    def reload(self) -> None:
        """Read the conflicts again (keeping the one selected where it still is)."""
        found: list[FieldConflict] = []
        with reporting(self):
            found = self.store.conflicts()
        self._show([c for c in found if (c.id, c.path) not in self._busy])

    def _board_changed(self, _: None) -> None:
        """The board changed (another process, a save): read the conflicts again once no save is pending."""
        self.app.saver.when_idle(self.reload)

    def _show(self, found: list[FieldConflict], index: int | None = None) -> None:
        options = self.query_one(OptionList)
        selected = self.current
        if index is None:
            keys = [c.key() for c in found]
            index = (
                keys.index(selected.key()) if selected is not None and selected.key() in keys else options.highlighted
            )
        self.found = found
        options.clear_options()
        options.add_options([Option(option_line(c), id=str(i)) for i, c in enumerate(found)])
        if found:
            options.highlighted = min(max(index or 0, 0), len(found) - 1)
        self.query_one("#conflicts-title", Static).update(
            Text.assemble(
                (_("Conflicts to review"), "bold"),
                f"  {conflicts_to_review(len(found))}" if found else "  " + _("none left"),
                ("   " + _("q: back"), "dim"),
            )
        )
        self._detail()

    @property
    def current(self) -> FieldConflict | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.found):
            return None
        return self.found[index]

    def _detail(self) -> None:
        conflict = self.current
        detail = self.query_one("#conflict-detail")
        detail.display = conflict is not None
        if conflict is None:
            self.query_one("#conflict-record", Static).update("")
            return
        noun = NOUNS.get(conflict.table, conflict.table)
        if conflict.deleted:
            head = Text.assemble(
                (f"{noun} ", "dim"), text(conflict.title, "bold"), _(" was deleted on one side, changed on the other")
            )
        else:
            head = Text.assemble(
                (f"{noun} ", "dim"),
                text(conflict.title, "bold"),
                ("  " + _("field: "), "dim"),
                text(field_label(conflict.field), "bold"),
            )
        self.query_one("#conflict-record", Static).update(head)
        self.query_one("#this-head", Static).update(
            Text.assemble(
                (_("1 · This"), "bold"), (_(" (the board shows it)") + "\n", "dim"), who_line(conflict.by, conflict.at)
            )
        )
        that = who_line(conflict.other_by, conflict.other_at, "deleted" if conflict.deleted else "changed")
        self.query_one("#that-head", Static).update(
            Text.assemble((_("2 · That"), "bold"), (_(" (in review)") + "\n", "dim"), that)
        )
        self.query_one("#this-value", Static).update(
            Text(_("(the record, kept)"), style="italic") if conflict.deleted else show_value(conflict.value)
        )
        self.query_one("#that-value", Static).update(show_value(conflict.other_value, conflict.deleted))
        self.query_one("#keep-both", Button).disabled = not is_text(conflict)
        self.query_one("#keep-theirs", Button).label = _("Delete it (2)") if conflict.deleted else _("Keep that (2)")

    @on(OptionList.OptionHighlighted, "#conflicts-list")
    def _highlighted(self) -> None:
        self._detail()

    # actions
    def action_step(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not self.found:
            return
        index = (options.highlighted or 0) + delta
        options.highlighted = min(max(index, 0), len(self.found) - 1)

    def action_keep(self, choice: str) -> None:
        conflict = self.current
        if conflict is None:
            self.notify(_("No conflict left to review."), markup=False)
            return
        if self.store.readonly:
            self.notify(self.store.readonly_reason, title=_("Read-only"), severity="warning", markup=False)
            return
        if conflict.deleted and choice == "theirs" and conflict.table != "cards":
            self.notify(_("Only cards can be deleted: keep it (1)."), severity="warning", markup=False)
            return
        if choice == "both" and not is_text(conflict):
            self.notify(_("Only texts can be kept both: choose 1 or 2."), severity="warning", markup=False)
            return
        ref = conflict_id(conflict)
        where = (conflict.id, conflict.path)
        self._busy.add(where)
        index = self.query_one(OptionList).highlighted
        self._show([c for c in self.found if (c.id, c.path) != where], index)

        def run(store: BoardStore) -> None:
            store.resolve_conflict(ref, choice)

        def settled(_result: object = None) -> None:
            self._busy.discard(where)  # shown again by the re-read after the save (board_changed)

        def failed(exc: Exception) -> None:
            settled()
            self.app.saver.when_idle(self.reload)
            report(self, exc, prefix=_("Not resolved: "))

        self.app.saver.submit(_("resolving a conflict"), run, settled, failed)

    def action_close(self) -> None:
        self.dismiss(None)

    # mouse
    @on(Button.Pressed, "#keep-mine")
    def _mine(self) -> None:
        self.action_keep("mine")

    @on(Button.Pressed, "#keep-theirs")
    def _theirs(self) -> None:
        self.action_keep("theirs")

    @on(Button.Pressed, "#keep-both")
    def _both(self) -> None:
        self.action_keep("both")

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.action_close()
