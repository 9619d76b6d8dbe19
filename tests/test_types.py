"""The package type-checks: mypy over kamboard/ with the settings in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_error(tmp_path: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    out, err, code = api.run(["--config-file", config, "--cache-dir", str(tmp_path / "cache"), str(ROOT / "kamboard")])
    assert code == 0, out + err
    assert "Success: no issues found" in out
