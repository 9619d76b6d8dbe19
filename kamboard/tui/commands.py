"""The command palette and the key help: every key of a screen, named from its ``Key``
(kamboard.tui.keys), and each screen's own palette entries (its ``COMMANDS`` providers).

Textual's system commands (themes, quit) and one entry per key of the current screen come
from the app's ``get_system_commands``; a screen adds its own entries with a provider in its
``COMMANDS`` built from the pieces here (``ScreenCommands``: the action plan, the conflicts
to review, the exports). The entries post messages (``OpenActionPlan``, ``ReviewConflicts``)
that the app answers, so no screen imports another to open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message

from kamboard.i18n import N_, _
from kamboard.tui.internals import after_other_providers, own_bindings
from kamboard.tui.keys import key_for
from kamboard.tui.widgets.text import conflicts_to_review

if TYPE_CHECKING:
    from textual.screen import Screen

    from kamboard.tui.app import KamboardApp
    from kamboard.tui.screens.board import BoardScreen

Providers = set[type[Provider] | Callable[[], type[Provider]]]  # a screen's COMMANDS

_KEY_NAMES = {
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "escape": "Esc",
    "enter": "Enter",
    "question_mark": "?",
    "slash": "/",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "space": "Space",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "plus": "+",
    "minus": "-",
}


def key_name(key: str) -> str:
    """'shift+left' -> 'shift+←', 'ctrl+r' -> 'ctrl+r', 'question_mark' -> '?'.

    Not ``App.get_key_display``: it says 'esc', '⏎' and '^r', which the key help spells out."""
    *mods, base = key.split("+")
    return "+".join([*mods, _KEY_NAMES.get(base, base)])


def keys_of(binding: Binding) -> str:
    return " / ".join(key_name(k.strip()) for k in binding.key.split(","))


def merged_bindings(screen: Screen[Any]) -> list[Binding]:
    """The screen's own bindings, one per id with all its keys joined by commas, in declared order."""
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for b in own_bindings(screen):
        ident = b.id or b.action
        first.setdefault(ident, b)
        if b.key not in keys.setdefault(ident, []):
            keys[ident].append(b.key)
    order = {b.id or b.action: i for i, b in enumerate(Binding.make_bindings(screen.BINDINGS))}
    merged = [first[i].with_key(",".join(keys[i])) for i in first]
    return sorted(merged, key=lambda b: order.get(b.id or b.action, len(order)))


KEY_HELP_TITLE = N_("Key help")  # ours; Textual's own "Keys" opens its key panel
REVIEW_TITLE = N_("Review conflicts (merged copies)")


def palette_title(binding: Binding) -> str:
    """The palette's name for a key: its Key's ``palette``, else its description."""
    key = key_for(binding.id)
    if key is not None and key.palette:
        return key.palette
    if binding.action == "help":
        return _(KEY_HELP_TITLE)
    return binding.description


def binding_commands(screen: Screen[Any], taken: Iterable[str] = ()) -> Iterable[SystemCommand]:
    """A palette command per key of ``screen`` that is enabled now; none for Textual's own
    screen keys (tab, copy: they have no id) or for a title ``taken`` already (Quit)."""
    seen = set(taken)
    for binding in merged_bindings(screen):
        if not binding.description or binding.system or not binding.id:
            continue
        if screen.check_action(binding.action.split("(")[0], ()) is False:
            continue
        title = palette_title(binding)
        if title in seen:
            continue
        seen.add(title)
        help_text = f"{binding.tooltip or binding.description} ({keys_of(binding)})"
        yield SystemCommand(title, help_text, partial(screen.run_action, binding.action))


# ---------------------------------------------------------------- the key help
def help_group(binding: Binding) -> str:
    """The key help's group of a key: its Key's ``group``; Textual's own keys (tab, copy: no id)
    under 'Other'."""
    if not binding.id:
        return _("Other")
    key = key_for(binding.id)
    return key.group if key is not None and key.group else _("Keys")


