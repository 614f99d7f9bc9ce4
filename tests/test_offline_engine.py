"""The offline engine's rules and outputs, on fictional sentences and transcripts."""

from __future__ import annotations

import asyncio
import re

import pytest
from transcript_builder import build_transcript

from briefing.engines import offline_rules as rules
from briefing.engines.base import Engine
from briefing.engines.offline import OfflineEngine
from briefing.grounding import missing_numbers
from briefing.pipeline import SectionDigestData


def one_figure(sentence: str, topic: str | None = None) -> tuple[str, str, str | None]:
    (f,) = rules.extract_figures(sentence, topic)
    return f.metric, f.value, "; ".join(f.comparisons) or None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "In Q2, our revenue increased by 7.1% year over year to RMB5.32 billion.",
            ("Revenue", "RMB5.32 billion", "up 7.1% YoY"),
        ),
        (
            "Day-1 delinquency rate was 5.2% in Q2 versus 5.5% in Q1.",
            ("Day-1 delinquency rate", "5.2%", "vs 5.5% in Q1"),
        ),
        (
            "Non-GAAP EPS was $3.07, up 41% from a year ago.",
            ("Non-GAAP EPS", "$3.07", "up 41% YoY"),
        ),
        (
            "Adjusted EBITDA margin was 10% compared to 16% in the previous quarter.",
            ("Adjusted EBITDA margin", "10%", "vs 16% in the previous quarter"),
        ),
        (
            "Our leverage ratio, which is defined as loans divided by equity, was 2.4x in Q2.",
            ("Leverage ratio", "2.4x", None),
        ),
        (
            "We added approximately 1.3 million new borrowers in Q2.",
            ("New borrowers", "approximately 1.3 million", None),
        ),
    ],
)
def test_figures_keep_metric_value_and_comparison(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_segment_heading_names_a_generic_revenue_line() -> None:
    assert rules.topic_of("Moving to data center.") == "data center"
    assert rules.topic_of("Moving to the rest of the P&L.") is None
    assert rules.topic_of("Revenue was strong.") is False
    metric, value, comparison = one_figure(
        "Revenue was $1.75 billion, up 167% year-on-year and up 54% sequentially.",
        topic="data center",
    )
    assert (metric, value) == ("Data center revenue", "$1.75 billion")
    assert comparison == "up 167% YoY; up 54% sequentially"


def test_respectively_pairs_comparisons_with_their_figures() -> None:
    figures = rules.extract_figures(
        "GAAP operating expenses were $1.62 billion, and non-GAAP operating expenses were "
        "$1.04 billion, up 67% and 38% from a year ago, respectively."
    )
    assert [(f.metric, f.comparisons) for f in figures] == [
        ("GAAP operating expenses", ["up 67% YoY"]),
        ("Non-GAAP operating expenses", ["up 38% YoY"]),
    ]


def test_no_figures_from_years_dates_or_forward_statements() -> None:
    assert rules.extract_figures("On March 12, 2024, we met 160 partners in 2023.") == []
    assert rules.extract_figures("We expect revenue of $4.4 billion next quarter.") == []
    # Capital return is a notable item, not a key figure.
    assert rules.extract_figures("The Board approved a dividend of $0.25 per share.") == []


def test_every_extracted_number_is_in_its_sentence() -> None:
    sentence = (
        "Total net revenue for Q2 was RMB5.32 billion versus RMB5.21 billion in Q1 and "
        "RMB4.8 billion a year ago."
    )
    for f in rules.extract_figures(sentence):
        written = " ".join([f.metric, f.value, *f.comparisons])
        assert missing_numbers(written, sentence) == []


def test_guidance_keeps_ranges_period_and_basis() -> None:
    o = rules.extract_outlook(
        "For the third quarter of 2024, the company expects to generate non-GAAP net income "
        "between RMB1.55 billion and RMB1.65 billion, representing a year-on-year growth "
        "between 31% and 40%."
    )
    assert o is not None
    assert o.period == "Q3 2024"
    assert "non-gaap net income" in o.metric.lower()
    assert "RMB1.55 billion and RMB1.65 billion" in o.text and "31% and 40%" in o.text
    assert o.gaap == "non-gaap" and o.currency == "RMB"


def test_guidance_compacts_the_expectation_words() -> None:
    o = rules.extract_outlook("We expect revenue to be $6.2 billion, plus or minus 3%.")
    assert o is not None
    assert (o.metric, o.text, o.value, o.currency) == (
        "Revenue",
        "$6.2 billion, plus or minus 3%",
        6.2,
        "USD",
    )


def test_qualitative_guidance_counts_and_safe_harbor_does_not() -> None:
    o = rules.extract_outlook(
        "Looking ahead, we believe that funding costs will remain largely stable."
    )
    assert o is not None and o.direction == "stable" and "Funding costs" in o.metric
    assert (
        rules.extract_outlook(
            "Today's remarks include forward-looking statements subject to risks and "
            "uncertainties, and we expect actual results may differ."
        )
        is None
    )
    assert rules.extract_outlook("Revenue was $3.87 billion for the third quarter.") is None


def test_outlook_block_needs_no_forward_cue() -> None:
    sentence = "In November, industry hotel occupancy was down 30 to 40% versus 2019."
    assert rules.extract_outlook(sentence) is None
    o = rules.extract_outlook(sentence, in_outlook=True)
    assert o is not None and "30 to 40%" in o.text


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        (
            "Mr. Lee has resigned as Chairman of the Board for personal reasons.",
            "management_change",
        ),
        ("We have decided to gradually discontinue these services by year end.", "discontinued"),
        ("We completed the acquisition of Brightwave Labs in August.", "acquisition"),
        ("The Board approved a dividend of $0.25 per share payable in May.", "capital_return"),
        ("We recorded a one-time impairment of goodwill in the quarter.", "one_off"),
        ("Starting next quarter we will provide pro forma loan volume figures.", "accounting"),
    ],
)
def test_notable_events_are_classified(sentence: str, kind: str) -> None:
    event = rules.extract_event(sentence)
    assert event is not None and event.kind == kind


