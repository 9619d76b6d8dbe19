"""kamboard's command line (click). Commands that do not open the TUI never import textual.

The group and shared helpers live in :mod:`kamboard.cli.base`. Each command module
registers its commands on ``cli`` when imported; ``base.COMMAND_MODULES`` names the module
of every command, and the group imports it only when that command runs (or help lists them).
"""

from __future__ import annotations

from typing import Any

from .base import cli


def main(args: list[str] | None = None, *, standalone_mode: bool = True) -> Any:
    """Entry point of the ``kamboard`` console script and ``python -m kamboard``."""
    return cli.main(args, prog_name="kamboard", standalone_mode=standalone_mode)


__all__ = ["cli", "main"]
