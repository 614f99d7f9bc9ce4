#!/usr/bin/env python3
"""Offline generation time of a ~60 KB transcript (target: under one second).

usage: python benchmarks/bench_generate.py [TRANSCRIPT] [--runs N]

Without a transcript it builds a fictional ~60 KB call by repeating the example call's
exchanges, so the benchmark runs anywhere. Prints parse, generate and render times (best and
median of the runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.engines.offline import OfflineEngine  # noqa: E402
from briefing.pipeline import generate_briefing  # noqa: E402
from briefing.render import render_markdown  # noqa: E402
from briefing.transcript.reader import parse_transcript  # noqa: E402

EXAMPLE = ROOT / "examples" / "northwind-robotics-2026q3.txt"


def sixty_kb_text() -> str:
    """The example call with its Q&A repeated until the text is about 60 KB."""
    text = EXAMPLE.read_text(encoding="utf-8")
    head, sep, qa = text.partition("QUESTIONS AND ANSWERS")
    body, _, tail = qa.rpartition("Operator")
    parts = [head, sep, body]
    while sum(len(p) for p in parts) < 60_000:
        parts.append(body)
    parts += ["Operator", tail]
    return "".join(parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    text = args.transcript.read_text(encoding="utf-8") if args.transcript else sixty_kb_text()
    times: dict[str, list[float]] = {"parse": [], "generate": [], "render": [], "total": []}
    words = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        transcript = parse_transcript(text)
        t1 = time.perf_counter()
        briefing = generate_briefing(transcript, OfflineEngine())
        t2 = time.perf_counter()
        markdown = render_markdown(briefing)
        t3 = time.perf_counter()
        words = len(markdown.split())
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
            times[key].append(value)
    print(
        f"transcript: {len(text.encode('utf-8')) / 1024:.1f} KB, "
        f"{len(transcript.turns)} turns, {len(transcript.exchanges)} exchanges"
    )
    for key, values in times.items():
        print(f"{key:9} best {min(values):.3f} s   median {statistics.median(values):.3f} s")
    print(
        f"briefing: {words} words; target total < 1 s: "
        f"{'met' if statistics.median(times['total']) < 1 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
