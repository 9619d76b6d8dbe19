"""The saver's status: 'saving…' while changes are being written, 'waiting for the file (held by
another save)' while another process holds the lock. Hidden when there is nothing to say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from kamboard.tui.saver import Saver


class SaveStatus(Static):
    """One line over the right end of the screen's first row (its own layer: it moves nothing)."""

    DEFAULT_CSS = """
    SaveStatus {
        layer: save-status;
        dock: right;
        width: auto;
        height: 1;
        padding: 0 1;
        background: $warning-muted;
        color: $text-warning;
        display: none;
    }
    """

    def __init__(self, saver: Saver) -> None:
        super().__init__("", markup=False, id="save-status")
        self.saver = saver
        self._text = ""

    def on_mount(self) -> None:
        self.saver.status.subscribe(self, self.show_status, immediate=True)
        self.show_status(self.saver)

    def show_status(self, saver: Saver) -> None:
        text = saver.text
        if text != self._text:
            self._text = text
            self.update(text)
        self.display = bool(text)
