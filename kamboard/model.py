"""Domain types, enums and validation: pure, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .i18n import N_, Labels, _

SCHEMA_VERSION = 2  # 2: change stamps (_v, _conflicts), tombstones and a board id, for merges
LANES = ("topic", "challenge", "support")
# labels are translated when read (``Labels``); the ids stay as stored
LANE_TITLES = Labels({"topic": N_("Topics"), "challenge": N_("Challenges"), "support": N_("Support")})
LANE_QUESTIONS = Labels(
    {
        "topic": N_("What is on the customer's mind?"),
        "challenge": N_("What does their business face?"),
        "support": N_("How can we help, to mutual benefit?"),
    }
)
STATUSES = ("proposed", "agreed", "in_progress", "done", "dropped")
OPEN_STATUSES = ("proposed", "agreed", "in_progress")
SIDES = ("us", "customer")
TITLE_MAX = 200
TEXT_MAX = 10_000
# Card fields a user may set; the rest (id, account_id, lane, position, rev, ...) is managed.
CARD_FIELDS = (
    "title",
    "notes",
    "tags",
    "links",
    "owner",
    "side",
    "due",
    "status",
    "customer_benefit",
    "our_benefit",
)
# What people call a stored field, mid-sentence ("value for us", not ``our_benefit``): validation,
# conflict and undo notices name fields by these (``field_label``, ``field_labels``).
FIELD_LABELS = Labels(
    {
        "title": N_("title"),
        "notes": N_("notes"),
        "tags": N_("tags"),
        "links": N_("links"),
        "owner": N_("owner"),
        "side": N_("side"),
        "due": N_("due date"),
        "status": N_("status"),
        "customer_benefit": N_("value for the customer"),
        "our_benefit": N_("value for us"),
        "lane": N_("lane"),
        "position": N_("position"),
        "votes": N_("votes"),
        "voters": N_("votes"),
        "voted_in": N_("votes"),
        "workshop_id": N_("workshop"),
        "account_id": N_("account"),
        "carried_from": N_("carried over from"),
        "agenda_state": N_("agenda timer"),
        "vote_budget": N_("votes per person"),
        "vote_per_card": N_("votes per card"),
        "votes_hidden": N_("hidden votes"),
        "capture": N_("capture for participants"),
        "archived": N_("archived"),
    }
)
CARD_DEFAULTS: dict[str, Any] = {
    "notes": "",
    "tags": [],
    "links": [],
    "votes": 0,
    "owner": "",
    "side": "",
    "due": "",
    "status": "",
    "customer_benefit": "",
    "our_benefit": "",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidi overrides and isolates reorder how text shows (a title can look like another one).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# What human output shows escaped: C0 (but newline), DEL, C1, bidi overrides and isolates.
_UNSAFE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_UNSAFE_NL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ValidationError(ValueError):
    """A bad value, with the field it belongs to and a message fit for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def field_label(name: str) -> str:
    """How people name the stored field ``name`` mid-sentence ('value for us' for ``our_benefit``);
    a field without a label reads with spaces for underscores ('votes of Eva' stays as it is)."""
    return FIELD_LABELS.get(name) or name.replace("_", " ")


def field_labels(names: Iterable[str]) -> str:
    """The fields ``names`` as people name them, sorted, each once: 'notes, value for us'."""
    return ", ".join(sorted({field_label(name) for name in names}))


