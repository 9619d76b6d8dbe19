"""Showing user text literally: never as markup, never as terminal control."""

from __future__ import annotations

import re

from rich.text import Text

from kamboard.i18n import ngettext

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x7F:
        return "␡"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    return f"\\x{code:02x}"


def literal(value: object) -> str:
    """``value`` as one safe line: control characters (escape sequences, newlines) made visible."""
    return _CONTROL.sub(_picture, str(value))


_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def multiline(value: object) -> str:
    """``value`` with newlines and tabs kept and every other control character made visible:
    for notes in a TextArea and for toasts, which the terminal would otherwise obey."""
    return _CONTROL_BUT_LINES.sub(_picture, str(value))


def text(value: object, style: str = "") -> Text:
    """A rich Text holding ``value`` literally (brackets stay brackets)."""
    return Text(literal(value), style=style, no_wrap=True, end="")


def conflicts_to_review(n: int) -> str:
    """'1 conflict to review', '3 conflicts to review' (the review screen, the palette, the board)."""
    return ngettext("{n} conflict to review", "{n} conflicts to review", n).format(n=n)
