"""Check the reader against the real transcripts and gold sheets in ../shared.

For every transcript in ../shared/transcripts/ it checks that
- no turn text is lost: every non-blank source line between the first and the last turn is
  inside a turn, or is a speaker line, a rule or a section heading (printed if not);
- line ranges point at the right lines: each turn's text is found, line by line, in the
  source lines its range names;
and, where ../shared/eval/<stem>.toml exists, that its [[speaker]] entries with role CEO,
CFO, COO or IR are found with that role (any other executive title, such as CRO, with an
executive role), that its [[exchange]] entries are found (analyst name and firm) and their
number matches, that every exchange drew an answer, and that the company, fiscal period and
call date in its [transcript] table are read.

The same checks run on the held-out fictional set in tests/fixtures/heldout/ (each
<stem>.txt with its gold sheet <stem>.toml), which was written to test the reader, not
tuned on.

Usage: python scripts/eval_parse.py [SHARED_DIR]   (exit 1 when a check fails)
"""

from __future__ import annotations

import re
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from briefing.transcript.layouts import section_marker
from briefing.transcript.model import Transcript
from briefing.transcript.reader import parse_transcript
from briefing.transcript.roles import name_match_score

ROOT = Path(__file__).resolve().parent.parent
_RULE = re.compile(r"^\s*[-=_*]{8,}\s*$")
_CHECKED_ROLES = {"ceo": "ceo", "cfo": "cfo", "coo": "coo", "ir": "ir"}
_EXECUTIVE = {"ceo", "cfo", "coo", "president", "chair", "ir", "executive"}
HELDOUT = ROOT / "tests" / "fixtures" / "heldout"


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared"
    transcripts = sorted((shared / "transcripts").glob("*.txt"))
    if not transcripts:
        print(f"no transcripts under {shared / 'transcripts'}; checking the held-out set only")
    failures = check_set(transcripts, shared / "eval")
    heldout = sorted(HELDOUT.glob("*.txt"))
    if heldout:
        print(f"\n-- held-out set ({HELDOUT.relative_to(ROOT)})")
        failures += check_set(heldout, HELDOUT)
    print(f"\n{len(transcripts) + len(heldout)} transcripts, {failures} failed checks")
    return 1 if failures else 0


def check_set(transcripts: list[Path], gold_dir: Path) -> int:
    """Parse each transcript and check it against ``gold_dir/<stem>.toml`` when present."""
    failures = 0
    for path in transcripts:
        start = time.perf_counter()
        t = parse_transcript(path)
        ms = (time.perf_counter() - start) * 1000
        print(
            f"== {path.name}: layout {t.layout}, {len(t.turns)} turns, "
            f"{len(t.exchanges)} exchanges, {ms:.0f} ms"
        )
        failures += check_lines(t)
        failures += check_coverage(t)
        gold_path = gold_dir / f"{path.stem}.toml"
        if gold_path.exists():
            with gold_path.open("rb") as fh:
                gold = tomllib.load(fh)
            failures += check_meta(t, gold.get("transcript", {}))
            failures += check_gold(t, gold)
        else:
            print("   (no gold sheet)")
    return failures


def check_meta(t: Transcript, meta: dict[str, Any]) -> int:
    """Company (the gold name, or its first words: "Trip.com" for "Trip.com Group"),
    fiscal period and call date."""
    bad = 0
    company = str(meta.get("company") or "")
    if company:
        got = (t.company or "").lower()
        ok = bool(got) and (got == company.lower() or company.lower().startswith(got + " "))
        bad += not ok
        print(f"   {'ok  ' if ok else 'FAIL'} company {company!r}: {t.company!r}")
    if "period" in meta:
        ok = t.fiscal_period == meta["period"]
        bad += not ok
        print(f"   {'ok  ' if ok else 'FAIL'} period {meta['period']}: {t.fiscal_period}")
    if "date" in meta:
        want = str(meta["date"] or "")
        got_date = t.call_date.isoformat() if t.call_date else ""
        ok = got_date == want
        bad += not ok
        print(f"   {'ok  ' if ok else 'FAIL'} call date {want or '(none)'}: {got_date or '(none)'}")
    return bad


