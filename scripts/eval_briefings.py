#!/usr/bin/env python3
"""Score offline briefings of the shared transcripts that have gold fact sheets.

usage: python scripts/eval_briefings.py [--shared PATH] [--also DIR] [--out DIR] [--show]

Generates the Markdown briefing of each ``../shared/transcripts/<stem>.txt`` that has a
``../shared/eval/<stem>.toml`` with the offline engine and prints score.py's figures: recall
per category, grounded share and words. The shared folder is read only when present (it
holds third-party transcripts that never enter this repository).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.engines.offline import OfflineEngine  # noqa: E402
from briefing.pipeline import generate_briefing  # noqa: E402
from briefing.render import render_markdown  # noqa: E402
from briefing.transcript.reader import parse_transcript  # noqa: E402


def _load_score(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {shared / 'eval' / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=None, help="also write the briefings here")
    parser.add_argument("--show", action="store_true", help="print each briefing")
    parser.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        help="another folder of <stem>.txt transcripts with <stem>.toml gold sheets",
    )
    args = parser.parse_args(argv)
    if not (args.shared / "eval").is_dir():
        print(f"no gold sheets at {args.shared / 'eval'}: nothing to score")
        return 0
    score = _load_score(args.shared)
    recalls: dict[str, float] = {}
    pairs = [
        (gold, args.shared / "transcripts" / f"{gold.stem}.txt")
        for gold in sorted((args.shared / "eval").glob("*.toml"))
    ]
    for folder in args.also:
        pairs += [(gold, gold.with_suffix(".txt")) for gold in sorted(folder.glob("*.toml"))]
    for gold_path, source in pairs:
        if not source.is_file():
            continue
        started = time.perf_counter()
        briefing = generate_briefing(parse_transcript(source), OfflineEngine())
        markdown = render_markdown(briefing)
        elapsed = time.perf_counter() - started
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{gold_path.stem}.md").write_text(markdown, encoding="utf-8")
        if args.show:
            print(markdown)
        gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))
        transcript = source.read_text(encoding="utf-8", errors="replace")
        r = score.score(markdown, gold, transcript)
        recalls[gold_path.stem] = r["recall"] or 0.0
        cats = "  ".join(f"{c} {v['found']}/{v['total']}" for c, v in r["categories"].items())
        print(
            f"{gold_path.stem}: recall {r['recall']}  grounded {r['grounded_share']}  "
            f"words {r['words']}  ({elapsed:.2f}s)"
        )
        print(f"  {cats}")
        if r["missing"]:
            print("  missing: " + ", ".join(r["missing"]))
        if r["ungrounded"]:
            print("  ungrounded: " + ", ".join(r["ungrounded"]))
    if recalls:
        mean = sum(recalls.values()) / len(recalls)
        print(f"mean recall {mean:.3f} over {len(recalls)} transcripts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
