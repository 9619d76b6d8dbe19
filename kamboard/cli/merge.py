"""`kamboard merge`, `kamboard git-setup` (and the hidden `merge-driver` git calls), `kamboard conflicts`.

Two copies of one board that diverged (two laptops, two git branches) merge record by record
and field by field (the rules: ``kamboard.merge_board``); what both sides changed stays in the
file as a conflict to review, listed and settled by `kamboard conflicts`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

import click

from ..i18n import _
from .base import CliError, board_options, cli, echo, echo_json, echo_table, open_store, settings

DRIVER = "kamboard"  # the merge driver's name in .gitattributes and git config
ATTRIBUTES = ".gitattributes"
BACKUPS = ".kamboard-backups/"  # what kamboard keeps beside a board: not for the repository


# kamboard merge
@cli.command(
    "merge",
    help=_("Merge THEIRS, another copy of the board OURS, into OURS.")
    + "\n\n\b\n"
    + _(
        "A field changed on one side takes that side's value; a field both sides changed keeps the\n"
        "later change and the other one as a conflict to review (`kamboard conflicts -f OURS`);\n"
        "an edit beats a deletion. OURS is changed under its lock, after a backup copy; with -o the\n"
        "merged board goes to OUT instead. Exit 2 when the files are not two copies of one board."
    ),
)
@click.argument("ours", metavar="OURS")
@click.argument("theirs", metavar="THEIRS")
@click.option("--base", metavar="BASE", help=_("The two copies' common ancestor, when you have it."))
@click.option("-o", "--output", "out", metavar="OUT", help=_("Write the merged board here (OURS stays as it is)."))
def merge_command(ours: str, theirs: str, base: str | None, out: str | None) -> None:
    for name in (ours, theirs, base):
        if name is not None and not os.path.exists(name):
            raise CliError(_("{path} does not exist.").format(path=name))
    if out is None:
        from ..store import BoardStore

        store = BoardStore(ours, settings().author)
        if store.damage:
            raise CliError(store.readonly_reason)
        report = store.merge_from(theirs, base)
        where = ours
    else:
        from ..merge_board import merge
        from ..store_merge import read_copy

        merged, report = merge(read_copy(ours), read_copy(theirs), read_copy(base) if base else None)
        write_board(out, merged)
        where = out
    echo(f"{where}: {report.summary()}.")
    for problem in report.problems:
        echo(f"  {problem}")
    if report.conflicts:
        echo(_("Review them with `kamboard conflicts -f {path}`.").format(path=where))


def write_board(path: str, data: dict[str, Any]) -> None:
    """Write a board as the store does (sorted keys, indent 2), atomically; the mode kept."""
    from ..storage import atomic_write, dumps

    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    atomic_write(path, dumps(data, indent=2, sort_keys=True), mode)


# git
@cli.command(
    "merge-driver",
    hidden=True,
    help=_("git's merge driver (%O %A %B): the merged board goes to OURS; exit 1 when it cannot merge."),
)
@click.argument("base", metavar="BASE")
@click.argument("ours", metavar="OURS")
@click.argument("theirs", metavar="THEIRS")
def merge_driver(base: str, ours: str, theirs: str) -> None:
    from ..errors import BoardError
    from ..merge_board import merge
    from ..storage import read_bytes
    from ..store_merge import read_copy

    try:
        ancestor = read_copy(base) if read_bytes(base).strip() else None  # empty: no common ancestor
    except (BoardError, OSError):
        ancestor = None  # not a board (yet): merge without it
    try:
        merged, report = merge(read_copy(ours), read_copy(theirs), ancestor)
        write_board(ours, merged)
    except (BoardError, OSError) as exc:
        echo(_("kamboard: cannot merge the board: {error}").format(error=exc), err=True)
        raise click.exceptions.Exit(1) from None
    echo(f"kamboard: {report.summary()}.", err=True)


def _git(*args: str, cwd: str | None = None, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd, check=False)
    except OSError as exc:
        raise CliError(_("Cannot run git: {error}.").format(error=exc.strerror or exc)) from None
    if check and done.returncode != 0:
        reason = done.stderr.strip() or _("failed")
        raise CliError(f"git {' '.join(args)}: {reason}")
    return done.stdout.strip() if done.returncode == 0 else ""


def _pattern(root: str, file: str) -> str:
    """A board file as a .gitattributes pattern: its path from the repository's top, anchored
    with '/'; C-quoted when it holds a space, a quote or a backslash."""
    full = os.path.realpath(file)
    rel = os.path.relpath(full, os.path.realpath(root))
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        raise CliError(_("{file} is not inside the repository {root}.").format(file=file, root=root))
    pattern = "/" + rel.replace(os.sep, "/")
    if any(c in pattern for c in ' "\\\t'):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
    return pattern


def _is_board(path: str) -> bool:
    """A JSON file with a kamboard meta record."""
    import orjson

    from ..storage import read_bytes

    try:
        metas = orjson.loads(read_bytes(path)).get("meta")
        return any(isinstance(d, dict) and isinstance(d.get("schema"), int) for d in metas.values())
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _boards_in(root: str) -> list[str]:
    """The board files of the repository (tracked, or new and not ignored): JSON with a kamboard meta."""
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.json", cwd=root)
    names = sorted({name for name in listed.split("\0") if name})
    return [os.path.join(root, name) for name in names if _is_board(os.path.join(root, name))]


def _driver_command() -> str:
    """How git calls kamboard: `kamboard` when it is on PATH, else this Python's `-m kamboard`."""
    if shutil.which("kamboard"):
        return "kamboard merge-driver %O %A %B"
    quoted = "'" + sys.executable.replace("'", "'\\''") + "'"
    return f"{quoted} -m kamboard merge-driver %O %A %B"