def test_question_gist_skips_greetings_and_lead_ins() -> None:
    text = (
        "Congratulations on the quarter. Jensen, I was wondering if you could talk about "
        "hyperscale digestion over the next two quarters? Thank you."
    )
    gist = rules.question_gist(text)
    assert gist.startswith("Hyperscale digestion over the next two quarters")
    assert "Congratulations" not in gist


def test_trim_keeps_figures_and_cuts_explanations() -> None:
    out = rules.trim(
        "Gross margin was 77% for the quarter, mainly due to lower revenue in several "
        "provinces and higher fixed costs at our service centers.",
        30,
    )
    assert out == "Gross margin was 77% for the quarter"
    long = " ".join(["word"] * 40) + " revenue of $5 million"
    assert "$5 million" in rules.trim(long, 12)


def test_engine_sections_are_deterministic_and_grounded() -> None:
    t = build_transcript()
    engine = OfflineEngine()
    assert isinstance(engine, Engine)
    first = asyncio.run(engine.remarks(t, t.remarks[1]))
    second = asyncio.run(engine.remarks(t, t.remarks[1]))
    assert first == second
    metrics = {f.metric for f in first.figures}
    assert {"GAAP gross margin", "Non-GAAP EPS"} <= metrics
    for f in first.figures:
        assert missing_numbers(f"{f.metric} {f.value} {f.comparison or ''}", f.quote) == []
    kinds = {n.kind for n in first.notable}
    assert "capital_return" in kinds
    assert engine.usage().calls == 0 and engine.usage().engine == "offline"


def test_exchange_gist_and_non_answer() -> None:
    t = build_transcript()
    engine = OfflineEngine()
    first = asyncio.run(engine.exchange(t, t.exchanges[0]))
    assert "Brightwave" in first.question and not first.non_answer
    assert "18% to 20%" in first.answer
    second = asyncio.run(engine.exchange(t, t.exchanges[1]))
    assert second.non_answer


def test_guidance_pass_reads_prepared_remarks_and_answers() -> None:
    t = build_transcript()
    items = asyncio.run(OfflineEngine().guidance(t)).items
    by_metric = {g.metric: g for g in items}
    revenue = by_metric["Revenue"]
    assert (revenue.period, revenue.low, revenue.high) == ("Q4 2026", 2.55, 2.65)
    assert any("18% to 20%" in g.text and g.period == "long term" for g in items)
    assert any(g.direction == "stable" for g in items)


def test_tldr_leads_with_headline_figures() -> None:
    t = build_transcript()
    engine = OfflineEngine()
    digest = SectionDigestData(
        remarks={r.group: engine.remarks_sync(t, r) for r in t.remarks},
        exchanges=[engine.exchange_sync(t, e) for e in t.exchanges],
    )
    bullets = asyncio.run(engine.tldr(t, digest)).bullets
    assert 1 <= len(bullets) <= 5
    assert bullets[0].text.startswith("Revenue $2.48 billion")


def test_changes_without_basis_and_past_levels_are_comparisons() -> None:
    assert one_figure("Non-GAAP gross margin was 49.1%, up 170 basis points.") == (
        "Non-GAAP gross margin",
        "49.1%",
        "up 170 basis points",
    )
    assert one_figure(
        "Operating expenses were $421 million, compared with $398 million a year ago."
    )[2] == ("vs $398 million a year ago")


def test_comparison_of_a_skipped_share_is_not_misattributed() -> None:
    figures = rules.extract_figures(
        "Software revenue reached $212 million, up 35% year over year, and 61% of the robots "
        "we sold were shipped with a subscription, compared with 48% a year ago."
    )
    assert [(f.metric, f.comparisons) for f in figures] == [("Software revenue", ["up 35% YoY"])]


def test_management_changes_and_exits_are_notable() -> None:
    retire = rules.extract_event("Our CFO has told the Board that he intends to retire in March.")
    exit_line = rules.extract_event("We have decided to exit our consumer lawn-robot line.")
    assert retire is not None and retire.kind == "management_change"
    assert exit_line is not None and exit_line.kind == "discontinued"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Revenue for the quarter came in at $4.2 billion, an increase of 12% over last year.",
            ("Revenue", "$4.2 billion", "up 12% YoY"),
        ),
        (
            "Gross margin expanded 120 basis points to 45.2%.",
            ("Gross margin", "45.2%", "up 120 basis points"),
        ),
        (
            "Diluted earnings per share were $0.42, compared with $0.35 in the prior-year period.",
            ("Diluted earnings per share", "$0.42", "vs $0.35 in the prior-year period"),
        ),
        (
            "Total deposits grew 8% sequentially to $45.6 billion.",
            ("Total deposits", "$45.6 billion", "up 8% sequentially"),
        ),
        (
            "Operating margin was 21.4%, down 80 basis points year over year.",
            ("Operating margin", "21.4%", "down 80 basis points YoY"),
        ),
    ],
)
def test_common_phrasings(sentence: str, expected: tuple[str, str, str | None]) -> None:
    assert one_figure(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "metric", "period", "text"),
    [
        (
            "Third quarter revenue is expected to be between $2.1 billion and $2.2 billion.",
            "Revenue",
            "Q3",
            "Third quarter revenue is expected to be between $2.1 billion and $2.2 billion",
        ),
        (
            "Looking ahead to the fourth quarter, we expect net interest income to be roughly "
            "flat.",
            "Net interest income",
            "Q4",
            "We expect net interest income to be roughly flat",
        ),
        (
            "We're guiding to adjusted EBITDA of $400 million to $420 million for fiscal 2025.",
            "Adjusted EBITDA",
            "FY2025",
            "We're guiding to adjusted EBITDA of $400 million to $420 million for fiscal 2025",
        ),
    ],
)
def test_guidance_phrasings(sentence: str, metric: str, period: str | None, text: str) -> None:
    o = rules.extract_outlook(sentence)
    assert o is not None
    assert (o.metric, o.period, o.text) == (metric, period, text)


