"""Where the stylesheets live, and which ones a screen brings along.

The app loads only what every screen and the board need (``app.tcss``, ``board.tcss``);
every other screen names its own files in ``CSS_PATH``, which Textual reads when that screen
is first shown. Parsing and matching every dialog's rules at the start cost ~10 ms of the
first paint.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePath

APP_STYLES = ("app.tcss", "board.tcss")


@cache
def styles_dir() -> Path:
    """``kamboard/styles`` in an installed wheel, else the checkout's top-level ``styles``."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "styles", here.parent / "styles"):
        if (folder / "app.tcss").is_file():
            return folder
    return here.parent / "styles"


def stylesheets(*names: str) -> list[str | PurePath]:
    """Absolute paths of the named files in the styles folder, for a ``CSS_PATH``."""
    return [styles_dir() / name for name in names]


DIALOG_STYLES = stylesheets("dialogs.tcss")
WORKSHOP_STYLES = stylesheets("dialogs.tcss", "workshop.tcss")  # dialogs first: its rules come earlier
PLAN_STYLES = stylesheets("action_plan.tcss")
ACCOUNTS_STYLES = stylesheets("accounts.tcss")
CONFLICT_STYLES = stylesheets("conflicts.tcss")
