"""Reading exported Markdown back as a reader sees it: markdown-it-py's CommonMark with GFM tables."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token


def inline_text(token: Token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif (child.type == "html_inline" and child.content == "<br>") or child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def parse(markdown: str) -> list[Token]:
    """CommonMark with GFM's tables and strikethrough, as GitHub and most viewers read it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [(tok.tag, inline_text(tokens[i + 1])) for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def table_after(tokens: list[Token], heading: str) -> list[list[str]]:
    """Rows (header first) of the first table after the heading with that text."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and tokens[i - 1].type == "heading_open" and inline_text(t) == heading
    )
    rows: list[list[str]] = []
    for i in range(start + 1, len(tokens)):
        tok = tokens[i]
        if tok.type == "heading_open":
            break  # the next heading came before any table
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and tokens[i - 1].type in ("td_open", "th_open"):
            rows[-1].append(inline_text(tok))
        elif tok.type == "table_close":
            return rows
    raise AssertionError(f"no table after {heading!r}")


def list_after(tokens: list[Token], heading: str) -> list[str]:
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and tokens[i - 1].type == "heading_open" and inline_text(t) == heading
    )
    items = []
    for i in range(start + 2, len(tokens)):
        if tokens[i].type == "heading_open":
            break
        if tokens[i].type == "inline" and tokens[i - 2].type == "list_item_open":
            items.append(inline_text(tokens[i]))
    return items
