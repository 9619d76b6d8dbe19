"""The key help: every key grouped, plus the workshop's three questions."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from kamboard.i18n import _
from kamboard.model import LANE_QUESTIONS, LANE_TITLES, LANES
from kamboard.tui.keys import Key, bindings
from kamboard.tui.styles import DIALOG_STYLES

HELP_WIDE_MIN = 100  # terminal columns from which key groups sit in two columns
HELP_CHROME = 10  # rows besides the body: margin 2, border 2, heading 2, button row 4


def group_bindings(bindings: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Group (key, description, group) rows by group, keeping first-seen order; merge keys of one description."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, description, group in bindings:
        rows = groups.setdefault(group or _("General"), [])
        for index, (keys, desc) in enumerate(rows):
            if desc == description:
                if key not in keys.split(" / "):
                    rows[index] = (f"{keys} / {key}", desc)
                break
        else:
            rows.append((key, description))
    return groups


def split_columns(groups: dict[str, list[tuple[str, str]]]) -> list[list[str]]:
    """Split the groups, in order, into two columns of about the same number of lines."""
    sizes = [len(rows) + 2 for rows in groups.values()]  # heading and gap
    total, running = sum(sizes), 0
    left: list[str] = []
    right: list[str] = []
    for name, size in zip(groups, sizes, strict=True):
        (left if not right and running + size / 2 <= total / 2 else right).append(name)
        running += size
    return [left, right]


class KeysHelp(ModalScreen[None]):
    """A readable table of the keys, grouped; Esc, ? or q close it."""

    CSS_PATH = DIALOG_STYLES  # read when first shown, not at the app's start

    KEYS = (Key("escape,question_mark,q", "close", _("Close"), "help.close", _("Close the key help"), show=True),)
    BINDINGS = bindings(KEYS)

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self._groups = group_bindings(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                with Vertical(id="help-questions"):
                    yield Label(_("The workshop asks three questions"), classes="help-group")
                    for lane in LANES:
                        yield Static(
                            Text.assemble((f"{LANE_TITLES[lane]}: ", "bold"), LANE_QUESTIONS[lane]),
                            classes="help-question",
                        )
                with Container(id="help-groups"):
                    for column in split_columns(self._groups):
                        with Vertical(classes="help-column"):
                            for group in column:
                                yield Label(Text(group), classes="help-group")
                                for keys, description in self._groups[group]:
                                    with Horizontal(classes="help-row"):
                                        yield Label(Text(keys), classes="help-key")
                                        yield Label(Text(description), classes="help-desc")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close (Esc)"), id="help-close")

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#help-body").focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width, height = self.app.size
        self.set_class(width >= HELP_WIDE_MIN, "-wide")
        # The body scrolls within what is left after border, heading and button row.
        self.query_one("#help-body").styles.max_height = max(3, height - HELP_CHROME)

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        self.dismiss(None)
