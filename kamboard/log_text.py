"""The activity log in the language shown. Pure, no I/O.

The store writes each entry's ``summary`` in English (the file stays language-neutral), in a few
fixed forms (``store_cards.py``, ``store_workshops.py``). :func:`shown` reads those forms back and
says them in the language in use; any other summary is shown as written.
"""

from __future__ import annotations

import re
from typing import Any

from .i18n import N_, _
from .model import LANE_TITLES, LANES

TITLE = r"(?P<title>'.*'|\".*\")"  # a title as repr() writes it
NAME = r"(?P<name>.+)"
LANE = r"(?P<lane>.+)"
FORMS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("card.add", re.compile(rf"added {TITLE} to {LANE}"), N_("added {title} to {lane}")),
    ("card.move", re.compile(rf"moved {TITLE} to {LANE}"), N_("moved {title} to {lane}")),
    ("card.move", re.compile(rf"moved {TITLE} within {LANE}"), N_("moved {title} within {lane}")),
    ("card.delete", re.compile(rf"deleted {TITLE}"), N_("deleted {title}")),
    ("card.add", re.compile(rf"restored {TITLE}"), N_("restored {title}")),
    ("card.vote", re.compile(rf"{NAME} voted for {TITLE}"), N_("{name} voted for {title}")),
    ("card.vote", re.compile(rf"{NAME} took back a vote on {TITLE}"), N_("{name} took back a vote on {title}")),
    (
        "workshop.capture",
        re.compile(rf"opened capture in {LANE} for participants"),
        N_("opened capture in {lane} for participants"),
    ),
    (
        "workshop.capture",
        re.compile(rf"closed capture in {LANE} for participants"),
        N_("closed capture in {lane} for participants"),
    ),
)


def lane_shown(english: str) -> str:
    """A lane's English title, as stored in a summary, in the language in use."""
    for lane in LANES:
        if LANE_TITLES.english(lane) == english:
            return LANE_TITLES[lane]
    return english


def shown(kind: str, summary: str, fields: str = "") -> str:
    """``summary`` (an entry of kind ``kind``) in the language in use; ``fields``: an edit's
    changed fields, already as people name them ('edited {title} ({fields})')."""
    if kind == "card.edit" and fields:
        found = re.fullmatch(rf"edited {TITLE} \(.*\)", summary)
        if found:
            return _("edited {title} ({fields})").format(title=found["title"], fields=fields)
    for form_kind, pattern, message in FORMS:
        if form_kind != kind:
            continue
        found = pattern.fullmatch(summary)
        if found:
            values: dict[str, Any] = found.groupdict()
            if "lane" in values:
                values["lane"] = lane_shown(values["lane"])
            return _(message).format(**values)
    return summary
