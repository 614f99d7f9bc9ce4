"""What ``briefing parse`` shows: a readable outline of a parsed call, or its JSON.

The outline is for checking the reader at a glance: who was on the call in what role, how
long each section ran, and every exchange (analyst, firm, who answered). The JSON is the
``Transcript`` itself, so scripts can consume hundreds of files from one process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefing.transcript.model import Transcript, Turn

_ROLE_LABELS = {
    "ceo": "CEO",
    "cfo": "CFO",
    "coo": "COO",
    "president": "President",
    "chair": "Chair",
    "ir": "IR",
    "executive": "Executive",
    "analyst": "Analyst",
    "operator": "Operator",
    "unknown": "?",
}
_GROUP_LABELS = {"ceo": "CEO", "cfo": "CFO", "other": "Other executives"}


def words(turns: Sequence[Turn]) -> int:
    return sum(len(t.text.split()) for t in turns if not t.placeholder)


def render_outline(transcript: Transcript) -> str:
    """A plain-text outline: header, participants, sections, remarks, exchanges, warnings."""
    t = transcript
    out: list[str] = [f"{t.source or '<text>'}: {t.title or 'untitled call'}"]
    facts = [
        f"company: {t.company or '?'}",
        f"period: {t.fiscal_period or '?'}",
        f"date: {t.call_date.isoformat() if t.call_date else '?'}",
        f"layout: {t.layout}",
    ]
    out.append("  " + " | ".join(facts))
    out.append("")
    out.append(f"Participants ({len(t.participants)})")
    width = max((len(p.name) for p in t.participants), default=10)
    for p in t.participants:
        detail = " - ".join(x for x in (p.affiliation, p.title) if x)
        line = f"  {p.name:<{width}}  {_ROLE_LABELS[p.role]:<9}  {detail}"
        out.append(line.rstrip())
    out.append("")
    out.append("Sections")
    for section, label in (("presentation", "Presentation"), ("qa", "Q&A")):
        turns = [x for x in t.turns if x.section == section]
        out.append(f"  {label:<13}{len(turns):>4} turns {words(turns):>7,} words")
    if t.remarks:
        out.append("")
        out.append("Prepared remarks")
        for group in t.remarks:
            speakers = ", ".join(group.speakers)
            label = _GROUP_LABELS[group.group]
            out.append(f"  {label:<17}{words(group.turns):>7,} words  {speakers}")
    out.append("")
    out.append(f"Exchanges ({len(t.exchanges)})")
    for ex in t.exchanges:
        firm = f" ({ex.firm})" if ex.firm else ""
        answered = ", ".join(ex.answered_by) or "no answer"
        via = f", as translated by {ex.via}" if ex.via else ""
        asked = len(ex.questions)
        follow = f", {asked - 1} follow-up{'s' if asked > 2 else ''}" if asked > 1 else ""
        out.append(f"  {ex.index:>2}. {ex.name}{firm}{follow}: answered by {answered}{via}")
    if t.warnings:
        out.append("")
        out.append("Warnings")
        out.extend(f"  - {w}" for w in t.warnings)
    return "\n".join(out)


def transcript_json(transcript: Transcript, *, indent: int | None = None) -> str:
    """The transcript as JSON (source lines left out: they are the input file)."""
    return json.dumps(transcript.model_dump(mode="json"), indent=indent, ensure_ascii=False)
