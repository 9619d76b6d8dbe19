"""The click group, common options and error handling shared by every command module.

Other modules add commands with ``from kamboard.cli.base import cli, pass_store`` and
``@cli.command()`` (or a sub-group), and name them in :data:`COMMAND_MODULES`: a command's
module is imported only when that command runs (or help lists every command), so
``kamboard FILE`` loads the TUI's opening command alone (click's lazy group pattern). A sub-group
may load its sub-commands the same way: ``cls=LazyGroup, lazy_commands={...}`` (cli/workshop.py).

Options: ``-f/--file``, ``--user`` and ``--lang`` are accepted both before the command
(``kamboard -f x.json card list``) and after it (``kamboard card list -f x.json``);
the one given after the command wins.

Language: :meth:`KamboardGroup.main` chooses it (``choose_language``: ``--lang``, else
``$KAMBOARD_LANG``, else the saved setting, else the environment, else English) before any
command module is imported, since their help texts and the TUI's key labels are made at import.
Help texts of this module (made before the choice) are marked ``N_`` and translated when shown
(:class:`LocalOption`, the group's ``help``).

Errors: every ``BoardError``, ``ValidationError`` and click usage problem ends the
program with exit code 2 and a one-line message on stderr, never a traceback.

Human output goes through :func:`echo`: text from the board file or the command line
cannot reach the terminal raw. Control characters (C0 but the newline, DEL, C1) and bidi
overrides/isolates show as Python-style escapes (ESC as ``\x1b``, U+202E as ``\u202e``;
see ``model.printable``). ``--json`` output (:func:`echo_json`) stays exact.
This module must not import textual.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from .. import __version__, i18n
from ..errors import BoardError
from ..i18n import N_, _
from ..model import ValidationError, printable, validate_title

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_FILE = "kamboard.json"
ERROR_EXIT = 2
# Group options that take a value (needed to find the first positional argument).
_VALUE_OPTIONS = {"-f", "--file", "--user", "--account", "--lang"}


class CliError(click.ClickException):
    """A user-facing error: exit code 2 and one line on stderr."""

    exit_code = ERROR_EXIT

    def show(self, file: Any = None) -> None:
        echo(_("Error: {message}").format(message=one_line(self.format_message())), err=True)


def one_line(text: str) -> str:
    return " ".join(str(text).split("\n")).strip()


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for human output: control characters and bidi overrides escaped."""
    click.echo(printable(message, newlines=True), err=err, nl=nl)


def terminal_text(text: str) -> str:
    """``text`` (a whole report, CRLF line ends kept) escaped like :func:`echo` does."""
    return "\r\n".join(printable(part, newlines=True) for part in text.split("\r\n"))


@dataclass
class Settings:
    """Where the board is and who makes the changes, from options or the environment."""

    file: str | None = None
    user: str | None = None

    @property
    def path(self) -> str:
        """``-f/--file``, else ``KAMBOARD_FILE``, else ``./kamboard.json``."""
        return self.file or os.environ.get("KAMBOARD_FILE", "").strip() or DEFAULT_FILE

    @property
    def author(self) -> str:
        """Who makes the changes; refuses a name with control characters (exit 2)."""
        from ..store import default_user

        return checked_user((self.user or "").strip() or default_user())

    def given_user(self) -> str | None:
        """``--user``, else ``$KAMBOARD_USER``, checked; None when neither is given (the TUI
        looks git's user.name up at its first change)."""
        name = (self.user or "").strip() or os.environ.get("KAMBOARD_USER", "").strip()
        return checked_user(name) if name else None


def checked_user(name: str) -> str:
    return validate_title(name, "user", N_("The user name (--user, else $KAMBOARD_USER, else git's user.name)"))


def settings(ctx: click.Context | None = None) -> Settings:
    ctx = ctx or click.get_current_context()
    return ctx.ensure_object(Settings)


