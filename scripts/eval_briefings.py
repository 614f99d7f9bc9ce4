#!/usr/bin/env python3
"""Score offline briefings of the shared transcripts that have gold fact sheets.

usage: python scripts/eval_briefings.py [--shared PATH] [--also DIR] [--out DIR] [--show] [--check]

Generates the Markdown briefing of each ``../shared/transcripts/<stem>.txt`` that has a
``../shared/eval/<stem>.toml`` with the offline engine and prints score.py's figures: recall
per category, grounded share and words. The shared folder is read only when present (it
holds third-party transcripts that never enter this repository). ``--also DIR`` adds a
folder of fictional ``<stem>.txt``/``<stem>.toml`` pairs (tests/fixtures/heldout*);
``--check`` only verifies that every gold sheet's strings occur in its transcript.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

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


def check_gold(gold: dict[str, Any], transcript: str) -> list[str]:
    """Problems in a gold sheet: strings that its transcript does not contain."""
    low = transcript.lower()
    problems = []
    for cat in ("metric", "guidance", "capital_return", "notable"):
        for fact in gold.get(cat, []):
            for n in fact.get("numbers", []):
                if n.lower() not in low:
                    problems.append(f"{cat}:{fact['id']}: '{n}' not in transcript")
            if fact.get("keywords") and not any(k.lower() in low for k in fact["keywords"]):
                problems.append(f"{cat}:{fact['id']}: no keyword in transcript")
    for e in gold.get("exchange", []):
        for part in (e["analyst"].split()[-1], e["firm"].split()[0]):
            if part.lower() not in low:
                problems.append(f"exchange:{e['analyst']}: '{part}' not in transcript")
    return problems


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
    parser.add_argument("--check", action="store_true", help="only check the gold sheets")
    args = parser.parse_args(argv)
    pairs = [
        (gold, args.shared / "transcripts" / f"{gold.stem}.txt")
        for gold in sorted((args.shared / "eval").glob("*.toml"))
    ]
    for folder in args.also:
        pairs += [(gold, gold.with_suffix(".txt")) for gold in sorted(folder.glob("*.toml"))]
    pairs = [(gold, source) for gold, source in pairs if source.is_file()]
    if args.check:
        bad = 0
        for gold_path, source in pairs:
            gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))
            problems = check_gold(gold, source.read_text(encoding="utf-8", errors="replace"))
            print(f"{gold_path.stem}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
            bad += len(problems)
        return 1 if bad else 0
    if not (args.shared / "eval").is_dir():
        print(f"no scorer at {args.shared / 'eval'}: nothing to score")
        return 0
    score = _load_score(args.shared)
    recalls: dict[str, float] = {}
    for gold_path, source in pairs:
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
