"""Card operations of BoardStore: add, edit (with merge and conflict), move, delete, restore."""

from __future__ import annotations

from typing import Any

from . import model
from .errors import Unchanged
from .i18n import _
from .merge_edit import last_count, refresh_links, stamp_restore
from .merge_state import DELETED, build, encode, parse
from .model import ValidationError
from .stale import merge, refuse_changed
from .store_base import StoreBase

Doc = dict[str, Any]
_MIN_GAP = 1e-9


class SavedCard(dict[str, Any]):
    """A card as saved (a plain dict of its fields) plus ``dropped_links``: the ids of linked
    cards that no longer existed, left out of ``links`` instead of refusing the whole edit."""

    def __init__(self, doc: Doc, dropped_links: list[str] | None = None) -> None:
        super().__init__(doc)
        self.dropped_links: list[str] = list(dropped_links or [])


class CardOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its transaction helpers."""

    # card changes
    def _lane_positions(self, data: dict[str, dict[str, Doc]], account_id: str, lane: str, skip: str = "") -> list[Doc]:
        docs = [d for d in self._account_cards(data, account_id) if d.get("lane") == lane and d.get("id") != skip]
        return sorted(docs, key=lambda d: d.get("position", 0))

    def _position_at(self, lane_docs: list[Doc], index: int | None) -> float:
        """A position that puts a card at ``index`` among ``lane_docs`` (None: at the end)."""
        n = len(lane_docs)
        if index is None or index >= n:
            return float(lane_docs[-1].get("position", 0)) + 1.0 if lane_docs else 1.0
        index = max(0, index)
        after = float(lane_docs[index].get("position", 0))
        before = float(lane_docs[index - 1].get("position", 0)) if index > 0 else after - 2.0
        if after - before < _MIN_GAP:
            for i, doc in enumerate(lane_docs, start=1):  # renumber the lane
                self._touch(doc)
                doc["position"] = float(i)
                self._stamp(doc)
            return self._position_at(lane_docs, index)
        return (before + after) / 2

    def _check_links(self, links: list[str], card_id: str = "") -> list[str]:
        for link in links:
            if link == card_id:
                raise ValidationError("links", _("A card cannot link to itself."))
            if not self._is_card(link):
                raise ValidationError("links", _("Link to card {link!r}: no such card.").format(link=link))
        return links

    def add_card(
        self,
        account: str,
        lane: str,
        title: str,
        *,
        index: int | None = None,
        id: str | None = None,
        workshop_id: str = "",
        **fields: Any,
    ) -> Doc:
        """Add a card to an account's lane (at ``index``, else at the end); ``workshop_id``: captured there."""
        lane = model.validate_lane(lane)
        clean = model.validate_card_fields({"title": title, **fields})
        account_id = self.account(account)["id"]
        with self._change() as data:
            if id and id in self._index:
                raise ValidationError("id", _("A record with id {id} already exists.").format(id=id))
            self._check_links(clean.get("links", []), id or "")
            doc: Doc = {**model.CARD_DEFAULTS, "account_id": account_id, "lane": lane, **clean}
            doc["tags"], doc["links"] = list(doc["tags"]), list(doc["links"])
            if id:
                doc["id"] = id
            if workshop_id:
                if self._get("workshops", workshop_id).get("account_id") != account_id:
                    raise ValidationError("workshop_id", _("That workshop belongs to another account."))
                doc["workshop_id"] = workshop_id
            doc["position"] = self._position_at(self._lane_positions(data, account_id, lane), index)
            self._stamp(doc, new=True)
            self._insert(data, "cards", doc)
            self._log(data, "card.add", doc, f"added {doc['title']!r} to {model.LANE_TITLES.english(lane)}")
        return dict(doc)

    def update_card(self, ref: str, changes: dict[str, Any], *, base: Doc | None = None) -> SavedCard:
        """Change fields of a card; returns it as saved.

        With ``base`` (the card as the caller read it), fields the caller did not change are
        left alone, fields only the other side changed merge silently, and a field both sides
        changed to different values raises :class:`Conflict`. Links to cards that no longer
        exist are then left out and listed in the result's ``dropped_links``; the rest is saved.
        Without ``base`` (an id typed by hand), a link to no such card is a ValidationError.
        """
        clean = model.validate_card_fields(changes)
        card_id = base["id"] if base else self.card(ref)["id"]
        dropped: list[str] = []
        with self._change() as data:
            doc = self._get("cards", card_id)
            if base is not None:
                if "links" in clean:
                    dropped = [x for x in clean["links"] if not self._is_card(x)]
                    clean["links"] = [x for x in clean["links"] if x not in dropped]
                    # a vanished card also left the stored links: not a change of the other side
                    base = {**base, "links": [x for x in base.get("links", []) if self._is_card(x)]}
                clean = merge(doc, base, clean, data.get("events"))
            if "links" in clean:
                self._check_links(clean["links"], card_id)
            clean = {k: v for k, v in clean.items() if doc.get(k) != v}
            if not clean:
                raise Unchanged
            doc.update(clean)
            self._stamp(doc)
            self._log(data, "card.edit", doc, f"edited {doc['title']!r} ({', '.join(sorted(clean))})")
        return SavedCard(doc, dropped)

    def _is_card(self, record_id: str) -> bool:
        return self._index.get(record_id, ("",))[0] == "cards"

    def _show_links(self, doc: Doc) -> None:
        """``links`` lists the cards that exist; a link to a card that is gone stays in the card's
        change stamps, out of sight, and shows again when the card comes back (undo, merge)."""
        state = parse(doc)
        links = build(state, self._is_card).get("links", [])
        doc["links"] = [x for x in links if self._is_card(x)]
        encode(state, doc, (doc.get("_conflicts") or {}).get(DELETED) or None)

    def move_card(self, ref: str, lane: str | None = None, index: int | None = None, *, base: Doc | None = None) -> Doc:
        """Move a card to ``index`` (0-based; None: the end) of ``lane`` (None: its own lane).

        With ``base`` (the card as the caller saw it), refused with :class:`Conflict` when its
        lane or position changed since (the conflict's "mine" is the lane and index asked for).
        """
        card_id = self.card(ref)["id"]
        if lane is not None:
            lane = model.validate_lane(lane)
        with self._change() as data:
            doc = self._get("cards", card_id)
            target = lane or doc["lane"]
            if base is not None:
                wanted = {"lane": target, "position": index}
                refuse_changed(doc, base, ("lane", "position"), wanted, data.get("events"))
            docs = self._lane_positions(data, doc["account_id"], target, skip=card_id)
            old_lane = doc["lane"]
            doc["position"] = self._position_at(docs, index)
            doc["lane"] = target
            self._stamp(doc)
            lane_title = model.LANE_TITLES.english(target)  # the log is stored: in English, whatever is shown
            where = f"to {lane_title}" if target != old_lane else f"within {lane_title}"
            self._log(data, "card.move", doc, f"moved {doc['title']!r} {where}")
        return dict(doc)

    def delete_card(self, ref: str, *, base: Doc | None = None) -> Doc:
        """Delete a card (and links to it); returns it as it was, for undo.

        With ``base`` (the card as the caller saw it), refused with :class:`Conflict` naming the
        fields that changed since (every field but the stamps counts).
        """
        card_id = self.card(ref)["id"]
        with self._change() as data:
            doc = self._get("cards", card_id)
            if base is not None:
                refuse_changed(doc, base, events=data.get("events"))
            self._delete_card(data, doc)
            self._log(data, "card.delete", doc, f"deleted {doc['title']!r}")
        return dict(doc)

    def _delete_card(self, data: dict[str, dict[str, Doc]], doc: Doc) -> None:
        """Remove a card, leave its tombstone, hide the links to it."""
        table, key = self._index.pop(doc["id"])
        del data[table][key]
        self._tombstone(data, table, doc)
        for other in data["cards"].values():
            if doc["id"] in other.get("links", ()):
                self._stamp(other)
                self._show_links(other)

    def restore_card(self, doc: Doc) -> Doc:
        """Put back a deleted card as it was (same id), e.g. for undo; refused if it is back already."""
        account = self.account(doc["account_id"])
        with self._change() as data:
            if doc.get("id") in self._index:  # checked on the file as it is now
                raise ValidationError("id", _("Card {title!r} exists already.").format(title=doc.get("title")))
            tomb = next((t for t in data.get("tombstones", {}).values() if t.get("id") == doc.get("id")), None)
            snapshot = (tomb or {}).get("record") or {}
            # a card given without its change stamps (user fields only) takes them from its tombstone
            restored = self._touch({**{k: snapshot[k] for k in ("_v", "_conflicts") if k in snapshot}, **doc})
            lane_docs = self._lane_positions(data, account["id"], restored["lane"])
            position = restored.get("position", 0)
            if any(d.get("position") == position for d in lane_docs):  # taken: go just ahead of the tie
                index = sum(1 for d in lane_docs if d.get("position", 0) < position)
                restored["position"] = self._position_at(lane_docs, index)
            self._stamp(restored)
            self._insert(data, "cards", restored)
            self._show_links(restored)  # links to cards deleted meanwhile: out of sight
            if tomb is not None:  # merges no longer delete it; links to it show again
                replica = self._writer()
                stamp_restore(restored, tomb, self.user, restored["updated_at"], replica=replica)
                self._last_write = (restored["id"], last_count(restored, replica))
                for card_id in refresh_links(data):
                    shown = self._get("cards", card_id)
                    shown["rev"] = int(shown.get("rev", 0)) + 1
            self._log(data, "card.add", restored, f"restored {restored['title']!r}")
        return dict(restored)
