"""German and English: the language choice, German dates, labels, and the catalogues.

The catalogue tests check what the README's "Languages" steps make (run at the repository root):
``pybabel extract -F kamboard/locale/babel.cfg -o kamboard/locale/kamboard.pot --no-location --sort-output --no-wrap kamboard``,
``pybabel update ...`` and ``pybabel compile -d kamboard/locale -D kamboard``: every message of the code
is in the template, every one has a German translation (not fuzzy, not empty, the same ``{fields}``),
none is stale, and the committed ``.mo`` is the ``.po`` compiled.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kamboard import i18n
from kamboard.cli.base import choose_language, given_language, restart_argv
from kamboard.config import load_config, save_config
from kamboard.i18n import N_, Labels, choose, format_date

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "kamboard" / "locale"
POT = LOCALE / "kamboard.pot"
PO = LOCALE / "de" / "LC_MESSAGES" / "kamboard.po"
MO = LOCALE / "de" / "LC_MESSAGES" / "kamboard.mo"

# the choice order: (--lang, environment, saved setting) -> language
CHOICES: list[tuple[str | None, dict[str, str], object, str]] = [
    ("de", {"KAMBOARD_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "de"),
    ("en", {"KAMBOARD_LANG": "de", "LANGUAGE": "de"}, "de", "en"),
    (" DE ", {}, None, "de"),
    (None, {"KAMBOARD_LANG": "de", "LANG": "en_GB.UTF-8"}, "en", "de"),
    ("", {"KAMBOARD_LANG": "de"}, "en", "de"),
    (None, {"KAMBOARD_LANG": "  ", "LANG": "de_DE.UTF-8"}, None, "de"),
    (None, {"LANGUAGE": "de", "LANG": "en_US.UTF-8"}, "en", "en"),
    (None, {"LANGUAGE": "en:de"}, "de", "de"),
    (None, {"LANG": "en_US.UTF-8"}, "fr", "en"),
    (None, {"LANG": "de_DE.UTF-8"}, 42, "de"),
    (None, {"LANGUAGE": "fr:de", "LC_ALL": "en_US.UTF-8"}, None, "de"),
    (None, {"LANGUAGE": "fr", "LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, None, "de"),
    (None, {"LC_ALL": "de_CH.UTF-8@euro", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, None, "de"),
    (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}, None, "en"),
    (None, {"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, None, "de"),
    (None, {"LC_MESSAGES": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, None, "en"),
    (None, {"LANG": "de_DE.UTF-8"}, None, "de"),
    (None, {"LANG": "de"}, None, "de"),
    (None, {"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, None, "en"),
    (None, {"LC_ALL": "POSIX", "LANG": "de_DE.UTF-8"}, None, "en"),
    (None, {"LANG": "C.UTF-8"}, None, "en"),
    (None, {"LANG": "fr_FR.UTF-8"}, None, "en"),
    (None, {}, None, "en"),
]


@pytest.mark.parametrize(("given", "environ", "saved", "expected"), CHOICES)
def test_the_language_is_chosen_in_order(
    given: str | None, environ: dict[str, str], saved: object, expected: str
) -> None:
    assert choose(given, saved, environ) == expected


@pytest.mark.parametrize(
    ("given", "environ", "where"),
    [("fr", {}, "--lang 'fr'"), (None, {"KAMBOARD_LANG": "deutsch"}, "KAMBOARD_LANG 'deutsch'")],
)
def test_a_bad_language_given_is_refused(given: str | None, environ: dict[str, str], where: str) -> None:
    with pytest.raises(ValueError, match=re.escape(where)):
        choose(given, "de", environ)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["card", "list"], None),
        (["--lang", "de", "card", "list"], "de"),
        (["card", "list", "--lang=de"], "de"),
        (["--lang", "en", "card", "list", "--lang", "de"], "de"),  # the one after the command wins
        (["card", "add", "ACME", "topic", "--", "--lang", "de"], None),  # after --: an argument
        (["card", "list", "--lang"], ""),
    ],
)
def test_lang_is_found_before_and_after_the_command(args: list[str], expected: str | None) -> None:
    assert given_language(args) == expected


def test_choose_language_reads_the_setting_only_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    save_config({"language": "de", "theme": "nord"})
    assert load_config()[0]["language"] == "de"
    environ = {"LANG": "en_US.UTF-8"}
    assert choose_language(["card", "list"], environ) == "de" == i18n.language()
    assert choose_language(["--lang", "en"], environ) == "en" == i18n.language()
    assert choose_language([], {**environ, "KAMBOARD_LANG": "en"}) == "en"
    save_config({"language": "xx"})  # a bad saved value is passed over
    assert choose_language([], {"LANG": "de_DE.UTF-8"}) == "de"
    with pytest.raises(ValueError, match="--lang 'fr'"):
        choose_language(["--lang", "fr"], environ)


def test_english_reads_no_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_file(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("English must not look for a catalogue")

    monkeypatch.setattr(i18n.gettext, "translation", no_file)
    assert i18n.set_language("en") == "en"
    assert i18n._("Aborted.") == "Aborted."


def test_format_date_in_each_language() -> None:
    i18n.set_language("en")
    assert format_date("2026-12-14") == "2026-12-14"
    i18n.set_language("de")
    assert format_date("2026-12-14") == "14.12.2026"
    assert format_date("2026-01-05") == "05.01.2026"
    for other in ("", "soon", "2026-12", "2026-12-14T10:00", "20261214xx", "2026/12/14"):
        assert format_date(other) == other


def test_labels_translate_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = Labels({"topic": N_("Topics"), "challenge": N_("Challenges")})
    assert dict(labels) == {"topic": "Topics", "challenge": "Challenges"}
    assert list(labels) == ["topic", "challenge"] and len(labels) == 2

    class Upper(i18n.gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return message.upper()

    monkeypatch.setattr(i18n, "_translation", Upper())
    assert labels["topic"] == "TOPICS"  # read after the language changed: in that language
    with pytest.raises(KeyError):
        labels["support"]


def test_restart_argv_opens_the_same_board_in_the_new_language(tmp_path: Path) -> None:
    board = tmp_path / "my board.json"
    argv = restart_argv(str(board), "a1b2", "de", "Ann -x", executable="/py")
    assert argv == ["/py", "-m", "kamboard", "open", str(board), "--account=a1b2", "--user=Ann -x", "--lang=de"]
    assert restart_argv("card", None, "en", executable="/py") == [
        "/py",
        "-m",
        "kamboard",
        "open",
        os.path.abspath("card"),  # a file named like a command stays a file
        "--lang=en",
    ]


def test_restart_argv_opens_that_board_and_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kamboard.tui
    from kamboard.cli import main
    from kamboard.store import BoardStore

    board = tmp_path / "open" / "board.json"
    board.parent.mkdir()
    account = BoardStore(board, "setup", create=True).add_account("ACME")["id"]
    runs: list[tuple[str, str | None, str, str]] = []
    app = types.ModuleType("kamboard.tui.app")

    def fake_run(store: BoardStore, account: str | None = None) -> int:
        runs.append((store.path, account, store.user, i18n.language()))
        return 0

    app.run = fake_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kamboard.tui.app", app)
    monkeypatch.setattr(kamboard.tui, "app", app, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAMBOARD_FILE", str(tmp_path / "other.json"))
    # English here: a German run would leave this process's command modules' help in German
    for argv in (restart_argv(str(board), account, "en", "Ann"), restart_argv("open/board.json", None, "en")):
        assert main(argv[3:], standalone_mode=False) == 0
    assert runs == [(str(board), account, "Ann", "en"), (str(board), None, "tester", "en")]


# the command line in a fresh process (the language is chosen before anything is imported)
SCRIPT = """
import json, sys
from kamboard.cli import main
code = main(sys.argv[1:], standalone_mode=False)
from kamboard import i18n
loaded = sorted(name for name in sys.modules if name.startswith("kamboard.cli"))
print(json.dumps({"code": code, "language": i18n.language(), "loaded": loaded}))
"""


def run_kamboard(*args: str, env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"KAMBOARD_LANG", *i18n.ENV_ORDER}}
    full = {**clean, "PYTHONPATH": str(ROOT), "COLUMNS": "100", **env}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=60
    )


def last_json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    ("args", "env", "language"),
    [
        (("--version",), {"LANG": "de_DE.UTF-8"}, "de"),
        (("--lang", "en", "--version"), {"KAMBOARD_LANG": "de"}, "en"),
        (("--version", "--lang=de"), {"KAMBOARD_LANG": "en"}, "de"),
        (("--version",), {"KAMBOARD_LANG": "de", "LANG": "en_US.UTF-8"}, "de"),
        (("--version",), {"LC_ALL": "C"}, "en"),
    ],
)
def test_the_command_line_chooses_the_language_first(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], language: str
) -> None:
    done = run_kamboard(*args, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = last_json(done)
    assert (result["code"], result["language"]) == (0, language)
    assert result["loaded"] == ["kamboard.cli", "kamboard.cli.base"]  # no command module for the choice


def test_the_saved_setting_applies_to_the_command_line(tmp_path: Path) -> None:
    save_config({"language": "de"})  # the test's private config folder (conftest), inherited
    done = run_kamboard("--version", env={"LANG": "en_US.UTF-8"}, cwd=tmp_path)
    assert last_json(done)["language"] == "de"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("--lang", "fr", "card", "list"), {}, "Error: --lang 'fr' is not a language kamboard has: use en or de."),
        (("card", "list", "--lang=xx"), {}, "Error: --lang 'xx' is not a language kamboard has: use en or de."),
        (("card", "list"), {"KAMBOARD_LANG": "fr"}, "Error: KAMBOARD_LANG 'fr' is not a language kamboard has"),
    ],
)
def test_a_bad_language_ends_with_exit_2_and_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    done = run_kamboard(*args, env=env, cwd=tmp_path)
    result = last_json(done)
    assert result["code"] == 2
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1
    assert result["loaded"] == ["kamboard.cli", "kamboard.cli.base"]


def test_cli_messages_in_german(tmp_path: Path) -> None:
    german = run_kamboard("zzz", env={"KAMBOARD_LANG": "de"}, cwd=tmp_path)
    assert german.stderr.startswith("Fehler: Befehl oder Datei 'zzz' gibt es nicht. Befehle: account, ")
    assert "Für ein neues Board einen Dateinamen wie zzz.json angeben." in german.stderr
    from_locale = run_kamboard("zzz", env={"LANG": "de_DE.UTF-8"}, cwd=tmp_path)
    assert from_locale.stderr.startswith("Fehler: Befehl oder Datei 'zzz' gibt es nicht.")
    help_de = run_kamboard("--help", env={"KAMBOARD_LANG": "de"}, cwd=tmp_path)
    assert "kamboard: ein Board im Terminal für jährliche Key-Account-Workshops." in help_de.stdout
    assert "--lang LANG" in help_de.stdout and "Sprache der Ansichten" in help_de.stdout
    help_en = run_kamboard("--lang", "en", "--help", env={"KAMBOARD_LANG": "de"}, cwd=tmp_path)
    assert "kamboard: a terminal board for yearly key account workshops." in help_en.stdout


# the catalogues
def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def key(message: Message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def extracted() -> set[str | tuple[str, ...]]:
    """The message ids of the code now, as ``pybabel extract -F kamboard/locale/babel.cfg kamboard`` finds them."""
    with (ROOT / "kamboard" / "locale" / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(str(ROOT / "kamboard"), method_map, options_map)
    return {message if isinstance(message, str) else tuple(message) for _file, _line, message, _c, _ctx in found}


def fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


def test_the_template_holds_every_message_of_the_code() -> None:
    template = {key(m) for m in read(POT) if m.id}
    code = extracted()
    assert code, "nothing extracted: is babel.cfg's pattern relative to the kamboard folder?"
    assert sorted(map(str, code - template)) == [], "run pybabel extract (README, Languages)"
    assert sorted(map(str, template - code)) == [], "stale in the template: run pybabel extract"


def test_every_message_has_a_german_translation() -> None:
    template = {key(m) for m in read(POT) if m.id}
    german = read(PO, "de")
    assert not german.fuzzy, "the header is fuzzy: pybabel compile would skip the catalogue"
    entries = {key(m): m for m in german if m.id}
    assert sorted(map(str, template - set(entries))) == [], "missing: run pybabel update"
    assert sorted(map(str, set(entries) - template)) == [], "stale translations"
    assert list(german.obsolete) == [], "obsolete (#~) entries left"
    fuzzy = [m.id for m in entries.values() if m.fuzzy]
    assert fuzzy == []
    empty = [m.id for m in entries.values() if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert empty == []


def test_german_keeps_every_placeholder() -> None:
    wrong = []
    for message in read(PO, "de"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for index, string in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            if string and fields(string) != fields(source):  # an empty one fails the test above
                wrong.append((source, string))
    assert wrong == []


def test_the_shipped_mo_is_the_po_compiled() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read(PO, "de"))
    assert MO.read_bytes() == compiled.getvalue(), "run pybabel compile -d kamboard/locale -D kamboard"


def test_german_is_used_from_the_shipped_catalogue() -> None:
    i18n.set_language("de")
    assert i18n._("Aborted.") == "Abgebrochen."
    assert i18n._("Language: {language}").format(language="English") == "Sprache: English"