def key_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, description, group) of every key of ``screen``, then the app's own."""
    rows = [(keys_of(b), b.description, help_group(b)) for b in merged_bindings(screen) if b.description]
    app = _("App")
    return [*rows, ("ctrl+p", _("Command palette (every action, themes)"), app), ("ctrl+q", _("Quit"), app)]


def show_keys(screen: Screen[Any]) -> None:
    """Show the key help of ``screen``."""
    from kamboard.tui.screens.help import KeysHelp  # imported when first shown

    screen.app.push_screen(KeysHelp(key_rows(screen)))


# ---------------------------------------------------------------- messages the entries post
class OpenActionPlan(Message):
    """Show the support actions of ``account_id`` (all accounts: ``show_all`` or no account).

    With both an account and ``show_all`` the plan starts on all accounts and ``a`` narrows it
    to that account."""

    def __init__(self, account_id: str | None, show_all: bool = False) -> None:
        super().__init__()
        self.account_id = account_id
        self.show_all = show_all or account_id is None


def open_action_plan(app: App[Any], account_id: str | None, *, show_all: bool = False) -> None:
    """Ask the app for the action plan of ``account_id`` (see ``OpenActionPlan``)."""
    app.post_message(OpenActionPlan(account_id, show_all=show_all))


class ReviewConflicts(Message):
    """Show the conflicts merged copies of the board left to review."""


# ---------------------------------------------------------------- a screen's own entries
class ScreenCommands(Provider):
    """A screen's own palette entries: put a subclass in the screen's ``COMMANDS`` and list
    them in ``commands()`` (called when the palette opens and at each search)."""

    @property
    def kamboard(self) -> KamboardApp:
        return cast("KamboardApp", self.app)

    def commands(self) -> Iterable[SystemCommand]:
        return ()

    async def discover(self) -> Hits:
        await after_other_providers()  # below Textual's commands and the keys, at every opening
        for command in sorted(self.commands(), key=lambda c: c.title):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            if (score := matcher.match(command.title)) > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)


def plan_commands(app: KamboardApp, account_id: str | None = None) -> Iterator[SystemCommand]:
    """'Action plan: this account' (with ``account_id``) and 'Action plan: all accounts'."""
    if account_id:
        yield SystemCommand(
            _("Action plan: this account"),
            _("This account's support actions by status; change a status with ] [ or 1-5"),
            partial(app.post_message, OpenActionPlan(account_id)),
        )
    yield SystemCommand(
        _("Action plan: all accounts"),
        _("Support actions of every account by status, overdue ones first in each group"),
        partial(app.post_message, OpenActionPlan(account_id, show_all=True)),
    )


def conflict_commands(app: KamboardApp) -> Iterator[SystemCommand]:
    """'Review conflicts' while merged copies left some (for screens with no key for it)."""
    found = len(app.store.conflicts())
    if found:
        yield SystemCommand(
            _(REVIEW_TITLE),
            _("{count}: both values side by side; keep this, that or both").format(count=conflicts_to_review(found)),
            partial(app.post_message, ReviewConflicts()),
        )


def export_commands(app: KamboardApp, account_id: str | None) -> Iterable[SystemCommand]:
    """The exports of ``account_id`` (none without one) and the screenshot."""
    from kamboard.tui import exports  # reports and csv: imported when the palette opens

    return exports.export_commands(app, account_id)


class BoardCommands(ScreenCommands):
    """A board's entries: the action plan (this account, all) and the account's exports (its
    conflicts have a key, C, which the palette lists already)."""

    def commands(self) -> Iterable[SystemCommand]:
        account_id = cast("BoardScreen", self.screen).account_id
        yield from plan_commands(self.kamboard, account_id)
        yield from export_commands(self.kamboard, account_id)


class ElsewhereCommands(ScreenCommands):
    """The entries of a screen about no one account (gaps, presenter): the action plan of all
    accounts, the conflicts to review, the screenshot."""

    def commands(self) -> Iterable[SystemCommand]:
        yield from plan_commands(self.kamboard)
        yield from conflict_commands(self.kamboard)
        yield from export_commands(self.kamboard, None)