def capitalised(label: str) -> str:
    """A label at the start of a sentence: 'Value for us'."""
    return label[:1].upper() + label[1:]


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` safe for a terminal: control characters (C0, DEL, C1) and bidi overrides and
    isolates shown as Python-style escapes (ESC as ``\\x1b``, U+202E as ``\\u202e``), so text from
    a file cannot clear the screen, set the window title or reorder a line. ``newlines``: keep
    line breaks (multi-line output)."""
    pattern = _UNSAFE if newlines else _UNSAFE_NL
    return pattern.sub(_escaped, text) if pattern.search(text) else text


def validate_title(value: object, field: str = "title", what: str = N_("Title")) -> str:
    """A single line of text, not empty. ``what`` names the value in messages (an English
    message marked ``N_`` or already translated: it is translated here)."""
    what = _(what)
    if not isinstance(value, str):
        raise ValidationError(field, _("{what} must be text.").format(what=what))
    text = value.strip()
    if not text:
        raise ValidationError(field, _("{what} must not be empty.").format(what=what))
    if "\n" in text or "\r" in text:
        raise ValidationError(field, _("{what} must be a single line.").format(what=what))
    if _CONTROL_LINE.search(text):
        raise ValidationError(field, _("{what} must not contain control characters.").format(what=what))
    if _BIDI.search(text):
        raise ValidationError(field, _bidi_message(what))
    if len(text) > TITLE_MAX:
        message = _("{what} is {length} characters long; at most {most} are allowed.")
        raise ValidationError(field, message.format(what=what, length=len(text), most=TITLE_MAX))
    return text


def _bidi_message(what: str) -> str:
    message = _("{what} must not contain bidi override or isolate characters (U+202A-U+202E, U+2066-U+2069).")
    return message.format(what=what)


def validate_text(value: object, field: str, what: str, *, multiline: bool = True) -> str:
    """Free text: may be empty; multi-line where allowed; no control characters (``what``: as
    for :func:`validate_title`)."""
    if value is None:
        return ""
    what = _(what)
    if not isinstance(value, str):
        raise ValidationError(field, _("{what} must be text.").format(what=what))
    text = value.strip() if not multiline else value.rstrip()
    pattern = _CONTROL if multiline else _CONTROL_LINE
    if pattern.search(text.replace("\r\n", "\n")):
        raise ValidationError(field, _("{what} must not contain control characters.").format(what=what))
    if not multiline and _BIDI.search(text):
        raise ValidationError(field, _bidi_message(what))
    if len(text) > TEXT_MAX:
        message = _("{what} is too long ({length} characters; at most {most}).")
        raise ValidationError(field, message.format(what=what, length=len(text), most=TEXT_MAX))
    return text


def validate_choice(value: object, field: str, choices: Iterable[str], what: str, *, optional: bool = False) -> str:
    options = tuple(choices)
    if optional and value in (None, ""):
        return ""
    if value not in options:
        message = _("Unknown {what} {value!r}: use one of {choices}.")
        raise ValidationError(field, message.format(what=_(what), value=value, choices=", ".join(options)))
    return str(value)


def validate_lane(value: object) -> str:
    return validate_choice(value, "lane", LANES, N_("lane"))


def validate_date(value: object, field: str = "due") -> str:
    """'' or a real calendar date written YYYY-MM-DD."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        message = _("Date {value!r} is not in the form YYYY-MM-DD (e.g. 2026-03-31).")
        raise ValidationError(field, message.format(value=value))
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(field, _("Date {value!r} does not exist in the calendar.").format(value=value)) from None
    return value.strip()


def validate_tags(value: object) -> list[str]:
    if value in (None, ""):
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValidationError("tags", _("Tags must be a list of words."))
    tags: list[str] = []
    for item in items:
        tag = validate_title(item, "tags", N_("A tag")) if str(item).strip() else ""
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def validate_card_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the user-settable card fields present in ``fields``."""
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        message = _("Unknown card field(s): {fields}.")
        raise ValidationError(sorted(unknown)[0], message.format(fields=", ".join(sorted(unknown))))
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            out[key] = validate_title(value)
        elif key == "notes":
            out[key] = validate_text(value, "notes", N_("Notes"))
        elif key in ("owner", "customer_benefit", "our_benefit"):
            out[key] = validate_text(value, key, capitalised(field_label(key)), multiline=key != "owner")
            if key == "owner" and len(out[key]) > TITLE_MAX:
                raise ValidationError(key, _("Owner is longer than {most} characters.").format(most=TITLE_MAX))
        elif key == "tags":
            out[key] = validate_tags(value)
        elif key == "links":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValidationError("links", _("Links must be a list of card ids."))
            out[key] = list(dict.fromkeys(value))
        elif key == "side":
            out[key] = validate_choice(value, "side", SIDES, N_("side"), optional=True)
        elif key == "status":
            out[key] = validate_choice(value, "status", STATUSES, N_("status"), optional=True)
        elif key == "due":
            out[key] = validate_date(value)
    return out


def is_open_action(card: dict[str, Any]) -> bool:
    """A support action not yet done or dropped (no status counts as open)."""
    return card.get("lane") == "support" and card.get("status", "") in ("", *OPEN_STATUSES)


def is_overdue(card: dict[str, Any], today: dt.date) -> bool:
    """An open support action whose due date has passed."""
    due = card.get("due")
    return is_open_action(card) and bool(due) and str(due) < today.isoformat()


@dataclass(frozen=True)
class AccountSummary:
    """Key figures of an account, for the accounts screen and `account list`."""

    id: str
    name: str
    owner: str
    archived: bool
    counts: dict[str, int] = field(default_factory=dict)
    open_actions: int = 0
    overdue_actions: int = 0
    last_workshop: str = ""