def test_no_event_from_an_exclusion_or_routine_write_offs() -> None:
    assert (
        rules.extract_event(
            "Operating expenses, excluding restructuring expenses, were up $15.7 million."
        )
        is None
    )
    assert rules.extract_event("Lease merchandise write-offs were 4.9% of revenues.") is None
    impairment = rules.extract_event("We recorded a write-down of goodwill of $30 million.")
    assert impairment is not None and impairment.kind == "one_off"


def test_outlook_for_the_full_year_outranks_the_quarter_it_is_said_in() -> None:
    o = rules.extract_outlook(
        "In the third quarter results were strong, and we are again raising our revenue "
        "outlook for the full year 2021 to $1.8 billion."
    )
    assert o is not None and o.period == "FY2021"


def test_long_event_drops_its_appositive_and_keeps_name_and_price() -> None:
    event = rules.extract_event(
        "First, we have signed a definitive agreement to acquire Tessler Flow Systems, a "
        "privately held maker of precision metering pumps and dosing systems for water "
        "treatment and life sciences, for approximately $415 million in cash."
    )
    assert event is not None and event.kind == "acquisition"
    assert "Tessler" in event.text and "$415 million" in event.text
    assert "privately held" not in event.text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On a constant-currency basis, net sales rose 6.4%, as the stronger yen weighed.",
            ("Net sales (constant-currency)", "up 6.4%", None),
        ),
        (
            "Wealth Management had a profit before tax of EUR214 million, an increase of 21%.",
            ("Wealth Management profit before tax", "EUR214 million", "up 21%"),
        ),
        (
            "Profit attributable to owners of the parent was 22.7 billion yen.",
            ("Profit attributable to owners", "22.7 billion yen", None),
        ),
        (
            "The number of customers contributing more than $100,000 in ARR grew 19% to 3,412.",
            ("Number of customers contributing more than $100,000 in ARR", "3,412", "up 19%"),
        ),
        (
            "Basic earnings per share were 81.44 yen, which is 40.72 yen per ADS.",
            ("Basic earnings per share", "81.44 yen or 40.72 yen per ADS", None),
        ),
    ],
)
def test_phrasings_across_industries(sentence: str, expected: tuple[str, str, str | None]) -> None:
    assert one_figure(sentence) == expected


