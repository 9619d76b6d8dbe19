"""Stale views: changes made from a base (what the caller saw decides what may be changed). Pure, no I/O.

A "base" is a record as the caller last read it. A change whose base is out of date is
merged field by field where that loses nothing, and refused with :class:`Conflict` where
it would overwrite something the caller never saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import log_text
from .errors import Conflict
from .i18n import _
from .merge_state import MERGE_FIELDS
from .model import field_labels
from .storage import event_order

Doc = dict[str, Any]
# set on every write; they say who changed a record last (and when each field: ``_v``, with the
# values kept to review, ``_conflicts``: see merge_state), not what it holds
STAMPS = frozenset({"created_at", "created_by", "updated_at", "updated_by", "rev", *MERGE_FIELDS})


def user_fields(doc: Doc) -> Doc:
    """``doc`` without its stamps."""
    return {k: v for k, v in doc.items() if k not in STAMPS}


def merge(current: Doc, base: Doc, changes: Doc, events: dict[str, Doc] | None = None) -> Doc:
    """The part of ``changes`` (made from ``base``) to apply to ``current``.

    Fields the caller left as in ``base`` are not theirs to write and are left out; fields
    only the other side changed stay theirs; a field both sides changed to different values
    raises :class:`Conflict` (naming who changed them, from ``events``, the activity log).
    A ``base`` without ``rev`` is always compared field by field.
    """
    mine = {k: v for k, v in changes.items() if v != base.get(k)}
    if base.get("rev") is None or base.get("rev") != current.get("rev"):
        clashes = {
            k: (v, current.get(k)) for k, v in mine.items() if current.get(k) != base.get(k) and current.get(k) != v
        }
        if clashes:
            raise conflict(current, clashes, events)
    return {k: v for k, v in mine.items() if current.get(k) != v}


def refuse_changed(
    current: Doc,
    base: Doc,
    fields: Iterable[str] | None = None,
    wanted: Doc | None = None,
    events: dict[str, Doc] | None = None,
) -> None:
    """Raise :class:`Conflict` when ``current`` differs from ``base`` in ``fields`` (None: every
    field but the stamps). The conflict's "mine" is the caller's ``wanted`` value, else the base's."""
    names = sorted((set(base) | set(current)) - STAMPS) if fields is None else list(fields)
    changed = [k for k in names if current.get(k) != base.get(k)]
    if changed:
        mine = base if wanted is None else wanted
        raise conflict(current, {k: (mine.get(k), current.get(k)) for k in changed}, events)


def conflict(current: Doc, fields: dict[str, tuple[Any, Any]], events: dict[str, Doc] | None = None) -> Conflict:
    """A :class:`Conflict` over ``fields`` of ``current``, naming who changed them."""
    record_id = str(current.get("id", ""))
    return Conflict(record_id, fields, dict(current), changed_by(events or {}, record_id, fields))


# the fields each kind of logged change sets (kinds not listed: any field)
_KIND_FIELDS = {
    "card.move": {"lane", "position"},
    "card.vote": {"votes", "voters", "voted_in"},
    "workshop.timer": {"agenda_state"},
    "workshop.capture": {"capture"},
}


def changed_by(events: dict[str, Doc], record_id: str, fields: Iterable[str]) -> str | None:
    """Who last changed one of ``fields`` of a record, by the activity log; None when not logged.

    The record's last writer may have changed another field since (e.g. my own move after
    someone else's edit): the log's summaries say which fields an edit set."""
    wanted = {"voters" if name.startswith("votes of ") else name for name in fields}
    keys = [k for _, k in sorted((event_order(k, e), k) for k, e in events.items() if e.get("record_id") == record_id)]
    for key in reversed(keys):
        event = events[key]
        kind, summary = str(event.get("kind", "")), str(event.get("summary", ""))
        touched = _KIND_FIELDS.get(kind)
        if touched is None and kind == "card.edit":
            touched = edited_fields(summary)
        if touched is None or touched & wanted:
            return str(event.get("by", "")) or None
    return None


def edited_fields(summary: str) -> set[str] | None:
    """The stored names of the fields an edit's log summary lists: "edited 'T' (notes, title)"
    gives {'notes', 'title'}; None when the summary lists none."""
    if not summary.endswith(")") or "(" not in summary:
        return None
    return set(summary.rsplit("(", 1)[1][:-1].split(", "))


def readable_summary(event: Doc) -> str:
    """An activity log entry's summary as people read it: an edit names its fields by their labels
    ("edited 'T' (value for us)"), the log itself keeps the stored names (``changed_by`` reads them)."""
    summary = str(event.get("summary", event.get("kind", _("changed the board"))))
    kind = str(event.get("kind", ""))
    names = edited_fields(summary) if kind == "card.edit" else None
    if names:
        shown = log_text.shown(kind, summary, field_labels(names))
        return shown if shown != summary else f"{summary.rsplit('(', 1)[0]}({field_labels(names)})"
    return log_text.shown(kind, summary)