def _set_file(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        settings(ctx).file = value
    return value


def _set_user(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        settings(ctx).user = value
    return value


FILE_HELP = N_("Board file (default: $KAMBOARD_FILE, else ./kamboard.json).")
USER_HELP = N_("Who makes the changes (default: $KAMBOARD_USER, else git user.name, else the login name).")
LANG_HELP = N_(
    "Language of screens, messages and exports: de or en (default: $KAMBOARD_LANG, else the saved "
    "setting, else the locale)."
)


class LocalOption(click.Option):
    """An option whose help (an English message marked ``N_``) is translated when shown: this
    module's options are made before the language is chosen."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        msgid = self.help
        self.help = _(msgid) if msgid else msgid
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = msgid


def board_options(f: F) -> F:
    """Add ``-f/--file``, ``--user`` and ``--lang`` to a command; the first two go to :class:`Settings`
    (``--lang`` was read by :func:`choose_language` before the command was loaded)."""
    f = click.option("--lang", metavar="LANG", help=LANG_HELP, expose_value=False, cls=LocalOption)(f)
    f = click.option(
        "--user", metavar="NAME", help=USER_HELP, expose_value=False, callback=_set_user, is_eager=True, cls=LocalOption
    )(f)
    f = click.option(
        "-f",
        "--file",
        "board_file",
        metavar="FILE",
        help=FILE_HELP,
        expose_value=False,
        callback=_set_file,
        is_eager=True,
        cls=LocalOption,
    )(f)
    return f


def open_store(ctx: click.Context | None = None, *, create: bool = False, path: str | None = None) -> Any:
    """A BoardStore for the board in :class:`Settings` (or ``path``).

    ``create=False`` (commands that only read): a missing file is a clear error.
    ``create=True`` (commands that change): a missing file is created; its folder must exist.
    """
    from ..store import BoardStore

    conf = settings(ctx)
    store = BoardStore(path or conf.path, conf.author, create=create)
    if store.damage:  # records of the wrong shape: nothing would be shown right
        raise CliError(store.readonly_reason)
    absorb_copies(store)
    return store


def absorb_copies(store: Any) -> None:
    """Merge the sync tools' conflicted copies beside the board into it first (sync_copies),
    each said in one line on stderr (stdout stays the command's, e.g. its --json)."""
    from ..sync_copies import absorb_copies as absorb

    for result in absorb(store):
        echo(result.message, err=True)


def pass_store(f: Callable[..., Any] | None = None, *, create: bool = False) -> Any:
    """Decorator: add the board options and pass an open BoardStore as the first argument.

    Use ``@pass_store`` for commands that only read and ``@pass_store(create=True)`` for
    commands that change the board.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(open_store(create=create), *args, **kwargs)

        return board_options(wrapper)

    return decorate(f) if f is not None else decorate


class LazyGroup(click.Group):
    """A group whose commands load lazily: ``lazy_commands`` maps each command name to the module
    that registers it on this group when imported; :meth:`get_command` imports it on first use.
    Also for a sub-group whose sub-commands live in another module (``kamboard workshop agenda``)."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, str] = dict(lazy_commands or {})

    def command_names(self) -> set[str]:
        """Every command name, loaded or not (no import)."""
        return {*self.commands, *self.lazy_commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.command_names())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            importlib.import_module(self.lazy_commands[cmd_name])  # its decorators register it on this group
        return super().get_command(ctx, cmd_name)


class KamboardGroup(LazyGroup):
    """The top-level group.

    - Commands load lazily (:class:`LazyGroup`, the map :data:`COMMAND_MODULES`).
    - A first positional argument that is not a command name is a board FILE to open in
      the TUI (``kamboard board.json``); no command at all opens the default board.
    - Board and validation errors become :class:`CliError` (exit 2, one line).
    """

    default_command = "open"

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(group_help())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        names = self.command_names()
        if not ctx.resilient_parsing and self.default_command in names:
            first = _first_positional(args)
            flags = {"--help", "-h", "--version"}.intersection(args if first is None else args[:first])
            if not flags and (first is None or args[first] not in names):
                if first is not None:
                    self._check_typo(ctx, args[first])
                args.insert(0, self.default_command)
        return super().parse_args(ctx, args)

    def _check_typo(self, ctx: click.Context, word: str) -> None:
        """A missing 'FILE' without a dot or a slash is more likely a mistyped command."""
        if os.path.exists(word) or "." in word or os.sep in word or "/" in word:
            return
        import difflib

        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        names = [name for name, command in commands if command is not None and not command.hidden]
        close = difflib.get_close_matches(word, names, n=1)
        if close:
            hint = _("Did you mean {command!r}?").format(command=close[0])
        else:
            hint = _("Commands: {commands}.").format(commands=", ".join(sorted(names)))
        message = _(
            "No such command or file {word!r}. {hint} To create a new board, give a file name such as {word}.json."
        )
        raise click.UsageError(message.format(word=word, hint=hint), ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (BoardError, ValidationError) as exc:
            raise CliError(str(exc)) from None
        except BrokenPipeError:
            # the reader left (`kamboard card list | head`): stop quietly, as other tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise CliError(f"{where}{exc.strerror or exc}") from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; every error is one line on stderr.

        With ``standalone_mode=False`` the exit code is returned instead of calling
        ``sys.exit`` (handy for running many commands in one process). The language is chosen
        first (a bad ``--lang`` or ``$KAMBOARD_LANG``: exit 2).
        """
        try:
            choose_language(sys.argv[1:] if args is None else args)
        except ValueError as exc:
            echo(_("Error: {message}").format(message=one_line(str(exc))), err=True)
            code = ERROR_EXIT
        else:
            code = run_main(super().main, args, prog_name or "kamboard", complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code


def run_main(
    main: Callable[..., Any], args: Sequence[str] | None, prog_name: str, complete_var: str | None, extra: Any
) -> int:
    try:
        rv = main(args, prog_name, complete_var, standalone_mode=False, **extra)
    except click.exceptions.NoArgsIsHelpError as exc:  # e.g. `kamboard card`: show that group's help
        click.echo(exc.format_message())
        return 0
    except click.UsageError as exc:
        message = one_line(exc.format_message())
        if exc.ctx is None:
            echo(_("Error: {message}").format(message=message), err=True)
        else:
            text = _("Error: {message} (see '{command} --help')")
            echo(text.format(message=message, command=exc.ctx.command_path), err=True)
        return ERROR_EXIT
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo(_("Aborted."), err=True)
        return 1
    except (BoardError, ValidationError) as exc:  # raised while parsing, e.g. in a callback
        echo(_("Error: {message}").format(message=one_line(str(exc))), err=True)
        return ERROR_EXIT
    # Non-standalone click returns the exit code of ctx.exit(n); commands return None.
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0


def given_language(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` before ``--`` (before or after the
    command: the last one wins, as for -f), read before click parses anything."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang":
            found = args[i + 1] if i + 1 < len(args) else ""
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def choose_language(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """Choose and set the language for this run (see :func:`kamboard.i18n.choose`); the settings
    file is read only when neither ``--lang`` nor ``$KAMBOARD_LANG`` decides. Raises ValueError
    for a language kamboard does not have. Imports no command module."""
    given = given_language(args)
    saved: object = None
    if not (given or "").strip() and not environ.get("KAMBOARD_LANG", "").strip():
        from ..config import load_config  # a broken file is ignored here; the TUI warns of it

        saved = load_config()[0].get("language")
    return i18n.set_language(i18n.choose(given, saved, environ))


def restart_argv(
    path: str, account: str | None, language: str, user: str | None = None, *, executable: str = sys.executable
) -> list[str]:
    """The command line that opens ``path`` again (on ``account``'s board, an id) in ``language``:
    ``python -m kamboard open PATH [--account=ID] [--user=NAME] --lang=LANG``. The path is made
    absolute (not taken for an option or a command); ``--lang`` names the new language, so
    neither the old ``--lang`` nor ``$KAMBOARD_LANG`` overrides the choice just made."""
    argv = [executable, "-m", "kamboard", "open", os.path.abspath(path)]
    if account:
        argv.append(f"--account={account}")
    if user:
        argv.append(f"--user={user}")
    argv.append(f"--lang={language}")
    return argv


def restart(path: str, account: str | None, language: str) -> None:
    """Replace this process with kamboard opening ``path`` again in ``language`` (the TUI's
    language switch, once the app has ended); ``--user`` given to this run is kept."""
    ctx = click.get_current_context(silent=True)
    user = settings(ctx).user if ctx is not None else None
    argv = restart_argv(path, account, language, user)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)


def _first_positional(args: list[str]) -> int | None:
    """Index of the first argument that is neither an option nor an option's value."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return i + 1 if i + 1 < len(args) else None
        if arg.startswith("-") and arg != "-":
            i += 2 if arg in _VALUE_OPTIONS else 1
            continue
        return i
    return None


# Every command name -> the module whose decorators register it on ``cli``; add a new command here
# (tests/test_cli_lazy.py checks that this names exactly the commands the modules register).
COMMAND_MODULES = {
    "open": "kamboard.cli.board",
    "demo": "kamboard.cli.board",
    "check": "kamboard.cli.board",
    "account": "kamboard.cli.accounts",
    "card": "kamboard.cli.cards",
    "workshop": "kamboard.cli.workshop",
    "gaps": "kamboard.cli.workshop",
    "present": "kamboard.cli.workshop",
    "export": "kamboard.cli.export",
    "import": "kamboard.cli.export",
    "due": "kamboard.cli.export",
    "merge": "kamboard.cli.merge",
    "git-setup": "kamboard.cli.merge",
    "merge-driver": "kamboard.cli.merge",
    "conflicts": "kamboard.cli.merge",
    "serve": "kamboard.cli.serve",
    "participant": "kamboard.cli.serve",
}


def group_help() -> str:
    """The group's help text (``kamboard --help``) in the language chosen."""
    usage = [
        ("kamboard [FILE] [--account NAME]", _("open a board in the TUI (asks before creating FILE)")),
        ("kamboard demo", _("open a ready demo board")),
        ("kamboard COMMAND --help", _("help on a command")),
    ]
    lines = [f"{command:<35}{text}" for command, text in usage]
    return "\n\n".join(
        [
            _("kamboard: a terminal board for yearly key account workshops."),
            "\b\n" + "\n".join(lines),
            _(
                "The board file is -f/--file, else $KAMBOARD_FILE, else ./kamboard.json. A first\n"
                "argument that is a command name is the command; write ./NAME to open a file so named."
            ),
        ]
    )


@click.group(
    "kamboard",
    cls=KamboardGroup,
    lazy_commands=COMMAND_MODULES,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=True,
)
@click.option("-f", "--file", "board_file", metavar="FILE", help=FILE_HELP, cls=LocalOption)
@click.option("--user", metavar="NAME", help=USER_HELP, cls=LocalOption)
@click.option("--lang", metavar="LANG", help=LANG_HELP, expose_value=False, cls=LocalOption)
@click.version_option(__version__, prog_name="kamboard")
@click.pass_context
def cli(ctx: click.Context, board_file: str | None, user: str | None) -> None:
    # the group's help: group_help() (through KamboardGroup.format_help_text), in the language chosen
    conf = ctx.ensure_object(Settings)
    conf.file = board_file if board_file is not None else conf.file
    conf.user = user if user is not None else conf.user


# output helpers
def short_id(record_id: str) -> str:
    """The first 8 characters of an id: enough as a CARD prefix in practice."""
    return str(record_id)[:8]


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, widths: dict[int, int] | None = None) -> None:
    """Print rows as aligned columns; ``widths`` caps (and truncates) chosen columns."""
    caps = widths or {}
    cells = [[_cell(value, caps.get(i)) for i, value in enumerate(row)] for row in rows]
    sizes = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    for line in [list(headers), *cells]:
        echo("  ".join(text.ljust(sizes[i]) for i, text in enumerate(line)).rstrip())


def _cell(value: Any, cap: int | None) -> str:
    text = printable(one_line("" if value is None else str(value)))  # escaped before it is measured
    if cap and len(text) > cap:
        text = text[: cap - 1] + "…"
    return text
