"""Gaps on a board: unanswered challenges, sales pitches, incomplete support actions. Pure, no I/O.

A support action "answers" a challenge or topic when the two cards are linked (in either
direction: links are kept on the support action, but a link set from the other side counts).
Closed support actions (done, dropped) are not checked; a dropped one answers nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .model import is_open_action

Doc = dict[str, Any]

KINDS = ("unanswered", "pitch", "no_benefit", "no_owner", "no_due")
MESSAGES = {
    "unanswered": "no support action answers it",
    "pitch": "no customer need behind it: a sales pitch?",
    "no_benefit": "no customer benefit stated",
    "no_owner": "no owner",
    "no_due": "no due date",
}
HEADINGS = {
    "unanswered": "Challenges no support action answers",
    "pitch": "Support actions that answer no customer topic or challenge",
    "no_benefit": "Support actions without a customer benefit",
    "no_owner": "Support actions without an owner",
    "no_due": "Support actions without a due date",
}


@dataclass(frozen=True)
class Gap:
    kind: str
    card_id: str
    lane: str
    title: str
    message: str

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
            Gap(kind, str(card["id"]), str(card.get("lane", "")), str(card.get("title", "")), MESSAGES[kind])
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
        if not str(card.get("owner", "")).strip():
            add("no_owner", card)
        if not str(card.get("due", "")).strip():
            add("no_due", card)
    return [gap for kind in KINDS for gap in found[kind]]


def mutual_benefit_count(cards: list[Doc]) -> tuple[int, int]:
    """(support actions with both benefits filled in, all support actions not dropped)."""
    support = [c for c in cards if c.get("lane") == "support" and c.get("status", "") != "dropped"]
    both = [c for c in support if str(c.get("customer_benefit", "")).strip() and str(c.get("our_benefit", "")).strip()]
    return len(both), len(support)
