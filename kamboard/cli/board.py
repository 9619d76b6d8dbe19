"""`kamboard [FILE]` (open the TUI), `kamboard demo` and `kamboard check`."""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from ..i18n import N_, _
from .base import CliError, board_options, cli, echo, settings

NO_TUI = N_("The board TUI is not available in this version yet; use the `kamboard card ...` commands.")


def _tui_runner() -> Callable[..., int]:
    """``kamboard.tui.app.run``, imported only now (it pulls in textual)."""
    try:
        from ..tui import app
    except ImportError as exc:
        if getattr(exc, "name", "") and not str(exc.name).startswith("kamboard"):
            raise CliError(
                _("The TUI cannot start: {error}. Reinstall kamboard with its dependencies.").format(error=exc)
            ) from None
        raise CliError(_(NO_TUI)) from None
    run = getattr(app, "run", None)
    if not callable(run):
        raise CliError(_(NO_TUI))
    return run


def open_tui(path: str, account: str | None = None, *, ask: bool = True) -> None:
    """Open ``path`` in the TUI; ask before creating it when it does not exist."""
    from ..tui import startup

    # The collector waits from here to the app's first paint (which resumes it): the TUI's
    # imports, the parsed board and the new widgets hold no garbage yet, and its passes over
    # them slowed the start.
    startup.pause_collector()
    try:
        code = _open_tui(path, account, ask=ask)
    finally:
        startup.resume_collector()  # when the app ended before its first paint, or never started
    if code:  # the app crashed (Textual printed the traceback): say so to the shell too
        raise click.exceptions.Exit(code)


def _open_tui(path: str, account: str | None, *, ask: bool) -> int:
    run = _tui_runner()
    from ..store import BoardStore

    conf = settings()
    conf.given_user()  # --user / $KAMBOARD_USER checked before anything else happens
    if not os.path.exists(path):
        if not ask:
            raise CliError(_("{path} does not exist.").format(path=path))
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise CliError(
                _("Cannot create {path}: the folder {folder} does not exist.").format(path=path, folder=folder)
            )
        try:
            question = _("{path} does not exist. Create a new board there?").format(path=path)
            create = click.confirm(question, default=False, err=True)
        except click.Abort:
            echo("", err=True)  # end the prompt's line
            raise CliError(
                _(
                    "{path} does not exist and no answer was given; run `kamboard {path}` in a terminal "
                    "and answer y, or create it with `kamboard account add NAME -f {path}`."
                ).format(path=path)
            ) from None
        if not create:
            echo(_("{path} was not created.").format(path=path), err=True)
            raise click.exceptions.Exit(1)
    # the user is looked up at the first change (git config is a subprocess: not at start)
    # a file with records of the wrong shape opens read-only, its banner saying why (a big one
    # opened on an account: once the account's board is painted, the app reads the whole file)
    store = BoardStore(path, (conf.user or "").strip() or None, create=True, preview=bool(account))
    account_id = store.account(account)["id"] if account else None
    return run(store, account=account_id)


@cli.command("open", hidden=True, help=_("Open a board file in the TUI (asks before creating a missing file)."))
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--account", metavar="NAME", help=_("Open this account's board directly."))
@board_options
def open_command(file: str | None, account: str | None) -> None:
    conf = settings()
    if file is not None:
        conf.file = file
    open_tui(conf.path, account)


def demo_path() -> str:
    """Where `kamboard demo` writes when no FILE is given ($KAMBOARD_DATA_DIR overrides)."""
    folder = os.environ.get("KAMBOARD_DATA_DIR", "").strip()
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir("kamboard", appauthor=False)
    return os.path.join(folder, "demo.json")


