"""The HTML briefing: self-contained, escaped, and exactly one printed page (A4 and Letter)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from briefing_factory import (
    crowded_briefing,
    full_briefing,
    llm_usage,
    minimal_briefing,
    point,
    qa,
)
from pypdf import PdfReader

from briefing.render import render_html, render_markdown
from briefing.schemas import Briefing

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Tags(HTMLParser):
    """Collects start tags and their attributes to check the page loads nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_page_is_self_contained() -> None:
    html = render_html(full_briefing(usage=llm_usage()), cite=True)
    tags = _tags(html)
    names = {t for t, _ in tags}
    assert "style" in names
    assert not names & {"script", "link", "img", "iframe", "object"}
    assert not any(k in {"src", "href"} for _, attrs in tags for k in attrs)
    assert "url(" not in html and "@import" not in html


def test_transcript_text_is_escaped() -> None:
    b = full_briefing(
        tldr=[point("<script>alert(1)</script> & <b>bold</b>", 3)],
        qa=[qa(1, "Eve <img src=x>", "Firm & Co", "<!channel> q?", "a <i>b</i>", 9)],
    )
    html = render_html(b)
    assert "<script>" not in html and "<img src=x>" not in html and "<i>b</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Firm &amp; Co" in html


def test_sections_and_flags_are_shown() -> None:
    html = render_html(full_briefing())
    text = re.sub(r"<[^>]+>", " ", html)
    for heading in ("TL;DR", "Key figures", "Guidance", "CEO remarks", "CFO financials"):
        assert heading in text
    assert "no direct answer" in html
    assert "via interpreter Priya Raman" in html
    assert ">raised<" in html
    assert "<title>Northwind Robotics · Q3 2026 earnings briefing</title>" in html


def test_cite_adds_line_references() -> None:
    assert 'class="ref"' not in render_html(full_briefing())
    cited = render_html(full_briefing(), cite=True)
    assert '<span class="ref">L40</span>' in cited
    assert '<span class="ref">L96-98</span>' in cited


def test_minimal_briefing_renders_without_empty_sections() -> None:
    html = render_html(minimal_briefing())
    assert "<h2>" not in html
    assert "Engine: offline" in html


def _print_pages(html: str, tmp_path: Path, name: str) -> int:
    assert CHROMIUM is not None
    page, pdf = tmp_path / f"{name}.html", tmp_path / f"{name}.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return len(PdfReader(pdf).pages)


@pytest.mark.chromium
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("make", [full_briefing, crowded_briefing], ids=["full", "crowded"])
def test_full_briefing_prints_on_exactly_one_page(
    paper: str, make: Callable[[], Briefing], tmp_path: Path
) -> None:
    b = make()
    assert len(render_markdown(b).split()) >= 600, "the page under test must be a full call"
    html = render_html(b.model_copy(update={"usage": llm_usage()}), cite=True)
    sized = html.replace("@page {", f"@page {{ size: {paper};", 1)
    assert sized != html
    assert _print_pages(sized, tmp_path, paper) == 1


def test_type_gets_denser_as_the_page_fills() -> None:
    assert '<body class="regular">' in render_html(minimal_briefing())
    assert '<body class="compact">' in render_html(full_briefing())
    assert '<body class="dense">' in render_html(crowded_briefing())