def check_lines(t: Transcript) -> int:
    """Every line of each turn's text sits in the source line its range says."""
    bad = 0
    for turn in t.turns:
        pieces = turn.text.split("\n")
        source = [t.line(n).strip() for n in range(turn.line_start, turn.line_end + 1)]
        source = [s for s in source if s and not _RULE.match(s)]
        ok = len(pieces) == len(source) and all(
            p == s or s.endswith(p) for p, s in zip(pieces, source, strict=True)
        )
        if not ok:
            bad += 1
            print(
                f"   FAIL line range of turn {turn.index} ({turn.speaker}, "
                f"{turn.line_start}-{turn.line_end})"
            )
    print(f"   line ranges: {len(t.turns) - bad}/{len(t.turns)} turns exact")
    return bad


def check_coverage(t: Transcript) -> int:
    """No text lost: body lines outside every turn must be speaker lines or headings."""
    covered: set[int] = set()
    starts: dict[int, tuple[str, ...]] = {}
    prefixed: dict[int, str] = {}  # a "Name: text" line counts only its text
    for turn in t.turns:
        covered.update(range(turn.line_start, turn.line_end + 1))
        starts[turn.line_start] = tuple(n for n in (turn.speaker, turn.via) if n)
        prefixed[turn.line_start] = turn.text.split("\n", 1)[0]
    first, last = t.turns[0].line_start, t.turns[-1].line_end
    lost: list[tuple[int, str]] = []
    total_words = 0
    for number in range(first, last + 1):
        line = t.line(number).strip()
        if not line or _RULE.match(line):
            continue
        outside = number not in covered
        if outside and (_is_header(t, number, starts) or section_marker(line) is not None):
            continue
        total_words += len(prefixed.get(number, line).split())
        if outside and len(line.split()) > 20:
            lost.append((number, line))
    turn_words = sum(len(x.text.split()) for x in t.turns)
    print(
        f"   text: {turn_words:,} words in turns, {total_words:,} in the body "
        f"({100 * turn_words / max(1, total_words):.1f}%); {len(lost)} prose lines outside turns"
    )
    for number, line in lost[:5]:
        print(f"   FAIL lost line {number}: {line[:90]}")
    return len(lost)


def _is_header(t: Transcript, number: int, starts: dict[int, tuple[str, ...]]) -> bool:
    """A speaker line: it names whoever speaks in the turn that starts just below it."""
    nxt = next((n for n in range(number + 1, number + 4) if n in starts), None)
    if nxt is None:
        return False
    line = t.line(number).replace("*", "")
    return any(name.split()[-1] in line for name in starts[nxt]) or len(line.split()) <= 3


def check_gold(t: Transcript, gold: dict[str, Any]) -> int:
    bad = 0
    for speaker in gold.get("speaker", []):
        wanted = str(speaker["role"]).lower()
        role = _CHECKED_ROLES.get(wanted)
        found = [p for p in t.participants if name_match_score(p.name, speaker["name"]) >= 2]
        if role is not None:
            ok = any(p.role == role for p in found)
        else:  # a title the role list has no slot for (CRO, CTO): an executive
            ok = any(p.role in _EXECUTIVE for p in found)
        bad += not ok
        got = ", ".join(f"{p.name} ({p.role})" for p in found) or "not found"
        print(f"   {'ok  ' if ok else 'FAIL'} {wanted.upper()} {speaker['name']}: {got}")
    expected = gold.get("exchange", [])
    if expected:
        hits = 0
        for item in expected:
            firm_word = str(item["firm"]).split()[0].lower()
            match = next(
                (
                    ex
                    for ex in t.exchanges
                    if name_match_score(ex.name, item["analyst"]) >= 2
                    and firm_word in (ex.firm or "").lower()
                ),
                None,
            )
            hits += match is not None
            if match is None:
                bad += 1
                print(f"   FAIL exchange {item['analyst']} ({item['firm']}) not found")
        for ex in t.exchanges:
            if not ex.answered_by:
                bad += 1
                print(f"   FAIL exchange {ex.index} ({ex.name}) has no answer")
        strays = [
            p.name
            for p in t.participants
            if p.role == "analyst"
            and not any(name_match_score(p.name, item["analyst"]) >= 2 for item in expected)
        ]
        for name in strays:  # a header line or an executive read as an analyst
            bad += 1
            print(f"   FAIL participant {name!r} is listed as an analyst but asks nothing")
        count_ok = len(t.exchanges) == len(expected)
        bad += not count_ok
        print(
            f"   {'ok  ' if hits == len(expected) else 'FAIL'} exchanges found: "
            f"{hits}/{len(expected)}; count {len(t.exchanges)} vs gold {len(expected)}"
            f"{'' if count_ok else '  FAIL'}"
        )
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