def test_segment_margin_lines_carry_the_segment_name() -> None:
    script = [
        (
            "presentation",
            "Owen Blake",
            "Flow Technologies revenue was $1.02 billion, up 9%. Segment operating margin was "
            "21.3%, up 140 basis points.",
        ),
    ]
    t = build_transcript(script)
    out = OfflineEngine().remarks_sync(t, t.remarks[1])
    assert [f.metric for f in out.figures] == [
        "Flow Technologies revenue",
        "Flow Technologies segment operating margin",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # An amount after "increased" is a change, not a level.
        (
            "Personnel costs increased $5.1 million in the quarter, mainly due to wages.",
            ("Personnel costs", "up $5.1 million", None),
        ),
        # The prior level's period is part of its comparison; "for the company" is no name.
        (
            "Adjusted EBITDA for the company was $53.6 million for the third quarter of 2027 "
            "compared with $64.3 million for the third quarter of 2026, "
            "a decrease of $10.7 million.",
            (
                "Adjusted EBITDA",
                "$53.6 million",
                "vs $64.3 million in Q3 2026; down $10.7 million",
            ),
        ),
        # The restated metric after "compared with" is the comparison, not a second figure.
        (
            "On a non-GAAP basis, diluted earnings per share were $0.91 in the quarter compared "
            "with non-GAAP diluted earnings per share of $1.20 for the same quarter in 2026.",
            (
                "Non-GAAP diluted earnings per share",
                "$0.91",
                "vs $1.20 for the same quarter in 2026",
            ),
        ),
        # "X as a percentage of Y" names X, with its base.
        (
            "The provision for lease merchandise write-offs as a percentage of lease revenues "
            "and fees was 5.2% in the quarter.",
            ("Lease merchandise write-offs (% of lease revenues and fees)", "5.2%", None),
        ),
        # A qualifier clause keeps the metric of the clause before it.
        (
            "Total operating expenses, excluding restructuring charges were up $12.4 million "
            "in the quarter.",
            ("Operating expenses (excluding restructuring charges)", "up $12.4 million", None),
        ),
        # "the company had a cash balance of": the company is not part of the metric.
        (
            "At quarter end, the company had a cash balance of $21 million.",
            ("Cash balance", "$21 million", None),
        ),
        (
            "Cash generated from operating activities was $41.5 million in the quarter.",
            ("Cash generated from operating activities", "$41.5 million", None),
        ),
    ],
)
def test_changes_prior_levels_and_qualified_metrics(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_a_range_left_out_is_left_out_whole() -> None:
    # The subject is "we": neither end of the range may borrow a metric from elsewhere.
    sentence = (
        "We see it in our revenue line, higher ticket this year, we're probably up 3% to 4% "
        "in ticket year-over-year."
    )
    assert rules.extract_figures(sentence) == []
    # A longer-term range is an outlook, not the quarter's figure.
    assert (
        rules.extract_figures("I believe that longer term, margins are in a 9% to 11% range.") == []
    )


@pytest.mark.parametrize(
    ("sentence", "metric", "period", "text"),
    [
        # The subject ends at its verb; the words the line shows as its label go.
        (
            "As discussed before, we continue to expect that annual charge-offs will be between "
            "6% to 7% of loan balances.",
            "Annual charge-offs",
            None,
            "Between 6% to 7% of loan balances",
        ),
        # A revised range reads new first, the old one after it.
        (
            "We have also increased our full year comparable sales outlook from a range of 2% to "
            "4% to a range of 3.5% to 5%.",
            "Comparable sales",
            "Full year",
            "3.5% to 5% (from 2% to 4%)",
        ),
        (
            "We have reduced our free cash flow outlook for 2027 to $80 million to $95 million, "
            "primarily to reflect higher inventory.",
            "Free cash flow",
            "2027",
            "$80 million to $95 million",
        ),
        # A qualitative revision starts at the clause that says it.
        (
            "The strong second quarter results, we are again raising our revenue outlook for the "
            "full year 2027.",
            "Revenue",
            "FY2027",
            "We are again raising our revenue outlook for the full year 2027",
        ),
        (
            "Our outlook continues to assume that card spending remains higher in the fourth "
            "quarter.",
            "Card spending",
            "Q4",
            "Remains higher in the fourth quarter",
        ),
    ],
)
def test_guidance_labels_and_revisions(
    sentence: str, metric: str, period: str | None, text: str
) -> None:
    o = rules.extract_outlook(sentence)
    assert o is not None
    assert (o.metric, o.period, o.text) == (metric, period, text)


def test_an_explanation_in_the_outlook_is_no_outlook() -> None:
    said = "This increase is primarily a result of the continued growth in our portfolio."
    assert rules.extract_outlook(said, "FY2027", in_outlook=True) is None


def test_a_sentence_of_several_outlooks_gives_one_item_each() -> None:
    sentence = (
        "For the full year 2027, we have maintained our outlook for an effective tax rate of "
        "25%; we expect depreciation of approximately $60 million, and we expect capital "
        "expenditures of $40 million."
    )
    parts = rules.guidance_parts(sentence)
    assert len(parts) == 3 and all(p in sentence for p in parts)
    t = build_transcript()
    turn = next(x for x in t.turns if x.role == "cfo")
    turn = turn.model_copy(
        update={
            "text": sentence + " Capex in the half was $18.2 million, "
            "and we still expect $40.5 million for the full year."
        }
    )
    items = OfflineEngine().guidance_sync(t.model_copy(update={"turns": [turn]})).items
    metrics = [g.metric for g in items]
    assert metrics[:3] == ["Effective tax rate", "Depreciation", "Capital expenditures"]
    assert all(g.period == "FY2027" for g in items[:3])
    # A part with no subject of its own is about the metric the sentence named before it.
    assert items[-1].metric == "Capex" and "$40.5 million" in items[-1].text


def _tldr_of(script: list[tuple[str, str, str]]) -> list[str]:
    t = build_transcript(script)
    engine = OfflineEngine()
    digest = SectionDigestData(
        remarks={r.group: engine.remarks_sync(t, r) for r in t.remarks},
        exchanges=[engine.exchange_sync(t, e) for e in t.exchanges],
    )
    digest.remarks["guidance"] = engine.remarks_sync(t, t.remarks[0]).model_copy(
        update={"guidance": engine.guidance_sync(t).items}
    )
    return [b.text for b in engine.tldr_sync(t, digest).bullets]


def test_tldr_lines_read_as_statements() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the Acme Rentals third quarter 2027 call."),
        (
            "presentation",
            "Owen Blake",
            "For the third quarter of 2027, total revenues were $512.4 million compared with "
            "$498.1 million for the third quarter of 2026, an increase of 2.9%. For the full "
            "year, we have increased our outlook for total revenues to between $2.05 billion "
            "and $2.08 billion.",
        ),
    ]
    lines = _tldr_of(script)
    # The change, not the prior level, follows the headline figure.
    assert lines[0] == "Total revenues $512.4 million, up 2.9%"
    # The outlook says its period and what happened to it, then the figure.
    assert (
        "Full year outlook raised: Total revenues between $2.05 billion and $2.08 billion" in lines
    )


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("We have also increased our full year same-store sales outlook to 4% to 5%.", "raised"),
        ("We have reduced our free cash flow outlook for 2027 to $30 million.", "lowered"),
        ("We have maintained our expected capital expenditure range of $90 million.", "maintained"),
    ],
)
def test_guidance_status_with_the_metric_named_in_between(sentence: str, status: str) -> None:
    script = [
        ("presentation", "Operator", "Welcome to the call."),
        ("presentation", "Owen Blake", sentence),
    ]
    (item,) = OfflineEngine().guidance_sync(build_transcript(script)).items
    assert item.status == status


def test_a_pro_forma_comparison_is_no_reporting_change() -> None:
    assert (
        rules.extract_event("We are exceeding our pro forma as we compare stores to others.")
        is None
    )


