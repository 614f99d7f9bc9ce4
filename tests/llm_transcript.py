"""A small fictional earnings call, built directly as a ``Transcript`` for the LLM tests.

Built without the reader so that the engine's tests do not move when the parser does: one
source line per turn, ``Speaker: text``.
"""

from __future__ import annotations

from datetime import date

from briefing.transcript.model import (
    Exchange,
    Participant,
    Remarks,
    Role,
    Section,
    Transcript,
    Turn,
)

_TURNS: list[tuple[str, Role, Section, str]] = [
    (
        "Operator",
        "operator",
        "presentation",
        "Good day and welcome to the Lumen Ferries third quarter 2031 earnings call.",
    ),
    (
        "Ada Brightwater",
        "ceo",
        "presentation",
        "Ridership reached 4.2 million passengers in the quarter, up 12% year over year. "
        "We opened the Harbor Loop route in August and retired two diesel vessels.",
    ),
    (
        "Ilse Marrow",
        "cfo",
        "presentation",
        "Revenue was $182.5 million, up 9.4% year over year. "
        "Adjusted EBITDA margin was 21.3%, up 150 basis points. "
        "For the fourth quarter, we expect revenue of $190 million to $196 million.",
    ),
    (
        "Operator",
        "operator",
        "qa",
        "Our first question comes from Theo Quill with Larkspur Securities.",
    ),
    (
        "Theo Quill",
        "analyst",
        "qa",
        "How should we think about fuel costs next year given the new electric fleet?",
    ),
    (
        "Ilse Marrow",
        "cfo",
        "qa",
        "We expect fuel cost per passenger to fall by about 8% in 2032 as the electric "
        "vessels enter service. The savings build through the year.",
    ),
    (
        "Operator",
        "operator",
        "qa",
        "Our next question comes from Mina Osei with Corbel Partners.",
    ),
    ("Mina Osei", "analyst", "qa", "Will you raise the dividend this year?"),
    (
        "Ada Brightwater",
        "ceo",
        "qa",
        "We don't comment on dividend decisions ahead of the board. Our priority remains "
        "the fleet renewal program.",
    ),
]


def make_transcript(*, long_remarks: int = 0) -> Transcript:
    """The fictional call; ``long_remarks`` appends that many extra CFO sentences."""
    rows = list(_TURNS)
    if long_remarks:
        extra = " ".join(
            f"Terminal {n} handled {1000 + n} sailings in the quarter." for n in range(long_remarks)
        )
        name, role, section, text = rows[2]
        rows[2] = (name, role, section, f"{text} {extra}")
    lines: list[str] = []
    turns: list[Turn] = []
    for i, (speaker, role, section, text) in enumerate(rows):
        lines.append(f"{speaker}: {text}")
        turns.append(
            Turn(
                index=i,
                speaker=speaker,
                role=role,
                section=section,
                text=text,
                line_start=i + 1,
                line_end=i + 1,
            )
        )
    remarks = [
        Remarks(group="ceo", speakers=["Ada Brightwater"], turns=[turns[1]]),
        Remarks(group="cfo", speakers=["Ilse Marrow"], turns=[turns[2]]),
    ]
    exchanges = [
        Exchange(
            index=1,
            name="Theo Quill",
            firm="Larkspur Securities",
            questions=[turns[4]],
            answers=[turns[5]],
            answered_by=["Ilse Marrow"],
        ),
        Exchange(
            index=2,
            name="Mina Osei",
            firm="Corbel Partners",
            questions=[turns[7]],
            answers=[turns[8]],
            answered_by=["Ada Brightwater"],
        ),
    ]
    return Transcript(
        source="lumen-ferries-2031q3.txt",
        layout="test",
        title="Lumen Ferries Q3 2031 Earnings Call",
        company="Lumen Ferries",
        fiscal_period="Q3 2031",
        call_date=date(2031, 10, 30),
        participants=[
            Participant(name="Ada Brightwater", title="Chief Executive Officer", role="ceo"),
            Participant(name="Ilse Marrow", title="Chief Financial Officer", role="cfo"),
            Participant(name="Theo Quill", affiliation="Larkspur Securities", role="analyst"),
            Participant(name="Mina Osei", affiliation="Corbel Partners", role="analyst"),
        ],
        turns=turns,
        remarks=remarks,
        exchanges=exchanges,
        source_lines=lines,
    )
