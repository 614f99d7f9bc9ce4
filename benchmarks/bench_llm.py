"""How much concurrency buys: the LLM engine against a local stub that takes 1 s per call.

    .venv/bin/python benchmarks/bench_llm.py [TRANSCRIPT] [--latency 1.0] [--concurrency 8]

Builds the briefing of the seed transcript twice through the real pipeline and the real
OpenAI SDK, once with ``--concurrency 1`` and once with the given limit, against a stub
OpenAI-compatible server on 127.0.0.1 that answers schema-valid content after ``--latency``
seconds. Prints wall time, calls and tokens of each run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai_server import FakeOpenAIServer  # noqa: E402  (a test helper)

from briefing.engines.llm import create_llm_engine  # noqa: E402
from briefing.engines.pricing import Price, PriceTable  # noqa: E402
from briefing.pipeline import build_briefing  # noqa: E402
from briefing.transcript.reader import parse_transcript  # noqa: E402

SEED = ROOT / "examples" / "northwind-robotics-2026q3.txt"


def run_once(transcript_path: Path, latency: float, concurrency: int) -> str:
    transcript = parse_transcript(transcript_path)
    with FakeOpenAIServer(latency_s=latency) as server:
        engine = create_llm_engine(
            base_url=server.url,
            model="stub",
            concurrency=concurrency,
            prices=PriceTable({"stub": Price(input=0.20, cached_input=0.02, output=1.20)}),
        )
        started = time.monotonic()
        briefing = asyncio.run(build_briefing(transcript, engine))
        wall = time.monotonic() - started
        usage = briefing.usage
        fallbacks = sum(1 for w in briefing.warnings if w.kind == "fallback")
        return (
            f"concurrency {concurrency:>2}: wall {wall:6.2f} s, {usage.calls} calls "
            f"(max {server.max_in_flight} in flight, {server.call_seconds:.1f} s of calls), "
            f"{usage.prompt_tokens:,} prompt tokens ({usage.cached_tokens:,} cached), "
            f"{usage.completion_tokens:,} completion tokens, {fallbacks} fallback(s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript", nargs="?", type=Path, default=SEED)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds added per call")
    parser.add_argument("--concurrency", type=int, default=8, help="the limit to compare")
    args = parser.parse_args()
    print(f"{args.transcript.name}, stub latency {args.latency:.1f} s per call")
    for limit in (1, args.concurrency):
        print(run_once(args.transcript, args.latency, limit))


if __name__ == "__main__":
    main()
