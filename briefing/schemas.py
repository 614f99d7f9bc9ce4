"""What a briefing holds: the contract between engines, grounding and renderers.

Two layers:

* Section outputs (``RemarksOutput``, ``ExchangeOutput``, ``TldrOutput``): what one engine
  call returns. They are strict-mode compatible for LLM structured outputs: every field is
  required, optional ones are nullable, no defaults. Items carry a verbatim ``quote`` from
  the section; grounding locates it and fills ``line_start``/``line_end`` (an engine may
  leave them null).
* The assembled ``Briefing``: header, TL;DR, figures, guidance, remarks, Q&A, notable,
  warnings, usage. Renderers read only this.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from briefing.transcript.model import Participant

NotableKind = Literal[
    "management_change",
    "acquisition",
    "disposal",
    "discontinued",
    "restructuring",
    "litigation",
    "regulation",
    "capital_return",
    "one_off",
    "accounting",
    "other",
]
Direction = Literal["up", "down", "stable", "mixed"]
GuidanceStatus = Literal["new", "raised", "maintained", "lowered", "withdrawn"]
WarningKind = Literal[
    "section_failed",
    "fallback",
    "truncated",
    "contradiction",
    "ungrounded",
    "parse",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Point(_Strict):
    """A bullet: a short statement and the verbatim transcript text it rests on."""

    text: str = Field(description="One short line; figures copied exactly as written.")
    quote: str = Field(description="Verbatim sentence(s) from the section that support it.")
    speaker: str | None = Field(description="Who said it, as named in the transcript.")
    line_start: int | None = Field(description="First source line of the quote; null if unknown.")
    line_end: int | None = Field(description="Last source line of the quote; null if unknown.")


class KeyFigure(_Strict):
    """A reported metric of the period."""

    metric: str = Field(description="What is measured, e.g. 'Revenue', 'Non-GAAP net income'.")
    value: str = Field(description="The figure exactly as written, with unit and currency.")
    comparison: str | None = Field(
        description="Comparison stated in the call, e.g. '+6.3% YoY', 'vs 4.9% in Q1'."
    )
    gaap: Literal["gaap", "non-gaap"] | None = Field(description="Label when the call gives it.")
    speaker: str | None
    quote: str = Field(description="Verbatim sentence holding the figure.")
    computed: bool = Field(description="True only for a derived figure, checked correct.")
    line_start: int | None
    line_end: int | None


class GuidanceItem(_Strict):
    """One forward-looking statement as structured data."""

    metric: str
    period: str | None = Field(description="The period it covers, e.g. 'Q3 2024', 'FY2025'.")
    text: str = Field(description="The guided figure or range as written, or the words used.")
    low: float | None = Field(description="Low end of a range, in the stated unit.")
    high: float | None = Field(description="High end of a range, in the stated unit.")
    value: float | None = Field(description="A single guided value, in the stated unit.")
    unit: str | None = Field(description="e.g. 'billion', 'million', '%', 'bps'.")
    currency: str | None = Field(description="e.g. 'USD', 'RMB', 'EUR'.")
    basis: str | None = Field(description="e.g. 'YoY growth', 'absolute', 'sequential'.")
    gaap: Literal["gaap", "non-gaap"] | None
    direction: Direction | None = Field(description="Qualitative direction when no figure.")
    status: GuidanceStatus | None = Field(description="Only when the call says so.")
    speaker: str | None
    quote: str = Field(description="Verbatim forward-looking sentence.")
    line_start: int | None
    line_end: int | None


class Notable(_Strict):
    """Something a reader must not miss: management change, disposal, capital return..."""

    kind: NotableKind
    text: str
    speaker: str | None
    quote: str
    line_start: int | None
    line_end: int | None


class RemarksOutput(_Strict):
    """One engine call's output for a group of prepared remarks (CEO, CFO, others)."""

    bullets: list[Point]
    figures: list[KeyFigure]
    guidance: list[GuidanceItem]
    notable: list[Notable]


class ExchangeOutput(_Strict):
    """One engine call's output for one Q&A exchange."""

    question: str = Field(description="The analyst's ask in one line.")
    answer: str = Field(description="The answer's substance in one or two lines.")
    answer_quote: str = Field(description="Verbatim answer sentence(s) it rests on.")
    non_answer: bool = Field(description="True when the answer does not address the question.")
    figures: list[KeyFigure]
    guidance: list[GuidanceItem]
    notable: list[Notable]


class GuidanceOutput(_Strict):
    """The guidance pass: every forward-looking statement of the call."""

    items: list[GuidanceItem]


class TldrOutput(_Strict):
    """The 3-5 bullets a portfolio manager reads in ten seconds."""

    bullets: list[Point]


class QAItem(_Strict):
    """One exchange as shown in the briefing."""

    index: int
    analyst: str
    firm: str | None
    question: str
    answer: str
    answered_by: list[str]
    via: str | None
    non_answer: bool
    question_lines: tuple[int, int] | None
    answer_lines: tuple[int, int] | None


class BriefingWarning(_Strict):
    """Something the reader must know about how this briefing was made."""

    kind: WarningKind
    message: str
    lines: list[tuple[int, int]] = Field(default_factory=list)


class CallUsage(_Strict):
    """Tokens of one model call (every attempt counts, failed ones too)."""

    section: str
    attempt: int
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    ok: bool
    cached_response: bool = False


class Usage(_Strict):
    engine: str
    model: str | None = None
    calls: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    details: list[CallUsage] = Field(default_factory=list)


class Header(_Strict):
    company: str | None
    fiscal_period: str | None
    call_date: date | None
    title: str | None
    executives: list[Participant]
    analysts: list[Participant]
    source: str | None
    layout: str


class Briefing(_Strict):
    """The one-page briefing: what every renderer reads."""

    header: Header
    tldr: list[Point]
    figures: list[KeyFigure]
    guidance: list[GuidanceItem]
    ceo_remarks: list[Point]
    cfo_remarks: list[Point]
    other_remarks: list[Point]
    qa: list[QAItem]
    notable: list[Notable]
    warnings: list[BriefingWarning]
    usage: Usage
    generated_at: datetime
