"""What BoardStore's operation mixins (``store_*.py``) use of it, declared once for the type checker.

Each mixin derives from :class:`StoreBase`; :class:`kamboard.store.BoardStore` (or another mixin)
provides every member declared here, so these bodies never run: they only give mypy the
attributes, the transaction helpers and the reads with their real signatures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .storage import SharedJSONStorage

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]  # table name -> document key -> record


class StoreBase:
    """The members of BoardStore its mixins rely on (see the module's docstring)."""

    # set by BoardStore.__init__
    path: str  # the board file, resolved
    name: str  # the path as given, for messages
    clock: Callable[[], str]
    storage: SharedJSONStorage
    readonly_reason: str
    damage: str
    user: str
    _mutex: threading.RLock
    _data: Tables  # the last parse
    _index: dict[str, tuple[str, str]]  # record id -> (table, document key)
    _last_write: tuple[str, int] | None  # (record id, count) of this store's last change stamp

    # the transaction (store.py)
    def _load(self) -> Tables:
        """The board's data, re-parsed if the file changed."""
        raise NotImplementedError

    def _change(self) -> AbstractContextManager[Tables]:
        """Lock, re-read, let the block apply its change to the data, write."""
        raise NotImplementedError

    def _get(self, table: str, record_id: str) -> Doc:
        raise NotImplementedError

    def _stamp(self, doc: Doc, new: bool = False) -> None:
        raise NotImplementedError

    def _touch(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def _insert(self, data: Tables, table: str, doc: Doc) -> Doc:
        raise NotImplementedError

    def _log(self, data: Tables, kind: str, record: Doc, summary: str) -> None:
        raise NotImplementedError

    def _writer(self) -> str:
        raise NotImplementedError

    def _tombstone(self, data: Tables, table: str, doc: Doc) -> None:
        raise NotImplementedError

    def _meta(self, data: Tables) -> Doc:
        raise NotImplementedError

    def _account_cards(self, data: Tables, account_id: str) -> list[Doc]:
        raise NotImplementedError

    # the other mixins' (store_reads, store_cards, store_checks)
    def account(self, ref: str) -> Doc:
        raise NotImplementedError

    def card(self, ref: str) -> Doc:
        raise NotImplementedError

    def cards(self, account_id: str | None = None, lane: str | None = None) -> list[Doc]:
        raise NotImplementedError

    def workshop(self, record_id: str) -> Doc:
        raise NotImplementedError

    def workshops(self, account_id: str | None = None) -> list[Doc]:
        raise NotImplementedError

    def _lane_positions(self, data: Tables, account_id: str, lane: str, skip: str = "") -> list[Doc]:
        raise NotImplementedError

    def _delete_card(self, data: Tables, doc: Doc) -> None:
        raise NotImplementedError

    def _reindex(self, data: dict[str, Any]) -> None:
        raise NotImplementedError