@cli.command(
    "git-setup",
    help=_("Let git merge board files with kamboard: run it once in every clone.")
    + "\n\n\b\n"
    + _(
        "Adds `FILE merge=kamboard` to the repository's .gitattributes (commit it) and the driver\n"
        "to this clone's git config (not shared: hence once per clone). Without FILE: every board\n"
        "file of the repository. A `git pull` of diverged boards then merges them field by field;\n"
        "what both sides changed is listed by `kamboard conflicts`. Safe to run twice."
    ),
)
@click.argument("files", nargs=-1, metavar="[FILE...]")
@click.option("--undo", is_flag=True, help=_("Remove the merge driver again (for FILEs, else for every board)."))
def git_setup(files: tuple[str, ...], undo: bool) -> None:
    root = _git("rev-parse", "--show-toplevel", check=False)
    if not root:
        raise CliError(_("Not in a git repository: run `kamboard git-setup` inside the clone that holds the board."))
    attributes = os.path.join(root, ATTRIBUTES)
    try:
        with open(attributes, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    suffix = f" merge={DRIVER}"
    if undo:
        patterns = {_pattern(root, f) for f in files}
        kept = [ln for ln in lines if not (ln.endswith(suffix) and (not files or ln[: -len(suffix)] in patterns))]
        _write_lines(attributes, kept)
        gone = [_unquoted(ln[: -len(suffix)]) + ".lock" for ln in lines if ln not in kept]
        last = not any(ln.endswith(suffix) for ln in kept)
        _exclude(root, gone + [BACKUPS] * last, add=False)
        if last:
            _git("config", "--remove-section", f"merge.{DRIVER}", cwd=root, check=False)
            echo(
                _("Removed the kamboard merge driver from {path} and this clone's git config.").format(path=attributes)
            )
        else:
            message = _("Removed {count} board(s) from {path}; the others keep the driver.")
            echo(message.format(count=len(lines) - len(kept), path=attributes))
        return
    boards = list(files) or _boards_in(root)
    if not boards:
        raise CliError(
            _("No board file found in {root}: give one, e.g. `kamboard git-setup board.json`.").format(root=root)
        )
    added = []
    for board in boards:
        line = _pattern(root, board) + suffix
        if line not in lines:
            lines.append(line)
            added.append(line)
    if added:
        _write_lines(attributes, lines)
    _exclude(root, [BACKUPS, *(_unquoted(_pattern(root, b)) + ".lock" for b in boards)], add=True)
    _git("config", f"merge.{DRIVER}.name", "kamboard board merge (field by field)", cwd=root)
    _git("config", f"merge.{DRIVER}.driver", _driver_command(), cwd=root)
    names = ", ".join(_pattern(root, b).strip('"').lstrip("/") for b in boards)
    echo(_("git merges {names} with kamboard in this clone.").format(names=names))
    if added:
        echo(_("Commit {path}, and run `kamboard git-setup` once in every other clone.").format(path=ATTRIBUTES))


def _unquoted(pattern: str) -> str:
    if not pattern.startswith('"'):
        return pattern
    return pattern[1:-1].replace("\\t", "\t").replace('\\"', '"').replace("\\\\", "\\")


def _exclude(root: str, names: list[str], *, add: bool) -> None:
    """Add ``names`` to (or remove them from) this clone's .git/info/exclude: the lock files and
    backups kamboard keeps beside a board are not for the repository."""
    path = os.path.join(root, _git("rev-parse", "--git-path", "info/exclude", cwd=root))
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    new = lines + [n for n in names if n not in lines] if add else [ln for ln in lines if ln not in names]
    if new != lines:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in new))


