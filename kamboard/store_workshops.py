"""Workshop operations of BoardStore: workshops, agenda, timer, votes, commitments review.

Rules live in ``workshop.py``, ``voting.py`` and ``followup.py`` (the review); this mixin only runs them in store transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from . import agenda as agenda_rules
from . import followup, model, voting
from . import workshop as ws_rules
from .errors import Unchanged
from .i18n import _
from .model import ValidationError
from .stale import conflict, merge, refuse_changed
from .store_base import StoreBase

Doc = dict[str, Any]


def _pinned(doc: Doc) -> list[Doc]:
    """The workshop's agenda with every item's day stored (an agenda from before days were stored
    keeps the days it was shown with: see ``agenda.pin_days``)."""
    return agenda_rules.pin_days(list(doc.get("agenda") or []), str(doc.get("start") or ""))


class WorkshopOps(StoreBase):
    """Mixed into :class:`kamboard.store.BoardStore`; uses its transaction helpers."""

    # workshops
    def add_workshop(self, account: str, title: str, **fields: Any) -> Doc:
        fields = ws_rules.validate_workshop_fields({**fields, "title": title})
        title = fields.pop("title")
        account_id = self.account(account)["id"]
        with self._change() as data:
            doc: Doc = {
                "account_id": account_id,
                "title": title,
                "start": "",
                "end": "",
                "location": "",
                "participants": [],
                "agenda": [],
                "notes": "",
                **fields,
            }
            self._stamp(doc, new=True)
            self._insert(data, "workshops", doc)
            self._log(data, "workshop.add", doc, f"added workshop {title!r}")
        return dict(doc)

    def update_workshop(self, record_id: str, changes: dict[str, Any], *, base: Doc | None = None) -> Doc:
        """Change workshop fields (see ``workshop.WORKSHOP_FIELDS``), validated.

        With ``base`` (the workshop as the caller read it), merged field by field like
        ``update_card``: a field both sides changed to different values raises :class:`Conflict`.
        """
        with self._change() as data:
            doc = self._get("workshops", record_id)
            clean = ws_rules.validate_workshop_fields(changes, doc)
            if base is not None:
                clean = merge(doc, base, clean, data.get("events"))
                if not any(doc.get(k) != v for k, v in clean.items()):
                    raise Unchanged
                clean = ws_rules.validate_workshop_fields(clean, doc)  # the merged whole must hold too
            if "start" in clean and "agenda" not in clean and doc.get("agenda") != (pinned := _pinned(doc)):
                clean["agenda"] = pinned  # its days as shown before the new start
            doc.update(clean)
            self._stamp(doc)
            self._log(data, "workshop.edit", doc, f"edited workshop {doc.get('title', '')!r}")
        return dict(doc)

    # agenda, timer, votes and commitments review (rules: workshop.py, voting.py)
    def _edit_workshop(self, workshop_id: str, apply: Callable[[Doc], str], kind: str = "workshop.edit") -> Doc:
        """Change a workshop in one transaction: ``apply`` edits the record in place, returns the summary."""
        with self._change() as data:
            doc = self._get("workshops", workshop_id)
            summary = apply(doc)
            self._stamp(doc)
            self._log(data, kind, doc, summary)
        return dict(doc)

    def add_agenda_item(
        self,
        workshop_id: str,
        title: str,
        lane: str = "",
        minutes: int = 30,
        index: int | None = None,
        day: int | None = None,
    ) -> Doc:
        """Add an agenda item (at ``index``, else at the end) on ``day`` (else on the day of the
        item it follows; at the start: of the item it comes before); returns the item."""
        item = ws_rules.new_agenda_item(title, lane, minutes, day=day)

        def apply(doc: Doc) -> str:
            agenda = _pinned(doc)
            at = len(agenda) if index is None else max(0, min(index, len(agenda)))
            next_to = agenda[at - 1] if at > 0 else agenda[0] if agenda else {}
            agenda.insert(at, {**item, "day": agenda_rules.day_of(next_to)})
            doc["agenda"], at = agenda_rules.set_day(agenda, at, day or agenda_rules.day_of(next_to))
            item.update(doc["agenda"][at])
            return f"added agenda item {item['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return dict(item)

    def update_agenda_item(self, workshop_id: str, item_ref: str, *, base: Doc | None = None, **changes: Any) -> Doc:
        """Change an agenda item's title, lane, minutes, day or notes; ``item_ref``: id, id prefix or
        1-based number. A new day moves the item to that day (its start when later, its end when
        earlier).

        With ``base`` (the item as the caller saw it), merged field by field: a field both sides
        changed to different values raises :class:`Conflict`; nothing new: nothing is written."""
        clean = ws_rules.validate_agenda_fields(changes)
        result: Doc = {}

        def apply(doc: Doc) -> str:
            agenda = _pinned(doc)
            i = ws_rules.find_item(agenda, item_ref)
            mine = clean
            if base is not None:
                mine = merge(agenda[i], base, clean, self._data.get("events"))
                if not mine:
                    raise Unchanged
            day = mine.pop("day", None)
            agenda[i] = {**agenda[i], **mine}
            if day is not None:
                agenda, i = agenda_rules.set_day(agenda, i, day)
            doc["agenda"] = agenda
            result.update(agenda[i])
            return f"edited agenda item {agenda[i]['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return result

    def move_agenda_item(self, workshop_id: str, item_ref: str, index: int) -> Doc:
        """Move an agenda item to ``index`` (0-based; it takes the day of the item it follows);
        returns the workshop."""

        def apply(doc: Doc) -> str:
            agenda = _pinned(doc)
            doc["agenda"] = ws_rules.move_item(agenda, item_ref, index)
            return f"moved agenda item {agenda[ws_rules.find_item(agenda, item_ref)]['title']!r}"

        return self._edit_workshop(workshop_id, apply)

    def delete_agenda_item(self, workshop_id: str, item_ref: str) -> Doc:
        """Remove an agenda item; returns it."""
        result: Doc = {}

        def apply(doc: Doc) -> str:
            agenda = _pinned(doc)
            result.update(agenda.pop(ws_rules.find_item(agenda, item_ref)))
            doc["agenda"] = agenda
            return f"removed agenda item {result['title']!r}"

        self._edit_workshop(workshop_id, apply)
        return result

    def set_agenda_state(self, workshop_id: str, state: Doc) -> Doc:
        """Store the agenda timer state as given (see ``workshop.initial_state``)."""
        if not isinstance(state, dict):
            raise ValidationError("agenda_state", _("The agenda state must be a record."))

        def apply(doc: Doc) -> str:
            doc["agenda_state"] = {**ws_rules.initial_state(), **state}
            return "set the agenda timer"

        return self._edit_workshop(workshop_id, apply, "workshop.timer")

    def timer(
        self,
        workshop_id: str,
        action: str,
        now: dt.datetime | None = None,
        arg: int | None = None,
        *,
        base: Doc | None = None,
    ) -> Doc:
        """Apply a timer action (start, pause, toggle, next, prev, extend, goto, reset) to the stored state.

        Computed inside the transaction from the state on disk. With ``base`` (the ``agenda_state``
        as the caller saw it, ``{}`` when it had none) refused with :class:`Conflict` when the
        stored state differs, so two facilitators pressing "next" on one view move one item.
        Returns the workshop.
        """
        when = now or ws_rules.utc_now()

        def apply(doc: Doc) -> str:
            if base is not None and (doc.get("agenda_state") or {}) != base:
                raise conflict(doc, {"agenda_state": (action, doc.get("agenda_state"))}, self._data.get("events"))
            agenda = list(doc.get("agenda") or [])
            doc["agenda_state"] = ws_rules.apply(doc.get("agenda_state"), agenda, action, when, arg)
            item = ws_rules.current_item(doc["agenda_state"], agenda) or {}
            return f"timer {action}: {item.get('title', '')!r}"

        return self._edit_workshop(workshop_id, apply, "workshop.timer")

    def set_votes_hidden(self, workshop_id: str, hidden: bool, *, base: bool | None = None) -> Doc:
        """Hide vote counts until revealed (``hidden=False`` reveals them).

        With ``base`` (``votes_hidden`` as the caller saw it): when it changed meanwhile, it is
        what the caller wants now or they asked for no change, so nothing is written.
        """

        def apply(doc: Doc) -> str:
            if base is not None and bool(doc.get("votes_hidden")) != bool(base):
                raise Unchanged
            doc["votes_hidden"] = bool(hidden)
            return "hid the vote counts" if hidden else "revealed the vote counts"

        return self._edit_workshop(workshop_id, apply)

    def set_capture(self, workshop_id: str, lane: str, open: bool) -> Doc:
        """Let participants add cards to ``lane`` (``open``), or no longer. Computed from the
        workshop on disk inside the transaction, so two facilitators opening two lanes keep both;
        already so: nothing is written. Returns the workshop."""
        ws_rules.validate_capture([lane])  # an unknown lane: ValidationError
        title = model.LANE_TITLES.english(lane)  # the log is stored: in English

        def apply(doc: Doc) -> str:
            lanes = ws_rules.capture_lanes(doc)
            if (lane in lanes) == bool(open):
                raise Unchanged
            doc["capture"] = ws_rules.validate_capture([*lanes, lane] if open else [x for x in lanes if x != lane])
            return f"{'opened' if open else 'closed'} capture in {title} for participants"

        return self._edit_workshop(workshop_id, apply, "workshop.capture")

    def vote(
        self, card_ref: str, participant: str, workshop_id: str, delta: int = 1, *, base: int | None = None
    ) -> Doc:
        """Add (``delta`` > 0) or take back (< 0) ``participant``'s votes on a card; enforces the budget
        and the per-card limit of the workshop. Keeps ``votes`` (total) and ``voters`` in sync.

        With ``base`` (the participant's own votes on the card in this workshop, as the caller saw
        them), refused with :class:`Conflict` (field ``"votes of NAME"``) when that count changed
        since; other participants' votes on the card never conflict.
        """
        card_id = self.card(card_ref)["id"]
        with self._change() as data:
            workshop = self._get("workshops", workshop_id)
            doc = self._get("cards", card_id)
            if doc.get("account_id") != workshop.get("account_id"):
                raise ValidationError(
                    "card", _("{title!r} is not on this workshop's board.").format(title=doc.get("title", ""))
                )
            name = voting.participant_name(workshop, participant)
            if base is not None:
                mine = voting.voters_in(doc, workshop_id).get(name, 0)
                if mine != base:
                    raise conflict(doc, {f"votes of {name}": (base + delta, mine)}, data.get("events"))
            cards = [c for c in data["cards"].values() if c.get("account_id") == workshop.get("account_id")]
            doc.update(voting.cast(cards, doc, name, workshop, delta))
            self._stamp(doc)
            what = f"voted for {doc['title']!r}" if delta > 0 else f"took back a vote on {doc['title']!r}"
            self._log(data, "card.vote", doc, f"{name} {what}")
        return dict(doc)

    def previous_workshop(self, workshop_id: str) -> Doc | None:
        """The account's latest workshop before this one (by start), or None."""
        current = self.workshop(workshop_id)
        found = followup.previous_workshop(self.workshops(current.get("account_id")), current)
        return dict(found) if found else None

    def open_commitments(self, workshop_id: str) -> list[Doc]:
        """Support actions still open from the account's previous workshop, in board order."""
        previous = self.previous_workshop(workshop_id)
        if previous is None:
            return []
        return followup.open_commitments(self.cards(previous["account_id"], "support"), previous["id"])

    def review_commitment(self, card_ref: str, workshop_id: str, outcome: str) -> Doc:
        """Mark an open commitment from the previous workshop ``done``, ``carry`` it over to this
        workshop, or ``drop`` it. Returns the card."""
        outcome = model.validate_choice(outcome, "outcome", followup.REVIEW_OUTCOMES, "review outcome")
        card_id = self.card(card_ref)["id"]
        with self._change() as data:
            workshop = self._get("workshops", workshop_id)
            doc = self._get("cards", card_id)
            previous = followup.previous_workshop(list(data["workshops"].values()), workshop)
            if previous is None or not followup.open_commitments([doc], previous["id"]):
                raise ValidationError(
                    "card",
                    _("{title!r} is not an open commitment from the previous workshop.").format(
                        title=doc.get("title", "")
                    ),
                )
            if outcome == "carry":
                doc["workshop_id"], doc["carried_from"] = workshop["id"], previous["id"]
                summary = f"carried over {doc['title']!r}"
            else:
                doc["status"] = "done" if outcome == "done" else "dropped"
                summary = f"marked {doc['title']!r} {doc['status']} in the commitments review"
            self._stamp(doc)
            self._log(data, "card.edit", doc, summary)
        return dict(doc)

    def set_review_fields(self, card_ref: str, fields: Doc, *, base: Doc) -> Doc:
        """Give a card back what a commitments review decision changed (``followup.REVIEW_FIELDS``;
        None: no such field): the undo and redo of a decision. Refused with :class:`Conflict` when
        one of ``fields`` changed since ``base``, the card as the caller's decision left it."""
        unknown = sorted(set(fields) - set(followup.REVIEW_FIELDS))
        if unknown:
            raise ValidationError(
                unknown[0], _("Not changed by a review decision: {fields}.").format(fields=", ".join(unknown))
            )
        if fields.get("status") is not None:
            model.validate_choice(fields["status"], "status", model.STATUSES, "status", optional=True)
        card_id = self.card(card_ref)["id"]
        with self._change() as data:
            doc = self._get("cards", card_id)
            refuse_changed(doc, base, list(fields), fields, data.get("events"))
            changed = sorted(k for k, v in fields.items() if doc.get(k) != v)
            if not changed:
                raise Unchanged
            for key in changed:
                if fields[key] is None:
                    doc.pop(key, None)
                else:
                    doc[key] = fields[key]
            self._stamp(doc)
            self._log(data, "card.edit", doc, f"edited {doc['title']!r} ({', '.join(changed)})")
        return dict(doc)
