"""The saver's status: 'saving…' while changes are being written, 'waiting for the file (held by
another save)' while another process holds the lock. Hidden when there is nothing to say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from kamboard.i18n import _
from kamboard.tui.saver import SAVING

if TYPE_CHECKING:
    from kamboard.tui.app import KamboardApp
    from kamboard.tui.saver import Saver

SHOW_AFTER = 0.25  # seconds a save may take before 'saving…' shows


class SaveStatus(Static):
    """One line over the right end of the screen's first row (its own layer: it moves nothing).

    'saving…' shows only once a save has taken ``SHOW_AFTER``: most saves take a few
    milliseconds, and showing and hiding the line for each would flicker and cost every key a
    layout of the screen."""

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

    @staticmethod
    def mount_after_paint(screen: Screen[Any]) -> None:
        """Mount one on ``screen`` once it has painted (hidden till a save takes a while, its
        widget and styles would cost the first paint ~1 ms); not on a screen already taken down
        (an app quitting at its first paint raised MountError here)."""

        def mount() -> None:
            if screen.is_attached:
                screen.mount(SaveStatus(cast("KamboardApp", screen.app).saver))

        screen.call_after_refresh(mount)

    def __init__(self, saver: Saver) -> None:
        super().__init__("", markup=False, id="save-status")
        self.saver = saver
        self._text = ""
        self._later: Timer | None = None

    def on_mount(self) -> None:
        self.saver.status.subscribe(self, self.show_status, immediate=True)
        self.show_status(self.saver)

    def show_status(self, saver: Saver) -> None:
        text = saver.text
        if text == _(SAVING) and not self.display:
            if self._later is None:
                self._later = self.set_timer(SHOW_AFTER, self._show_late)
            return
        self._show(text)

    def _show_late(self) -> None:
        self._later = None
        self._show(self.saver.text)

    def _show(self, text: str) -> None:
        if not text and self._later is not None:
            self._later.stop()
            self._later = None
        if text != self._text:
            self._text = text
            self.update(text)
        self.display = bool(text)
