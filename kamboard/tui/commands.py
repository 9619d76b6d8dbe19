"""Command palette entries (every key of the current screen, the action plan) and key names for the help."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen

from kamboard.tui.internals import own_bindings

if TYPE_CHECKING:
    from textual.screen import Screen

    from kamboard.tui.app import KamboardApp

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
    """'shift+left' -> 'shift+←', 'ctrl+r' -> 'ctrl+r', 'question_mark' -> '?'."""
    *mods, base = key.split("+")
    return "+".join([*mods, _KEY_NAMES.get(base, base)])


def keys_of(binding: Binding) -> str:
    return " / ".join(key_name(k.strip()) for k in binding.key.split(","))


def merged_bindings(screen: Screen[object]) -> list[Binding]:
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


# Palette names by binding id: the footer's and the key help's short words ("Add", "Edit") say
# too little in a list of every action of the app.
PALETTE_TITLES = {
    "accounts.open": "Open account's board",
    "accounts.add": "Add account",
    "accounts.rename": "Rename account",
    "accounts.archive": "Archive or restore account",
    "accounts.show_archived": "Show or hide archived accounts",
    "accounts.filter": "Filter accounts",
    "accounts.clear": "Clear the account filter",
    "board.lane_left": "Focus the lane to the left",
    "board.lane_right": "Focus the lane to the right",
    "board.cursor_up": "Select the card above",
    "board.cursor_down": "Select the card below",
    "board.add": "Add cards (quick-add)",
    "board.edit": "Edit card",
    "board.move_left": "Move card to the lane left",
    "board.move_right": "Move card to the lane right",
    "board.move_up": "Move card up",
    "board.move_down": "Move card down",
    "board.delete": "Delete card",
    "board.filter": "Filter cards",
    "board.focus_mode": "Focus mode: the lane large",
    "board.workshop": "Edit workshop",
    "board.extend": "Timer: +5 minutes",
    "board.voter": "Choose who votes",
    "board.vote": "Vote for the card",
    "board.sort": "Sort the lane by votes",
    "board.gaps": "Show gaps",
    "board.conflicts": "Review conflicts (merged copies)",
    "board.back": "Back to the accounts",
    "plan.owner": "Filter by owner",
    "plan.side": "Filter by side",
    "plan.scope": "All accounts or this one",
    "plan.close": "Close the action plan",
    "gaps.close": "Back to the board",
    "gaps.reload": "Reload gaps",
    "conflicts.mine": "Conflict: keep this value",
    "conflicts.theirs": "Conflict: keep that value",
    "conflicts.both": "Conflict: keep both texts",
    "conflicts.next": "Next conflict",
    "conflicts.previous": "Previous conflict",
    "conflicts.close": "Back to the board",
}
KEY_HELP_TITLE = "Key help"  # ours; Textual's own "Keys" opens its key panel


def binding_commands(screen: Screen[object], taken: Iterable[str] = ()) -> Iterable[SystemCommand]:
    """A palette command per key of ``screen`` that is enabled now; none for Textual's own
    screen keys (tab, copy: they have no id) or for a title ``taken`` already (Quit)."""
    seen = set(taken)
    for binding in merged_bindings(screen):
        if not binding.description or binding.system or not binding.id:
            continue
        if screen.check_action(binding.action.split("(")[0], ()) is False:
            continue
        title = PALETTE_TITLES.get(binding.id) or (KEY_HELP_TITLE if binding.action == "help" else binding.description)
        if title in seen:
            continue
        seen.add(title)
        help_text = f"{binding.tooltip or binding.description} ({keys_of(binding)})"
        yield SystemCommand(title, help_text, partial(screen.run_action, binding.action))


# ---------------------------------------------------------------- the action plan
def open_action_plan(app: KamboardApp, account_id: str | None, *, show_all: bool = False) -> None:
    """Show the support actions of ``account_id`` (or of all accounts, ``show_all`` or no account).

    With both an account and ``show_all`` the plan starts on all accounts and ``a`` narrows it
    to that account. When the plan closes every screen below re-reads the board, so status
    changes made there show at once.
    """
    from kamboard.tui.screens.action_plan import AppActionPlan  # imported when first opened

    plan = AppActionPlan(app.store, account_id, app.today)
    plan.show_all = show_all or account_id is None

    def closed(_: object) -> None:
        app.changed()
        for screen in app.screen_stack:
            if hasattr(screen, "reload_from_store"):
                screen.reload_from_store()

    app.push_screen(plan, closed)


def followup_commands(app: KamboardApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """'Action plan: this account' on a board, 'Action plan: all accounts' elsewhere (the accounts
    screen has its own key, p, which the palette lists already)."""
    from kamboard.tui.screens.accounts import AccountsScreen
    from kamboard.tui.screens.action_plan import ActionPlanScreen
    from kamboard.tui.screens.board import BoardScreen

    if isinstance(screen, ModalScreen | ActionPlanScreen | AccountsScreen):
        return
    account_id = screen.account_id if isinstance(screen, BoardScreen) else None
    if account_id:
        yield SystemCommand(
            "Action plan: this account",
            "This account's support actions by status; change a status with ] [ or 1-5",
            partial(open_action_plan, app, account_id),
        )
    yield SystemCommand(
        "Action plan: all accounts",
        "Support actions of every account by status, overdue ones first in each group",
        partial(open_action_plan, app, account_id, show_all=True),
    )


# ---------------------------------------------------------------- conflicts to review
def conflict_commands(app: KamboardApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """'Review conflicts' where no key opens them (the accounts screen, the action plan) while
    merged copies left some; a board has its own key, C, which the palette lists already."""
    from kamboard.tui.screens.board import BoardScreen, count_text
    from kamboard.tui.screens.conflicts import ConflictsScreen

    if isinstance(screen, ModalScreen | BoardScreen | ConflictsScreen):
        return
    found = len(app.store.conflicts())
    if not found:
        return

    def closed(_: object) -> None:
        for below in app.screen_stack:
            if hasattr(below, "reload_from_store"):
                below.reload_from_store()

    yield SystemCommand(
        PALETTE_TITLES["board.conflicts"],
        f"{count_text(found)}: both values side by side; keep this, that or both",
        lambda: app.push_screen(ConflictsScreen(), closed),
    )
