"""User settings (theme, ...) in a small JSON file in the OS config folder.

No Textual here: the CLI reads this too. A broken file never crashes the program: it is
ignored with a one-line warning and left untouched until the user changes a setting.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from kamboard.i18n import _
from kamboard.storage import atomic_write

CONFIG_FILE = "config.json"
# Known keys and the type each must have; unknown keys are kept as they are.
KNOWN_KEYS: dict[str, type] = {"theme": str, "language": str}


def config_path() -> Path:
    """Where the config lives: $KAMBOARD_CONFIG_DIR/config.json, else the platform's config folder."""
    folder = os.environ.get("KAMBOARD_CONFIG_DIR") or platformdirs.user_config_dir("kamboard")
    return Path(folder) / CONFIG_FILE


def load_config() -> tuple[dict[str, Any], str | None]:
    """Return ``(config, warning)``; a missing file is ``({}, None)``, a bad one ``({}, "...")``."""
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, _("Settings file {path} could not be read ({reason}); using defaults.").format(
            path=path, reason=error.strerror or error
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        if isinstance(error, json.JSONDecodeError):
            reason = _("line {line}: {reason}").format(line=error.lineno, reason=error.msg)
        else:
            reason = _("not UTF-8")
        return {}, _("Settings file {path} is not valid JSON ({reason}); using defaults.").format(
            path=path, reason=reason
        )
    if not isinstance(data, dict):
        return {}, _("Settings file {path} must hold a JSON object; using defaults.").format(path=path)
    for key, kind in KNOWN_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            return {}, _("Settings file {path}: {key!r} must be {kind}; using defaults.").format(
                path=path, key=key, kind=kind.__name__
            )
    return data, None


def save_config(config: dict[str, Any]) -> None:
    """Write the whole config atomically (creating the folder if needed)."""
    for key, kind in KNOWN_KEYS.items():
        if key in config and not isinstance(config[key], kind):
            raise TypeError(f"config {key!r} must be {kind.__name__}")
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(config, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    atomic_write(str(path), payload, mode)
