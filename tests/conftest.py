"""Shared fixtures: every test runs with a private config dir and a fixed user."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("KAMBOARD_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("KAMBOARD_USER", "tester")
    monkeypatch.delenv("KAMBOARD_FILE", raising=False)
