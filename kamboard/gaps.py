"""Gaps on a board: unanswered challenges, sales pitches, incomplete support actions. Pure, no I/O.

A support action "answers" a challenge or topic when the two cards are linked (in either
direction: links are kept on the support action, but a link set from the other side counts).
Closed support actions (done, dropped) are not checked; a dropped one answers nothing.
The mutual-benefit pair is checked half by half: value for the customer, value for us.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .i18n import N_, Labels, _
from .model import field_label, is_open_action

Doc = dict[str, Any]

KINDS = ("unanswered", "pitch", "no_benefit", "no_our_benefit", "no_owner", "no_due")
# the fields as model.FIELD_LABELS names them (tests/test_gaps.py checks they agree)
_MESSAGES = {
    "unanswered": N_("no support action answers it"),
    "pitch": N_("no customer need behind it: a sales pitch?"),
    "no_benefit": N_("no value for the customer stated"),
    "no_our_benefit": N_("no value for us stated"),
    "no_owner": N_("no owner"),
    "no_due": N_("no due date"),
}
MESSAGES = Labels(_MESSAGES)  # translated when read; a Gap keeps the English (``Gap.text`` translates)
HEADINGS = Labels(
    {
        "unanswered": N_("Challenges no support action answers"),
        "pitch": N_("Support actions that answer no customer topic or challenge"),
        "no_benefit": N_("Support actions without value for the customer"),
        "no_our_benefit": N_("Support actions without value for us"),
        "no_owner": N_("Support actions without an owner"),
        "no_due": N_("Support actions without a due date"),
    }
)
BENEFITS = ("customer_benefit", "our_benefit")  # the mutual-benefit pair


@dataclass(frozen=True)
class Gap:
    kind: str
    card_id: str
    lane: str
    title: str
    message: str  # English, as ``--json`` gives it

    @property
    def text(self) -> str:
        """The message in the language in use, for people."""
        return _(self.message)

    def as_dict(self) -> Doc:
        return asdict(self)


def _linked(cards: list[Doc]) -> dict[str, set[str]]:
    """Card id -> ids of the cards linked with it, in either direction."""
    ids = {c.get("id") for c in cards}
    pairs: dict[str, set[str]] = {str(c.get("id")): set() for c in cards}
    for card in cards:
        for other in card.get("links") or []:
            if other in ids and other != card.get("id"):
                pairs[str(card["id"])].add(other)
                pairs[other].add(str(card["id"]))
    return pairs


def find_gaps(cards: list[Doc]) -> list[Gap]:
    """All gaps among one account's ``cards``, grouped by kind (in KINDS order), then board order."""
    by_id = {str(c.get("id")): c for c in cards}
    links = _linked(cards)
    support = [c for c in cards if c.get("lane") == "support"]
    answering = [c for c in support if c.get("status", "") != "dropped"]
    answered = {other for c in answering for other in links[str(c["id"])]}
    found: dict[str, list[Gap]] = {kind: [] for kind in KINDS}

    def add(kind: str, card: Doc) -> None:
        found[kind].append(
            Gap(kind, str(card["id"]), str(card.get("lane", "")), str(card.get("title", "")), _MESSAGES[kind])
        )

    for card in cards:
        if card.get("lane") == "challenge" and card["id"] not in answered:
            add("unanswered", card)
    for card in filter(is_open_action, support):
        needs = [by_id[i] for i in links[str(card["id"])] if by_id[i].get("lane") in ("topic", "challenge")]
        if not needs:
            add("pitch", card)
        if not str(card.get("customer_benefit", "")).strip():
            add("no_benefit", card)
        if not str(card.get("our_benefit", "")).strip():
            add("no_our_benefit", card)
        if not str(card.get("owner", "")).strip():
            add("no_owner", card)
        if not str(card.get("due", "")).strip():
            add("no_due", card)
    return [gap for kind in KINDS for gap in found[kind]]


def _counted(cards: list[Doc]) -> list[Doc]:
    return [c for c in cards if c.get("lane") == "support" and c.get("status", "") != "dropped"]


def missing_benefits(card: Doc) -> list[str]:
    """The halves of the mutual-benefit pair ``card`` lacks, as people name them."""
    return [field_label(name) for name in BENEFITS if not str(card.get(name, "") or "").strip()]


def mutual_benefit_count(cards: list[Doc]) -> tuple[int, int]:
    """(support actions with both benefits filled in, all support actions not dropped)."""
    support = _counted(cards)
    return len([c for c in support if not missing_benefits(c)]), len(support)


def lacking_benefit(cards: list[Doc]) -> list[tuple[Doc, list[str]]]:
    """The support actions (not dropped) that lack a benefit, in board order, each with what it lacks:
    the ones :func:`mutual_benefit_count` does not count as naming value for both sides."""
    return [(c, missing) for c in _counted(cards) if (missing := missing_benefits(c))]
