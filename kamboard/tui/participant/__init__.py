"""The participant app of a hybrid workshop (one process per browser session)."""

from kamboard.tui.participant.app import ParticipantApp, run_participant

__all__ = ["ParticipantApp", "run_participant"]
