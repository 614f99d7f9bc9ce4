"""What a delivery command is given: a briefing JSON file, or a transcript to brief first.

A transcript goes through the library's own pipeline (parse, engine, grounding) and the
result is saved in the store like any generated briefing; nothing here parses transcripts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from briefing.errors import InputError
from briefing.schemas import Briefing
from briefing.store import Store, sha256_file

EngineName = Literal["auto", "offline", "openai"]

# Top-level keys that make a JSON file a Briefing rather than a speaker-tagged transcript.
_BRIEFING_KEYS = frozenset({"header", "tldr", "qa", "generated_at"})


@dataclass(frozen=True)
class LoadedBriefing:
    briefing: Briefing
    briefing_id: int | None
    generated: bool


def _as_briefing_json(path: Path) -> Briefing | None:
    """The Briefing in ``path`` when it is one, None when it is some other JSON (a transcript)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    if not isinstance(data, dict) or not data.keys() >= _BRIEFING_KEYS:
        return None
    try:
        return Briefing.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(
            path, f"not a valid briefing: {where}: {first['msg']} ({exc.error_count()} errors)"
        ) from exc


def load_or_generate(path: Path, *, engine: EngineName, store: Store) -> LoadedBriefing:
    """Read a briefing JSON file, or generate (and store) the briefing of a transcript."""
    if not path.is_file():
        raise InputError(path, "no such file")
    if path.suffix.lower() == ".json":
        briefing = _as_briefing_json(path)
        if briefing is not None:
            return LoadedBriefing(briefing, store.find_briefing(briefing), generated=False)

    from briefing.engines import select_engine
    from briefing.pipeline import generate_briefing
    from briefing.transcript.reader import parse_transcript

    transcript = parse_transcript(path)
    briefing = generate_briefing(transcript, select_engine(engine, cache=store))
    briefing_id = store.save_briefing(briefing, source=str(path), source_hash=sha256_file(path))
    return LoadedBriefing(briefing, briefing_id, generated=True)
