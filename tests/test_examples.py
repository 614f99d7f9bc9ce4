"""The committed examples: rich fictional transcripts, and outputs the tool still produces.

A failing freshness test means the tool's output changed: look at the diff, then run
``.venv/bin/python scripts/make_examples.py`` and commit the regenerated files.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from briefing.transcript.reader import parse_transcript

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
README_EXAMPLE = EXAMPLES / "northwind-robotics-2026q3.md"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "scripts" / "make_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load_script()


@pytest.fixture(scope="module")
def outputs(script: ModuleType) -> Iterator[dict[Path, str]]:
    yield script.build_outputs()


@pytest.mark.parametrize(
    ("name", "layout"),
    [("northwind-robotics-2026q3.txt", "refinitiv"), ("aurora-payments-2026q2.txt", "motley-fool")],
)
def test_example_transcripts_are_full_calls_in_two_layouts(name: str, layout: str) -> None:
    t = parse_transcript(EXAMPLES / name)
    assert t.layout == layout
    assert t.company and t.fiscal_period and t.call_date
    assert {r.group for r in t.remarks} >= {"ceo", "cfo"}
    assert 5 <= len(t.exchanges) <= 8
    assert any(len(e.questions) > 1 for e in t.exchanges), "a follow-up question"
    text = (EXAMPLES / name).read_text(encoding="utf-8").lower()
    for cue in ("retire" if "northwind" in name else "appointed", "repurchase", "we expect"):
        assert cue in text


def test_every_example_output_is_committed_and_current(
    script: ModuleType, outputs: dict[Path, str]
) -> None:
    stale = [str(p.relative_to(ROOT)) for p in script.stale(outputs)]
    assert not stale, f"run .venv/bin/python scripts/make_examples.py; stale: {stale}"
    stems = {p.stem for p in EXAMPLES.glob("*.txt")}
    for stem in stems:
        for suffix in (".md", ".html", ".json", ".slack.json"):
            assert EXAMPLES / f"{stem}{suffix}" in outputs


def test_freshness_check_ignores_only_timestamps(
    script: ModuleType, outputs: dict[Path, str]
) -> None:
    path = EXAMPLES / "northwind-robotics-2026q3.json"
    data = json.loads(outputs[path])
    data["generated_at"] = "1999-01-01T00:00:00Z"
    assert script.comparable(path, json.dumps(data)) == script.comparable(path, outputs[path])
    data["header"]["company"] = "Someone Else"
    assert script.comparable(path, json.dumps(data)) != script.comparable(path, outputs[path])


def test_readme_shows_the_example_briefing() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Example\n.*?```markdown\n(.*?)```\n", readme, re.S)
    assert block, "README.md needs an '## Example' section with the briefing in a markdown block"
    assert block.group(1) == README_EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.chromium
@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("stem", ["northwind-robotics-2026q3", "aurora-payments-2026q2"])
def test_example_html_prints_on_one_page(stem: str, tmp_path: Path) -> None:
    from test_render_html import _print_pages

    html = (EXAMPLES / f"{stem}.html").read_text(encoding="utf-8")
    assert _print_pages(html, tmp_path, stem) == 1
