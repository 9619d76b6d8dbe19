"""What a merge did, for people: records added, changed and removed per side, new conflicts
to review, and what to look at. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .i18n import _, ngettext
from .merge_edit import FieldConflict, review

Doc = dict[str, Any]
Records = dict[str, tuple[str, str, Doc]]  # id -> (table, key, record)
NOUNS = {"accounts": "account", "cards": "card", "workshops": "workshop"}


@dataclass
class Changes:
    """Records the merge added to, changed in and removed from one side, per table."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def per_table(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for counts in (self.added, self.changed, self.removed):
            for table, n in counts.items():
                out[table] = out.get(table, 0) + n
        return out

    def total(self) -> int:
        return sum(self.per_table().values())


@dataclass
class MergeReport:
    """What a merge did: ``ours``/``theirs`` count what changed for each side; ``conflicts`` are
    the new conflicts to review; ``problems`` what a person should look at (same account name twice)."""

    ours: Changes = field(default_factory=Changes)
    theirs: Changes = field(default_factory=Changes)
    conflicts: list[FieldConflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """E.g. 'merged 3 cards, 1 workshop; 1 conflict to review' (what came into ours), in the
        language of the moment (the activity log keeps :meth:`log_summary`)."""
        parts = []
        for table, n in sorted(self.ours.per_table().items()):
            parts.append(counted(table, n))
        text = _("merged {records}").format(records=", ".join(parts)) if parts else _("nothing new to merge")
        n = len(self.conflicts)
        if n:
            text += ngettext("; {n} conflict to review", "; {n} conflicts to review", n).format(n=n)
        return text

    def log_summary(self) -> str:
        """:meth:`summary` in English, as the activity log stores it."""
        parts = []
        for table, n in sorted(self.ours.per_table().items()):
            noun = NOUNS.get(table, table.rstrip("s"))
            parts.append(f"{n} {noun}{'' if n == 1 else 's'}")
        text = f"merged {', '.join(parts)}" if parts else "nothing new to merge"
        n = len(self.conflicts)
        if n:
            text += f"; {n} conflict{'' if n == 1 else 's'} to review"
        return text


def counted(table: str, n: int) -> str:
    """'3 cards', as people read it."""
    if table == "accounts":
        return ngettext("{n} account", "{n} accounts", n).format(n=n)
    if table == "cards":
        return ngettext("{n} card", "{n} cards", n).format(n=n)
    if table == "workshops":
        return ngettext("{n} workshop", "{n} workshops", n).format(n=n)
    return f"{n} {table.rstrip('s')}{'' if n == 1 else 's'}"


def count_changes(changes: Changes, side: Records, out: dict[str, tuple[str, Doc]], merged: Iterable[str]) -> None:
    """Count in ``changes`` what ``out`` (id -> (table, record)) adds to, changes in and removes
    from ``side``; ``merged``: the ids merged field by field (the others are passed through)."""
    merged = set(merged)
    for rid, (table, doc) in out.items():
        mine = side.get(rid)
        if mine is None:
            changes.added[table] = changes.added.get(table, 0) + 1
        elif rid in merged and mine[2] is not doc and mine[2] != doc:
            changes.changed[table] = changes.changed.get(table, 0) + 1
    for rid, (table, _key, _doc) in side.items():
        if rid not in out:
            changes.removed[table] = changes.removed.get(table, 0) + 1


def new_conflicts(
    merged: Iterable[str], out: dict[str, tuple[str, Doc]], ours: Records, theirs: Records
) -> list[FieldConflict]:
    """The conflicts to review in the merged records that neither side had."""
    found: list[FieldConflict] = []
    for rid in merged:
        table, doc = out[rid]
        known = {c.key() for side in (ours, theirs) if (r := side.get(rid)) for c in review(table, r[2])}
        found.extend(c for c in review(table, doc) if c.key() not in known)
    return found


def problems(board: dict[str, Any]) -> list[str]:
    """What a person should look at in a merged board: two accounts of one name."""
    found = []
    names: dict[str, str] = {}
    for doc in (board.get("accounts") or {}).values():
        name = str(doc.get("name", ""))
        if name.casefold() in names:
            found.append(_("Two accounts are named {name!r}: rename one.").format(name=name))
        names[name.casefold()] = name
    return found