def test_a_trimmed_line_opens_at_a_clause_and_keeps_its_per_share_unit() -> None:
    sentence = (
        "Looking back, and after a long discussion with the board about the options, we had "
        "approximately $60 million remaining under the $150 million repurchase program."
    )
    out = rules.trim(sentence, 14)
    assert out.startswith("We had approximately $60 million")
    said = (
        "Finally, the board approved a long list of items including an interim dividend of "
        "EUR0.35 per share."
    )
    assert rules.trim(said, 8).endswith("EUR0.35 per share")


def test_a_repurchase_keeps_its_amounts_over_its_cue_word() -> None:
    event = rules.extract_event(
        "During the third quarter, the company purchased approximately 1,250,000 shares of "
        "common stock for a total purchase price of approximately $31.2 million and through a "
        "10b5-1 plan continued to repurchase shares after the quarter."
    )
    assert event is not None and event.kind == "capital_return"
    assert "1,250,000" in event.text and "$31.2 million" in event.text
    assert not event.text.split(": ", 1)[-1].startswith("…")


def test_a_definition_does_not_make_a_figure_an_outlook() -> None:
    assert one_figure(
        "Current RPO, which is the portion we expect to recognize as revenue over the next "
        "12 months, was $0.92 billion, up 18%."
    ) == ("Current RPO", "$0.92 billion", "up 18%")
    # "annual recurring revenue" is ARR, not revenue.
    assert one_figure("We ended the quarter with annual recurring revenue of $1.2 billion.") == (
        "Annual recurring revenue",
        "$1.2 billion",
        None,
    )


def test_one_outlook_per_metric_of_an_and_list() -> None:
    sentence = (
        "We expect non-GAAP operating income of $61 million to $64 million and non-GAAP net "
        "income per diluted share of $0.41 to $0.43, based on about 150 million shares."
    )
    parts = rules.guidance_parts(sentence)
    assert parts == [
        "We expect non-GAAP operating income of $61 million to $64 million",
        "non-GAAP net income per diluted share of $0.41 to $0.43, based on about 150 million "
        "shares.",
    ]
    later = rules.extract_outlook(parts[1], "Q3 FY2027", in_outlook=True)
    assert later is not None
    assert later.metric == "Non-GAAP net income per diluted share"
    assert later.text.startswith("$0.41 to $0.43")


def test_a_quarter_under_a_full_year_heading_keeps_its_quarter() -> None:
    o = rules.extract_outlook(
        "For the fourth quarter, that implies revenue in a range of $1.1 billion to $1.2 billion.",
        "FY2027",
        in_outlook=True,
    )
    assert o is not None and (o.metric, o.period) == ("Revenue", "Q4")


def test_an_unnamed_subjects_change_is_not_the_figures_second_comparison() -> None:
    # Traffic and ticket are not same-store sales: their changes are left out, not appended.
    assert one_figure(
        "In Japan, same-store sales rose 2.6%, with customer traffic up 1.1% and average ticket "
        "up 1.5%."
    ) == ("Same-store sales", "up 2.6%", None)
    # The same figure on another basis is kept, with its basis.
    assert one_figure(
        "Overseas net sales were 98.2 billion yen, up 9.4% in yen terms and up 7.1% on a "
        "constant-currency basis."
    ) == ("Overseas net sales", "98.2 billion yen", "up 9.4%; up 7.1% constant-currency")


def test_acquisition_costs_are_no_acquisition() -> None:
    event = rules.extract_event(
        "We reported an operating loss of $9.1 million, which includes $4.2 million of "
        "acquisition-related costs."
    )
    assert event is None or event.kind != "acquisition"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The amount names its own noun; "last year's GAAP margin" is not its metric.
        (
            "The decline of 180 basis points from last year's GAAP margin is almost entirely "
            "the $36 million goodwill impairment charge.",
            ("Goodwill impairment charge", "$36 million", None),
        ),
        # "non-cash" is no cash figure.
        (
            "We recorded a non-cash inventory write-down of $12 million in the quarter.",
            ("Non-cash inventory write-down", "$12 million", None),
        ),
    ],
)
def test_figures_name_their_own_subject(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_growing_by_is_a_change_and_saw_names_whose_figure() -> None:
    assert one_figure("Bookings in Canada were growing by 140%.") == (
        "Bookings in Canada",
        "up 140%",
        None,
    )
    assert one_figure("Roamly also saw hotel bookings up approximately 80% year over year.") == (
        "Hotel bookings (Roamly)",
        "up approximately 80% YoY",
        None,
    )


def test_question_gist_has_one_elision_mark_between_stretches() -> None:
    asked = (
        "Thanks for taking my question, and congratulations on a really strong quarter across "
        "the board, it was good to see. I wanted to ask about the margin outlook in the second "
        "half of next year, given the pricing changes you made and the input costs we see. And "
        "then separately, on the buyback, how should we think about the pace of repurchases "
        "through the end of the year and into next year given the balance sheet?"
    )
    assert "… …" not in rules.question_gist(asked, 16)


def test_trim_keeps_a_sentence_two_words_over_rather_than_cutting_its_end() -> None:
    sentence = (
        "We believe we remain on track to open more than 80 new stores by the end of the year."
    )
    assert rules.trim(sentence, 17) == sentence.rstrip(".")
    assert rules.trim(sentence, 12).endswith("…")


def test_expected_subject_is_the_metric_not_the_verb() -> None:
    o = rules.extract_outlook(
        "For the third quarter of 2027, we expect to generate non-GAAP net income between "
        "RMB1.2 billion and RMB1.3 billion."
    )
    assert o is not None and o.metric == "Non-GAAP net income"


def test_a_forecast_is_guidance_and_its_reason_does_not_set_its_period() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the call."),
        (
            "presentation",
            "Owen Blake",
            "Finally, our forecast for the full fiscal year. We are reaffirming our net sales "
            "forecast of 2.1 trillion yen. We are raising our operating profit forecast to 182 "
            "billion yen from 175 billion yen. We are lowering our forecast for net profit to "
            "96 billion yen, because of the closure costs we expect in the fourth quarter.",
        ),
    ]
    items = OfflineEngine().guidance_sync(build_transcript(script)).items
    found = {g.metric: (g.period, g.status, g.text) for g in items}
    assert found["Net sales"] == ("Full year", "maintained", "2.1 trillion yen")
    assert found["Operating profit"][1:] == ("raised", "182 billion yen from 175 billion yen")
    assert found["Net profit"][0] == "Full year"


