"""`kamboard [FILE]` (open the TUI), `kamboard demo` and `kamboard check`."""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from .base import CliError, board_options, cli, settings


def _tui_runner() -> Callable[..., None]:
    """``kamboard.tui.app.run``, imported only now (it pulls in textual)."""
    try:
        from ..tui import app
    except ImportError as exc:
        if getattr(exc, "name", "") and not str(exc.name).startswith("kamboard"):
            raise CliError(f"The TUI cannot start: {exc}. Reinstall kamboard with its dependencies.") from None
        raise CliError(
            "The board TUI is not available in this version yet; use the `kamboard card ...` commands."
        ) from None
    run = getattr(app, "run", None)
    if not callable(run):
        raise CliError("The board TUI is not available in this version yet; use the `kamboard card ...` commands.")
    return run


def open_tui(path: str, account: str | None = None, *, ask: bool = True) -> None:
    """Open ``path`` in the TUI; ask before creating it when it does not exist."""
    run = _tui_runner()
    from ..store import BoardStore

    conf = settings()
    if not os.path.exists(path):
        if not ask:
            raise CliError(f"{path} does not exist.")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise CliError(f"Cannot create {path}: the folder {folder} does not exist.")
        try:
            create = click.confirm(f"{path} does not exist. Create a new board there?", default=False, err=True)
        except click.Abort:
            raise CliError(
                f"{path} does not exist and no answer was given; run `kamboard {path}` in a terminal "
                f"and answer y, or create it with `kamboard account add NAME -f {path}`."
            ) from None
        if not create:
            click.echo(f"{path} was not created.", err=True)
            raise click.exceptions.Exit(1)
    store = BoardStore(path, conf.author, create=True)
    account_id = store.account(account)["id"] if account else None
    run(store, account=account_id)


@cli.command("open", hidden=True)
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--account", metavar="NAME", help="Open this account's board directly.")
@board_options
def open_command(file: str | None, account: str | None) -> None:
    """Open a board file in the TUI (asks before creating a missing file)."""
    conf = settings()
    if file is not None:
        conf.file = file
    open_tui(conf.path, account)
