"""The one small interface every engine implements.

An engine turns one segment of a parsed transcript into one section output. It knows the
schemas (and may use grounding to check itself) but never renders. The pipeline calls the
section methods concurrently, grounds every output, and assembles the ``Briefing``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from briefing.schemas import (
    ExchangeOutput,
    GuidanceOutput,
    RemarksOutput,
    TldrOutput,
    Usage,
)
from briefing.transcript.model import Exchange, Remarks, Transcript


class SectionDigest(Protocol):
    """What the TL;DR pass sees: the grounded section outputs, not the raw transcript."""

    remarks: dict[str, RemarksOutput]
    exchanges: list[ExchangeOutput]


@runtime_checkable
class Engine(Protocol):
    """Produces section outputs for one transcript at a time."""

    name: str
    model: str | None

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        """Bullets, figures, guidance and notable items of one group's prepared remarks."""
        ...

    async def exchange(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        """The question, the answer, and any figures or guidance given in the answer."""
        ...

    async def guidance(self, transcript: Transcript) -> GuidanceOutput:
        """Every forward-looking statement, prepared remarks and Q&A answers alike."""
        ...

    async def tldr(self, transcript: Transcript, sections: SectionDigest) -> TldrOutput:
        """3-5 bullets synthesised from the grounded section outputs."""
        ...

    def usage(self, transcript: Transcript | None = None) -> Usage:
        """Calls, tokens and cost spent so far, or only on ``transcript`` (one briefing of a
        batch); zero for the offline engine."""
        ...