def _write_lines(path: str, lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    if not text.strip():
        if os.path.exists(path):
            os.remove(path)
        return
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


# conflicts to review
def _show(value: Any) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or _("(empty)")
    return str(value) if value != "" else _("(empty)")


def _when(by: str, at: str) -> str:
    return f"{by or '?'}, {at.replace('T', ' ').removesuffix('Z')[:16] or '?'}"


@cli.group(
    "conflicts",
    invoke_without_command=True,
    help=_("List the conflicts to review that merges left on the board.")
    + "\n\n\b\n"
    + _(
        "Each has an ID; settle it with `kamboard conflicts resolve ID mine|theirs|both`:\n"
        "mine keeps the value the board shows, theirs the other one, both joins two texts."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@board_options
@click.pass_context
def conflicts(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from ..store_merge import conflict_id

    store = open_store()
    found = store.conflicts()
    if as_json:
        echo_json(
            [
                {
                    "id": conflict_id(c),
                    "table": c.table,
                    "record_id": c.id,
                    "title": c.title,
                    "field": c.field,
                    "value": c.value,
                    "by": c.by,
                    "at": c.at,
                    "other_value": c.other_value,
                    "other_by": c.other_by,
                    "other_at": c.other_at,
                    "deleted": c.deleted,
                }
                for c in found
            ]
        )
        return
    if not found:
        echo(_("No conflicts to review in {board}.").format(board=store.name))
        return
    nouns = {"accounts": _("account"), "cards": _("card"), "workshops": _("workshop"), "meta": _("board")}
    rows = [
        (
            conflict_id(c),
            f"{nouns.get(c.table, c.table)} {c.title}",
            c.field,
            f"{_show(c.value)} ({_when(c.by, c.at)})",
            _("deleted ({when})").format(when=_when(c.other_by, c.other_at))
            if c.deleted
            else f"{_show(c.other_value)} ({_when(c.other_by, c.other_at)})",
        )
        for c in found
    ]
    headers = (_("ID"), _("RECORD"), _("FIELD"), _("SHOWN (mine)"), _("OTHER (theirs)"))
    echo_table(headers, rows, widths={1: 30, 3: 40, 4: 40})
    message = _("{count} conflict(s) to review: `kamboard conflicts resolve ID mine|theirs|both`.")
    echo(message.format(count=len(found)))


@conflicts.command(
    "resolve", help=_("Settle conflict ID (or a unique prefix): keep mine (the value shown), theirs, or both texts.")
)
@click.argument("ref", metavar="ID")
@click.argument("choice", type=click.Choice(["mine", "theirs", "both"]))
@board_options
def resolve_command(ref: str, choice: str) -> None:
    store = open_store()
    kept = store.resolve_conflict(ref, choice)
    what = "" if kept is None else _(": kept {value!r}").format(value=_show(kept))
    message = _("Settled {ref} ({choice}){what}; {count} conflict(s) left to review in {board}.")
    echo(message.format(ref=ref, choice=choice, what=what, count=len(store.conflicts()), board=store.name))
