"""Every layout the reader supports, on fictional transcripts written for these tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.transcript.model import Transcript
from briefing.transcript.reader import parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


@dataclass(frozen=True)
class Expected:
    file: str
    layout: str
    company: str | None
    period: str | None
    ceo: str
    cfo: str | None
    exchanges: list[tuple[str, str, list[str]]]  # analyst, firm, answered_by


CASES = [
    Expected(
        "refinitiv_interpreted.txt",
        "refinitiv",
        "Lumora Holdings",
        "Q3 2024",
        "Wei Tang",
        "Daniel Roe",
        [
            ("Peter Holm", "Northbridge Securities", ["Wei Tang", "Daniel Roe"]),
            ("Sara Quint", "Halden Capital", ["Lin Ma", "Daniel Roe"]),
        ],
    ),
    Expected(
        "streetevents.txt",
        "streetevents",
        "Veltrix",
        "Q2 FY2025",
        "Omar Reyes",
        "Nora Vance",
        [
            ("Grace Liu", "Kestrel Partners", ["Omar Reyes", "Nora Vance"]),
            ("Henry Stone", "Ashgrove Securities", ["Nora Vance"]),
        ],
    ),
    Expected(
        "streetevents_brief.txt",
        "streetevents-brief",
        "Quillon Energy",
        "Q4 2019",
        "Erik Lund",
        "Maya Torres",
        [("Bianca Roth", "Orford Bank", ["Erik Lund", "Maya Torres"])],
    ),
    Expected(
        "motley_fool.txt",
        "motley-fool",
        "Harbor & Pine",
        "Q4 2023",
        "Sam Okafor",
        "Julia Brandt",
        [
            ("Mark Ellis", "Dunmore Research", ["Sam Okafor", "Julia Brandt"]),
            ("Priya Nair", "Coastline Capital", ["Julia Brandt", "Sam Okafor"]),
        ],
    ),
    Expected(
        "plain.txt",
        "plain",
        "Brightwell Foods",
        "Q1 2025",
        "Alicia Grant",
        "Ben Osei",
        [
            ("Dana Fox", "Lakemont Securities", ["Alicia Grant"]),
            ("Raj Patel", "Summit Bank", ["Ben Osei"]),
        ],
    ),
    Expected(
        "plain_no_titles.txt",
        "plain",
        "Orchid Health",
        "Q2 2024",
        "Marcus Hale",
        "Fiona Grey",
        [
            ("Leo Brandt", "Crestview Partners", ["Marcus Hale"]),
            ("Ana Ruiz", "Pillar Research", ["Fiona Grey"]),
        ],
    ),
    Expected(
        "asr.txt",
        "asr",
        "Nimbus Travel",
        "Q2 2022",
        "Helen Zhou",
        "Arjun Mehta",
        [
            ("Tina Wu", "Kowloon Securities", ["Helen Zhou"]),
            ("Sam Ortiz", "Bayfront Capital", ["Arjun Mehta"]),
        ],
    ),
    Expected(
        "asr_colon.txt",
        "asr",
        "Nimbus Travel",
        "Q2 2022",
        "Helen Zhou",
        "Arjun Mehta",
        [
            ("Tina Wu", "Kowloon Securities", ["Helen Zhou"]),
            ("Sam Ortiz", "Bayfront Capital", ["Arjun Mehta"]),
        ],
    ),
    Expected(
        "turns.json",
        "json",
        "Corvane Systems",
        "Q3 FY2024",
        "Ravi Kumar",
        "Lena Fischer",
        [
            ("Omar Haddad", "Westgate Securities", ["Ravi Kumar"]),
            ("Jill Park", "Fenwick", ["Lena Fischer"]),
        ],
    ),
]


@pytest.fixture(scope="module")
def parsed() -> dict[str, Transcript]:
    return {case.file: parse_transcript(FIXTURES / case.file) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_layout_metadata_and_roles(case: Expected, parsed: dict[str, Transcript]) -> None:
    t = parsed[case.file]
    assert t.layout == case.layout
    assert t.company == case.company
    assert t.fiscal_period == case.period
    roles = {p.name: p.role for p in t.participants}
    assert roles[case.ceo] == "ceo"
    if case.cfo:
        assert roles[case.cfo] == "cfo"
    assert roles.get("Operator", "operator") == "operator"


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_layout_exchanges(case: Expected, parsed: dict[str, Transcript]) -> None:
    t = parsed[case.file]
    got = [(ex.name, ex.firm, ex.answered_by) for ex in t.exchanges]
    assert got == case.exchanges
    assert [ex.index for ex in t.exchanges] == list(range(1, len(case.exchanges) + 1))
    for ex in t.exchanges:
        assert all(q.role == "analyst" and q.section == "qa" for q in ex.questions)
        assert all(a.role not in {"analyst", "operator"} for a in ex.answers)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_line_ranges_point_at_the_text(case: Expected, parsed: dict[str, Transcript]) -> None:
    t = parsed[case.file]
    assert [turn.index for turn in t.turns] == list(range(len(t.turns)))
    for turn in t.turns:
        source = [t.line(n).strip() for n in range(turn.line_start, turn.line_end + 1)]
        source = [s for s in source if s]
        pieces = turn.text.split("\n")
        assert len(pieces) == len(source), turn
        for piece, line in zip(pieces, source, strict=True):
            assert line.endswith(piece), (piece, line)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_no_prose_is_lost(case: Expected, parsed: dict[str, Transcript]) -> None:
    """Every sentence of the body lands in some turn: the turns add up to the body."""
    t = parsed[case.file]
    covered = {n for turn in t.turns for n in range(turn.line_start, turn.line_end + 1)}
    first, last = t.turns[0].line_start, t.turns[-1].line_end
    for number in range(first, last + 1):
        line = t.line(number).strip()
        if number not in covered and line.endswith((".", "?", "!")):
            pytest.fail(f"line {number} is in no turn: {line}")


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_remarks_hold_prepared_remarks_only(case: Expected, parsed: dict[str, Transcript]) -> None:
    t = parsed[case.file]
    groups = {r.group: r for r in t.remarks}
    for remarks in t.remarks:
        assert all(turn.section == "presentation" for turn in remarks.turns)
        assert all(turn.role not in {"operator", "analyst", "ir"} for turn in remarks.turns)
    if case.layout != "streetevents-brief":
        assert groups["ceo"].speakers == [case.ceo]
        assert groups["cfo"].speakers == [case.cfo]


def test_interpreted_answers_belong_to_the_executive(parsed: dict[str, Transcript]) -> None:
    t = parsed["refinitiv_interpreted.txt"]
    placeholders = [turn for turn in t.turns if turn.placeholder]
    assert [p.speaker for p in placeholders] == ["Wei Tang", "Wei Tang", "Lin Ma"]
    translated = [turn for turn in t.turns if turn.via]
    assert {(turn.speaker, turn.via, turn.role) for turn in translated} == {
        ("Wei Tang", "Ivy Chen", "ceo"),
        ("Lin Ma", "Ivy Chen", "executive"),
    }
    first = t.exchanges[0]
    assert first.via == "Ivy Chen"
    assert [q.text.split(".")[0] for q in first.questions] == [
        "Thank you",
        "Got it",
    ]
    ceo_remarks = next(r for r in t.remarks if r.group == "ceo")
    assert "RMB2.35 billion" in ceo_remarks.turns[0].text
    assert ceo_remarks.turns[0].via == "Ivy Chen"
    # an analyst's own "(spoken in foreign language) ..." turn with text is no placeholder
    sara = t.exchanges[1].questions[0]
    assert not sara.placeholder and "buyback" in sara.text


def test_streetevents_executive_returning_to_a_question(parsed: dict[str, Transcript]) -> None:
    t = parsed["streetevents.txt"]
    grace = t.exchanges[0]
    assert any("European contract" in a.text for a in grace.answers)
    assert len(grace.questions) == 2  # the follow-up stays in the exchange
    closing = t.turns[-2]
    assert closing.speaker == "Omar Reyes"
    assert all(closing not in ex.answers for ex in t.exchanges)


def test_call_date_and_title(parsed: dict[str, Transcript]) -> None:
    t = parsed["streetevents.txt"]
    assert t.title == "Q2 2025 Veltrix Corp Earnings Call"
    assert t.call_date is not None and t.call_date.isoformat() == "2025-03-04"
    assert parsed["refinitiv_interpreted.txt"].call_date is not None
    assert parsed["asr.txt"].call_date is None


def test_asr_names_come_from_introductions(parsed: dict[str, Transcript]) -> None:
    t = parsed["asr.txt"]
    roles = {p.name: p.role for p in t.participants}
    assert roles == {
        "Operator": "operator",
        "Carla": "ir",
        "Victor Lam": "chair",
        "Helen Zhou": "ceo",
        "Arjun Mehta": "cfo",
        "Tina Wu": "analyst",
        "Sam Ortiz": "analyst",
    }
    assert "<unk>" not in " ".join(roles)


def test_truncated_transcript_parses_with_a_warning() -> None:
    t = parse_transcript(FIXTURES / "truncated.txt")
    assert t.exchanges == []
    assert any("no Q&A" in w for w in t.warnings)
    assert {p.name for p in t.participants if p.role == "ceo"} == {"Sam Okafor"}


def test_event_brief_warns_that_remarks_are_a_summary(parsed: dict[str, Transcript]) -> None:
    t = parsed["streetevents_brief.txt"]
    assert t.remarks == []
    assert any("event brief" in w for w in t.warnings)


@pytest.mark.parametrize("forced", ["plain", "asr", "motley-fool"])
def test_forcing_a_layout(forced: str) -> None:
    text = (FIXTURES / "plain.txt").read_text()
    if forced == "plain":
        assert parse_transcript(text, layout=forced).layout == "plain"
    else:
        from briefing.errors import InputError

        with pytest.raises(InputError, match="no speaker turns"):
            parse_transcript(text, layout=forced)


def test_text_is_accepted_as_well_as_paths() -> None:
    path = FIXTURES / "plain.txt"
    from_text = parse_transcript(path.read_text())
    from_str_path = parse_transcript(str(path))
    assert from_text.source is None
    assert from_str_path.source == str(path)
    assert from_text.turns == from_str_path.turns
