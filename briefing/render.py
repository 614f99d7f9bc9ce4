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
from datetime import date
from pathlib import PurePath
from typing import Any, Literal, NamedTuple

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

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


def _call_title(b: Briefing) -> str:
    """ "Company · Q3 2026": which call, in the fewest words."""
    h = b.header
    if h.company:
        return f"{h.company} · {h.fiscal_period}" if h.fiscal_period else h.company
    return h.title or (h.source and _basename(h.source)) or "Earnings call"


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
        call_title=_call_title,
        remarks=_remarks,
    )
    env.globals.update(item_ref=_item_ref, span_ref=_span_ref, role=_role)
    return env


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


_ENV = _environment()


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
    context["density"] = _density(b)
    return _ENV.get_template("briefing.html.j2").render(context)


# Markdown words per density step: a full call is written to about 800 words (one page).
_DENSITY_STEPS = ((560, "regular"), (820, "compact"))


def _density(b: Briefing) -> str:
    """The type size class: the fuller the page, the smaller the type, so it stays one sheet."""
    words = len(render_markdown(b).split())
    return next((name for limit, name in _DENSITY_STEPS if words <= limit), "dense")


def _page_title(b: Briefing) -> str:
    return f"{_call_title(b)} earnings briefing" if b.header.company else _call_title(b)


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


# Slack Block Kit -----------------------------------------------------------------------------

SLACK_HEADER_MAX = 150
SLACK_SECTION_MAX = 3000
SLACK_BLOCKS_MAX = 50
SLACK_MESSAGE_CHARS = 12_000
# Room left under the message budget for the fallback text Slack also counts.
_SLACK_PACK_CHARS = SLACK_MESSAGE_CHARS - 1_000

_MRKDWN_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape_mrkdwn(text: str) -> str:
    """Escape ``& < >`` so Slack shows them literally: no ``<!channel>``, no planted link."""
    for raw, escaped in _MRKDWN_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _unescape_mrkdwn(text: str) -> str:
    for raw, escaped in reversed(_MRKDWN_ESCAPES):
        text = text.replace(escaped, raw)
    return text


def _slack_finalize(value: Any) -> Any:
    """Escape every expression's value; macro output marked ``| safe`` is already escaped."""
    if isinstance(value, Markup):
        return value
    return escape_mrkdwn("" if value is None else str(value))


_SLACK_ENV = _environment()


def _macros(env: Environment, name: str) -> Any:
    """A template's macros as attributes (the template module), for per-block rendering."""
    return env.get_template(name).module


_SLACK_ENV.finalize = _slack_finalize


class SlackMessage(BaseModel):
    """One chat message: Block Kit blocks, the plain fallback, and whether it is a reply."""

    model_config = ConfigDict(extra="forbid")

    text: str
    blocks: list[dict[str, Any]]
    thread: bool = False


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _section_blocks(text: str) -> list[dict[str, Any]]:
    """One section per <= 3,000 characters, cut between lines (a line never splits unless
    it alone is too long)."""
    chunks: list[str] = []
    for line in text.strip().splitlines():
        line = _truncate(line, SLACK_SECTION_MAX)
        if chunks and len(chunks[-1]) + 1 + len(line) <= SLACK_SECTION_MAX:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]


def _block_chars(block: dict[str, Any]) -> int:
    total = 0
    for part in (block.get("text"), *block.get("elements", [])):
        if isinstance(part, dict):
            total += len(str(part.get("text", "")))
    return total


def _pack(
    blocks: list[dict[str, Any]], text: str, *, thread: bool, first_thread: bool | None = None
) -> list[SlackMessage]:
    """Split ``blocks`` into messages of <= 50 blocks and about 12,000 characters."""
    messages: list[SlackMessage] = []
    current: list[dict[str, Any]] = []
    size = 0
    for block in blocks:
        chars = _block_chars(block)
        if current and (len(current) >= SLACK_BLOCKS_MAX or size + chars > _SLACK_PACK_CHARS):
            messages.append(SlackMessage(text=text, blocks=current, thread=thread))
            current, size = [], 0
        if block["type"] == "divider" and not current:
            continue
        current.append(block)
        size += chars
    if current:
        messages.append(SlackMessage(text=text, blocks=current, thread=thread))
    if messages and first_thread is not None:
        messages[0].thread = first_thread
    return messages


def render_slack(b: Briefing) -> list[SlackMessage]:
    """The one-page summary as the first message; Q&A detail in thread replies.

    Every message has the plain ``text`` fallback (notifications, old clients) and stays
    within Block Kit's limits; transcript text is escaped for mrkdwn throughout.
    """
    t = _macros(_SLACK_ENV, "slack.j2")
    header = _truncate(_unescape_mrkdwn(str(t.header(b))), SLACK_HEADER_MAX)
    fallback = _truncate(str(t.fallback(b)), 2_000)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": True}}
    ]
    people = str(t.people(b)).strip()
    if people:
        blocks.append({"type": "context", "elements": [_mrkdwn(people, SLACK_SECTION_MAX)]})
    sections: list[str] = []
    if b.tldr:
        sections.append(t.points("TL;DR", b.tldr))
    if b.figures:
        sections.append(t.figures(b))
    if b.guidance:
        sections.append(t.guidance(b))
    for group in _remarks(b):
        title = f"{group.label} — {group.who}" if group.who else group.label
        sections.append(t.points(title, group.points, group.show_speaker))
    if b.notable:
        sections.append(t.notable(b))
    if b.qa:
        sections.append(t.qa_overview(b))
    if b.warnings:
        sections.append(t.warnings(b))
    for text in sections:
        blocks.append({"type": "divider"})
        blocks.extend(_section_blocks(str(text)))
    footer = str(t.footer(b))
    blocks.append({"type": "context", "elements": [_mrkdwn(footer, SLACK_SECTION_MAX)]})
    messages = _pack(blocks, fallback, thread=False)

    qa_text = _truncate(str(t.qa_fallback(b)), 2_000)
    qa_blocks = [blk for q in b.qa for blk in _section_blocks(str(t.qa_item(q)))]
    messages += _pack(qa_blocks, qa_text, thread=True)
    return messages


def _mrkdwn(text: str, limit: int) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _truncate(text, limit)}


# Email digest ---------------------------------------------------------------------------------

_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


class EmailContent(BaseModel):
    """One digest email: subject, HTML part (CSS inlined) and plain-text part."""

    model_config = ConfigDict(extra="forbid")

    subject: str
    html: str
    text: str


def render_email(briefings: list[Briefing], *, day: date) -> EmailContent:
    """The digest of ``briefings``: a 600 px table layout with inlined CSS, and plain text."""
    text_template = _ENV.get_template("email.txt.j2")
    subject = str(_macros(_ENV, "_macros.j2").subject(len(briefings), day))
    markdown = [render_markdown(b).strip() for b in briefings]
    text = text_template.render(briefings=briefings, day=day, markdown=markdown)
    html = _ENV.get_template("email.html.j2").render(briefings=briefings, day=day, subject=subject)
    return EmailContent(
        subject=subject,
        html=_INLINER.inline(html),
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
    )