def is_demo_board(path: str) -> bool:
    """True when ``path`` is a board that `kamboard demo` wrote (its meta says ``demo: true``)."""
    import orjson

    from ..storage import read_bytes

    try:
        data = orjson.loads(read_bytes(path))  # not open(): a FIFO would block
        return any(isinstance(d, dict) and d.get("demo") is True for d in data["meta"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


@cli.command(
    "demo",
    help=_(
        "Write a realistic demo board to FILE and open it.\n\n"
        "Without FILE (or -f) the demo lives in kamboard's data folder and is rebuilt each\n"
        "time. A FILE that is not a demo board is never replaced without --force (its last\n"
        "version then stays in .kamboard-backups beside it)."
    ),
)
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--no-open", is_flag=True, help=_("Only write the demo board; do not open the TUI."))
@click.option(
    "--accounts", type=click.IntRange(0, 100_000), default=3, show_default=True, help=_("Number of accounts.")
)
@click.option(
    "--cards",
    type=click.IntRange(0, 100_000),
    default=None,
    metavar="N",
    help=_("N generated cards per account (default: the hand-written demo cards)."),
)
@click.option("--force", is_flag=True, help=_("Replace FILE even if it is not a demo board."))
@board_options
def demo(file: str | None, no_open: bool, accounts: int, cards: int | None, force: bool) -> None:
    import time

    from ..demo import build_demo
    from ..errors import BoardError
    from ..store import BoardStore

    conf = settings()
    explicit = file or conf.file
    path = explicit or demo_path()
    if not explicit:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    elif os.path.exists(path) and not force and not is_demo_board(path):
        raise CliError(
            _("{path} exists and is not a demo board; not replaced. Give another FILE or add --force.").format(
                path=path
            )
        )
    try:
        store = BoardStore(path, conf.author, create=True)
        if store.damage:  # records of the wrong shape: as unreadable as broken JSON
            raise BoardError(store.damage)
    except BoardError:
        if os.path.isdir(path) or not os.path.exists(path):
            raise
        aside = f"{path}.replaced-{time.strftime('%Y%m%dT%H%M%S')}"
        os.replace(path, aside)  # unreadable: keep it beside, never lose it
        echo(_("{path} was not a readable board; moved it to {aside}.").format(path=path, aside=aside), err=True)
        store = BoardStore(path, conf.author, create=True)
    start = time.perf_counter()
    counts = build_demo(store, accounts=accounts, cards=cards)
    took = time.perf_counter() - start
    echo(
        _(
            "Demo board {path}: {accounts} accounts, {cards} cards, {workshops} workshops (built in {took:.2f} s)."
        ).format(
            path=path, accounts=counts["accounts"], cards=counts["cards"], workshops=counts["workshops"], took=took
        )
    )
    if not no_open:
        open_tui(path, ask=False)


@cli.command(
    "check",
    help=_(
        "Check a board file (structure, references, duplicate ids and keys) without changing it.\n\n"
        "Exit 0 when it is sound, 1 with one problem per line otherwise. With --repair, first\n"
        "recover every record a duplicate key hid (under the file lock, after a backup copy)."
    ),
)
@click.argument("file", required=False, metavar="[FILE]")
@click.option(
    "--repair",
    is_flag=True,
    help=_(
        "Give each record of a table that holds a key twice (after a merge) a key of its own; "
        "the damaged file is kept in .kamboard-backups."
    ),
)
@board_options
def check(file: str | None, repair: bool) -> None:
    from ..check import check_board, counts

    path = file or settings().path
    if not os.path.exists(path):
        raise CliError(_("{path} does not exist.").format(path=path))
    if repair:
        from ..repair import repair as repair_board

        for line in repair_board(path, lock_timeout=10.0):  # a BoardError is a one-line exit 2
            echo(line)
    problems = check_board(path)
    if problems:
        for problem in problems:
            echo(f"{path}: {problem}")
        echo(_("{count} problem(s) found in {path}.").format(count=len(problems), path=path), err=True)
        raise click.exceptions.Exit(1)
    n_accounts, n_cards = counts(path)
    echo(_("ok: {accounts} accounts, {cards} cards in {path}").format(accounts=n_accounts, cards=n_cards, path=path))
