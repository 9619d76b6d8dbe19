"""The TUI's start: what waits until its first screen is painted (never in the core store).

Parsed JSON and the UI being built hold no garbage cycles yet, but the collector's passes
over them cost the first paint ~10 ms on a 10,000-card board. The TUI's entry pauses the
collector before the board is opened, the app freezes what exists when it starts, and the
collector runs again once the first screen is painted (the app calls :func:`resume_collector`
then). CLI commands and programs embedding the store keep Python's defaults.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause_collector() -> None:
    """Pause the cyclic collector until :func:`resume_collector` (no-op when already off)."""
    global _paused
    if gc.isenabled():
        _paused = True
        gc.disable()


def resume_collector() -> None:
    """Turn the collector on again if :func:`pause_collector` turned it off (the first screen is
    painted, or the app ends before it)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def freeze_startup_objects() -> None:
    """Keep the collector off what exists when the first app starts (modules, the board's parsed
    data: 10,000 cards are 30,000 tracked objects), once per process. Freed data is still freed
    by reference counting (JSON has no cycles)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
