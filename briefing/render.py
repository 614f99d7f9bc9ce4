"""Rendering a ``Briefing``: Markdown, HTML, JSON, Slack Block Kit and the email digest.

Every format is a jinja2 template in ``briefing/templates/`` (packaged with the code); this
module only prepares what the templates need and enforces what a template cannot (Slack's
size limits, CSS inlining). Renderers read the ``Briefing`` and nothing else: the transcript
and the engines are never consulted here.

Transcript text is untrusted. HTML templates autoescape; Slack text goes through
``escape_mrkdwn`` so a transcript cannot ping a channel or plant a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, Literal, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined

from briefing.errors import ConfigError
from briefing.schemas import Briefing, GuidanceItem, Point, QAItem
from briefing.transcript.model import Participant

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")

_ROLE_LABELS = {
    "ceo": "CEO",
    "cfo": "CFO",
    "coo": "COO",
    "president": "President",
    "chair": "Chair",
    "ir": "IR",
}
_SPACE = re.compile(r"\s+")


def _oneline(text: str | None) -> str:
    """Collapse whitespace: one item per line is what readers (and the scorer) rely on."""
    return _SPACE.sub(" ", text or "").strip()


def _role(p: Participant) -> str | None:
    """A compact role: the standard abbreviation, else the title as listed."""
    if p.role in _ROLE_LABELS:
        return _ROLE_LABELS[p.role]
    return _oneline(p.title) or None


def _people(people: Sequence[Participant]) -> str:
    """ "Name (CEO), Name (Firm)": executives with roles, analysts with firms."""
    out = []
    for p in people:
        detail = p.affiliation if p.role == "analyst" else _role(p)
        out.append(f"{p.name} ({_oneline(detail)})" if detail else p.name)
    return ", ".join(out)


def _longdate(value: Any) -> str:
    """ "October 29, 2026": the form transcripts print, so the day is a grounded number."""
    return f"{value:%B} {value.day}, {value.year}"


def _gaap_label(value: str | None) -> str:
    return {"gaap": "GAAP", "non-gaap": "non-GAAP"}.get(value or "", "")


def _guidance_labels(g: GuidanceItem) -> str:
    """GAAP label and basis, each only when set and not already in the words."""
    parts = []
    if g.gaap and "gaap" not in (g.metric + g.text).lower():
        parts.append(_gaap_label(g.gaap))
    if g.basis and g.basis.lower() not in {"absolute", g.text.lower()}:
        parts.append(_oneline(g.basis))
    return ", ".join(parts)


def _guidance_detail(g: GuidanceItem) -> str:
    """The guided range as written, then basis, GAAP and status (only when set)."""
    parts = [_oneline(g.text), _guidance_labels(g), g.status or ""]
    return ", ".join(p for p in parts if p)


def _answered_by(q: QAItem) -> str:
    names = ", ".join(q.answered_by) or "Management"
    return f"{names} (via interpreter {q.via})" if q.via else names


def _line_ref(start: int | None, end: int | None = None) -> str:
    """ "L12-14" for a source span; empty when unknown."""
    if not start:
        return ""
    return f"L{start}-{end}" if end and end != start else f"L{start}"


def _item_ref(item: Any) -> str:
    return _line_ref(getattr(item, "line_start", None), getattr(item, "line_end", None))


def _span_ref(span: tuple[int, int] | None) -> str:
    return _line_ref(*span) if span else ""


def _usd(value: float) -> str:
    return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def _basename(source: str) -> str:
    """The file name only: a reader needs which call, not where it sat on someone's disk."""
    return PurePath(source).name or source


def _autoescape(name: str | None) -> bool:
    """Escape in HTML templates (``*.html.j2``), never in Markdown, text or JSON ones."""
    return bool(name) and ".html" in PurePath(name or "").suffixes


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("briefing", "templates"),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        oneline=_oneline,
        people=_people,
        longdate=_longdate,
        gaap_label=_gaap_label,
        guidance_detail=_guidance_detail,
        guidance_labels=_guidance_labels,
        answered_by=_answered_by,
        usd=_usd,
        basename=_basename,
    )
    env.globals.update(item_ref=_item_ref, span_ref=_span_ref, role=_role)
    return env


_ENV = _environment()


def _speakers(points: Sequence[Point]) -> list[str]:
    return list(dict.fromkeys(p.speaker for p in points if p.speaker))


class _RemarksGroup(NamedTuple):
    label: str
    who: str | None
    points: list[Point]
    show_speaker: bool


def _remarks(b: Briefing) -> list[_RemarksGroup]:
    """The non-empty remarks groups; a single speaker goes in the title, several per bullet."""
    groups: list[_RemarksGroup] = []
    for label, points in (("CEO remarks", b.ceo_remarks), ("CFO financials", b.cfo_remarks)):
        if points:
            names = _speakers(points)
            single = names[0] if len(names) == 1 else None
            groups.append(_RemarksGroup(label, single, points, len(names) > 1))
    if b.other_remarks:
        groups.append(_RemarksGroup("Other executives", None, b.other_remarks, True))
    return groups


def _context(b: Briefing, cite: bool) -> dict[str, Any]:
    return {"b": b, "h": b.header, "cite": cite, "remarks": _remarks(b)}


def render_markdown(b: Briefing, *, cite: bool = False) -> str:
    """The one-page briefing as Markdown, one item per line; ``cite`` adds [L12-14] refs."""
    text = _ENV.get_template("briefing.md.j2").render(_context(b, cite))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(b: Briefing, *, cite: bool = False) -> str:
    """A self-contained HTML page (inline CSS, no assets, no script) that prints on one sheet."""
    context = _context(b, cite)
    context["page_title"] = _page_title(b)
    return _ENV.get_template("briefing.html.j2").render(context)


def _page_title(b: Briefing) -> str:
    h = b.header
    parts = [p for p in (h.company, h.fiscal_period) if p]
    return " ".join(parts) + " earnings briefing" if parts else (h.title or "Earnings briefing")


def render_json(b: Briefing) -> str:
    """The Briefing as JSON: every field, in the shape ``docs/briefing.schema.json`` publishes."""
    return b.model_dump_json(indent=2) + "\n"


def briefing_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``render_json``'s output, as published in docs/."""
    schema = Briefing.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render(b: Briefing, fmt: Format, *, cite: bool = False) -> str:
    """Render ``b`` in ``fmt`` ("md", "html" or "json"; JSON always carries line numbers)."""
    if fmt == "md":
        return render_markdown(b, cite=cite)
    if fmt == "html":
        return render_html(b, cite=cite)
    if fmt == "json":
        return render_json(b)
    raise ConfigError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
