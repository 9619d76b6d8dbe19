"""User text as CommonMark (with GFM tables) that renders literally: no markup, HTML or tables of its own."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .reports import clean

_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&#])")
_MD_LEADING = re.compile(r"^([-+=>:])|^(\d+)([.)])")


def md_escape(value: object) -> str:
    """One line of user text as inline CommonMark that renders literally (no markup, HTML, tables)."""
    text = " ".join(clean(value).split("\n")).strip()
    text = re.sub(r" {2,}", " ", text)
    text = _MD_ALWAYS.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def md_cell(value: object) -> str:
    """User text for a table cell: escaped, lines joined with <br>."""
    lines = [md_escape(line) for line in clean(value).split("\n")]
    return "<br>".join(line for line in lines if line)


def md_block(value: object) -> str:
    """Multi-line user text as paragraphs: each line escaped, hard line breaks kept."""
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", clean(value).strip()):
        lines = [md_escape(line) for line in chunk.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)
