"""The language of everything kamboard shows: gettext catalogues in ``kamboard/locale``.

``_("text")`` translates a message, ``ngettext`` one with a count, ``N_("text")`` only marks a
message for extraction (it is translated where it is shown, e.g. through :class:`Labels`).
Messages with values use named fields: ``_("Moved {title} to {lane}").format(...)``.

The language is chosen once at start (``choose``): ``--lang``, else ``$KAMBOARD_LANG``, else the
saved setting, else the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
English. Text built at import time (Textual's key bindings) follows the language set before the
TUI is imported; the CLI sets it before it imports any screen. No Textual here.

The catalogues: ``kamboard/locale/kamboard.pot`` (extracted), ``locale/LANG/LC_MESSAGES/kamboard.po``
(translated) and its compiled ``.mo`` (shipped); see the README ("Languages").
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

DOMAIN = "kamboard"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT = "en"
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def set_language(language: str) -> str:
    """Use ``language`` (a key of :data:`LANGUAGES`) from now on; returns it."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}: use {' or '.join(LANGUAGES)}.")
    if language == DEFAULT:
        _translation = gettext.NullTranslations()  # the messages are English: no file read
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language
    _libraries_speak(language)
    return language


_ENV_BEFORE: list[str | None] = []  # $LANGUAGE as it was before kamboard set it


def _libraries_speak(language: str) -> None:
    """Click's own texts ('Usage:', 'Show this message and exit.') come from gettext's global
    functions: they read this domain, in the language $LANGUAGE names (catalogued in
    ``cli/click_texts.py``). English restores the process's own domain and $LANGUAGE."""
    if language == DEFAULT:
        if _ENV_BEFORE:
            gettext.textdomain("messages")
            before = _ENV_BEFORE.pop()
            if before is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = before
        return
    if not _ENV_BEFORE:
        _ENV_BEFORE.append(os.environ.get("LANGUAGE"))
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language


def language() -> str:
    """The language in use ('en', 'de')."""
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` where it needs its own translation (``context``: e.g. "card", where the
    German must be short)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here."""
    return message


def from_environment(environ: Mapping[str, str]) -> str | None:
    """The language the environment asks for, if kamboard has it: ``LANGUAGE`` (a list like
    'de:en'), else the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set ('de_DE.UTF-8').
    'C' and 'POSIX' ask for no language (None)."""
    for name in ENV_ORDER:
        value = environ.get(name, "").strip()
        if not value:
            continue
        for item in value.split(":") if name == "LANGUAGE" else [value]:
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":
            return None  # the first of LC_ALL, LC_MESSAGES, LANG that is set decides
    return None


def choose(given: str | None, saved: object, environ: Mapping[str, str] = os.environ) -> str:
    """The language to use: ``given`` (--lang), else ``$KAMBOARD_LANG``, else ``saved`` (the
    setting), else the environment, else English. A bad ``given`` or ``$KAMBOARD_LANG`` raises
    ValueError (the CLI says so); a bad saved value is passed over."""
    for value, where in ((given, "--lang"), (environ.get("KAMBOARD_LANG"), "KAMBOARD_LANG")):
        if value and value.strip():
            code = value.strip().lower()
            if code not in LANGUAGES:
                raise ValueError(f"{where} {value!r} is not a language kamboard has: use {' or '.join(LANGUAGES)}.")
            return code
    if isinstance(saved, str) and saved in LANGUAGES:
        return saved
    return from_environment(environ) or DEFAULT


def format_date(iso: str) -> str:
    """A stored date (YYYY-MM-DD) as the language writes it: '14.12.2026' in German, as stored in
    English. Anything else is returned as it is."""
    if _language == "de" and len(iso) == 10 and iso[4] == "-" and iso[7] == "-" and iso.replace("-", "").isdigit():
        return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}"
    return iso


class Labels(Mapping[str, str]):
    """A mapping of ids to messages marked with ``N_``, translated when read (module constants
    such as lane titles are built before the language is chosen)."""

    def __init__(self, messages: Mapping[str, str]) -> None:
        self._messages = dict(messages)

    def __getitem__(self, key: str) -> str:
        return _(self._messages[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def english(self, key: str) -> str:
        """The untranslated message: for what is stored in the board file (the activity log)."""
        return self._messages[key]

    def __repr__(self) -> str:
        return f"Labels({self._messages!r})"
