"""The board's filter: which cards a typed filter text keeps. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SEARCHED = ("title", "notes", "owner", "customer_benefit", "our_benefit", "status")


def filter_words(text: str) -> list[str]:
    """The words of a filter text, case-folded (an empty list keeps every card)."""
    return text.casefold().split()


def matches(card: Mapping[str, Any], words: Sequence[str]) -> bool:
    """Filter: every word must match; '#x' matches a tag, '@x' the owner, else any text of the card."""
    tags = [str(t).casefold() for t in card.get("tags") or ()]
    owner = str(card.get("owner") or "").casefold()
    haystack = " ".join(str(card.get(k) or "") for k in SEARCHED).casefold()
    haystack += " " + " ".join(tags)
    for word in words:
        if word.startswith("#") and len(word) > 1:
            if not any(tag.startswith(word[1:]) for tag in tags):
                return False
        elif word.startswith("@") and len(word) > 1:
            if word[1:] not in owner:
                return False
        elif word not in haystack:
            return False
    return True
