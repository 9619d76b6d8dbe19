"""Capture on the board: quick-add's titles and pastes become cards, and Esc drops nothing by accident.

``Capture`` serves ``BoardScreen``: each quick-added title becomes a card through ``CardEdits``
(shown at once, saved by the app's saver), a refused title goes back into the field; a paste of
several lines becomes a card per line, after one question when there are more than
``PASTE_WITHOUT_ASKING``; Esc on a field with text asks before dropping it; and the first Esc on
the bare board right after the filter closed says that a second one leaves, instead of leaving.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from kamboard.card_filter import filter_words, matches
from kamboard.i18n import _
from kamboard.model import LANE_TITLES

if TYPE_CHECKING:
    from kamboard.tui.screens.board import BoardScreen
    from kamboard.tui.widgets.lane_column import QuickAdd

Card = dict[str, Any]
PASTE_WITHOUT_ASKING = 3  # a paste of more lines asks first ("Add 12 cards to Topics?")
ESC_AGAIN_SECONDS = 3.0  # an Esc this soon after the filter closed does not leave the board
PREVIEW = 5  # titles the paste question lists


class Capture:
    """Quick-add and Esc on ``board``."""

    def __init__(self, board: BoardScreen) -> None:
        self.board = board
        self.esc_again_seconds = ESC_AGAIN_SECONDS
        self._filter_closed_at: float | None = None  # time.monotonic() when the filter last closed

    def add(self, field: QuickAdd, title: str) -> None:
        """``title`` was entered in ``field`` (which emptied itself: what was typed since stays)."""
        card = self._add(field.lane, title)
        if card is None:  # refused: the title goes back into the field, nothing typed is lost
            field.refused(title)
        elif self._hidden([card]):
            self.board.notify(_("Added {title!r}; the filter hides it.").format(title=card["title"]), markup=False)

    def paste(self, lane: str, titles: list[str]) -> None:
        """A paste of ``titles`` (several lines) into ``lane``'s field: a card each, after asking
        when there are more than a few."""

        def add(yes: bool | None = True) -> None:
            if not yes:
                return
            added = [card for title in titles if (card := self._add(lane, title)) is not None]
            if len(added) < len(titles):
                count = _("{added} of {total}").format(added=len(added), total=len(titles))
            else:
                count = str(len(added))
            hidden = len(self._hidden(added))
            note = _("; the filter hides {n}").format(n=hidden) if hidden else ""
            message = _("Added {count} cards to {lane}{note}.").format(count=count, lane=LANE_TITLES[lane], note=note)
            self.board.notify(message, markup=False)

        if len(titles) <= PASTE_WITHOUT_ASKING:
            add()
            return
        listed = "\n".join(f"  {title}" for title in titles[:PREVIEW]) + ("\n  …" if len(titles) > PREVIEW else "")
        question = _("Add {n} cards to {lane}?").format(n=len(titles), lane=LANE_TITLES[lane]) + f"\n{listed}"
        self.board.dialogs.confirm(_("Paste"), question, _("Add"), _("Cancel"), add)

    def _add(self, lane: str, title: str) -> Card | None:
        board = self.board
        if board.refuse_readonly():
            return None
        return board.card_edits.quick_add(lane, title, board.facilitation.capture_id())

    def _hidden(self, cards: list[Card]) -> list[Card]:
        words = filter_words(self.board.filter_text)
        return [card for card in cards if words and not matches(card, words)]

    def close(self, field: QuickAdd) -> None:
        """Esc in ``field``: close it; text typed in it is dropped only once the user says so."""
        board = self.board

        def close(yes: bool | None = True) -> None:
            if yes:
                field.close()
                board.lanes[field.lane].focus()

        if not field.typed:
            close()
            return
        from kamboard.tui.screens.dialogs import ConfirmDialog

        question = _("Close and drop {text!r}? It is not added yet.").format(text=field.value.strip())
        dialog = ConfirmDialog(_("Discard?"), question, _("Discard"), _("Keep typing"), focus_yes=False)
        board.app.push_screen(dialog, close)

    def filter_closed(self) -> None:
        """The filter closed (Esc, or Enter on an empty one): an Esc next stays on the board."""
        self._filter_closed_at = time.monotonic()

    def leave_on_purpose(self) -> bool:
        """Whether an Esc on the bare board leaves it: not the first one soon after the filter
        closed (pressed to close it once more), which says what a second one does instead."""
        closed_at, self._filter_closed_at = self._filter_closed_at, None
        if closed_at is not None and time.monotonic() - closed_at < self.esc_again_seconds:
            self.board.notify(_("The filter is closed. Esc again goes back to the accounts."))
            return False
        return True
