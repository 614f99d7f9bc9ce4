"""Hand-built transcripts for grounding, engine and pipeline tests (no parser involved).

The company, the people and every figure are invented.
"""

from __future__ import annotations

from briefing.transcript.model import Exchange, Remarks, Role, Transcript, Turn

SPEAKERS: dict[str, tuple[Role, str | None]] = {
    "Operator": ("operator", None),
    "Mia Torres": ("ceo", "Harbor Lights Inc"),
    "Owen Blake": ("cfo", "Harbor Lights Inc"),
    "Ravi Nair": ("analyst", "Kestrel Partners"),
    "Jo Park": ("analyst", "Lumen Securities"),
}

SCRIPT: list[tuple[str, str, str]] = [
    ("presentation", "Operator", "Welcome to the Harbor Lights third quarter 2026 call."),
    (
        "presentation",
        "Mia Torres",
        "Thank you. Revenue increased by 12.5% year over year to $2.48 billion. "
        "We completed the acquisition of Brightwave Labs in August. "
        "We have decided to discontinue our legacy kiosk line by the end of 2026.",
    ),
    (
        "presentation",
        "Owen Blake",
        "Thanks, Mia. GAAP gross margin was 41.2%, up 150 basis points from a year ago. "
        "Non-GAAP EPS was $1.07 versus $0.91 in Q3 2025. "
        "Our Board approved a dividend of $0.25 per share, payable to holders of record on "
        "December 4. We repurchased 1,200,000 shares for $48 million under the $300 million "
        "authorization. For the fourth quarter of 2026, we expect revenue of $2.55 billion to "
        "$2.65 billion. We expect operating expenses to remain largely stable.",
    ),
    ("qa", "Operator", "Our first question comes from Ravi Nair with Kestrel Partners."),
    (
        "qa",
        "Ravi Nair",
        "Congratulations on the quarter. How should we think about kiosk margins next year, "
        "and is the Brightwave integration on schedule?",
    ),
    (
        "qa",
        "Mia Torres",
        "Thanks, Ravi. The integration is on schedule. In the long run, we believe 18% to 20% "
        "is a reasonable operating margin for the combined business.",
    ),
    ("qa", "Operator", "Next, Jo Park with Lumen Securities."),
    ("qa", "Jo Park", "Can you give us a number for 2027 revenue?"),
    (
        "qa",
        "Owen Blake",
        "We don't guide beyond the current year, so it is too early to say.",
    ),
]


def build_transcript(script: list[tuple[str, str, str]] | None = None) -> Transcript:
    """A transcript whose source lines are "Speaker" / text / blank, with turns pointing at
    the text lines, remarks grouped by role and one exchange per analyst."""
    lines: list[str] = ["HARBOR LIGHTS INC Q3 2026 EARNINGS CALL", ""]
    turns: list[Turn] = []
    for index, (section, speaker, text) in enumerate(script or SCRIPT):
        role, firm = SPEAKERS[speaker]
        lines.append(speaker)
        lines.append(text)
        turns.append(
            Turn(
                index=index,
                speaker=speaker,
                role=role,
                affiliation=firm,
                section=section,
                text=text,
                line_start=len(lines),
                line_end=len(lines),
            )
        )
        lines.append("")
    remarks = [
        Remarks(
            group=group,
            speakers=sorted({t.speaker for t in turns if t.role == group}),
            turns=[t for t in turns if t.role == group and t.section == "presentation"],
        )
        for group in ("ceo", "cfo")
    ]
    exchanges: list[Exchange] = []
    for t in turns:
        if t.role == "analyst":
            exchanges.append(
                Exchange(
                    index=len(exchanges) + 1,
                    name=t.speaker,
                    firm=t.affiliation,
                    questions=[t],
                    answers=[],
                    answered_by=[],
                )
            )
        elif t.section == "qa" and t.role in {"ceo", "cfo"} and exchanges:
            exchanges[-1].answers.append(t)
            exchanges[-1].answered_by.append(t.speaker)
    return Transcript(
        source="harbor-lights-2026q3.txt",
        layout="test",
        company="Harbor Lights",
        fiscal_period="Q3 2026",
        turns=turns,
        remarks=remarks,
        exchanges=exchanges,
        source_lines=lines,
    )
