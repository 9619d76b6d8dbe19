"""User config: location, round trip, and broken files that warn instead of crashing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kamboard import config


def test_path_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_CONFIG_DIR", str(tmp_path / "cfg"))
    assert config.config_path() == tmp_path / "cfg" / "config.json"


def test_path_defaults_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("KAMBOARD_CONFIG_DIR")
    assert config.config_path() == Path(platformdirs.user_config_dir("kamboard")) / "config.json"


def test_missing_file_gives_empty_config_without_warning() -> None:
    assert not config.config_path().exists()
    assert config.load_config() == ({}, None)


def test_round_trip_creates_folder_and_keeps_unknown_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMBOARD_CONFIG_DIR", str(tmp_path / "new" / "dir"))
    config.save_config({"theme": "nord", "future": [1, 2]})
    assert config.load_config() == ({"theme": "nord", "future": [1, 2]}, None)
    config.save_config({"theme": "gruvbox"})
    assert config.load_config() == ({"theme": "gruvbox"}, None)
    # No temp files left beside it.
    assert [p.name for p in config.config_path().parent.iterdir()] == ["config.json"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"theme": "nord",', "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b'["theme"]', "JSON object"),
        (b'{"theme": 42}', "'theme' must be str"),
        (b"", "not valid JSON"),
    ],
)
def test_broken_file_warns_and_is_left_untouched(content: bytes, expected: str) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded, warning = config.load_config()
    assert loaded == {}
    assert warning is not None
    assert expected in warning
    assert str(path) in warning
    assert "\n" not in warning
    assert path.read_bytes() == content


def test_broken_file_is_replaced_only_when_saving() -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{oops")
    config.load_config()
    assert path.read_text() == "{oops"
    config.save_config({"theme": "dracula"})
    assert json.loads(path.read_text()) == {"theme": "dracula"}


def test_save_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        config.save_config({"theme": 3})
    assert not config.config_path().exists()


def test_config_does_not_import_textual() -> None:
    code = "import sys, kamboard.config; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
