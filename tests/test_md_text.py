"""User text in Markdown renders literally, with no more escapes than needed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_helpers import inline_text, parse, table_after
from markdown_it.token import Token

from kamboard import md_text


@pytest.mark.parametrize(
    "raw",
    [
        "# x",
        "- x",
        "+ x",
        "1. x",
        "2) x",
        "> x",
        "=== ",
        "--- ",
        "***",
        "a|b",
        "`a`",
        "<div>",
        "&copy;",
        "[a](b)",
        "![i](x)",
        "~~s~~",
        "__u__",
        "a #",
        "\\",
    ],
)
def test_md_escape_renders_literally(raw: str) -> None:
    tokens = parse(f"Before\n\n{md_text.md_escape(raw)}\n")
    paragraphs = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert paragraphs == ["Before", raw.strip()]
    assert [t.type for t in tokens].count("paragraph_open") == 2


# text made mostly of what Markdown reads as structure, with some letters, digits and spaces
MARKDOWN_CHARS = "#*_-+=>:|`[]()!<>&;/\\~.)\"' 1aZü\t"
line_text = st.text(alphabet=MARKDOWN_CHARS, max_size=24)
block_text = st.text(alphabet=MARKDOWN_CHARS + "\n\n", max_size=48)
INERT = {"paragraph_open", "paragraph_close", "inline", "heading_open", "heading_close"}


def plain(text: str) -> str:
    """What a reader should see of one line: tabs as spaces, runs of spaces as one, trimmed."""
    return re.sub(r" {2,}", " ", text.replace("\t", " ")).strip()


def paragraphs(tokens: list[Token]) -> list[str]:
    return [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]


def no_markup(tokens: list[Token]) -> bool:
    inline = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    return inline <= {"text", "text_special", "softbreak", "hardbreak", "html_inline"} and not [
        c
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "html_inline" and c.content != "<br>"
    ]


@settings(max_examples=400, deadline=None)
@given(line_text)
def test_a_line_renders_literally_wherever_it_stands(raw: str) -> None:
    expected = plain(raw)
    tokens = parse(f"Before\n\n{md_text.md_escape(raw)}\n")
    assert paragraphs(tokens) == ["Before", expected] if expected else ["Before"]
    assert {t.type for t in tokens} <= INERT and no_markup(tokens)
    heading = parse(f"# Minutes: {md_text.md_escape(raw, line_start=False)}\n")
    assert [t.type for t in heading] == ["heading_open", "inline", "heading_close"]
    assert inline_text(heading[1]) == f"Minutes: {expected}".strip() and no_markup(heading)
    if expected:
        item = parse(f"- {md_text.md_escape(raw)}\n- next\n")
        assert [inline_text(t) for t in item if t.type == "inline"] == [expected, "next"]
        assert {t.type for t in item} <= INERT | {
            "bullet_list_open",
            "bullet_list_close",
            "list_item_open",
            "list_item_close",
        }


@settings(max_examples=400, deadline=None)
@given(block_text, line_text)
def test_a_table_cell_keeps_its_text_and_the_table_its_shape(raw: str, other: str) -> None:
    table = md_text.md_table(["A", "B"], [[md_text.md_cell(raw), md_text.md_cell(other)], ["x", "y"]])
    tokens = parse(f"## T\n\n{table}\n")
    lines = [plain(line) for line in raw.split("\n") if plain(line)]
    assert table_after(tokens, "T") == [["A", "B"], ["\n".join(lines), plain(other)], ["x", "y"]]
    assert no_markup(tokens)


@settings(max_examples=400, deadline=None)
@given(block_text)
def test_a_block_of_lines_stays_paragraphs_of_those_lines(raw: str) -> None:
    chunks = re.split(r"\n\s*\n", raw.replace("\t", " ").strip())
    expected = ["\n".join(plain(x) for x in chunk.split("\n") if plain(x)) for chunk in chunks]
    tokens = parse(f"Before\n\n{md_text.md_block(raw)}\n\nAfter\n")
    assert paragraphs(tokens) == ["Before", *[e for e in expected if e], "After"]
    assert {t.type for t in tokens} <= INERT and no_markup(tokens)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Schreiner & Partner", "Schreiner & Partner"),
        ("snake_case and 2 * 3 < 4", "snake_case and 2 * 3 < 4"),
        ("Q3: -5 % cost, +49 30 1234, #1 priority", "Q3: -5 % cost, +49 30 1234, #1 priority"),
        ("C:\\Users\\ann", "C:\\Users\\ann"),
        ("a | b", "a | b"),
        ("# Heading", "\\# Heading"),
        ("&amp; &#35;", "\\&amp; \\&#35;"),
        ("[red]x[/]", "\\[red]x\\[/]"),
        ("1. first", "1\\. first"),
        ("<b>bold</b>", "\\<b>bold\\</b>"),
    ],
)
def test_only_what_could_be_markup_is_escaped(raw: str, escaped: str) -> None:
    assert md_text.md_escape(raw) == escaped


def test_a_cell_escapes_pipes_a_line_does_not_need_to() -> None:
    assert md_text.md_cell("a | b\n# c") == "a \\| b<br># c"
    assert md_text.md_escape("Müller | GmbH #", line_start=False) == "Müller | GmbH \\#"
