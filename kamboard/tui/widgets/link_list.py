"""The cards a card may link to, as a list that filters and marks each card by a glyph."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kamboard.i18n import _
from kamboard.tui.keys import Key, bindings
from kamboard.tui.widgets.text import literal

LINKED, UNLINKED = "[x] ", "[ ] "  # a glyph, not a colour alone, says which cards are linked


class LinkList(OptionList):
    """The cards a card may link to, each marked ``[x]`` (linked) or ``[ ]``, narrowed to those
    whose label holds every word of a filter; space, Enter or a click links or unlinks the
    highlighted card. Cards the filter hides keep their state."""

    KEYS = (Key("space", "toggle_link", _("Link / unlink"), "links.toggle", _("Link or unlink the highlighted card")),)
    BINDINGS = bindings(KEYS)

    class Changed(Message):
        """The set of linked cards changed."""

        def __init__(self, links: LinkList) -> None:
            super().__init__()
            self.links = links

        @property
        def control(self) -> LinkList:
            return self.links

    def __init__(self, choices: list[tuple[str, str]], linked: set[str], **kwargs: Any) -> None:
        """``choices``: (card id, label) in the order shown; ``linked``: the ids linked now."""
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.labels = dict(self.choices)
        self.linked = {card_id for card_id in self.labels if card_id in linked}
        self.words: list[str] = []
        self.show()

    @property
    def selected(self) -> list[str]:
        """The linked cards' ids, in the order offered."""
        return [card_id for card_id, _ in self.choices if card_id in self.linked]

    def shown(self) -> list[tuple[str, str]]:
        """The choices the filter lets through."""
        return [(i, label) for i, label in self.choices if all(w in label.casefold() for w in self.words)]

    def _prompt(self, card_id: str) -> Text:
        linked = card_id in self.linked
        return Text.assemble(
            LINKED if linked else UNLINKED, literal(self.labels[card_id]), style="bold" if linked else ""
        )

    def show(self, filter_text: str | None = None) -> None:
        """Show the choices whose label holds every word of ``filter_text`` (None: the same words
        as before); the highlight stays on its card while that is shown."""
        if filter_text is not None:
            self.words = filter_text.casefold().split()
        highlighted = self.highlighted_option
        keep = highlighted.id if highlighted is not None else None
        ids = [card_id for card_id, _ in self.shown()]
        self.set_options([Option(self._prompt(card_id), id=card_id) for card_id in ids])
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def action_toggle_link(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.link(option.id, option.id not in self.linked)

    def link(self, card_id: str, linked: bool = True) -> None:
        """Link (or unlink) the card ``card_id`` offered, shown or hidden by the filter."""
        if card_id not in self.labels or (card_id in self.linked) == linked:
            return
        self.linked ^= {card_id}
        if card_id in {card for card, _ in self.shown()}:
            self.replace_option_prompt(card_id, self._prompt(card_id))
        self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_link()
