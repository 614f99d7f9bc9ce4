"""Reading transcripts: layouts, the ``Transcript`` model and its segments."""

from briefing.transcript.model import (
    Exchange,
    Participant,
    Remarks,
    Role,
    Section,
    Transcript,
    Turn,
)

__all__ = ["Exchange", "Participant", "Remarks", "Role", "Section", "Transcript", "Turn"]
