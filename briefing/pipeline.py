"""transcript -> segments -> one engine call per section -> grounded outputs -> Briefing."""

from __future__ import annotations

from briefing.engines.base import Engine
from briefing.schemas import Briefing
from briefing.transcript.model import Transcript


async def build_briefing(transcript: Transcript, engine: Engine) -> Briefing:
    """Run every section through ``engine``, ground each output and assemble the page."""
    raise NotImplementedError("the pipeline is being written (issue 3)")
