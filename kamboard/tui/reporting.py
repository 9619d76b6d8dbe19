"""Errors from the store or a validation, shown as a one-line toast: ``with reporting(self): ...``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.app import App
from textual.widget import Widget

from kamboard.errors import BoardError
from kamboard.model import ValidationError


def message_of(error: Exception) -> str:
    return error.message if isinstance(error, ValidationError) else str(error)


def report(node: Widget | App[Any], error: Exception, prefix: str = "") -> None:
    """``error`` as an error toast (user text shown literally)."""
    node.notify(prefix + message_of(error), severity="error", markup=False, timeout=8)


@contextmanager
def reporting(node: Widget | App[Any], prefix: str = "") -> Iterator[None]:
    """Run the block; a BoardError or ValidationError ends it and is shown as a toast."""
    try:
        yield
    except (BoardError, ValidationError) as exc:
        report(node, exc, prefix)
