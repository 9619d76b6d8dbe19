"""The palette's language switch: "Language: Deutsch" (in German "Sprache: English").

Choosing it saves the other language as the setting ``language`` and ends the app with a
:class:`Restart` request; :func:`kamboard.tui.app.run` then starts kamboard again on the same board
file and account's board in that language (``kamboard.cli.base.restart``): the key labels are
made when the TUI's modules are imported, so the language is changed by a fresh start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from kamboard.config import load_config, save_config
from kamboard.i18n import LANGUAGES, _, language

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp


@dataclass(frozen=True)
class Restart:
    """Start kamboard again on ``path`` (on ``account``'s board, an id; None: the accounts) in ``language``."""

    path: str
    account: str | None
    language: str


def other_language() -> str:
    """The language the switch offers: the next one after the language in use."""
    codes = list(LANGUAGES)
    return codes[(codes.index(language()) + 1) % len(codes)]


def language_command(app: KamboardApp) -> SystemCommand:
    """The palette entry offering the other language, named in that language."""
    other = other_language()
    name = LANGUAGES[other]
    return SystemCommand(
        _("Language: {language}").format(language=name),
        _("Restart kamboard in {language} on this board (saved as the setting)").format(language=name),
        lambda: switch_language(app, other),
    )


def shown_account(app: KamboardApp) -> str | None:
    """The account whose board is shown (under any screen opened over it), or None on the accounts."""
    from kamboard.tui.screens.accounts import AccountsScreen
    from kamboard.tui.screens.board import BoardScreen

    for screen in reversed(app.screen_stack):
        if isinstance(screen, BoardScreen):
            return screen.account_id
        if isinstance(screen, AccountsScreen):
            return None
    return None


def switch_language(app: KamboardApp, code: str) -> None:
    """Save ``code`` as the language setting and end the app asking for a restart in it."""
    config, _warning = load_config()  # read again: keeps what another kamboard saved meanwhile
    config = {**config, "language": code}
    try:
        save_config(config)
    except OSError as exc:
        message = _("Could not save the language: {error}").format(error=exc.strerror or exc)
        app.notify(message, severity="warning", markup=False)
        return
    app.restart = Restart(app.store.path, shown_account(app), code)
    app.exit()
