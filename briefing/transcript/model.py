"""The parsed transcript: the one structure every later stage reads.

Nothing downstream opens the source file again: the source lines travel with the
``Transcript`` (``source_lines``, 1-based through ``line()``) so that grounding can check
each figure against the exact lines it came from.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal[
    "ceo",
    "cfo",
    "coo",
    "president",
    "chair",
    "ir",
    "executive",
    "analyst",
    "operator",
    "unknown",
]
Section = Literal["presentation", "qa"]
RemarksGroup = Literal["ceo", "cfo", "other"]
EXECUTIVE_ROLES: frozenset[str] = frozenset(
    {"ceo", "cfo", "coo", "president", "chair", "ir", "executive"}
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Participant(_Model):
    """A person on the call, as listed or as inferred from what was said."""

    name: str
    affiliation: str | None = None
    title: str | None = None
    role: Role = "unknown"


class Turn(_Model):
    """One uninterrupted stretch of speech by one speaker.

    ``line_start``/``line_end`` are 1-based and inclusive, pointing at the source lines that
    hold ``text``. For an interpreted answer the speaker is the executive and ``via`` names
    the interpreter whose words ``text`` holds; the placeholder turn ("spoken in foreign
    language") has ``placeholder`` set and carries no content.
    """

    index: int
    speaker: str
    role: Role = "unknown"
    affiliation: str | None = None
    section: Section = "presentation"
    text: str
    line_start: int
    line_end: int
    via: str | None = None
    placeholder: bool = False


class Remarks(_Model):
    """Prepared remarks of one role group (CEO, CFO, other executives), in order."""

    group: RemarksGroup
    speakers: list[str]
    turns: list[Turn]


class Exchange(_Model):
    """One analyst's question (with follow-ups) and the answers it drew."""

    index: int
    name: str
    firm: str | None = None
    questions: list[Turn]
    answers: list[Turn]
    answered_by: list[str]
    via: str | None = None


class Transcript(_Model):
    """A parsed earnings call."""

    source: str | None = None
    layout: str
    title: str | None = None
    company: str | None = None
    fiscal_period: str | None = None
    call_date: date | None = None
    participants: list[Participant] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    remarks: list[Remarks] = Field(default_factory=list)
    exchanges: list[Exchange] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    source_lines: list[str] = Field(default_factory=list, exclude=True, repr=False)

    def line(self, number: int) -> str:
        """The source line ``number`` (1-based)."""
        return self.source_lines[number - 1]

    def lines_text(self, start: int, end: int) -> str:
        """The source lines ``start``..``end`` (1-based, inclusive) joined by newlines."""
        return "\n".join(self.source_lines[start - 1 : end])

    def participant(self, name: str) -> Participant | None:
        for p in self.participants:
            if p.name == name:
                return p
        return None
