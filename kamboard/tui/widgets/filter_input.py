"""A filter field that stays hidden until asked for (``/`` or ``o``) and hides again when empty.

Its stylesheet shows it only with the ``-shown`` class; the screen keeps the filter text itself
(from ``Input.Changed``) and decides what Enter and Esc focus next.
"""

from __future__ import annotations

from kamboard.tui.widgets.ordered_input import OrderedInput


class FilterInput(OrderedInput):
    """An Input shown by ``reveal()``, emptied and hidden by ``conceal()``."""

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def reveal(self) -> None:
        """Show the field and put the cursor in it."""
        self.add_class("-shown")
        self.focus()

    def conceal(self) -> None:
        """Empty the field (its Changed message clears the filter) and hide it."""
        self.value = ""
        self.remove_class("-shown")

    def settle(self, filtering: bool) -> None:
        """After Enter: stay visible while it still filters, else hide."""
        if not filtering:
            self.remove_class("-shown")
