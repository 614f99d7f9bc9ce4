"""Reading a transcript file (text, PDF, speaker-tagged JSON) into a ``Transcript``.

The flow: decode bytes into lines (``decode``), pick a layout and cut the lines into raw
turns (``layouts``), then the same steps for every layout: resolve who speaks and in what
role (titles first, then what is said), split presentation from Q&A, fold interpreted
answers into the executive's turn, and segment remarks and exchanges (``segments``).

``Turn.index`` is the turn's position in ``Transcript.turns`` (0-based); ``Exchange.index``
counts exchanges from 1, as a reader numbers questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from briefing.errors import InputError
from briefing.transcript.decode import Decoded, read_source
from briefing.transcript.layouts import (
    LAYOUTS,
    READERS,
    LayoutResult,
    detect_layout,
    read_blocks,
    read_json_turns,
)
from briefing.transcript.metadata import call_metadata
from briefing.transcript.model import (
    EXECUTIVE_ROLES,
    Participant,
    Section,
    Transcript,
    Turn,
)
from briefing.transcript.people import People, name_asr_speakers
from briefing.transcript.roles import is_non_person, parse_intro
from briefing.transcript.segments import build_exchanges, group_remarks

__all__ = ["LAYOUTS", "parse_transcript"]

_MIN_TURNS = 2


def parse_transcript(source: str | Path, *, layout: str | None = None) -> Transcript:
    """Parse a transcript from a path or from its text.

    A ``Path`` is read from disk; a ``str`` naming an existing file is read too, any other
    string is the transcript text. ``layout`` forces one of ``LAYOUTS`` instead of detecting
    it. Raises ``InputError`` (one line naming the file and the reason) for anything that
    cannot be read as a transcript.
    """
    if layout is not None and layout not in LAYOUTS:
        raise InputError(
            str(source) if isinstance(source, Path) else None,
            f"unknown layout {layout!r} (choose from {', '.join(LAYOUTS)})",
        )
    decoded = read_source(source)
    try:
        return _parse_lines(decoded, layout)
    except InputError:
        raise
    except Exception as exc:  # pragma: no cover - a reader bug must still be one line
        raise InputError(
            decoded.source,
            f"could not be parsed (internal error {type(exc).__name__}; please report)",
        ) from exc


def _parse_lines(decoded: Decoded, forced: str | None) -> Transcript:
    lines = decoded.lines
    if decoded.heads and forced is None:
        return _assemble(decoded, lines, read_json_turns(lines, decoded.heads))
    chosen = forced or detect_layout(lines)
    result = READERS[chosen](lines)
    if forced is None:
        for alt in _alternatives(chosen, len(result.turns), lines):
            if len(alt.turns) > max(len(result.turns) * 1.5, len(result.turns) + 1):
                result = alt
    if len(result.turns) < _MIN_TURNS:
        raise InputError(
            decoded.source,
            "no speaker turns found (not a transcript, or an unsupported layout; try --layout)",
        )
    return _assemble(decoded, lines, result)


def _alternatives(chosen: str, found: int, lines: Sequence[str]) -> Iterator[LayoutResult]:
    """Other readings worth trying: plain and Motley Fool are told apart by counting
    speaker-like lines, so both are tried; any layout whose markers misled detection into
    finding no turns gives way to the reader that finds the most."""
    if chosen in ("plain", "motley-fool"):
        yield READERS["motley-fool" if chosen == "plain" else "plain"](lines)
        yield read_blocks(lines, "plain")
    elif found < _MIN_TURNS:
        yield READERS["plain"](lines)
        yield read_blocks(lines, "plain")
        yield READERS["motley-fool"](lines)
        yield READERS["asr"](lines)


def _assemble(decoded: Decoded, lines: Sequence[str], result: LayoutResult) -> Transcript:
    title, company, period, call_date = call_metadata(lines, result)
    people = People(result.listed, company)
    labels = [people.resolve(raw) for raw in result.turns]
    if result.layout == "asr" or any(r.speaker_id for r in result.turns):
        name_asr_speakers(result.turns, labels, people)
    company = company or people.company
    people.apply_speech_roles(result.turns, labels)
    sections = _sections(result, labels, people)
    people.settle_unknown(labels, sections)
    people.one_per_top_role()
    turns: list[Turn] = []
    for raw, label, section in zip(result.turns, labels, sections, strict=True):
        person = people.by_name[label]
        turns.append(
            Turn(
                index=len(turns),
                speaker=person.name,
                role=person.role,
                affiliation=person.affiliation,
                section=section,
                text=raw.text,
                line_start=raw.start,
                line_end=raw.end,
                placeholder=_is_placeholder(raw.text),
            )
        )
    by_display = {p.name: p for p in people.by_name.values()}
    _fold_interpretation(turns, by_display)
    warnings = list(result.warnings)
    participants = people.participants(turns)
    exchanges = build_exchanges(turns, by_display)
    if not any(t.section == "qa" for t in turns):
        warnings.append("no Q&A section found: the transcript may be truncated")
    elif not exchanges:
        warnings.append("Q&A section holds no analyst questions")
    if not any(p.role == "ceo" for p in participants):
        warnings.append("no CEO identified")
    return Transcript(
        source=decoded.source,
        layout=result.layout,
        title=title,
        company=company,
        fiscal_period=period,
        call_date=call_date,
        participants=participants,
        turns=turns,
        remarks=group_remarks(turns),
        exchanges=exchanges,
        warnings=warnings,
        source_lines=list(lines),
    )


# --- sections ---------------------------------------------------------------------------

_QA_OPEN = re.compile(
    r"(?:first|next) question|question[- ]and[- ]answer|q\s*&\s*a"
    r"|open (?:it |the (?:call|line|lines|floor) )?(?:up )?(?:for|to) (?:your )?questions"
    r"|take (?:your |some )?questions|questions? (?:comes?|is) from",
    re.I,
)


def _sections(result: LayoutResult, labels: Sequence[str], people: People) -> list[Section]:
    raws = result.turns
    if result.qa_marked:
        out: list[Section] = []
        current: Section = "presentation"
        for raw in raws:
            if raw.section is not None:
                current = raw.section
            out.append(current)
        return out
    start = len(raws)
    seen_speaker = False
    for i, (raw, label) in enumerate(zip(raws, labels, strict=True)):
        role = people.by_name[label].role
        if role == "analyst" and seen_speaker:
            start = i
            break
        opens_qa = parse_intro(raw.text) is not None or _QA_OPEN.search(raw.text) is not None
        if role == "operator" and seen_speaker and opens_qa:
            start = i
            break
        if role not in {"operator"} and not is_non_person(label):
            seen_speaker = True
    return ["presentation" if i < start else "qa" for i in range(len(raws))]


# --- interpretation ---------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"[(\[]\s*(?:(?:spoken|speaking|speaks|speech|answer(?:ed)?|question)\s+in\s+"
    r"(?:a\s+)?(?:foreign\s+language|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
    r"|foreign\s+language(?:\s+\w+)?|non-english|interpreted|through\s+(?:an\s+)?interpreter"
    r"|no\s+english\s+translation)\s*[)\]]\.?",
    re.I,
)


def _is_placeholder(text: str) -> bool:
    """A turn that only says it was spoken in another language carries no content."""
    return bool(_PLACEHOLDER.search(text)) and not _PLACEHOLDER.sub("", text).strip(" .\n")


def _fold_interpretation(turns: list[Turn], people: dict[str, Participant]) -> None:
    """Attribute a translation to the executive (or analyst) whose placeholder it follows."""
    for i in range(1, len(turns)):
        prev, turn = turns[i - 1], turns[i]
        if not prev.placeholder or turn.placeholder or turn.speaker == prev.speaker:
            continue
        interpreter = turn.speaker.lower() in {"interpreter", "translator"} or (
            "interpret" in (people[turn.speaker].title or "").lower()
            if turn.speaker in people
            else False
        )
        company_pair = prev.role in EXECUTIVE_ROLES and turn.role in EXECUTIVE_ROLES
        if not (interpreter or company_pair):
            continue
        turns[i] = turn.model_copy(
            update={
                "speaker": prev.speaker,
                "role": prev.role,
                "affiliation": prev.affiliation,
                "via": turn.speaker,
            }
        )
