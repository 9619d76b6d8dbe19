"""kamboard's command line (click). Commands that do not open the TUI never import textual.

The group and shared helpers live in :mod:`kamboard.cli.base`; each command module
registers its commands on ``cli`` when imported below.
"""

from __future__ import annotations

from typing import Any

from .base import cli

# isort: off
# Command modules, imported to register their commands: add yours here (one import per line).
from . import board  # noqa: F401  (open, demo, check)
from . import accounts  # noqa: F401
from . import cards  # noqa: F401
from . import workshop  # noqa: F401  (workshop ..., gaps)
from . import export  # noqa: F401  (export, import, due)
from . import merge  # noqa: F401  (merge, git-setup, merge-driver, conflicts)

# isort: on


def main(args: list[str] | None = None, *, standalone_mode: bool = True) -> Any:
    """Entry point of the ``kamboard`` console script and ``python -m kamboard``."""
    return cli.main(args, prog_name="kamboard", standalone_mode=standalone_mode)


__all__ = ["cli", "main"]