def test_another_companys_size_is_no_key_figure() -> None:
    # An acquisition target's revenue belongs to the acquisition's line, not the quarter's.
    assert rules.extract_figures("Brightwell has annual revenue of about $95 million.") == []
    assert one_figure("The company has cash of $95 million.") == ("Cash", "$95 million", None)


def test_implied_quarter_and_continuing_operations_guidance_show_the_figure() -> None:
    o = rules.extract_outlook(
        "For the fourth quarter, that implies revenue in a range of $1.1 billion to $1.2 billion.",
        "FY2027",
        in_outlook=True,
    )
    assert o is not None and o.text == "$1.1 billion to $1.2 billion"
    o = rules.extract_outlook(
        "We now expect GAAP EPS from continuing operations of $4.10 to $4.25."
    )
    assert o is not None and o.text == "$4.10 to $4.25"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Operating expenses, excluding regulatory costs, were EUR1.91 billion, up 4% year on "
            "year.",
            ("Operating expenses (excluding regulatory costs)", "EUR1.91 billion", "up 4% YoY"),
        ),
        (
            "We delivered a net profit of EUR0.98 billion, 12% higher than in the same quarter "
            "last year.",
            ("Net profit", "EUR0.98 billion", "up 12% YoY"),
        ),
        (
            "Wealth Management grew on record net new money of EUR4.1 billion.",
            ("Net new money", "EUR4.1 billion", None),
        ),
    ],
)
def test_qualifiers_higher_than_and_record(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_a_slashed_ratio_keeps_its_name() -> None:
    o = rules.extract_outlook(
        "Our ambition of a cost/income ratio of around 48% by 2028 is unchanged."
    )
    assert o is not None and o.metric == "Cost/income ratio"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "This morning we reported third quarter operating earnings of $2.14 per share, "
            "compared with $1.97 per share in the third quarter of last year.",
            (
                "Operating earnings per share",
                "$2.14",
                "vs $1.97 in the third quarter of last year",
            ),
        ),
        (
            "On a GAAP basis, earnings were $1.88 per share versus $1.70 a year ago.",
            ("GAAP earnings per share", "$1.88", "vs $1.70 a year ago"),
        ),
        (
            "Year-to-date operating earnings stand at $4.02 per share.",
            ("Year-to-date operating earnings per share", "$4.02", None),
        ),
        (
            "Water Services contributed $0.42 per share, which is in line with last year.",
            ("Water Services EPS contribution", "$0.42 per share", None),
        ),
        (
            "GAAP earnings were $1.88 per share, or $515 million of net income.",
            ("GAAP earnings per share", "$1.88 or $515 million of net income", None),
        ),
    ],
)
def test_per_share_earnings_without_eps(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We expect NII and fee income to be around EUR3.1 billion next year.",
        "Looking ahead, we would expect to land at about 95% conversion for the full year.",
    ],
)
def test_guidance_labels_are_names_not_sentence_pieces(sentence: str) -> None:
    o = rules.extract_outlook(sentence)
    assert o is not None
    assert not re.search(r"(?:\band|\bto|\bthe)$|^(?:To|On|Continued)\b", o.metric)


@pytest.mark.parametrize(
    ("sentence", "kind", "must_hold"),
    [
        (
            "In May we signed an agreement to sell our Idaho water business, Snake River "
            "Utilities, to a pension fund for $2.4 billion, including the assumption of about "
            "$300 million of debt.",
            "disposal",
            ["Idaho", "$2.4 billion"],
        ),
        (
            "First, as you saw in our press release, we agreed to acquire Brightfen Labs, a "
            "privately held maker of sensors, for $180 million in cash plus up to $25 million "
            "in earn-outs.",
            "acquisition",
            ["Brightfen", "$180 million"],
        ),
        (
            "Effective March 1, Dana Whitlow became our Chief Operating Officer.",
            "management_change",
            ["Dana Whitlow"],
        ),
        (
            "We welcomed Omar Lindqvist as President of our Alpine brand in April.",
            "management_change",
            ["Omar Lindqvist"],
        ),
        (
            "And Ruth Calder, our Chief Commercial Officer, has left the company to pursue "
            "another opportunity.",
            "management_change",
            ["Ruth Calder"],
        ),
        (
            "On the recall specifically, we recorded a pre-tax charge of $8.4 million in the "
            "quarter, which covers returns and logistics.",
            "one_off",
            ["recall", "$8.4 million"],
        ),
        (
            "We have $275 million remaining under the current authorization.",
            "capital_return",
            ["$275 million"],
        ),
        (
            "In Oregon, the commission approved the settlement of our electric rate case, "
            "providing a revenue increase of $61 million.",
            "regulation",
            ["rate case", "$61 million"],
        ),
        (
            "In June we received FDA 510(k) clearance for the Talon knee system.",
            "regulation",
            ["FDA 510", "Talon"],
        ),
    ],
)
def test_notable_events_with_their_subject_and_price(
    sentence: str, kind: str, must_hold: list[str]
) -> None:
    event = rules.extract_event(sentence)
    assert event is not None and event.kind == kind
    for part in must_hold:
        assert part in event.text


