"""The same calls in the shapes real files take: no blank lines, no rules, PDF, no names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF

from briefing.transcript.model import Transcript
from briefing.transcript.reader import parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def _summary(t: Transcript) -> tuple[list[tuple[str, str | None]], dict[str, str]]:
    roles: dict[str, str] = {p.name: p.role for p in t.participants if p.role in {"ceo", "cfo"}}
    return [(e.name, e.firm) for e in t.exchanges], roles


@pytest.mark.parametrize(
    "name", ["refinitiv_interpreted.txt", "motley_fool.txt", "streetevents.txt", "plain.txt"]
)
def test_text_without_blank_lines_reads_the_same(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    squeezed = re.sub(r"\n\s*\n+", "\n", text)
    assert _summary(parse_transcript(squeezed)) == _summary(parse_transcript(text))


def test_streetevents_without_rules() -> None:
    text = (FIXTURES / "streetevents.txt").read_text(encoding="utf-8")
    bare = re.sub(r"^-{20,}\n", "", text, flags=re.M)
    t = parse_transcript(bare)
    assert t.layout == "streetevents"
    assert _summary(t) == _summary(parse_transcript(text))


def test_streetevents_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Courier", size=7)
    for line in (FIXTURES / "streetevents.txt").read_text(encoding="utf-8").splitlines():
        pdf.cell(0, 3.5, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "veltrix.pdf"
    pdf.output(str(path))
    t = parse_transcript(path)
    assert t.layout == "streetevents"
    assert _summary(t) == _summary(parse_transcript(FIXTURES / "streetevents.txt"))


def test_speaker_lines_standing_alone_in_plain_text() -> None:
    text = """Operator

Welcome to the Tarn Mining full year 2023 results call. I will now hand over to our CEO.

Ruth Ames - Chief Executive Officer

Thank you. Copper output rose 7% to 212,000 tonnes. I'll hand over to Paul Dunn, our CFO.

Paul Dunn

Thanks, Ruth. Underlying EBITDA was $1.9 billion.

Operator

Our first question comes from Ivo Sand with Fjord Securities.

Ivo Sand

What about the smelter?

Ruth Ames - Chief Executive Officer

It restarts in May.

Ivo Sand

And the dividend?

Paul Dunn

