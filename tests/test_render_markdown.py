"""The Markdown briefing: one item per line, cite references, footer, empty sections."""

from __future__ import annotations

import re

from briefing_factory import full_briefing, guidance, llm_usage, minimal_briefing, point, qa

from briefing.render import render_html, render_markdown


def _line_with(md: str, *needles: str) -> str:
    hits = [line for line in md.splitlines() if all(n in line for n in needles)]
    assert len(hits) == 1, (needles, hits)
    return hits[0]


def test_header_names_company_period_date_and_people() -> None:
    md = render_markdown(full_briefing())
    assert md.startswith("# Northwind Robotics · Q3 2026 earnings call\n")
    assert "October 29, 2026" in md
    assert "Dana Whitfield (CEO)" in md and "Priya Raman (IR)" in md
    assert "Nora Lind (UBS)" in md


def test_each_key_figure_is_one_line_with_label_and_comparison() -> None:
    md = render_markdown(full_briefing())
    assert _line_with(md, "Operating margin**", "14.2%") == (
        "- **Operating margin** (non-GAAP): 14.2% (vs 11.1% a year ago)"
    )
    assert _line_with(md, "$0.91") == "- **Diluted EPS** (GAAP): $0.91"
    assert _line_with(md, "**Revenue**:") == "- **Revenue**: $1.24 billion (+18% YoY)"


def test_guidance_line_keeps_range_period_labels_and_status_only_when_set() -> None:
    md = render_markdown(full_briefing())
    assert _line_with(md, "Revenue growth") == (
        "- **Revenue growth** (FY2026): 17% to 18%, YoY growth, raised"
    )
    revenue = _line_with(md, "$1.30 billion to $1.34 billion", "**Revenue**")
    assert revenue == "- **Revenue** (Q4 2026): $1.30 billion to $1.34 billion"
    assert "maintained" not in md and "absolute" not in md


def test_qa_puts_analyst_and_firm_on_the_question_line_and_answer_on_the_next() -> None:
    lines = render_markdown(full_briefing()).splitlines()
    i = next(i for i, line in enumerate(lines) if "**Raj Patel** (Jefferies)" in line)
    assert "2027 revenue framework" in lines[i]
    assert lines[i + 1].startswith("  ↳ ⚠ **No direct answer.** Dana Whitfield: We will guide")
    via = next(line for line in lines if "Search is under way" in line)
    assert "Dana Whitfield (via interpreter Priya Raman):" in via


def test_remarks_groups_are_titled_by_speaker_and_empty_groups_vanish() -> None:
    md = render_markdown(full_briefing(other_remarks=[]))
    assert "## CEO remarks — Dana Whitfield" in md
    assert "## CFO financials — Marcus Feld" in md
    assert "Other executives" not in md


def test_cite_adds_line_references_to_every_item() -> None:
    plain = render_markdown(full_briefing())
    cited = render_markdown(full_briefing(), cite=True)
    assert "[L" not in plain
    assert _line_with(cited, "**Revenue**:").endswith("[L40]")
    assert _line_with(cited, "Revenue growth").endswith("[L80-81]")
    assert _line_with(cited, "**Tom Okafor**").endswith("[L96-98]\\")
    assert _line_with(cited, "Backlog stated").endswith("[L52] [L139-140]")
    items = [line for line in cited.splitlines() if line.startswith(("- ", "  ↳"))]
    assert items and all(re.search(r"\[L\d+(-\d+)?\]\\?$", line) for line in items)


def test_transcript_line_breaks_never_split_an_item() -> None:
    b = full_briefing(
        tldr=[point("Revenue  grew\n18% on\tAtlas demand.", 3)],
        guidance=[guidance("Revenue", "Q4 2026", "$1.30 billion\nto $1.34 billion", 7)],
        qa=[qa(1, "Tom Okafor", None, "What\nabout tariffs?", "Small.\nManageable.", 9)],
    )
    md = render_markdown(b)
    assert "- Revenue grew 18% on Atlas demand." in md
    assert "- **Revenue** (Q4 2026): $1.30 billion to $1.34 billion" in md
    assert "- **Tom Okafor** → What about tariffs?\\\n  ↳ Dana Whitfield: Small. Manageable." in md


def test_footer_names_the_engine_and_writes_no_ungroundable_numbers() -> None:
    offline = render_markdown(full_briefing()).splitlines()[-1]
    assert offline == (
        "Source: northwind-robotics-2026q3.txt · Engine: offline · no model calls, no cost"
    )
    # Token counts and cost are not in the transcript: on the Markdown page they would read
    # as ungrounded figures, so they stay in the JSON, the HTML footer and on stderr.
    llm = render_markdown(full_briefing(usage=llm_usage())).splitlines()[-1]
    assert llm.endswith("Engine: openai (gpt-4o-mini) · usage and cost in the JSON briefing")
    assert not any(ch.isdigit() for ch in llm.split("Engine:")[1].replace("gpt-4o-mini", ""))
    html = render_html(full_briefing(usage=llm_usage()))
    assert "53,330 tokens (30,500 cached) · est. cost $0.0123" in html


def test_full_briefing_fits_the_word_budget() -> None:
    assert len(render_markdown(full_briefing()).split()) <= 800


def test_minimal_briefing_renders_only_what_exists() -> None:
    md = render_markdown(minimal_briefing())
    assert md == "# Earnings call\n\n---\n\nEngine: offline · no model calls, no cost\n"


def test_each_warning_is_its_own_line_with_or_without_citations() -> None:
    from briefing.schemas import BriefingWarning

    warnings = [
        BriefingWarning(kind="contradiction", message="Plan in RMB and USD.", lines=[(3, 3)]),
        BriefingWarning(kind="truncated", message="Ends mid-question.", lines=[(9, 9)]),
    ]
    for cite in (False, True):
        md = render_markdown(full_briefing(warnings=warnings), cite=cite)
        lines = [line for line in md.splitlines() if line.startswith("- ⚠")]
        assert len(lines) == 2, md
        assert lines[1].startswith("- ⚠ Ends mid-question.")
