#!/usr/bin/env python3
"""Score offline briefings of the held-out fictional transcripts against their gold sheets.

usage: python scripts/eval_heldout.py [--dir DIR] [--shared PATH] [--out DIR] [--show] [--check]

The held-out set (``tests/fixtures/heldout/<stem>.txt`` with ``<stem>.toml``) is four
fictional earnings calls written for this project, one per layout (StreetEvents, LSEG 2024,
Motley Fool, plain "Name - Title: text"), and never used to tune the offline engine. For
each pair the script parses the transcript, generates the Markdown briefing with the
offline engine and prints recall per category, the missing facts, the grounded share, the
ungrounded numbers and the word count, then the mean recall.

Scoring uses ``score()`` from ``<shared>/eval/score.py`` when that file exists (the team's
scorer); otherwise it falls back to a copy of the same rule (see that folder's README).
``--check`` only verifies the gold sheets against their transcripts: every ``numbers``
string must occur in the transcript, and every analyst's last name and firm's first word.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
CATEGORIES = ("metric", "guidance", "capital_return", "notable", "exchange")

# --- fallback copy of the shared scoring rule (used only when score.py is absent) -----------

_NUM = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?%?")
_SKIP = re.compile(r"^(?:19|20)\d\d$|^[1-4]$")  # bare years, quarter numbers, small ordinals
_MAX_LINE_WORDS = 50


def _numbers(text: str) -> set[str]:
    out = set()
    for tok in _NUM.findall(text):
        tok = tok.rstrip(",").replace(",", "").rstrip("%")
        if tok.endswith(".0"):
            tok = tok[:-2]
        out.add(tok)
    return out


def _found(lines: list[str], nums: list[str], keys: list[str]) -> bool:
    for line in lines:
        low = line.lower()
        if len(line.split()) > _MAX_LINE_WORDS:
            continue
        has_key = not keys or any(k.lower() in low for k in keys)
        if has_key and all(n.lower() in low for n in nums):
            return True
    return False


def _exchange_found(lines: list[str], e: dict[str, Any]) -> bool:
    last, firm = e["analyst"].split()[-1].lower(), e["firm"].split()[0].lower()
    topics = [k.lower() for k in e.get("keywords", [])]
    for i, line in enumerate(lines):
        low = line.lower()
        if len(line.split()) > _MAX_LINE_WORDS or last not in low or firm not in low:
            continue
        window = " ".join(lines[i : i + 3]).lower()
        if not topics or any(t in window for t in topics):
            return True
    return False


def fallback_score(briefing: str, gold: dict[str, Any], transcript: str) -> dict[str, Any]:
    lines = briefing.splitlines()
    result: dict[str, Any] = {"categories": {}, "missing": []}
    for cat in ("metric", "guidance", "capital_return", "notable"):
        facts = gold.get(cat, [])
        hits = [f for f in facts if _found(lines, f.get("numbers", []), f.get("keywords", []))]
        result["categories"][cat] = {"found": len(hits), "total": len(facts)}
        result["missing"] += [f"{cat}:{f['id']}" for f in facts if f not in hits]
    ex = gold.get("exchange", [])
    ex_hits = [e for e in ex if _exchange_found(lines, e)]
    result["categories"]["exchange"] = {"found": len(ex_hits), "total": len(ex)}
    result["missing"] += [f"exchange:{e['analyst']}" for e in ex if e not in ex_hits]
    total = sum(c["total"] for c in result["categories"].values())
    hit = sum(c["found"] for c in result["categories"].values())
    result["recall"] = round(hit / total, 3) if total else None
    written = {n for n in _numbers(briefing) if not _SKIP.match(n)}
    ungrounded = sorted(n for n in written if n not in _numbers(transcript))
    result["numbers_written"] = len(written)
    result["ungrounded"] = ungrounded
    result["grounded_share"] = round(1 - len(ungrounded) / len(written), 3) if written else None
    result["words"] = len(briefing.split())
    return result


def load_scorer(shared: Path) -> tuple[Callable[[str, dict[str, Any], str], dict[str, Any]], str]:
    path = shared / "eval" / "score.py"
    if path.is_file():
        spec = importlib.util.spec_from_file_location("shared_score", path)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.score, str(path)
    return fallback_score, "built-in copy of the shared rule"


# --- gold-sheet self-check ----------------------------------------------------------------


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


# --- main ---------------------------------------------------------------------------------


def pairs(folder: Path) -> list[tuple[Path, Path]]:
    out = []
    for gold_path in sorted(folder.glob("*.toml")):
        source = gold_path.with_suffix(".txt")
        if source.is_file():
            out.append((source, gold_path))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=HELDOUT, help="folder of .txt/.toml pairs")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=None, help="also write the briefings here")
    parser.add_argument("--show", action="store_true", help="print each briefing")
    parser.add_argument("--check", action="store_true", help="only check the gold sheets")
    args = parser.parse_args(argv)

    found = pairs(args.dir)
    if not found:
        print(f"no transcript/gold pairs in {args.dir}")
        return 1

    if args.check:
        bad = 0
        for source, gold_path in found:
            gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))
            problems = check_gold(gold, source.read_text(encoding="utf-8", errors="replace"))
            counts = "  ".join(f"{c} {len(gold.get(c, []))}" for c in CATEGORIES)
            print(f"{source.stem}: {source.stat().st_size} bytes  {counts}")
            for p in problems:
                print(f"  {p}")
            bad += len(problems)
        return 1 if bad else 0

    from briefing.engines.offline import OfflineEngine
    from briefing.pipeline import generate_briefing
    from briefing.render import render_markdown
    from briefing.transcript.reader import parse_transcript

    score, scorer_name = load_scorer(args.shared)
    print(f"scorer: {scorer_name}")
    recalls: dict[str, float] = {}
    grounded: dict[str, float] = {}
    totals = {c: [0, 0] for c in CATEGORIES}
    for source, gold_path in found:
        started = time.perf_counter()
        briefing = generate_briefing(parse_transcript(source), OfflineEngine())
        markdown = render_markdown(briefing)
        elapsed = time.perf_counter() - started
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{source.stem}.md").write_text(markdown, encoding="utf-8")
        if args.show:
            print(markdown)
        gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))
        transcript = source.read_text(encoding="utf-8", errors="replace")
        r: dict[str, Any] = score(markdown, gold, transcript)
        recalls[source.stem] = r["recall"] or 0.0
        if r["grounded_share"] is not None:
            grounded[source.stem] = r["grounded_share"]
        for c, v in r["categories"].items():
            if c in totals:
                totals[c][0] += v["found"]
                totals[c][1] += v["total"]
        layout = gold.get("transcript", {}).get("layout", "?")
        print(
            f"{source.stem} [{layout}]: recall {r['recall']}  grounded {r['grounded_share']} "
            f"({r['numbers_written']} numbers)  words {r['words']}  ({elapsed:.2f}s)"
        )
        cats = r["categories"].items()
        print("  " + "  ".join(f"{c} {v['found']}/{v['total']}" for c, v in cats))
        if r["missing"]:
            print("  missing: " + ", ".join(r["missing"]))
        if r["ungrounded"]:
            print("  ungrounded: " + ", ".join(r["ungrounded"]))
    mean = sum(recalls.values()) / len(recalls)
    print(f"mean recall {mean:.3f} over {len(recalls)} held-out transcripts")
    if grounded:
        print(f"mean grounded share {sum(grounded.values()) / len(grounded):.3f}")
    print("by category: " + "  ".join(f"{c} {f}/{t}" for c, (f, t) in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
