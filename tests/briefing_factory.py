"""Hand-built briefings for renderer tests: no parser, no engine, so rendering is tested alone.

``full_briefing()`` is a realistic full call (the size the one-page print test must fit);
``minimal_briefing()`` is the emptiest briefing a pipeline can produce.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from briefing.schemas import (
    Briefing,
    BriefingWarning,
    CallUsage,
    GuidanceItem,
    Header,
    KeyFigure,
    Notable,
    NotableKind,
    Point,
    QAItem,
    Usage,
)
from briefing.transcript.model import Participant

GENERATED_AT = datetime(2026, 10, 29, 21, 5, tzinfo=UTC)


def point(text: str, line: int, speaker: str | None = "Dana Whitfield") -> Point:
    return Point(text=text, quote=text, speaker=speaker, line_start=line, line_end=line + 1)


def figure(
    metric: str,
    value: str,
    comparison: str | None,
    line: int,
    gaap: Literal["gaap", "non-gaap"] | None = None,
) -> KeyFigure:
    return KeyFigure(
        metric=metric,
        value=value,
        comparison=comparison,
        gaap=gaap,
        speaker="Marcus Feld",
        quote=f"{metric} was {value}.",
        computed=False,
        line_start=line,
        line_end=line,
    )


def guidance(metric: str, period: str | None, text: str, line: int, **kw: Any) -> GuidanceItem:
    fields: dict[str, Any] = {
        "low": None,
        "high": None,
        "value": None,
        "unit": None,
        "currency": None,
        "basis": None,
        "gaap": None,
        "direction": None,
        "status": None,
    }
    fields.update(kw)
    return GuidanceItem(
        metric=metric,
        period=period,
        text=text,
        speaker="Marcus Feld",
        quote=f"We expect {metric} of {text}.",
        line_start=line,
        line_end=line + 1,
        **fields,
    )


def notable(kind: NotableKind, text: str, line: int) -> Notable:
    return Notable(
        kind=kind, text=text, speaker="Dana Whitfield", quote=text, line_start=line, line_end=line
    )


def qa(
    index: int,
    analyst: str,
    firm: str | None,
    question: str,
    answer: str,
    line: int,
    *,
    by: tuple[str, ...] = ("Dana Whitfield",),
    via: str | None = None,
    non_answer: bool = False,
) -> QAItem:
    return QAItem(
        index=index,
        analyst=analyst,
        firm=firm,
        question=question,
        answer=answer,
        answered_by=list(by),
        via=via,
        non_answer=non_answer,
        question_lines=(line, line + 2),
        answer_lines=(line + 4, line + 9),
    )


def header(**overrides: Any) -> Header:
    fields: dict[str, Any] = {
        "company": "Northwind Robotics",
        "fiscal_period": "Q3 2026",
        "call_date": date(2026, 10, 29),
        "title": "Q3 2026 Northwind Robotics Inc Earnings Call",
        "executives": [
            Participant(name="Priya Raman", title="VP Investor Relations", role="ir"),
            Participant(name="Dana Whitfield", title="Chief Executive Officer", role="ceo"),
            Participant(name="Marcus Feld", title="Chief Financial Officer", role="cfo"),
            Participant(name="Elena Sokolova", title="Chief Operating Officer", role="coo"),
        ],
        "analysts": [
            Participant(name="Tom Okafor", affiliation="Goldman Sachs", role="analyst"),
            Participant(name="Lisa Chen", affiliation="Morgan Stanley", role="analyst"),
            Participant(name="Raj Patel", affiliation="Jefferies", role="analyst"),
            Participant(name="Sofia Marin", affiliation="Bernstein", role="analyst"),
            Participant(name="Ben Hart", affiliation="KeyBanc Capital Markets", role="analyst"),
            Participant(name="Nora Lind", affiliation="UBS", role="analyst"),
        ],
        "source": "northwind-robotics-2026q3.txt",
        "layout": "refinitiv",
    }
    fields.update(overrides)
    return Header(**fields)


def full_briefing(**overrides: Any) -> Briefing:
    """A full call: every section filled about as much as an engine fills it."""
    fields: dict[str, Any] = {
        "header": header(),
        "tldr": [
            point("Revenue $1.24 billion, +18% YoY; record robot shipments of 4,150 units.", 40),
            point("Non-GAAP operating margin 14.2%, up 310 basis points YoY.", 61),
            point("Q4 revenue guided to $1.30 billion to $1.34 billion; FY2026 raised.", 77),
            point("New $500 million buyback; CFO Marcus Feld to retire in March 2027.", 82),
            point("Analysts pressed on China tariffs and the Atlas 2 ramp.", 95),
        ],
        "figures": [
            figure("Revenue", "$1.24 billion", "+18% YoY", 40),
            figure("Robot shipments", "4,150 units", "+22% YoY", 41),
            figure("Recurring software revenue", "$212 million", "+35% YoY", 44),
            figure("Gross margin", "47.8%", "+190 bps YoY", 58, gaap="gaap"),
            figure("Operating margin", "14.2%", "vs 11.1% a year ago", 61, gaap="non-gaap"),
            figure("Diluted EPS", "$1.12", "vs $0.84 a year ago", 63, gaap="non-gaap"),
            figure("Diluted EPS", "$0.91", None, 63, gaap="gaap"),
            figure("Free cash flow", "$188 million", "+41% YoY", 66),
            figure("Industrial segment revenue", "$846 million", "+12% YoY", 48),
            figure("Logistics segment revenue", "$394 million", "+34% YoY, +9% QoQ", 50),
            figure("Backlog", "$2.7 billion", "+15% QoQ", 52),
            figure("Cash and investments", "$1.9 billion", None, 68),
        ],
        "guidance": [
            guidance(
                "Revenue",
                "Q4 2026",
                "$1.30 billion to $1.34 billion",
                77,
                low=1.30,
                high=1.34,
                unit="billion",
                currency="USD",
                basis="absolute",
            ),
            guidance(
                "Operating margin",
                "Q4 2026",
                "14.5% to 15.0%",
                78,
                low=14.5,
                high=15.0,
                unit="%",
                gaap="non-gaap",
            ),
            guidance(
                "Revenue growth",
                "FY2026",
                "17% to 18%",
                80,
                low=17.0,
                high=18.0,
                unit="%",
                basis="YoY growth",
                status="raised",
            ),
            guidance("Diluted EPS", "FY2026", "$4.10 to $4.20", 81, gaap="non-gaap"),
            guidance("Capital expenditure", "FY2026", "about $150 million", 81),
            guidance("Logistics demand", "2027", "gradual improvement", 120, direction="up"),
        ],
        "ceo_remarks": [
            point("Record quarter: revenue crossed $1.2 billion for the first time.", 30),
            point("Atlas 2 mobile manipulator entered volume production in September.", 32),
            point("Logistics wins with 3 of the top 10 US grocers.", 34),
            point("Software attach rate reached 61% of new robots sold.", 36),
        ],
        "cfo_remarks": [
            point("Gross margin expansion from mix and lower component costs.", 58, "Marcus Feld"),
            point("Operating expenses $421 million, 34% of revenue.", 60, "Marcus Feld"),
            point(
                "Repurchased 1.1 million shares for $96 million in the quarter.", 70, "Marcus Feld"
            ),
            point("Quarterly dividend of $0.12 per share, payable December 15.", 72, "Marcus Feld"),
        ],
        "other_remarks": [
            point(
                "Mexico plant reached 80% utilisation; lead times down to 9 weeks.",
                86,
                "Elena Sokolova",
            ),
        ],
        "qa": [
            qa(
                1,
                "Tom Okafor",
                "Goldman Sachs",
                "How much of the Q4 guide depends on Atlas 2 shipments?",
                "About a third of Q4 logistics revenue; units already in backlog.",
                96,
            ),
            qa(
                2,
                "Lisa Chen",
                "Morgan Stanley",
                "What is the gross margin impact of the new China tariffs?",
                "About 40 basis points in Q4, offset by supplier moves in 2027.",
                108,
                by=("Marcus Feld",),
            ),
            qa(
                3,
                "Raj Patel",
                "Jefferies",
                "Will you give a 2027 revenue framework now?",
                "We will guide 2027 in February; demand signals stay healthy.",
                120,
                non_answer=True,
            ),
            qa(
                4,
                "Sofia Marin",
                "Bernstein",
                "Why did the recurring software mix rise so fast, and is it durable?",
                "Fleet management renewals at 97%; price increase in July stuck.",
                132,
            ),
            qa(
                5,
                "Ben Hart",
                "KeyBanc Capital Markets",
                "Follow-up on buyback pace versus M&A appetite?",
                "Buyback is the base case; tuck-in deals under $100 million possible.",
                144,
                by=("Marcus Feld", "Dana Whitfield"),
            ),
            qa(
                6,
                "Nora Lind",
                "UBS",
                "Who succeeds Marcus Feld, and is the search internal?",
                "Search is under way with internal and external candidates.",
                156,
                via="Priya Raman",
            ),
        ],
        "notable": [
            notable("management_change", "CFO Marcus Feld to retire in March 2027.", 84),
            notable("capital_return", "New $500 million share repurchase authorization.", 70),
            notable("capital_return", "Dividend of $0.12 per share, record date December 1.", 72),
            notable("discontinued", "Exiting consumer lawn robots; $14 million charge.", 74),
        ],
        "warnings": [
            BriefingWarning(
                kind="contradiction",
                message="Backlog stated as $2.7 billion (remarks) and $2.6 billion (Q&A).",
                lines=[(52, 52), (139, 140)],
            )
        ],
        "usage": Usage(engine="offline"),
        "generated_at": GENERATED_AT,
    }
    fields.update(overrides)
    return Briefing(**fields)


def llm_usage() -> Usage:
    return Usage(
        engine="openai",
        model="gpt-4o-mini",
        calls=12,
        prompt_tokens=48210,
        cached_tokens=30500,
        completion_tokens=5120,
        cost_usd=0.0123,
        details=[
            CallUsage(
                section="tldr",
                attempt=1,
                prompt_tokens=4000,
                cached_tokens=3000,
                completion_tokens=300,
                ok=True,
            )
        ],
    )


def minimal_briefing() -> Briefing:
    """What a pipeline produces from a transcript with no recognisable content."""
    return Briefing(
        header=Header(
            company=None,
            fiscal_period=None,
            call_date=None,
            title=None,
            executives=[],
            analysts=[],
            source=None,
            layout="plain",
        ),
        tldr=[],
        figures=[],
        guidance=[],
        ceo_remarks=[],
        cfo_remarks=[],
        other_remarks=[],
        qa=[],
        notable=[],
        warnings=[],
        usage=Usage(engine="offline"),
        generated_at=GENERATED_AT,
    )


def crowded_briefing() -> Briefing:
    """A call at the pipeline's 800-word cap, with sentence-long items as extractive engines
    write them: the hardest page the one-page print must still fit."""
    said = (
        "We expect the ramp to continue through the fourth quarter as the second line in "
        "Monterrey comes online, and we see no change to the demand signals in our pipeline"
    )
    b = full_briefing()
    return full_briefing(
        figures=b.figures
        + [
            figure(f"Region {i} revenue", f"${100 + i} million", "+7% YoY", 40 + i)
            for i in range(8)
        ],
        guidance=b.guidance
        + [guidance(f"Outlook item {i}", "H1 2027", said, 90 + i) for i in range(5)],
        qa=[q.model_copy(update={"answer": f"{q.answer} {said}."}) for q in b.qa]
        + [qa(7, "Ada Berg", "Barclays", f"{said}?", f"{said}.", 170, non_answer=True)],
    )
