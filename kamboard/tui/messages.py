"""Messages screens post up to the app ("attributes down, messages up")."""

from __future__ import annotations

from textual.message import Message


class OpenBoard(Message):
    """Open the board of ``account_id`` (the app pushes a BoardScreen with the account's history)."""

    def __init__(self, account_id: str) -> None:
        super().__init__()
        self.account_id = account_id


class ShowAccounts(Message):
    """Go back to the accounts screen (built then if the app started on a board)."""
