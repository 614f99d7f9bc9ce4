#!/usr/bin/env python3
"""Regenerate every example output from examples/*.txt with the offline engine.

usage: .venv/bin/python scripts/make_examples.py [--check]

For each fictional transcript in examples/ it writes the briefing as Markdown (.md), HTML
(.html), JSON (.json) and the Slack payload (.slack.json). It also writes one email digest
of all examples (examples/digest/), the published JSON Schema (docs/briefing.schema.json)
and the example briefing shown in README.md. ``--check`` writes nothing and exits 1 when a
committed output differs from what the tool produces now (timestamps aside);
tests/test_examples.py runs the same comparison.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from briefing.engines.offline import OfflineEngine
from briefing.pipeline import generate_briefing
from briefing.render import (
    briefing_json_schema,
    render_email,
    render_html,
    render_json,
    render_markdown,
    render_slack,
)
from briefing.schemas import Briefing
from briefing.transcript.reader import parse_transcript

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DIGEST = EXAMPLES / "digest"
SCHEMA = ROOT / "docs" / "briefing.schema.json"
README = ROOT / "README.md"
README_EXAMPLE = "northwind-robotics-2026q3"
# The README's "## Example" section shows one briefing in a fenced block, kept in step here.
_README_BLOCK = re.compile(r"(## Example\n.*?```markdown\n)(.*?)(```\n)", re.S)
# Each briefing's own creation time: the only part of an output that changes between runs.
TIMESTAMP_FIELDS = ("generated_at",)


def transcripts() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


def build_outputs() -> dict[Path, str]:
    """Every example output, by path, as the tool renders it now."""
    outputs: dict[Path, str] = {}
    briefings: list[Briefing] = []
    for path in transcripts():
        # A repository-relative source keeps this checkout's location out of the JSON.
        transcript = parse_transcript(path)
        transcript = transcript.model_copy(update={"source": str(path.relative_to(ROOT))})
        briefing = generate_briefing(transcript, OfflineEngine())
        briefings.append(briefing)
        stem = EXAMPLES / path.stem
        outputs[stem.with_suffix(".md")] = render_markdown(briefing)
        outputs[stem.with_suffix(".html")] = render_html(briefing)
        outputs[stem.with_suffix(".json")] = render_json(briefing)
        slack = [m.model_dump() for m in render_slack(briefing)]
        outputs[stem.with_suffix(".slack.json")] = _json(slack)
    # Dated the day after the latest call, as a morning digest job would send it: a fixed
    # date keeps the committed output reproducible.
    days = [b.header.call_date for b in briefings if b.header.call_date]
    email = render_email(briefings, day=max(days, default=date(2026, 1, 1)) + timedelta(days=1))
    outputs[DIGEST / "digest-email.html"] = email.html
    outputs[DIGEST / "digest-email.txt"] = f"Subject: {email.subject}\n\n{email.text}"
    outputs[SCHEMA] = _json(briefing_json_schema())
    readme = README.read_text(encoding="utf-8")
    shown = outputs[EXAMPLES / f"{README_EXAMPLE}.md"]
    if not _README_BLOCK.search(readme):
        raise SystemExit("README.md has no '## Example' section with a ```markdown block")
    outputs[README] = _README_BLOCK.sub(lambda m: m[1] + shown + m[3], readme, count=1)
    return outputs


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def comparable(path: Path, text: str) -> str:
    """The text with timestamps blanked, so a rerun compares equal when nothing else moved."""
    if path.name.endswith(".json") and not path.name.endswith(".slack.json") and path != SCHEMA:
        data = json.loads(text)
        for key in TIMESTAMP_FIELDS:
            data.pop(key, None)
        return json.dumps(data, indent=2, ensure_ascii=False)
    return text


def stale(outputs: dict[Path, str]) -> list[Path]:
    """Outputs whose committed file is missing or differs (timestamps aside)."""
    return [
        path
        for path, text in outputs.items()
        if not path.exists()
        or comparable(path, path.read_text(encoding="utf-8")) != comparable(path, text)
    ]


def main(argv: list[str]) -> int:
    outputs = build_outputs()
    old = stale(outputs)
    if "--check" in argv:
        for path in old:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if old else 0
    # Only changed files are rewritten, so a rerun does not churn the JSON timestamps.
    for path in old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(outputs) - len(old)} of {len(outputs)} outputs already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
