"""Files as providers ship them: odd encodings, PDF, JSON, and input that is no transcript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fpdf import FPDF

from briefing.errors import InputError
from briefing.transcript.decode import strip_page_furniture
from briefing.transcript.reader import parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
PLAIN = (FIXTURES / "plain.txt").read_text(encoding="utf-8")
ACCENTED = PLAIN.replace("Alicia Grant", "Alícia Grânt").replace("Dana Fox", "Dana Føx")


def _names(path: Path) -> set[str]:
    return {p.name for p in parse_transcript(path).participants}


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("latin-1", "\n"),
        ("cp1252", "\r\n"),
        ("utf-16", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-8", "\r"),
    ],
)
def test_encodings_and_line_endings(tmp_path: Path, encoding: str, newline: str) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(ACCENTED.replace("\n", newline).encode(encoding))
    t = parse_transcript(path)
    assert {"Alícia Grânt", "Dana Føx"} <= _names(path)
    assert len(t.source_lines) == len(ACCENTED.splitlines())
    assert not any("\r" in line for line in t.source_lines)
    assert [e.name for e in t.exchanges] == ["Dana Føx", "Raj Patel"]


class _TranscriptPDF(FPDF):
    """Pages with a running header and a page-number footer, as providers print them."""

    running_header = ""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, self.running_header, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def _pdf(path: Path, paragraphs: list[str], *, header: str) -> None:
    pdf = _TranscriptPDF()
    pdf.running_header = header
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for block in paragraphs:
        pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "call.pdf"
    blocks = [b for b in PLAIN.split("\n\n") if b.strip()]
    _pdf(path, blocks * 5, header="Brightwell Foods - Q1 2025 call - Transcript service")
    t = parse_transcript(path)
    assert t.layout == "plain"
    assert {p.name for p in t.participants if p.role == "ceo"} == {"Alicia Grant"}
    assert len(t.exchanges) >= 2
    assert t.participants and len(t.source_lines) > 40
    assert not any("Transcript service" in turn.text for turn in t.turns)
    assert not any(line.strip().startswith("Page ") for line in t.source_lines)


def test_pdf_without_text_layer_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")  # a "scanned" page: graphics, no text
    pdf.output(str(path))
    with pytest.raises(InputError, match="no text layer") as err:
        parse_transcript(path)
    assert str(path) in str(err.value)


def test_page_furniture_is_dropped_but_speech_kept() -> None:
    pages = [
        ["ACME CALL TRANSCRIPT | page 1", "Operator: Welcome.", "Jane Doe: Hi.", "1"],
        ["ACME CALL TRANSCRIPT | page 2", "Jane Doe: More.", "2"],
        ["ACME CALL TRANSCRIPT | page 3", "Operator: Bye.", "3"],
    ]
    assert strip_page_furniture(pages) == [
        "Operator: Welcome.",
        "Jane Doe: Hi.",
        "Jane Doe: More.",
        "Operator: Bye.",
    ]


def test_json_list_and_wrapped_forms(tmp_path: Path) -> None:
    turns = [
        {"speaker": "Operator", "text": "Welcome to the Pella Labs Q2 2024 call."},
        {"speaker": "Noor Aziz", "title": "Chief Executive Officer", "text": "Sales rose 8%."},
        {"speaker": "Operator", "text": "Our first question comes from Ken Ito with Maple Bank."},
        {"speaker": "Ken Ito", "text": "What about costs?"},
        {"speaker": "Noor Aziz", "title": "Chief Executive Officer", "text": "Flat."},
    ]
    for doc in (turns, {"transcript": turns}, {"data": {"turns": turns}}):
        path = tmp_path / "call.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        t = parse_transcript(path)
        assert t.layout == "json"
        assert [(e.name, e.firm, e.answered_by) for e in t.exchanges] == [
            ("Ken Ito", "Maple Bank", ["Noor Aziz"])
        ]
        assert t.line(t.turns[1].line_start).endswith("Sales rose 8%.")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
        (
            b"The river ran past the old mill. Nobody had spoken there for years.\n"
            b"In spring the water rose, and the children watched it from the bridge.\n",
            "no speaker turns",
        ),
        (b'{"title": "not a transcript", "items": [1, 2, 3]}', "no speaker turns"),
        (b"%PDF-1.4 this is not really a pdf", "PDF"),
    ],
)
def test_bad_input_is_one_line_input_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        parse_transcript(path)
    message = str(err.value)
    assert reason in message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_transcript(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="no such file"):
        parse_transcript(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="directory"):
        parse_transcript(tmp_path)


def test_unknown_layout_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown layout"):
        parse_transcript(PLAIN, layout="teletype")


def test_json_with_numbered_speakers_recovers_names(tmp_path: Path) -> None:
    turns = []
    for line in (FIXTURES / "asr.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[speaker "):
            number, text = line[len("[speaker ") :].split("] ", 1)
            turns.append({"speaker": int(number), "text": text})
    path = tmp_path / "asr.json"
    path.write_text(json.dumps({"utterances": turns}), encoding="utf-8")
    t = parse_transcript(path)
    roles = {p.name: p.role for p in t.participants}
    assert (roles["Helen Zhou"], roles["Arjun Mehta"], roles["Operator"]) == (
        "ceo",
        "cfo",
        "operator",
    )
    assert [(e.name, e.firm) for e in t.exchanges] == [
        ("Tina Wu", "Kowloon Securities"),
        ("Sam Ortiz", "Bayfront Capital"),
    ]
