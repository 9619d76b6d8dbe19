"""Reads of BoardStore: accounts, cards, workshops, the activity log and the accounts' key figures.

Each is under the store's thread lock (``_reading``) and re-parses the file only when it changed."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from . import model
from .errors import NotFound
from .i18n import _
from .model import LANES
from .storage import event_order
from .store_base import StoreBase

Doc = dict[str, Any]
_S = TypeVar("_S", bound=StoreBase)
_T = TypeVar("_T")
_P = ParamSpec("_P")


def _reading(method: Callable[Concatenate[_S, _P], _T]) -> Callable[Concatenate[_S, _P], _T]:
    """A public read: under the store's thread lock, so it never sees half of a change being
    applied by another thread (the TUI reads on its UI thread while its saver writes)."""

    @functools.wraps(method)
    def read(self: _S, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self._mutex:
            return method(self, *args, **kwargs)

    return read


class ReadOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its ``_load``, ``_index`` and ``_get`` (``StoreBase``)."""

    @property
    @_reading
    def meta(self) -> Doc:
        return dict(self._meta(self._load()))

    @_reading
    def accounts(self, include_archived: bool = False) -> list[Doc]:
        data = self._load()
        docs = [dict(d) for d in data.get("accounts", {}).values() if include_archived or not d.get("archived")]
        return sorted(docs, key=lambda d: str(d.get("name", "")).casefold())

    @_reading
    def account(self, ref: str) -> Doc:
        """An account by id, unique id prefix or name (case-insensitive)."""
        data = self._load()
        accounts = list(data.get("accounts", {}).values())
        ref_cf = ref.strip().casefold()
        for doc in accounts:
            if doc.get("id") == ref or str(doc.get("name", "")).casefold() == ref_cf:
                return dict(doc)
        matches = [d for d in accounts if len(ref) >= 4 and str(d.get("id", "")).startswith(ref)]
        if len(matches) == 1:
            return dict(matches[0])
        raise NotFound(
            _("No account {ref!r} in {name}; `kamboard account list` shows them.").format(ref=ref, name=self.name)
        )

    @_reading
    def cards(self, account_id: str | None = None, lane: str | None = None) -> list[Doc]:
        """Cards ordered by lane (topic, challenge, support) then position."""
        data = self._load()
        order: dict[Any, int] = {name: i for i, name in enumerate(LANES)}
        pool = data.get("cards", {}).values() if account_id is None else self._account_cards(data, account_id)
        docs = [dict(d) for d in pool if lane is None or d.get("lane") == lane]
        return sorted(docs, key=lambda d: (order.get(d.get("lane"), 9), d.get("position", 0)))

    @_reading
    def card(self, ref: str) -> Doc:
        """A card by id or unique id prefix."""
        self._load()
        if self._index.get(ref, ("",))[0] == "cards":
            return dict(self._get("cards", ref))
        matches = [i for i, (t, _) in self._index.items() if t == "cards" and i.startswith(ref)] if ref else []
        if len(matches) == 1:
            return dict(self._get("cards", matches[0]))
        if len(matches) > 1:
            raise NotFound(
                _("Card prefix {ref!r} matches {n} cards; give more characters.").format(ref=ref, n=len(matches))
            )
        raise NotFound(_("No card {ref!r} in {name}; `kamboard card list` shows them.").format(ref=ref, name=self.name))

    @_reading
    def workshops(self, account_id: str | None = None) -> list[Doc]:
        data = self._load()
        docs = [
            dict(d)
            for d in data.get("workshops", {}).values()
            if account_id is None or d.get("account_id") == account_id
        ]
        return sorted(docs, key=lambda d: str(d.get("start", "")))

    @_reading
    def workshop(self, record_id: str) -> Doc:
        self._load()
        return dict(self._get("workshops", record_id))

    @_reading
    def events(self, after: int = 0) -> list[tuple[int, Doc]]:
        """Activity log entries after the cursor ``after``, oldest first, as (cursor, event).

        The cursor is the event's sequence number (``seq``; an event without one, written by an
        older kamboard, has its document key, which counted up then): document keys are random."""
        data = self._load()
        found = [(event_order(k, v), k, v) for k, v in data.get("events", {}).items()]
        return [(order, dict(v)) for order, _, v in sorted(f for f in found if f[0] > after)]

    @_reading
    def last_event_key(self) -> int:
        """The cursor of the newest event (0 without events): ``events(after=it)`` is what comes next."""
        data = self._load()
        return max((event_order(k, v) for k, v in data.get("events", {}).items()), default=0)

    @_reading
    def summaries(self, today: dt.date | None = None, include_archived: bool = False) -> list[model.AccountSummary]:
        """Key figures per account, computed in one pass over the cards."""
        today = today or dt.date.today()
        data = self._load()
        accounts = self.accounts(include_archived)
        counts: dict[str, dict[str, int]] = {a["id"]: dict.fromkeys(LANES, 0) for a in accounts}
        open_: dict[str, int] = dict.fromkeys(counts, 0)
        overdue: dict[str, int] = dict.fromkeys(counts, 0)
        for card in data.get("cards", {}).values():
            aid = card.get("account_id")
            if aid not in counts:
                continue
            lane = card.get("lane")
            if lane in counts[aid]:
                counts[aid][lane] += 1
            if model.is_open_action(card):
                open_[aid] += 1
                overdue[aid] += model.is_overdue(card, today)
        last: dict[str, str] = {}
        for ws in data.get("workshops", {}).values():
            start = str(ws.get("start", ""))[:10]
            if ws.get("account_id") in counts and start <= today.isoformat() and start > last.get(ws["account_id"], ""):
                last[ws["account_id"]] = start
        return [
            model.AccountSummary(
                id=a["id"],
                name=a.get("name", ""),
                owner=a.get("owner", ""),
                archived=bool(a.get("archived")),
                counts=counts[a["id"]],
                open_actions=open_[a["id"]],
                overdue_actions=overdue[a["id"]],
                last_workshop=last.get(a["id"], ""),
            )
            for a in accounts
        ]
