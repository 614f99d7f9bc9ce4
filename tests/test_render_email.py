"""The email digest: subject, 600 px table layout with inlined CSS, plain-text part."""

from __future__ import annotations

from datetime import date

from briefing_factory import full_briefing, header, llm_usage, minimal_briefing, qa

from briefing.render import render_email
from briefing.schemas import Briefing

DAY = date(2026, 10, 30)


def _two() -> list[Briefing]:
    aurora = header(company="Aurora Payments", fiscal_period="Q2 2026", source="aurora.txt")
    return [full_briefing(), full_briefing(header=aurora, usage=llm_usage())]


def test_subject_counts_calls_and_dates_the_digest() -> None:
    assert render_email(_two(), day=DAY).subject == "Earnings briefings: 2 calls (2026-10-30)"
    assert render_email([full_briefing()], day=DAY).subject == (
        "Earnings briefings: 1 call (2026-10-30)"
    )


def test_html_part_is_a_600px_table_with_css_inlined() -> None:
    html = render_email(_two(), day=DAY).html
    assert "<style" not in html, "Gmail and Outlook need inline styles, not a <style> block"
    assert 'width="600"' in html and "width: 600px" in html
    assert 'class="num" style="font-weight: bold;' in html
    assert html.count("Northwind Robotics · Q3 2026") >= 2  # contents line and section
    assert "Aurora Payments · Q2 2026" in html
    assert "$1.30 billion to $1.34 billion" in html
    assert "No direct answer." in html
    assert "<script" not in html and "src=" not in html


def test_text_part_holds_each_briefing_as_markdown() -> None:
    text = render_email(_two(), day=DAY).text
    assert text.startswith("Earnings briefings: 2 calls (2026-10-30)\n\n1. Northwind Robotics")
    assert "2. Aurora Payments · Q2 2026" in text
    assert "# Aurora Payments · Q2 2026 earnings call" in text
    assert "- **Revenue**: $1.24 billion (+18% YoY)" in text
    assert "Engine: openai (gpt-4o-mini) · usage and cost in the JSON briefing" in text


def test_transcript_text_is_escaped_in_html() -> None:
    b = full_briefing(qa=[qa(1, "Eve", "<b>Firm</b>", "<script>x()</script>?", "a & b", 5)])
    html = render_email([b], day=DAY).html
    assert "<script>" not in html and "<b>Firm</b>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;?" in html and "a &amp; b" in html


def test_sparse_and_empty_digests_render() -> None:
    sparse = render_email([minimal_briefing()], day=DAY)
    assert "Earnings call" in sparse.html and "Engine: offline" in sparse.text
    empty = render_email([], day=DAY)
    assert empty.subject == "Earnings briefings: 0 calls (2026-10-30)"
    assert "No new briefings." in empty.html and "No new briefings." in empty.text
