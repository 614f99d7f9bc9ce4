"""Reading a transcript file (text, PDF, speaker-tagged JSON) into a ``Transcript``."""

from __future__ import annotations

from pathlib import Path

from briefing.transcript.model import Transcript


def parse_transcript(source: str | Path, *, layout: str | None = None) -> Transcript:
    """Parse a transcript from a path or from its text."""
    raise NotImplementedError("the reader is being written (issue 2)")
