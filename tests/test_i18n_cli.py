"""The command line in German under KAMBOARD_LANG=de: messages, table headers, help and dates;
--json output the same in both languages."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kamboard import i18n
from kamboard.cli import cli
from kamboard.cli.base import COMMAND_MODULES
from kamboard.store import BoardStore

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "kamboard.mo"

# A command's help is made when its module is imported (in the language of the run): import them
# all now, at collection, in English, so that the German runs below leave the other tests' help
# English. German help is tested in a process of its own (test_help_in_german).
for _module in sorted(set(COMMAND_MODULES.values())):
    importlib.import_module(_module)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    assert CATALOGUE.is_file(), f"{CATALOGUE} is missing: compile the German catalogue first"
    yield
    i18n.set_language("en")  # the CLI set the language for its run; the next test starts in English


def run(lang: str, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"KAMBOARD_LANG": lang, "KAMBOARD_USER": "Eva"})


def ok(lang: str, *args: str) -> str:
    result = run(lang, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    store = BoardStore(path, "setup", create=True)
    store.add_account("Müller Maschinenbau GmbH", owner="Katrin")
    store.add_card("Müller Maschinenbau GmbH", "support", "Pufferlager", due="2026-12-14", status="agreed")
    store.add_card("Müller Maschinenbau GmbH", "challenge", "Fachkräfte")
    store.add_workshop("Müller Maschinenbau GmbH", "Jahresworkshop", start="2026-12-14T09:00", end="2026-12-15T13:00")
    return path


def test_errors_in_german(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = run("de", "check", str(missing))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Fehler: {missing} existiert nicht."
    result = run("en", "check", str(missing))
    assert result.stderr.strip() == f"Error: {missing} does not exist."


def test_usage_error_in_german(board: Path) -> None:
    card = BoardStore(board, "x").cards()[0]["id"]
    result = run("de", "card", "edit", card, "-f", str(board))
    assert result.exit_code == 2
    assert "Nichts zu ändern: mindestens eine Option angeben" in result.stderr
    assert "Nothing to change" not in result.stderr


def test_account_list_headers_and_dates(board: Path) -> None:
    german = ok("de", "account", "list", "-f", str(board)).splitlines()
    assert german[0].split() == [
        "ACCOUNT",
        "VERANTWORTLICH",
        "THEMEN",
        "HERAUSFORDERUNGEN",
        "UNTERSTÜTZUNG",
        "OFFEN",
        "ÜBERFÄLLIG",
        "LETZTER",
        "WORKSHOP",
        "ID",
    ]
    english = ok("en", "account", "list", "-f", str(board)).splitlines()
    assert english[0].split()[:3] == ["ACCOUNT", "OWNER", "TOPICS"]
    # the rows are the same data: the account, its owner and its counts
    assert german[1].split()[:6] == english[1].split()[:6]


def test_dates_shown_german_and_stored_iso(board: Path) -> None:
    cards = ok("de", "card", "list", "-f", str(board))
    assert "14.12.2026" in cards and "2026-12-14" not in cards
    assert "2026-12-14" in ok("en", "card", "list", "-f", str(board))
    shown = ok("de", "workshop", "show", "Jahresworkshop", "-f", str(board))
    assert "Beginn:       14.12.2026 09:00" in shown
    assert "Ende:         15.12.2026 13:00" in shown
    assert '"due": "2026-12-14"' in ok("de", "card", "list", "--json", "-f", str(board))
    assert "Start:" not in shown and "start:" not in shown


def test_confirmation_in_german(board: Path) -> None:
    out = ok("de", "card", "add", "Müller Maschinenbau GmbH", "topic", "Energiekosten", "-f", str(board))
    assert out.startswith("Karte ") and out.rstrip().endswith("'Energiekosten' zu Themen hinzugefügt.")


@pytest.mark.parametrize(
    "args",
    [
        ("account", "list", "--json"),
        ("card", "list", "--json"),
        ("workshop", "list", "--json"),
        ("workshop", "show", "Jahresworkshop", "--json"),
        ("gaps", "Müller Maschinenbau GmbH", "--json"),
        ("due", "--json", "--today", "2026-12-20"),
    ],
)
def test_json_is_the_same_in_both_languages(board: Path, args: tuple[str, ...]) -> None:
    german = ok("de", *args, "-f", str(board))
    english = ok("en", *args, "-f", str(board))
    assert german == english
    assert german.strip() not in ("", "[]", "{}")


def test_help_in_german() -> None:
    """A command's help is made when its module is imported: a fresh process, the language set first."""
    env = {**os.environ, "KAMBOARD_LANG": "de"}
    done = subprocess.run(
        [sys.executable, "-m", "kamboard", "card", "add", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Karte TITLE in Spalte LANE von ACCOUNT hinzufügen" in done.stdout
    assert "Nutzen für den Kunden." in done.stdout  # --customer-benefit
    assert "Add a card TITLE" not in done.stdout
    english = subprocess.run(
        [sys.executable, "-m", "kamboard", "card", "add", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "KAMBOARD_LANG": "en"},
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert "Add a card TITLE to ACCOUNT's LANE (topic, challenge or support)." in english.stdout
    # click's own words follow too (cli/click_texts.py)
    assert done.stdout.startswith("Aufruf: ") and "\nOptionen:\n" in done.stdout
    assert "Diese Hilfe zeigen und beenden." in done.stdout
    assert english.stdout.startswith("Usage: ") and "Show this message and exit." in english.stdout


def test_switching_back_to_english_restores_gettexts_domain_and_language_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gettext

    monkeypatch.setenv("LANGUAGE", "fr:en")
    i18n.set_language("de")
    assert os.environ["LANGUAGE"] == "de" and gettext.textdomain() == "kamboard"
    assert gettext.gettext("Usage:") == "Aufruf:"
    i18n.set_language("en")
    assert os.environ["LANGUAGE"] == "fr:en" and gettext.textdomain() == "messages"
    assert gettext.gettext("Usage:") == "Usage:"
