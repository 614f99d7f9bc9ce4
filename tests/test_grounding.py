"""Grounding: quotes located in their section, every written number found in its evidence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from transcript_builder import build_transcript

from briefing.grounding import (
    SourceIndex,
    find_contradictions,
    ground_exchange,
    ground_guidance,
    ground_remarks,
    missing_numbers,
    parse_numbers,
    split_sentences,
)
from briefing.schemas import (
    ExchangeOutput,
    GuidanceItem,
    GuidanceOutput,
    KeyFigure,
    Notable,
    Point,
    RemarksOutput,
)


def figure(metric: str, value: str, quote: str, *, computed: bool = False) -> KeyFigure:
    return KeyFigure(
        metric=metric,
        value=value,
        comparison=None,
        gaap=None,
        speaker=None,
        quote=quote,
        computed=computed,
        line_start=None,
        line_end=None,
    )


def remarks(*figures: KeyFigure) -> RemarksOutput:
    return RemarksOutput(bullets=[], figures=list(figures), guidance=[], notable=[])


def test_reformatted_figures_are_accepted() -> None:
    assert missing_numbers("RMB4.16 billion", "revenue was 4.16 billion") == []
    assert missing_numbers("up 6.3 percent", "grew 6.3% year over year") == []
    assert missing_numbers("down 56 bps", "fell 56 basis points") == []
    assert missing_numbers("1,200,000 shares", "repurchased 1200000 shares") == []
    assert missing_numbers("$2.48 billion", "to $2.48 billion.") == []


def test_a_figure_not_in_the_evidence_is_rejected() -> None:
    assert [n.text for n in missing_numbers("$2.49 billion", "to $2.48 billion")] == [
        "2.49 billion"
    ]
    # Units are kept apart: 120 basis points is not 1.2%, and 4.16 million is not billion.
    assert missing_numbers("up 1.2%", "up 120 basis points")
    assert missing_numbers("4.16 million", "4.16 billion")
    assert missing_numbers("12.5%", "12.5 basis points")


def test_numbers_glued_to_currency_codes_are_read() -> None:
    values = [n.value for n in parse_numbers("RMB4.16 billion and USD0.60 per ADS, Q3")]
    assert values == [4.16, 0.6]


def test_quote_is_located_and_lines_filled() -> None:
    t = build_transcript()
    cfo = t.remarks[1]
    quote = "GAAP   gross margin was 41.2%,\nup 150 basis points from a year ago"
    grounded, warnings = ground_remarks(
        remarks(figure("GAAP gross margin", "41.2%", quote)), t, cfo.turns
    )
    assert warnings == []
    (f,) = grounded.figures
    assert f.line_start == f.line_end == cfo.turns[0].line_start
    assert f.quote == "GAAP gross margin was 41.2%, up 150 basis points from a year ago."


def test_markup_and_punctuation_differences_do_not_matter() -> None:
    t = build_transcript()
    grounded, _ = ground_remarks(
        remarks(figure("Non-GAAP EPS", "$1.07", "**Non-GAAP EPS** was $1.07 versus $0.91")),
        t,
        t.remarks[1].turns,
    )
    assert grounded.figures[0].quote == "Non-GAAP EPS was $1.07 versus $0.91"


def test_invented_figure_is_dropped_with_a_warning() -> None:
    t = build_transcript()
    grounded, warnings = ground_remarks(
        remarks(figure("Revenue", "$9.99 billion", "Revenue was $9.99 billion.")),
        t,
        t.remarks[0].turns,
    )
    assert grounded.figures == []
    assert len(warnings) == 1 and warnings[0].kind == "ungrounded"
    assert "Revenue" in warnings[0].message


def test_wrong_quote_is_repaired_by_relocating_the_evidence() -> None:
    t = build_transcript()
    grounded, warnings = ground_remarks(
        remarks(figure("Revenue", "$2.48 billion", "Sales were strong this quarter.")),
        t,
        t.remarks[0].turns,
    )
    assert warnings == []
    assert "$2.48 billion" in grounded.figures[0].quote
    assert grounded.figures[0].line_start == t.remarks[0].turns[0].line_start


def test_quote_from_another_section_is_not_accepted_there() -> None:
    t = build_transcript()
    # The EPS sentence is the CFO's; grounded against the CEO's remarks it has no evidence.
    grounded, warnings = ground_remarks(
        remarks(figure("Non-GAAP EPS", "$1.07", "Non-GAAP EPS was $1.07 versus $0.91")),
        t,
        t.remarks[0].turns,
    )
    assert grounded.figures == [] and warnings


def test_computed_figures_must_be_correct() -> None:
    t = build_transcript()
    quote = "Non-GAAP EPS was $1.07 versus $0.91 in Q3 2025."
    ok, _ = ground_remarks(
        remarks(figure("EPS change", "$0.16", quote, computed=True)), t, t.remarks[1].turns
    )
    assert [f.value for f in ok.figures] == ["$0.16"]
    wrong, warnings = ground_remarks(
        remarks(figure("EPS change", "$0.26", quote, computed=True)), t, t.remarks[1].turns
    )
    assert wrong.figures == [] and warnings
    uncomputed, _ = ground_remarks(
        remarks(figure("EPS change", "$0.16", quote)), t, t.remarks[1].turns
    )
    assert uncomputed.figures == []


def test_points_and_notables_are_grounded_too() -> None:
    t = build_transcript()
    out = RemarksOutput(
        bullets=[
            Point(
                text="Revenue up 12.5%",
                quote="Revenue increased by 12.5% year over year",
                speaker=None,
                line_start=None,
                line_end=None,
            ),
            Point(
                text="Revenue up 15%",
                quote="Revenue increased by 12.5% year over year",
                speaker=None,
                line_start=None,
                line_end=None,
            ),
        ],
        figures=[],
        guidance=[],
        notable=[
            Notable(
                kind="acquisition",
                text="Acquired Brightwave Labs",
                quote="We completed the acquisition of Brightwave Labs in August.",
                speaker=None,
                line_start=None,
                line_end=None,
            )
        ],
    )
    grounded, warnings = ground_remarks(out, t, t.remarks[0].turns)
    assert [p.text for p in grounded.bullets] == ["Revenue up 12.5%"]
    assert grounded.notable[0].line_start == t.remarks[0].turns[0].line_start
    assert len(warnings) == 1


def test_guidance_structured_values_must_be_in_the_quote() -> None:
    t = build_transcript()
    item = GuidanceItem(
        metric="Revenue",
        period="Q4 2026",
        text="$2.55 billion to $2.65 billion",
        low=2.55,
        high=2.75,
        value=None,
        unit="billion",
        currency="USD",
        basis="absolute",
        gaap=None,
        direction=None,
        status=None,
        speaker="Owen Blake",
        quote="we expect revenue of $2.55 billion to $2.65 billion",
        line_start=None,
        line_end=None,
    )
    grounded, warnings = ground_guidance(GuidanceOutput(items=[item]), t)
    assert warnings == []
    (g,) = grounded.items
    assert (g.low, g.high) == (2.55, None)
    assert g.line_start is not None


def test_exchange_answer_with_invented_number_is_not_shown() -> None:
    t = build_transcript()
    exchange = t.exchanges[0]
    out = ExchangeOutput(
        question="Kiosk margins and Brightwave integration",
        answer="Margins of 25% in the long run",
        answer_quote="we believe 25% is a reasonable operating margin",
        non_answer=False,
        figures=[],
        guidance=[],
        notable=[],
    )
    grounded, warnings = ground_exchange(out, t, exchange)
    assert "25%" not in grounded.answer
    assert warnings and warnings[0].kind == "ungrounded"


def test_exchange_question_numbers_come_from_the_question() -> None:
    t = build_transcript()
    out = ExchangeOutput(
        question="Revenue for 2029?",
        answer="Too early to say",
        answer_quote="so it is too early to say",
        non_answer=True,
        figures=[],
        guidance=[],
        notable=[],
    )
    grounded, warnings = ground_exchange(out, t, t.exchanges[1])
    assert "2029" not in grounded.question
    assert warnings


def test_contradictions_are_flagged_with_both_lines() -> None:
    lines = [
        (
            "presentation",
            "Owen Blake",
            "We announced a plan to repurchase up to RMB350 million of shares. Funding costs "
            "fell by 56 basis points sequentially in Q2.",
        ),
        (
            "qa",
            "Mia Torres",
            "The USD350 million plan is ahead of schedule, and funding costs fell 56 basis points "
            "in Q3.",
        ),
    ]
    t = build_transcript(lines)
    warnings = find_contradictions(t)
    kinds = {w.kind for w in warnings}
    assert kinds == {"contradiction"}
    messages = " | ".join(w.message for w in warnings)
    assert "RMB and USD" in messages
    assert "Q2 and to Q3" in messages
    assert all(len(w.lines) == 2 for w in warnings)


def test_no_contradiction_in_a_consistent_call() -> None:
    assert find_contradictions(build_transcript()) == []


def test_sentences_keep_abbreviations_and_decimals() -> None:
    text = "Mr. Zhou joined Acme Inc. in 2019. Revenue was $4.16 billion. Margin rose 1.2 points."
    assert split_sentences(text) == [
        "Mr. Zhou joined Acme Inc. in 2019.",
        "Revenue was $4.16 billion.",
        "Margin rose 1.2 points.",
    ]


def test_source_index_locates_across_lines() -> None:
    t = build_transcript()
    index = SourceIndex(t)
    found = index.locate("GAAP gross margin was 41.2%", [(1, index.line_count)])
    assert found is not None and found[1][0] == found[1][1]
    assert index.locate("this sentence was never said", [(1, index.line_count)]) is None


@given(
    st.integers(min_value=1000, max_value=99_999_999),
    st.sampled_from(["", "%", " percent", " million", " billion", " basis points"]),
)
def test_any_written_number_matches_itself_reformatted(value: int, unit: str) -> None:
    written = f"{value:,}{unit}"
    evidence = f"it came to {value}{unit.replace(' percent', '%')} in the quarter"
    assert missing_numbers(written, evidence) == []
    assert missing_numbers(f"{value + 1:,}{unit}", evidence)
