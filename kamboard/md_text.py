"""User text as CommonMark (with GFM tables) that renders literally: no markup, HTML or tables of its own.

Escapes are kept to what is needed, so the plain text reads cleanly: ``Schreiner & Partner``
stays as it is, ``&amp;`` becomes ``\\&amp;``; ``#`` only where it would make a heading,
``|`` only where a table could see it (cells and multi-line blocks), ``_`` only where it could
start or end emphasis (``snake_case`` stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .reports import clean

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;")
_TAG_START = re.compile(r"[A-Za-z/!?]")
_LIST_MARK = re.compile(r"(\d{1,9})([.)])(?= |$)")
_HEADING = re.compile(r"#{1,6}(?: |$)")
_DELIMITER_ROW = re.compile(r"[-:| ]*-[-:| ]*")
_UNDERLINE = re.compile(r"=+ *")


def _alnum(text: str, index: int) -> bool:
    """A letter or digit at ``index`` (never outside the text)."""
    return 0 <= index < len(text) and text[index].isalnum()


def _space_around(text: str, index: int) -> bool:
    """Spaces on both sides of ``index``: a delimiter there can neither open nor close emphasis."""
    return 0 < index < len(text) - 1 and text[index - 1] == " " and text[index + 1] == " "


def _needs_escape(text: str, i: int, pipes: bool, heading_end: bool) -> bool:
    """Whether the character at ``i`` of one line could start inline Markdown (or end a heading)."""
    ch = text[i]
    if ch == "\\":  # only an escape before punctuation, a hard break at the line's end
        return i == len(text) - 1 or text[i + 1] in _ASCII_PUNCTUATION
    if ch in "`[":  # code spans, links, images, references, footnotes
        return True
    if ch in "*~":  # emphasis, strikethrough: only a delimiter with a space on both sides is inert
        return not _space_around(text, i)
    if ch == "_":  # inside a word (snake_case) it neither opens nor closes emphasis
        start = end = i
        while start > 0 and text[start - 1] == "_":
            start -= 1
        while end < len(text) - 1 and text[end + 1] == "_":
            end += 1
        return not (_alnum(text, start - 1) and _alnum(text, end + 1))
    if ch == "<":  # raw HTML and autolinks start with a letter, '/', '!' or '?'
        return i + 1 < len(text) and bool(_TAG_START.match(text[i + 1]))
    if ch == "&":  # an entity or character reference
        return bool(_ENTITY.match(text, i + 1))
    if ch == "|":
        return pipes
    if ch == "#":  # a heading's closing sequence
        return heading_end and (i == 0 or text[i - 1] == " ") and text[i:].strip("#") == ""
    return False


def _block_start(text: str, out: str) -> str:
    """``out`` (``text`` escaped) with its first character escaped when the line would open a block:
    heading, list item, blockquote, thematic break, setext underline, table delimiter row."""
    if not text or out[0] == "\\":  # escaped already (or a backslash, which opens no block)
        return out
    first = text[0]
    if (
        first == ">"
        or (first in "-+" and (len(text) == 1 or text[1] == " "))
        or _HEADING.match(text)
        or _DELIMITER_ROW.fullmatch(text)
        or _UNDERLINE.fullmatch(text)
    ):
        return "\\" + out
    mark = _LIST_MARK.match(text)
    if mark:
        return f"{out[: mark.end(1)]}\\{out[mark.end(1) :]}"
    return out


def _escape(value: object, *, pipes: bool, blocks: bool, heading_end: bool = False) -> str:
    text = re.sub(r" {2,}", " ", " ".join(clean(value).split("\n")).strip())
    out = "".join("\\" + ch if _needs_escape(text, i, pipes, heading_end) else ch for i, ch in enumerate(text))
    return _block_start(text, out) if blocks else out


def md_escape(value: object, *, line_start: bool = True) -> str:
    """One line of user text as inline CommonMark that renders literally (no markup, HTML, headings).

    ``line_start``: the text may begin a line (a list item, a paragraph), so what would open a
    block there (``# ``, ``- ``, ``1. ``, ``>``) is escaped too. Not for table cells (``md_cell``)."""
    return _escape(value, pipes=False, blocks=line_start, heading_end=True)


def md_cell(value: object) -> str:
    """User text for a table cell: escaped (``|`` too, block syntax means nothing there), lines
    joined with <br>."""
    lines = [_escape(line, pipes=True, blocks=False) for line in clean(value).split("\n")]
    return "<br>".join(line for line in lines if line)


def md_block(value: object) -> str:
    """Multi-line user text as paragraphs: each line escaped (``|`` too: two lines could make a
    table), hard line breaks kept."""
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", clean(value).strip()):
        lines = [_escape(line, pipes=True, blocks=True) for line in chunk.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)
