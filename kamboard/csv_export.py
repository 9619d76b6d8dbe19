"""The support actions of an account as CSV for a spreadsheet: formulas neutralised, UTF-8 with a
BOM and CRLF line ends, comma-separated or, for spreadsheets set up for a decimal comma (German
Excel), semicolon-separated."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .i18n import N_, _
from .reports import CONTROL, Doc, answered_by, support_actions

CSV_HEADERS = (  # the header row in English; written in the language of the moment (``headers``)
    N_("ID"),
    N_("Account"),
    N_("Action"),
    N_("Owner"),
    N_("Side"),
    N_("Due"),
    N_("Status"),
    N_("Value for the customer"),
    N_("Value for us"),
    N_("Answers"),
    N_("Tags"),
    N_("Notes"),
)
DELIMITERS = {",": ",", ";": ";", "tab": "\t"}  # as written on the command line -> the character
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    """The header row in the current language (the cells below stay as stored: ids, ISO dates)."""
    return [_(header) for header in CSV_HEADERS]


def csv_cell(value: object) -> str:
    """A cell value a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text.replace("\r\n", "\n"))
    return "'" + text if text.startswith(_FORMULA_START) else text


def actions_csv(account: Doc, cards: Sequence[Doc], *, delimiter: str = ",") -> str:
    """Support actions as CSV text starting with a UTF-8 BOM, rows ending in CRLF, fields separated
    by ``delimiter`` (one character: ',', ';' or a tab); write it with encoding='utf-8', newline=''."""
    if len(delimiter) != 1 or delimiter in "\"\r\n'":
        raise ValueError(
            _("A CSV delimiter is one character such as ',' or ';', not {delimiter!r}.").format(delimiter=delimiter)
        )
    answers = answered_by(cards)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers())
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
