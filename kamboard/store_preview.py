"""Opening a board to show one account first: a preview of the file, the whole of it after.

``BoardStore(path, preview=True)`` (the TUI's start with ``--account``) parses a big board file
but its cards (``SharedJSONStorage.read_preview``): the accounts, workshops, meta and activity
log, checked as usual. The reads one account's board makes (:class:`PreviewReads`) are answered
from that preview, the account's cards parsed and checked on demand. Every other read, and every
change, first parses and checks the whole file, as does :meth:`PreviewReads.finish_opening`,
which the TUI calls once its first screen is painted. So nothing is ever written before the
whole file was checked; what only the whole file shows (a damaged record of another account, a
key held twice, broken JSON among the other cards) is found then, and the screens show it at
their next reload, as when the file changes while open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from . import records
from .errors import BoardError
from .merge_edit import FieldConflict
from .store_merge import MergeOps
from .store_reads import ReadOps

Doc = dict[str, Any]


class PreviewReads(MergeOps, ReadOps):
    """Mixed into :class:`kamboard.store.BoardStore`, ahead of the mixins whose reads it answers
    from a preview; ``_load`` (store.py) returns the preview while ``_preview_reads`` is set."""

    _previewing = False  # the data in memory is a preview (see storage.read_preview)
    _preview_reads = 0  # depth of reads a preview can answer (under the store's thread lock)
    _preview_cards: dict[str, list[Doc]]  # account id -> its cards, parsed from the preview

    @contextmanager
    def _previewed(self, can: bool = True) -> Iterator[None]:
        """Let ``_load`` give the preview (when it can answer the read made inside)."""
        with self._mutex:
            self._preview_reads += can
            try:
                yield
            finally:
                self._preview_reads -= can

    def _accept_parse(self, data: Any) -> None:  # BoardStore's (store.py)
        raise NotImplementedError

    def _load_whole(self) -> dict[str, dict[str, Doc]]:
        """The whole file's data, also inside a read a preview could answer."""
        reads, self._preview_reads = self._preview_reads, 0
        try:
            return self._load()
        finally:
            self._preview_reads = reads

    def _open_preview(self) -> bool:
        """Read a preview of the file instead of all of it; False when it cannot be previewed."""
        preview = self.storage.read_preview("cards")
        if preview is None:
            return False
        self._accept_parse(preview.data)
        if self.damage:  # the whole file says all that is wrong with it
            return False
        self._previewing, self._preview_cards = True, {}
        return True

    def _preview_account(self, account_id: str) -> list[Doc] | None:
        """The account's cards from the preview, in the table's order, parsed and checked now;
        None when they cannot be told from the preview or one is damaged (read the whole file)."""
        found = self._preview_cards.get(account_id)
        if found is None:
            preview = self.storage.preview
            cards = preview.records_with("account_id", account_id) if preview is not None else None
            if cards is None or records.scan({"cards": cards}):
                return None
            self._data["cards"].update(cards)  # the preview holds what it has shown
            found = self._preview_cards[account_id] = list(cards.values())
        return found

    def finish_opening(self) -> bool:
        """Parse and check the whole file, if only a preview was read (see the module's docstring);
        True when it did (the screens should read the board again).

        Never raises: what is wrong with the file, every read but a preview's then says (the
        screens' next read shows it, a change is refused with it)."""
        with self._mutex:
            if not self._previewing:
                return False
            with suppress(BoardError, OSError):
                self._load()
            return True

    # the reads one account's board makes, answered from a preview
    def accounts(self, include_archived: bool = False) -> list[Doc]:
        with self._previewed():
            return super().accounts(include_archived)

    def account(self, ref: str) -> Doc:
        with self._previewed():
            return super().account(ref)

    def cards(self, account_id: str | None = None, lane: str | None = None) -> list[Doc]:
        with self._previewed(account_id is not None):  # one account's: see BoardStore._account_cards
            return super().cards(account_id, lane)

    def workshops(self, account_id: str | None = None) -> list[Doc]:
        with self._previewed():
            return super().workshops(account_id)

    def events(self, after: int = 0) -> list[tuple[int, Doc]]:
        with self._previewed():
            return super().events(after)

    def last_event_key(self) -> int:
        with self._previewed():
            return super().last_event_key()

    def conflicts(self) -> list[FieldConflict]:
        preview = self.storage.preview  # (of the needles that rule out a field, the fastest to search for)
        with self._previewed(preview is not None and not preview.holds(b"_conflicts")):
            return super().conflicts()
