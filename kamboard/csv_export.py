"""The support actions of an account as CSV for a spreadsheet: formulas neutralised, UTF-8 with a
BOM and CRLF line ends, comma-separated or, for spreadsheets set up for a decimal comma (German
Excel), semicolon-separated."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .reports import CONTROL, Doc, answered_by, support_actions

CSV_HEADERS = (
    "ID",
    "Account",
    "Action",
    "Owner",
    "Side",
    "Due",
    "Status",
    "Value for the customer",
    "Value for us",
    "Answers",
    "Tags",
    "Notes",
)
DELIMITERS = {",": ",", ";": ";", "tab": "\t"}  # as written on the command line -> the character
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell value a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text.replace("\r\n", "\n"))
    return "'" + text if text.startswith(_FORMULA_START) else text


def actions_csv(account: Doc, cards: Sequence[Doc], *, delimiter: str = ",") -> str:
    """Support actions as CSV text starting with a UTF-8 BOM, rows ending in CRLF, fields separated
    by ``delimiter`` (one character: ',', ';' or a tab); write it with encoding='utf-8', newline=''."""
    if len(delimiter) != 1 or delimiter in "\"\r\n'":
        raise ValueError(f"A CSV delimiter is one character such as ',' or ';', not {delimiter!r}.")
    answers = answered_by(cards)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for c in support_actions(cards):
        row = [
            c.get("id", ""),
            account.get("name", ""),
            c.get("title", ""),
            c.get("owner", ""),
            c.get("side", ""),
            c.get("due", ""),
            c.get("status", ""),
            c.get("customer_benefit", ""),
            c.get("our_benefit", ""),
            "; ".join(str(n.get("title", "")) for n in answers.get(c["id"], [])),
            ", ".join(str(t) for t in c.get("tags", []) or []),
            c.get("notes", ""),
        ]
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()
