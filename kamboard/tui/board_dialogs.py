"""The questions the board's controllers ask, as Textual dialogs pushed over the board.

``Dialogs`` implements ``kamboard.tui.board_host.BoardDialogs`` for ``BoardScreen``: each dialog's
module is imported when first asked (not on the first paint's path), and its answer goes to the
controller's callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kamboard.errors import Conflict
    from kamboard.tui.screens.board import BoardScreen

Card = dict[str, Any]


class Dialogs:
    """The board's dialogs, pushed on the app of ``screen``."""

    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen

    def confirm(self, title: str, question: str, yes: str, no: str, then: Callable[[bool | None], None]) -> None:
        from kamboard.tui.screens.dialogs import ConfirmDialog

        self.screen.app.push_screen(ConfirmDialog(title, question, yes=yes, no=no), then)

    def edit_card(self, card: Card, links: list[tuple[str, str]], then: Callable[[Card | None], None]) -> None:
        from kamboard.tui.card_edits import owner_names
        from kamboard.tui.screens.card_editor import CardEditor

        board = self.screen  # the owner field suggests the workshop's participants and the account's owners
        people = [str(p.get("name", "")) for p in (board.workshop or {}).get("participants") or []]
        owners = [str(c.get("owner") or "") for cards in board.all_cards.values() for c in cards]
        editor = CardEditor(card, links, owners=owner_names(people, owners), today=board.app.today)
        board.app.push_screen(editor, then)

    def resolve_conflict(self, conflict: Conflict, then: Callable[[str | None, dict[str, str]], None]) -> None:
        from kamboard.tui.screens.dialogs import ConflictDialog, keep_both

        def answered(choice: str | None) -> None:
            then(choice, keep_both(conflict.fields) if choice == "both" else {})

        self.screen.app.push_screen(ConflictDialog(conflict), answered)

    def pick_voter(self, workshop: Card, cards: list[Card], current: str, then: Callable[[str | None], None]) -> None:
        from kamboard.tui.screens.voter_picker import VoterPicker

        self.screen.app.push_screen(VoterPicker(workshop, cards, current), then)

    def edit_workshop(self, workshop: Card | None, account: str, then: Callable[[Card | None], None]) -> None:
        from kamboard.tui.screens.workshop_editor import WorkshopEditor

        self.screen.app.push_screen(WorkshopEditor(workshop, account, self.screen.app.today), then)

    def edit_agenda_notes(self, item: Card, then: Callable[[str | None], None]) -> None:
        from kamboard.tui.screens.agenda_notes import AgendaNotesDialog

        self.screen.app.push_screen(AgendaNotesDialog(item), then)