@pytest.mark.parametrize(
    "sentence",
    [
        "We are also introducing 2027 operating EPS guidance today of $4.10 to $4.30.",
        "The hip number includes roughly $3 million of returns related to the recall.",
        "Net income fell, with the decrease driven by the field action charge.",
    ],
)
def test_guidance_and_passing_mentions_are_no_events(sentence: str) -> None:
    assert rules.extract_event(sentence) is None


def test_growth_to_a_level_and_a_units_revenue() -> None:
    assert one_figure(
        "Our Cloud Services business, where partners resell our platform, grew revenue 28% to "
        "$96 million."
    ) == ("Cloud Services revenue", "$96 million", "up 28%")


def test_an_appositive_goes_with_both_its_commas() -> None:
    said = (
        "Maria Ortiz, who leads our underwriting teams today, has been appointed Chief Risk "
        "Officer effective October 1, replacing a long-serving colleague who retired."
    )
    assert rules.trim(said, 14).startswith("Maria Ortiz has been appointed Chief Risk Officer")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Margins widened as we grew operating expenses only 7% in the quarter.",
            [("Operating expenses", "up 7%")],
        ),
        # The effect of a change ("lowers ... by") is no figure of the quarter.
        ("This lowers reported net revenue by roughly $6 million a quarter.", []),
        # A verb phrase is no part of the metric's name.
        (
            "Helix orders already account for about $220 million of our backlog.",
            [("Helix orders", "about $220 million")],
        ),
        # A third party's profile ("Brightwell has ...") is no figure of the quarter.
        ("Brightwell has about $31 million of annual recurring revenue growing 25%.", []),
    ],
)
def test_changes_said_with_a_verb_and_third_party_profiles(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(f.metric, f.value) for f in rules.extract_figures(sentence)] == expected


def test_guidance_periods_follow_a_fiscal_year_lead_and_skip_the_reported_quarter() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the Harbor Lights third quarter 2026 call."),
        (
            "presentation",
            "Owen Blake",
            "Given the strength of the third quarter, we're raising our outlook. For fiscal "
            "2026, we're maintaining our range on sales, and continue to expect reported sales "
            "growth of 3% to 5%. We're raising our adjusted EPS outlook to $4.10 to $4.30. "
            "We expect fourth-quarter adjusted EPS of $1.02 to $1.08. We expect restructuring "
            "costs of $20 million to $25 million, most of which fell in the third quarter.",
        ),
    ]
    items = OfflineEngine().guidance_sync(build_transcript(script)).items
    periods = {i.text: i.period for i in items}
    assert [p for t, p in periods.items() if "3% to 5%" in t] == ["FY2026"]
    assert [p for t, p in periods.items() if "$4.10 to $4.30" in t] == ["FY2026"]
    assert [p for t, p in periods.items() if "$1.02 to $1.08" in t] == ["Q4"]
    assert not any(p and p.startswith("Q3") for p in periods.values())


