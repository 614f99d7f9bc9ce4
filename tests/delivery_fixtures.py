"""Fictional briefings and transcripts for the store and delivery tests (no real call)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from briefing.schemas import (
    Briefing,
    GuidanceItem,
    Header,
    KeyFigure,
    Notable,
    Point,
    QAItem,
    Usage,
)
from briefing.transcript.model import Participant


def make_briefing(
    company: str = "Acme Widgets",
    period: str = "Q2 2026",
    *,
    revenue: str = "$1.20 billion",
    question: str = "How durable is the widget demand into the second half?",
    n_qa: int = 2,
) -> Briefing:
    """A small but complete briefing of a fictional call."""
    quote = f"Revenue was {revenue}, up 8% year over year."
    return Briefing(
        header=Header(
            company=company,
            fiscal_period=period,
            call_date=date(2026, 7, 30),
            title=f"{company} {period} Earnings Call",
            executives=[Participant(name="Jane Roe", title="CEO", role="ceo")],
            analysts=[Participant(name="Sam Poe", affiliation="Fictive Securities")],
            source=f"{company.lower().replace(' ', '-')}.txt",
            layout="plain",
        ),
        tldr=[
            Point(
                text=f"Revenue {revenue}, +8% YoY",
                quote=quote,
                speaker="Jane Roe",
                line_start=5,
                line_end=5,
            )
        ],
        figures=[
            KeyFigure(
                metric="Revenue",
                value=revenue,
                comparison="+8% YoY",
                gaap="gaap",
                speaker="Jane Roe",
                quote=quote,
                computed=False,
                line_start=5,
                line_end=5,
            )
        ],
        guidance=[
            GuidanceItem(
                metric="Revenue",
                period="Q3 2026",
                text="$1.25 billion to $1.30 billion",
                low=1.25,
                high=1.30,
                value=None,
                unit="billion",
                currency="USD",
                basis="absolute",
                gaap="gaap",
                direction=None,
                status="new",
                speaker="Jane Roe",
                quote="We expect revenue of $1.25 billion to $1.30 billion in Q3.",
                line_start=9,
                line_end=9,
            )
        ],
        ceo_remarks=[
            Point(
                text="Demand stayed firm", quote=quote, speaker="Jane Roe", line_start=5, line_end=5
            )
        ],
        cfo_remarks=[],
        other_remarks=[],
        qa=[
            QAItem(
                index=i,
                analyst="Sam Poe",
                firm="Fictive Securities",
                question=question if i == 1 else f"Follow-up question number {i} on margins?",
                answer="Demand is steady and orders are booked through September.",
                answered_by=["Jane Roe"],
                via=None,
                non_answer=False,
                question_lines=(20 + i, 20 + i),
                answer_lines=(22 + i, 22 + i),
            )
            for i in range(1, n_qa + 1)
        ],
        notable=[
            Notable(
                kind="capital_return",
                text="New $200 million buyback",
                speaker="Jane Roe",
                quote="The board approved a new $200 million buyback.",
                line_start=11,
                line_end=11,
            )
        ],
        warnings=[],
        usage=Usage(engine="offline"),
        generated_at=datetime(2026, 7, 30, 18, 0, tzinfo=UTC),
    )
