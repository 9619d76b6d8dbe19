"""Shared fixtures: every test runs with a private config dir and a fixed user, in English."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kamboard import i18n

# English whatever the developer's locale or setting, in this process and the kamboard processes
# the tests start (they inherit it); tests of the language choice give their own environment.
os.environ["KAMBOARD_LANG"] = "en"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A test that switches the language (``i18n.set_language``) does not leave it switched."""
    before = i18n.language()
    yield
    i18n.set_language(before)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("KAMBOARD_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("KAMBOARD_USER", "tester")
    monkeypatch.delenv("KAMBOARD_FILE", raising=False)
