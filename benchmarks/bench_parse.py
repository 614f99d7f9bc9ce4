"""How fast the reader is: a 60 KB transcript (target: under 50 ms) and the real set.

    .venv/bin/python benchmarks/bench_parse.py [--repeat 20] [--shared ../shared]

The 60 KB transcript is the fictional StreetEvents fixture, its Q&A repeated with fresh
analyst names until the file reaches 60 KB. Prints the median and best of ``--repeat``
parses, then the time for each transcript in ``<shared>/transcripts`` and for the set.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from briefing.transcript.reader import parse_transcript
from briefing.transcript.roles import name_tokens, parse_intro, role_from_title

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "transcripts" / "streetevents.txt"
TARGET_BYTES = 60 * 1024
RULE = "-" * 80


def enlarged_transcript(target: int = TARGET_BYTES) -> str:
    """The fixture with extra analyst exchanges appended to its Q&A until ``target`` bytes."""
    text = FIXTURE.read_text(encoding="utf-8")
    head, _, tail = text.partition(RULE + "\nOperator    [11]")
    blocks: list[str] = []
    n = 100
    while len(head.encode()) + sum(len(b.encode()) for b in blocks) + len(tail) < target:
        analyst = f"Analyst{n} Example"
        blocks.append(
            f"{RULE}\nOperator    [{n}]\n{RULE}\n"
            f"Your next question comes from the line of {analyst} with Firm{n} Capital.\n\n"
            f"{RULE}\n{analyst},  Firm{n} Capital, Research Division - Analyst    [{n + 1}]\n"
            f"{RULE}\n"
            "Thanks for taking my question. Could you talk about the pipeline for the second "
            "half, the pricing environment in Europe and how you think about operating "
            "expenses as the new contracts ramp through the year?\n\n"
            f"{RULE}\nNora Vance,  Veltrix Corporation - Executive VP & CFO    [{n + 2}]\n{RULE}\n"
            "Sure. The pipeline is up sharply from a year ago, pricing has held for four "
            "quarters, and we expect operating expenses to grow more slowly than revenue as "
            "the contracts ramp. We will give more detail at our investor day in June.\n\n"
        )
        n += 3
    return head + "".join(blocks) + RULE + "\nOperator    [11]" + tail


def time_parse(text: str, repeat: int) -> list[float]:
    """Wall times in ms; the reader's caches are emptied first, so each run starts cold."""
    times: list[float] = []
    for _ in range(repeat):
        for cached in (name_tokens, parse_intro, role_from_title):
            cached.cache_clear()
        start = time.perf_counter()
        parse_transcript(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()

    text = enlarged_transcript()
    parsed = parse_transcript(text)
    times = time_parse(text, args.repeat)
    print(
        f"60 KB transcript ({len(text.encode()) / 1024:.0f} KB, {len(parsed.turns)} turns, "
        f"{len(parsed.exchanges)} exchanges): median {statistics.median(times):.1f} ms, "
        f"best {min(times):.1f} ms over {args.repeat} runs (target < 50 ms)"
    )

    files = sorted((args.shared / "transcripts").glob("*.txt"))
    if not files:
        print(f"no transcripts under {args.shared / 'transcripts'}")
        return
    total = 0.0
    for path in files:
        best = min(time_parse(path.read_text(encoding="utf-8"), max(1, args.repeat // 4)))
        total += best
        print(f"  {path.name:<24} {path.stat().st_size / 1024:6.1f} KB  {best:6.1f} ms")
    print(f"whole set: {len(files)} transcripts in {total:.1f} ms (best of runs, summed)")


if __name__ == "__main__":
    main()
