"""The TUI's side of synced folders: merge the conflicted copies a sync tool leaves beside the
board (``kamboard.sync_copies``) at the start and while the app runs, and say what was merged.

A check is one ``stat`` of the board's folder every ``CHECK_SECONDS``; only when the folder
changed is it listed. A copy to merge is handed to the app's saver (the merge takes the file
lock and writes: never on the UI thread); once it is saved the app tells the screens
(``board_changed``), as after any save.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from kamboard.i18n import N_, _
from kamboard.sync_copies import CopyResult, Signature, absorb_copies, folder_signature, unseen_copies
from kamboard.tui.reporting import report

if TYPE_CHECKING:
    from kamboard.store import BoardStore
    from kamboard.tui.app import KamboardApp

CHECK_SECONDS = 3.0
REVIEW_HINT = N_("C on a board reviews them")


class SyncedCopies:
    """Watches the board's folder for conflicted copies and merges them in, through the saver."""

    def __init__(self, app: KamboardApp) -> None:
        self.app = app
        self.known: dict[Path, Signature] = {}  # copies left alone and said so: not again while unchanged
        self._folder: tuple[int, int] | None = None
        self._queued = False

    def start(self) -> None:
        """Check now and every ``CHECK_SECONDS`` (call once the saver runs)."""
        self.check()
        self.app.set_interval(CHECK_SECONDS, self.check)

    def check(self) -> None:
        """Merge the copies that arrived since the last check (UI thread)."""
        if self._queued or not self.app.is_running:
            return
        path = self.app.store.path
        folder = folder_signature(path)
        if folder is not None and folder == self._folder:
            return
        self._folder = folder
        if not unseen_copies(path, self.known):
            return
        self._queued = True
        known = self.known

        def run(store: BoardStore) -> list[CopyResult]:
            return absorb_copies(store, known)

        self.app.saver.submit(_("merging a conflicted copy"), run, self._done, self._failed)

    def _done(self, results: list[CopyResult]) -> None:
        self._queued = False
        self._folder = None  # the merge wrote the board: list the folder again at the next check
        for result in results:
            conflicts = bool(result.report and result.report.conflicts)
            message = (
                _("{message}. {hint}.").format(message=result.message, hint=_(REVIEW_HINT))
                if conflicts
                else result.message
            )
            severity: SeverityLevel = "information" if result.merged and not result.reason else "warning"
            self.app.notify(message, title=_("Synced copy"), severity=severity, markup=False, timeout=10)

    def _failed(self, error: Exception) -> None:
        self._queued = False
        report(self.app, error, prefix=_("Could not merge a conflicted copy: "))