Unchanged.
"""
    t = parse_transcript(text)
    assert (t.company, t.fiscal_period) == ("Tarn Mining", "FY2023")
    assert _summary(t) == (
        [("Ivo Sand", "Fjord Securities")],
        {"Ruth Ames": "ceo", "Paul Dunn": "cfo"},
    )
    assert len(t.exchanges[0].questions) == 2


def test_roles_from_whole_titles_in_speech() -> None:
    text = "\n".join(
        [
            "Operator: Welcome to the Quarry Labs second quarter 2024 call.",
            "Ann Ito: Thank you. With me are Ben Ruiz, President and Chief Executive Officer;"
            " and Cleo Park, Executive Vice President and Chief Financial Officer."
            " We will make forward-looking statements.",
            "Ben Ruiz: Thanks, Ann. Revenue grew 12%.",
            "Cleo Park: Thanks, Ben. Margins were 31%.",
            "Operator: Our first question comes from Dev Shah with Pine Street.",
            "Dev Shah: How is demand?",
            "Ben Ruiz: Strong.",
        ]
    )
    t = parse_transcript(text)
    roles = {p.name: p.role for p in t.participants}
    assert roles == {
        "Operator": "operator",
        "Ann Ito": "ir",
        "Ben Ruiz": "ceo",
        "Cleo Park": "cfo",
        "Dev Shah": "analyst",
    }


def test_asr_names_from_self_introductions_and_speaking_order() -> None:
    text = "\n".join(
        [
            "[speaker 3] Good day and welcome to the Lark Air 2023 Q4 earnings call. Please note"
            " this conference is being recorded. I will now hand over to the company.",
            "[speaker 1] Thank you. Joining me today are Mr. Omar Sadiq, Chief Executive Officer,"
            " and Ms. Rosa Lind, Chief Financial Officer. Our remarks include forward looking"
            " statements. Please go ahead.",
            "[speaker 0] Good morning. Passenger numbers rose 18% this quarter. Please continue.",
            "[speaker 2] Good morning. Unit costs fell 3%. Operator, we are ready for questions.",
            "[speaker 3] Thank you. Your first question comes from the line of Jon Berg from"
            " Vale Capital. Please go ahead.",
            "[speaker 4] Hi, this is Jon Berg. What about fuel hedging?",
            "[speaker 2] We are 60% hedged for next year.",
            "[speaker 3] Thank you. There are no further questions. That does conclude our"
            " conference.",
        ]
    )
    t = parse_transcript(text)
    roles = {p.name: p.role for p in t.participants}
    assert roles["Omar Sadiq"] == "ceo"
    assert roles["Rosa Lind"] == "cfo"
    assert roles["Operator"] == "operator"
    assert [(e.name, e.firm, e.answered_by) for e in t.exchanges] == [
        ("Jon Berg", "Vale Capital", ["Rosa Lind"])
    ]


def test_unidentified_participants_ask_questions() -> None:
    rule = "-" * 80
    turns = [
        ("Operator", "Welcome to the Ardent Bio first quarter 2024 earnings call."),
        ("Maria Vos,  Ardent Bio Inc - CEO", "Revenue rose 9%. Let me hand over to Q&A."),
        ("Operator", "Our first question comes from the line of Sam Lee with Orca Partners."),
        ("Unidentified Participant", "Can you talk about the trial timeline?"),
        ("Maria Vos,  Ardent Bio Inc - CEO", "Data is due in the fall."),
        ("Unidentified Participant", "And who pays for the next phase?"),
        ("Maria Vos,  Ardent Bio Inc - CEO", "We fund it ourselves."),
    ]
    body = "\n".join(
        f"{rule}\n{label}    [{n}]\n{rule}\n{text}\n" for n, (label, text) in enumerate(turns, 1)
    )
    sections = "=" * 80
    text = f"Q1 2024 Ardent Bio Inc Earnings Call\n\n{sections}\nPresentation\n{sections}\n{body}"
    t = parse_transcript(text)
    assert [(e.name, e.firm, len(e.questions)) for e in t.exchanges] == [
        ("Sam Lee", "Orca Partners", 2)
    ]


def test_streetevents_without_participant_lists() -> None:
    """No roster: a sell-side "Executive Director" is still an analyst, not an executive."""
    text = (FIXTURES / "streetevents.txt").read_text(encoding="utf-8")
    start, end = text.index("Corporate Participants"), text.index("Presentation\n====")
    bare = text[:start] + text[end:]
    bare = bare.replace("Research Division - MD", "Research Division - Executive Director")
    t = parse_transcript(bare)
    roles = {p.name: p.role for p in t.participants}
    assert roles["Grace Liu"] == "analyst"
    assert (roles["Omar Reyes"], roles["Nora Vance"], roles["Liam Park"]) == ("ceo", "cfo", "ir")
    assert _summary(t) == _summary(parse_transcript(FIXTURES / "streetevents.txt"))


def test_unknown_speaker_answering_is_not_an_analyst() -> None:
    text = (FIXTURES / "motley_fool.txt").read_text(encoding="utf-8")
    answer = "Sam Okafor -- Chief Executive Officer\n\nMostly the new configurator, Mark."
    assert answer in text
    text = text.replace(
        answer,
        answer + "\n\nUnknown speaker\n\nAnd the app helped too. Does that answer your question?",
    )
    t = parse_transcript(text)
    first = t.exchanges[0]
    assert len(t.exchanges) == 2
    assert [a.speaker for a in first.answers][:2] == ["Sam Okafor", "Unknown speaker"]
    assert all(q.speaker == "Mark Ellis" for q in first.questions)


def test_lseg_text_as_a_pdf_gives_it() -> None:
    """No markdown, plain bullets in the participant lists, no blank lines."""
    text = (FIXTURES / "refinitiv_interpreted.txt").read_text(encoding="utf-8")
    flat = re.sub(
        r"^- \*\*([^*\n]+)\*\*[ \t]*\*?([^*\n]*)\*?$",
        lambda m: f"• {m.group(1)} {m.group(2)}".rstrip(),
        text,
        flags=re.M,
    )
    flat = re.sub(r"\n\s*\n+", "\n", flat.replace("*", ""))
    assert "**" not in flat and "\n\n" not in flat
    t = parse_transcript(flat)
    assert t.layout == "refinitiv"
    assert _summary(t) == _summary(parse_transcript(text))
    assert [turn.via for turn in t.turns if turn.via] == ["Ivy Chen"] * 3


def test_dashes_in_prose_do_not_make_a_motley_fool_transcript() -> None:
    text = "\n\n".join(
        [
            "Operator: Welcome to the Pim Foods Q1 2025 call.",
            "Ana Lopes - Chief Executive Officer: Thanks. Sales rose 4%.",
            "Well -- we think the trend holds.",
            "Frankly -- it is early.",
            "Honestly -- we are pleased.",
            "Operator: Our first question comes from Ed Wu with Tor Bank.",
            "Ed Wu: What about costs?",
            "Ana Lopes - Chief Executive Officer: Flat.",
        ]
    )
    t = parse_transcript(text)
    assert t.layout == "plain"
    assert [(e.name, e.firm) for e in t.exchanges] == [("Ed Wu", "Tor Bank")]
    assert "Honestly -- we are pleased." in t.turns[1].text
