"""QR codes drawn in the terminal with half blocks, so a phone in the room can scan a link.

Each text row holds two rows of modules: ``█`` both light, ``▀`` top light, ``▄`` bottom light,
a space both dark. Light modules (and the quiet zone) are drawn in the terminal's foreground
colour: the right way round on a dark terminal, inverted on a light one (phone scanners read
both). Plain characters only, no colour escapes.
"""

from __future__ import annotations

import segno

BORDER = 2  # quiet zone in modules (drawn light around the code)
CHARS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_matrix(url: str, border: int = BORDER) -> list[list[bool]]:
    """The code's modules, True = dark, with ``border`` light modules around it."""
    code = segno.make(url, error="l", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix_iter(scale=1, border=border)]


def qr_text(url: str) -> str:
    """``url`` as a QR code in lines of half-block characters (no trailing newline)."""
    rows = qr_matrix(url)
    width = len(rows[0])
    if len(rows) % 2:
        rows.append([False] * width)  # one more light row: the quiet zone grows by one
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append("".join(CHARS[(not t, not b)] for t, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)


GAP = 2  # columns between codes side by side


def qr_grid(items: list[tuple[str, str]], width: int) -> str:
    """``(label, url)`` pairs as QR codes side by side, as many per row as fit in ``width``
    columns (at least one), each under its label (cut to the code's width)."""
    blocks = [(label, qr_text(link).split("\n")) for label, link in items]
    out: list[str] = []
    index = 0
    while index < len(blocks):
        row: list[tuple[str, list[str]]] = []
        used = 0
        while index < len(blocks):
            size = len(blocks[index][1][0])
            if row and used + GAP + size > width:
                break
            row.append(blocks[index])
            used += size + (GAP if row[:-1] else 0)
            index += 1
        if out:
            out.append("")
        height = max(len(lines) for _, lines in row)
        cells = [
            [_cut(label, len(lines[0])), *lines, *[" " * len(lines[0])] * (height - len(lines))] for label, lines in row
        ]
        for line in zip(*cells, strict=True):
            out.append((" " * GAP).join(line).rstrip())
    return "\n".join(out)


def _cut(label: str, size: int) -> str:
    return label.ljust(size) if len(label) <= size else label[: size - 1] + "…"
