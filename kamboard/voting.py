"""Dot voting: vote budgets, the per-card limit, hidden counts and sorting. Pure, no I/O.

A card keeps ``votes`` (the total, an int the board shows) and ``voters`` ({participant: n})
in sync, plus ``voted_in`` (the workshop whose voting the counts belong to): votes from an
earlier workshop neither count against this one's budgets nor show as this one's votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import _
from .model import ValidationError
from .workshop import DEFAULT_BUDGET, DEFAULT_PER_CARD

Doc = dict[str, Any]


@dataclass(frozen=True)
class VoteRules:
    budget: int = DEFAULT_BUDGET
    per_card: int = DEFAULT_PER_CARD


class VoteRefused(ValidationError):
    """A vote the rules refuse; ``reason``: ``"none"`` (no vote to take back), ``"per_card"`` or ``"budget"``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__("votes", message)
        self.reason = reason


def rules_of(workshop: Doc) -> VoteRules:
    return VoteRules(
        budget=int(workshop.get("vote_budget", DEFAULT_BUDGET)),
        per_card=int(workshop.get("vote_per_card", DEFAULT_PER_CARD)),
    )


def participant_name(workshop: Doc, name: str) -> str:
    """The participant's name as listed in the workshop (matched case-insensitively)."""
    wanted = str(name).strip().casefold()
    for person in workshop.get("participants", []):
        if str(person.get("name", "")).casefold() == wanted:
            return str(person["name"])
    message = _("{name!r} is not a participant of workshop {workshop!r}: add them first.")
    raise ValidationError("participant", message.format(name=name, workshop=workshop.get("title", "")))


def voters_in(card: Doc, workshop_id: str) -> dict[str, int]:
    """Per-participant votes on ``card`` cast in workshop ``workshop_id``."""
    if card.get("voted_in") != workshop_id:
        return {}
    return {str(k): int(v) for k, v in (card.get("voters") or {}).items() if int(v) > 0}


def votes_in(card: Doc, workshop_id: str) -> int:
    return sum(voters_in(card, workshop_id).values())


def who_voted(cards: list[Doc], workshop_id: str) -> list[str]:
    """The names with at least one vote in workshop ``workshop_id``, sorted case-insensitively."""
    names = {name for card in cards for name in voters_in(card, workshop_id)}
    return sorted(names, key=lambda name: (name.casefold(), name))


def total_votes(cards: list[Doc], workshop_id: str) -> int:
    """Every vote cast in workshop ``workshop_id`` over ``cards``."""
    return sum(votes_in(card, workshop_id) for card in cards)


def spent(cards: list[Doc], participant: str, workshop_id: str) -> int:
    """Votes ``participant`` has placed in workshop ``workshop_id``."""
    return sum(voters_in(card, workshop_id).get(participant, 0) for card in cards)


def remaining(cards: list[Doc], participant: str, workshop: Doc) -> int:
    return rules_of(workshop).budget - spent(cards, participant, workshop["id"])


def cast(cards: list[Doc], card: Doc, participant: str, workshop: Doc, delta: int) -> Doc:
    """The vote fields (``votes``, ``voters``, ``voted_in``) of ``card`` after ``participant`` adds ``delta``.

    ``cards`` are the account's cards (for the budget); raises ValidationError when the budget or the
    per-card limit would be exceeded, or when there is no vote to take back.
    """
    if delta == 0:
        raise ValidationError("votes", _("A vote change must be +1 or more, or -1 or less."))
    rules = rules_of(workshop)
    workshop_id = workshop["id"]
    voters = voters_in(card, workshop_id)
    mine = voters.get(participant, 0)
    title = card.get("title", "")
    if mine + delta < 0:
        message = _("{participant} has no vote on {title!r} to take back.")
        raise VoteRefused("none", message.format(participant=participant, title=title))
    if mine + delta > rules.per_card:
        message = _("{participant} already has {mine} vote(s) on {title!r}; at most {most} per card.")
        raise VoteRefused(
            "per_card", message.format(participant=participant, mine=mine, title=title, most=rules.per_card)
        )
    others = spent([c for c in cards if c.get("id") != card.get("id")], participant, workshop_id)
    if delta > 0 and others + mine + delta > rules.budget:
        left = rules.budget - others - mine
        message = _("{participant} has {left} vote(s) left of {budget}; cannot add {delta} on {title!r}.")
        raise VoteRefused(
            "budget", message.format(participant=participant, left=left, budget=rules.budget, delta=delta, title=title)
        )
    voters[participant] = mine + delta
    voters = {k: v for k, v in voters.items() if v > 0}
    return {"votes": sum(voters.values()), "voters": voters, "voted_in": workshop_id}


def display_votes(card: Doc, workshop: Doc | None) -> str:
    """What the board shows for a card's votes: '?' while hidden, '' when none."""
    if workshop is None:
        count = int(card.get("votes", 0) or 0)
    else:
        count = votes_in(card, workshop.get("id", ""))
        if workshop.get("votes_hidden") and count:
            return "?"
    return str(count) if count else ""


def sort_by_votes(cards: list[Doc], workshop_id: str | None = None) -> list[Doc]:
    """Cards by votes, most first; ties keep their board order (stable)."""

    def count(card: Doc) -> int:
        return votes_in(card, workshop_id) if workshop_id else int(card.get("votes", 0) or 0)

    return sorted(cards, key=lambda c: -count(c))