def test_a_single_digit_trend_is_an_outlook() -> None:
    o = rules.extract_outlook(
        "For the second quarter, we expect sales to be down low-single digits, because of "
        "the timing of shipments."
    )
    assert o is not None and o.period == "Q2" and "low-single digits" in o.text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Our contracted backlog stands at 3.7 gigawatts.",
            ("Backlog", "3.7 gigawatts", None),
        ),
        (
            "SG&A was $388 million, or 31.4% of sales, deleveraging 20 basis points.",
            ("SG&A", "$388 million or 31.4% of sales", None),
        ),
        (
            "Sequentially, given the season, sales were up 24% from the fourth quarter of "
            "fiscal 2025.",
            ("Sales", "up 24% vs Q4 2025", None),
        ),
        (
            "Sequentially, revenue was up 4% versus the second quarter.",
            ("Revenue", "up 4% sequentially", None),
        ),
        (
            "Inventory was $610 million, down 6% from a year ago.",
            ("Inventory", "$610 million", "down 6% YoY"),
        ),
        (
            "We installed 27 Talon systems in the quarter.",
            ("Talon systems", "27", None),
        ),
    ],
)
def test_units_shares_of_sales_sequential_leads_and_counts(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_a_brand_named_alone_heads_the_figures_that_follow() -> None:
    assert rules.topic_of("First, Ridgewood.") == "Ridgewood"
    assert rules.topic_of("Now Pine Hollow, our apparel brand.") == "Pine Hollow"
    assert rules.topic_of("Thanks.") is False
    assert one_figure("Sales were $412 million, up 3%.", "Pine Hollow") == (
        "Pine Hollow sales",
        "$412 million",
        "up 3%",
    )


@pytest.mark.parametrize(
    ("sentence", "text_holds", "period"),
    [
        (
            "We're maintaining our range for long-term operating EPS growth of 5% to 7% per "
            "year, which we now extend through 2030.",
            "5% to 7%",
            "long term",
        ),
        (
            "We're also maintaining our expectation of retail sales growth in the range of 2% "
            "to 3% per year through 2029, with the growth weighted to the back half.",
            "2% to 3%",
            "2029",
        ),
        (
            "We'd expect to land in the upper half of the narrowed range.",
            "upper half",
            None,
        ),
    ],
)
def test_maintained_ranges_and_we_would_expect_are_outlooks(
    sentence: str, text_holds: str, period: str | None
) -> None:
    o = rules.extract_outlook(sentence)
    assert o is not None and text_holds in o.text and o.period == period


def test_up_from_a_level_is_the_comparison() -> None:
    assert one_figure("Water Services contributed $0.42 per share, up from $0.38.") == (
        "Water Services EPS contribution",
        "$0.42 per share",
        "vs $0.38",
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On costs, operations and maintenance expense, excluding the storm, was down 3.1% "
            "year-over-year.",
            (
                "Operations and maintenance expense (excluding the storm)",
                "down 3.1% YoY",
                None,
            ),
        ),
        (
            "We have now signed electric service agreements for 1.8 gigawatts.",
            ("Electric service agreements", "1.8 gigawatts", None),
        ),
        (
            "That supports rate base growth of about 8.5% compounded annually through 2030.",
            ("Rate base growth", "up about 8.5%", None),
        ),
        (
            "Our funds from operations to debt was 15.2%, and we continue to target 14% to 16% "
            "over the plan.",
            ("Funds from operations", "15.2%", None),
        ),
    ],
)
def test_utility_metrics_and_a_reported_part_before_a_target(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert one_figure(sentence) == expected


def test_a_recap_is_no_outlook_and_a_headwind_is_named() -> None:
    assert (
        rules.extract_outlook(
            "To sum up: a narrowed 2026 range, initial 2027 guidance and a $12.5 billion "
            "capital plan that we expect to fund internally."
        )
        is None
    )
    o = rules.extract_outlook(
        "We now expect a tariff headwind of about $14 million for the full year."
    )
    assert o is not None and o.metric == "Tariff headwind" and o.period == "Full year"


def test_a_question_that_opens_on_its_topic_keeps_it() -> None:
    gist = rules.question_gist(
        "Hey, thanks. Dana, on the Corvid knee implant recall, I want to understand the "
        "potential for this to spread. Is the supplier issue isolated to those two lots, and "
        "have you seen any, any attrition in knees as a result? Because knees were only up "
        "2.1 and I'm trying to figure out how much of that is the recall.",
        max_words=16,
    )
    assert "Corvid knee implant recall" in gist


def test_a_count_noun_does_not_name_an_amount_of_money() -> None:
    figures = rules.extract_figures(
        "We ended the quarter with a lease portfolio for all company-operated stores of "
        "$118.4 million."
    )
    assert not any(f.metric.lower().endswith("stores") for f in figures)


def test_a_step_of_the_per_share_bridge_is_not_the_metric_it_names() -> None:
    assert rules.extract_figures("Weather-normalized sales growth added $0.04.") == []
    assert one_figure("Water Services contributed $0.42 per share.") == (
        "Water Services EPS contribution",
        "$0.42 per share",
        None,
    )


def test_a_figure_the_speaker_corrects_does_not_stand() -> None:
    figures = rules.extract_figures(
        "Pinecrest's sales in the quarter were $44 million, I'm sorry, let me correct that, "
        "$44 million was last year's quarter and this year it was $36 million."
    )
    assert not any(f.value == "$44 million" for f in figures)
    assert one_figure("Revenue was, sorry, $4.16 billion, up 6%.") == (
        "Revenue",
        "$4.16 billion",
        "up 6%",
    )


def test_an_amount_of_a_named_metric_and_a_share_of_sales_weighs_as_a_ratio() -> None:
    figures = rules.extract_figures(
        "We ended the quarter with $412 million of cash and equivalents and $820 million of "
        "total debt."
    )
    assert [(f.metric, f.value) for f in figures] == [
        ("Cash and equivalents", "$412 million"),
        ("Total debt", "$820 million"),
    ]
    assert rules.metric_weight("Marketing spend share of sales") < rules.metric_weight("Sales")
    assert rules.metric_weight("DTC share of total sales") > 0


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Year to date free cash flow is $204.5 million.",
            ("Year-to-date free cash flow", "$204.5 million", None),
        ),
        (
            "Currency added 40 basis points, so on an organic basis revenue grew 7.2%.",
            ("Organic revenue", "up 7.2%", None),
        ),
    ],
)
def test_year_to_date_and_basis_leads_name_the_metric(
    sentence: str, expected: tuple[str, str, str | None]
) -> None:
    assert [
        (f.metric, f.value, "; ".join(f.comparisons) or None)
        for f in rules.extract_figures(sentence)
        if f.metric == expected[0]
    ] == [expected]


def test_a_clearance_keeps_its_name_and_a_pleased_lead_goes() -> None:
    assert rules.clean("we received FDA 510(k) clearance (interpreted) today") == (
        "we received FDA 510(k) clearance today"
    )
    event = rules.extract_event(
        "On that note, I'm pleased to say that in May we received FDA 510(k) clearance for "
        "the Talon total ankle application."
    )
    assert event is not None and event.text.startswith("In May we received FDA 510(k)")
    assert "ankle" in event.text


def test_a_ranking_is_no_count_and_a_number_of_things_is_no_amount() -> None:
    assert rules.extract_figures("We now power 40 of the top 500 systems on the list.") == []
    assert not any(
        f.metric == "Many users"
        for f in rules.extract_figures("This year, more than 200 of many users viewed it.")
    )
    assert one_figure("We shipped 1.4 million units in the quarter.") == (
        "Units",
        "1.4 million",
        None,
    )


def test_we_expect_sales_to_names_sales() -> None:
    o = rules.extract_outlook(
        "For the third quarter, we expect sales to be down low-single digits, because of the "
        "timing of wholesale shipments."
    )
    assert o is not None and o.metric == "Sales" and o.period == "Q3"
