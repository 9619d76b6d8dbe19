"""Bulk operations of BoardStore: demo boards and imports, in one transaction and one write."""

from __future__ import annotations

from typing import Any

from . import model
from . import workshop as ws_rules
from .i18n import _
from .merge_edit import last_count, stamp_restore
from .model import ValidationError
from .store_base import StoreBase

Doc = dict[str, Any]


class BulkOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its transaction helpers."""

    def insert_records(self, records: dict[str, list[Doc]], account: Doc, summary: str) -> int:
        """Insert whole records as they are (ids, revs, timestamps kept), all or nothing.

        For imports: ``records`` maps a table (accounts, cards, workshops) to new records;
        an id already on the board raises ValidationError and nothing is written.
        """
        with self._change() as data:
            for table, docs in records.items():
                for doc in docs:
                    if table not in ("accounts", "cards", "workshops") or doc.get("id") in self._index:
                        raise ValidationError(
                            "id",
                            _("A record with id {id} already exists in {name}.").format(
                                id=doc.get("id"), name=self.name
                            ),
                        )
            count = 0
            tombs = {t.get("id"): t for t in data.get("tombstones", {}).values()}
            for table, docs in records.items():
                for doc in docs:
                    inserted = self._insert(data, table, dict(doc))
                    count += 1
                    if doc.get("id") in tombs:  # deleted here before: back for good, merges keep it
                        replica = self._writer()
                        stamp_restore(inserted, tombs[doc["id"]], self.user, self.clock(), replica=replica)
                        self._last_write = (doc["id"], last_count(inserted, replica))
            if count:
                self._log(data, "account.import", account, summary)
        return count

    # bulk (demo boards, imports): one transaction, one write
    def bulk_insert(
        self,
        accounts: list[Doc],
        cards: list[Doc],
        workshops: list[Doc] | None = None,
        *,
        replace: bool = False,
        meta: Doc | None = None,
    ) -> dict[str, int]:
        """Insert many records in one transaction (``replace``: drop all records first).

        Records are plain dicts: accounts need ``name``; cards ``account_id`` (an account id
        given here or already stored), ``lane`` and ``title``; workshops ``account_id`` and
        ``title``. Ids are kept when given. Cards without a ``position`` go to the end of
        their lane in the order given. ``meta`` fields are merged into the board's meta record.
        Returns counts per table. Validates everything before anything is written.
        """
        accounts = [dict(a) for a in accounts]
        for a in accounts:
            a["name"] = model.validate_title(a.get("name"), "name", _("Account name"))
            a.setdefault("id", model.new_id())
            a.setdefault("owner", "")
            a.setdefault("notes", "")
            a.setdefault("archived", False)
        cards_in: list[Doc] = []
        for c in cards:
            extra = {k: v for k, v in c.items() if k not in model.CARD_FIELDS}
            clean = model.validate_card_fields({k: v for k, v in c.items() if k in model.CARD_FIELDS})
            lane = model.validate_lane(extra.get("lane"))
            cards_in.append(
                {**model.CARD_DEFAULTS, **extra, **clean, "lane": lane, "id": extra.get("id") or model.new_id()}
            )
        workshops_in = []
        for w in workshops or []:
            fields = ws_rules.validate_workshop_fields({k: v for k, v in w.items() if k in ws_rules.WORKSHOP_FIELDS})
            base = {"start": "", "end": "", "location": "", "participants": [], "agenda": [], "notes": ""}
            workshops_in.append({"id": model.new_id(), **base, **w, **fields})
        with self._change() as data:
            if replace:
                for table in ("accounts", "cards", "workshops", "events"):
                    data[table] = {}
                self._index = {}
            names = {str(d.get("name", "")).casefold() for d in data.get("accounts", {}).values()}
            for a in accounts:
                if a["name"].casefold() in names:
                    raise ValidationError("name", _("An account named {name!r} already exists.").format(name=a["name"]))
                names.add(a["name"].casefold())
            seen = set(self._index)
            for doc in (*accounts, *cards_in, *workshops_in):
                if doc["id"] in seen:
                    raise ValidationError("id", _("A record with id {id} already exists.").format(id=doc["id"]))
                seen.add(doc["id"])
            account_ids = {a["id"] for a in accounts} | {str(d.get("id")) for d in data.get("accounts", {}).values()}
            card_ids = {c["id"] for c in cards_in} | {i for i, (t, _) in self._index.items() if t == "cards"}
            ends: dict[tuple[str, str], float] = {}
            for c in cards_in:
                if c.get("account_id") not in account_ids:
                    raise ValidationError(
                        "account_id",
                        _("Card {title!r}: no account with id {id}.").format(title=c["title"], id=c.get("account_id")),
                    )
                missing = [x for x in c["links"] if x not in card_ids or x == c["id"]]
                if missing:
                    raise ValidationError(
                        "links",
                        _("Card {title!r} links to missing card {link!r}.").format(title=c["title"], link=missing[0]),
                    )
                if "position" not in c:
                    key = (c["account_id"], c["lane"])
                    if key not in ends:
                        lane_docs = self._lane_positions(data, *key)
                        ends[key] = float(lane_docs[-1].get("position", 0)) if lane_docs else 0.0
                    ends[key] += 1.0
                    c["position"] = ends[key]
            for table, docs in (("accounts", accounts), ("cards", cards_in), ("workshops", workshops_in)):
                for doc in docs:
                    self._stamp(doc, new=True)
                    self._insert(data, table, doc)
            if meta:
                record = next(d for d in data["meta"].values() if "schema" in d)
                record.update({k: v for k, v in meta.items() if k not in ("id", "schema")})
            counts = {"accounts": len(accounts), "cards": len(cards_in), "workshops": len(workshops_in)}
            summary = ", ".join(f"{n} {t}" for t, n in counts.items())
            self._log(data, "bulk.insert", {"id": ""}, f"{'replaced the board with' if replace else 'added'} {summary}")
        return counts
