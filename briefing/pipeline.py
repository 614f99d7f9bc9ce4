"""transcript -> segments -> one engine call per section -> grounded outputs -> Briefing.

The engine's section calls run concurrently; every output is grounded before it is used. A
section whose engine call fails falls back to the offline engine, with a warning naming it,
so no section is ever silently missing. The merged items are de-duplicated, ranked and
trimmed until the Markdown page fits ``max_words``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from briefing.engines import offline_rules as rules
from briefing.engines.base import Engine
from briefing.engines.offline import OfflineEngine
from briefing.errors import BriefingError, EngineError, InputError
from briefing.grounding import (
    UNSUMMARIZED_ANSWER,
    UNSUMMARIZED_QUESTION,
    SourceIndex,
    find_contradictions,
    ground_exchange,
    ground_guidance,
    ground_remarks,
    ground_tldr,
    parse_numbers,
)
from briefing.schemas import (
    Briefing,
    BriefingWarning,
    ExchangeOutput,
    GuidanceItem,
    GuidanceOutput,
    Header,
    KeyFigure,
    Notable,
    Point,
    QAItem,
    RemarksOutput,
    TldrOutput,
)
from briefing.store import sha256_file
from briefing.transcript.model import EXECUTIVE_ROLES, Exchange, Remarks, Transcript
from briefing.transcript.roles import clean_firm

__all__ = [
    "BatchResult",
    "SectionDigestData",
    "build_briefing",
    "failure_in_words",
    "generate_batch",
    "generate_briefing",
]

MAX_WORDS = 800
_T = TypeVar("_T")


@dataclass
class SectionDigestData:
    """What the TL;DR pass sees (implements ``engines.base.SectionDigest``)."""

    remarks: dict[str, RemarksOutput] = field(default_factory=dict)
    exchanges: list[ExchangeOutput] = field(default_factory=list)


# --- running sections -------------------------------------------------------------------


async def _section(
    name: str,
    call: Callable[[], Awaitable[_T]],
    fallback: Callable[[], _T],
    warnings: list[BriefingWarning],
) -> _T:
    """Run one engine call; on an EngineError use the offline result and say so."""
    try:
        return await call()
    except EngineError as exc:
        warnings.append(
            BriefingWarning(
                kind="fallback",
                message=f"{name}: {failure_in_words(exc)}; summarized by the offline engine",
            )
        )
        return fallback()


_FAILURES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"refus", re.I), "the model refused to answer"),
    (re.compile(r"content filter", re.I), "the provider's content filter stopped the reply"),
    (
        re.compile(r"still invalid|does not match the schema|malformed", re.I),
        "the model's output stayed invalid",
    ),
    (
        re.compile(r"\bHTTP 429\b|rate[- ]limit", re.I),
        "the model endpoint kept refusing requests (rate limit)",
    ),
    (
        re.compile(r"\bHTTP 5\d\d\b|server error", re.I),
        "the model endpoint kept failing (server error)",
    ),
    (re.compile(r"timed out|timeout", re.I), "the model endpoint kept timing out"),
    (
        re.compile(r"connection|unavailable|unreachable", re.I),
        "the model endpoint could not be reached",
    ),
    (
        re.compile(r"rejected the request|HTTP 4\d\d", re.I),
        "the model endpoint rejected the request",
    ),
]


def failure_in_words(exc: BaseException) -> str:
    """What failed, in words: the error's own text may hold numbers (status codes, counts)
    that are not in the transcript, and every number on the page must be grounded."""
    text = str(exc)
    for pattern, words in _FAILURES:
        if pattern.search(text):
            return words
    return "the engine failed"


def _remarks_name(r: Remarks) -> str:
    return {"ceo": "CEO remarks", "cfo": "CFO remarks"}.get(r.group, "other executives' remarks")


def _exchange_name(e: Exchange) -> str:
    return f"Q&A with {e.name}"


# --- ranking and de-duplication ----------------------------------------------------------


@dataclass
class _Ranked:
    item: KeyFigure | GuidanceItem | Notable | Point
    score: float
    order: int


_MIN_FIGURE_SCORE = 4.0
_CUMULATIVE = re.compile(
    r"\b(?:year[- ]to[- ]date|ytd|first (?:nine|six) months|nine[- ]month|first half|1h|9m)\b", re.I
)
_SECTION_BONUS = {"cfo": 1.0, "ceo": 0.5, "other": 0.25, "qa": -3.0}


def _figure_score(f: KeyFigure, section: str) -> float:
    score = float(rules.metric_weight(f.metric))
    if f.comparison:
        score += 2.0 if "YoY" in f.comparison else 1.0
    if re.search(r"\b(?:RMB|USD|EUR|\$|€|£|billion|million)", f.value):
        score += 0.5
    if re.match(r"(?:up|down) ", f.value):
        score -= 1.5  # a change with no level is usually another line's comparison
    if f.gaap or rules.gaap_label(f.metric):
        score += 0.5
    if _CUMULATIVE.search(f.quote):
        score -= 2.0  # year-to-date and nine-month figures are not the quarter's
    if len(f.metric.split()) > 6:
        score -= 1.5
    return score + _SECTION_BONUS.get(section, 0.0)


def _guidance_score(g: GuidanceItem, section: str) -> float:
    numeric = any(
        not (n.unit == "" and n.scale == "" and 1900 <= n.value <= 2100)
        for n in parse_numbers(g.text)
    )
    score = (6.0 if numeric else 2.5) + (1.5 if g.period else 0.0)
    score += rules.metric_weight(g.metric) / 3
    if g.metric == "Outlook":
        score -= 1.5
    return score + (0.5 if section != "qa" else 0.0)


_KIND_WEIGHT = {kind: weight for kind, _, weight in rules.NOTABLE_CUES}


def _notable_score(n: Notable) -> float:
    score = float(_KIND_WEIGHT.get(n.kind, 4))
    if n.kind == "other" and any(
        not (n.unit == "" and 1900 <= n.value <= 2100) for n in parse_numbers(n.quote)
    ):
        score -= 2
    if n.kind == "capital_return":
        # Amounts, per-share figures, prices: the more a line states, the more it is worth.
        amounts = [x for x in parse_numbers(n.text) if x.scale or "." in x.text]
        score += min(len(amounts), 3)
        if amounts and re.search(
            r"\bauthori[sz]|\bdividend\b.*\bper (?:share|ads)\b", n.text, re.I
        ):
            # a buyback authorization and a dividend per share are headlines of their own
            score += 1
    elif any(x.scale for x in parse_numbers(n.text)):
        # an event with its amount (price paid, charge taken); a charge is its amount
        score += 2 if n.kind == "one_off" else 1
    if n.kind == "other" and rules.HEADLINE.search(n.quote):
        score += 2  # "the biggest news this quarter was the launch of ..."
    proper = len(re.findall(r"(?<=\s)[A-Z][a-zA-Z]+", n.quote))
    return score + min(proper, 3) * 0.5


def _value_key(text: str) -> tuple[float, str, str] | None:
    nums = parse_numbers(text)
    if not nums:
        return None
    n = nums[0]
    return (n.value, n.unit, n.scale)


def _dedupe_figures(ranked: list[_Ranked]) -> list[_Ranked]:
    """One line per figure: the same value of the same kind of metric is kept once."""
    out: list[_Ranked] = []
    for r in sorted(ranked, key=lambda r: -r.score):
        f = r.item
        assert isinstance(f, KeyFigure)
        key = _value_key(f.value)
        head = _head(f.metric)
        dupe = False
        for kept in out:
            k = kept.item
            assert isinstance(k, KeyFigure)
            if (
                key is not None
                and key == _value_key(k.value)
                and (head == _head(k.metric) or _quote_key(k.quote) == _quote_key(f.quote))
            ):
                dupe = True
                break
            if k.metric.lower() == f.metric.lower() and k.value == f.value:
                dupe = True
                break
            # "down 9% sequentially" on its own, when a kept line of the same kind already says it;
            # or a figure a kept line already states ("RMB 67.6 billion or $10.5 billion").
            if head == _head(k.metric) and key is not None:
                first = parse_numbers(f.value)[0]
                if re.match(r"(?:up|down) ", f.value):
                    kept_numbers = parse_numbers(k.comparison or "")
                elif first.scale:
                    kept_numbers = parse_numbers(f"{k.value} {k.comparison or ''}")
                else:
                    kept_numbers = []
                if any(first.supported_by(n) for n in kept_numbers):
                    dupe = True
                    break
        if not dupe:
            out.append(r)
    # Variety: the second and later figures of one kind (other than revenue lines, which
    # are segments) rank lower, so one page covers more of the business.
    seen: dict[str, int] = {}
    for r in out:
        assert isinstance(r.item, KeyFigure)
        found = rules.METRIC.findall(r.item.metric)
        term = found[-1].lower().rstrip("s") if found else r.item.metric.lower()
        term = f"{term}|{r.item.gaap or rules.gaap_label(r.item.metric) or ''}"
        n = seen.get(term, 0)
        seen[term] = n + 1
        if _head(r.item.metric) != "group0":
            r.score -= min(0.5 * n, 1.5)
        elif n and not r.item.comparison and not re.match(r"(?:up|down) ", r.item.value):
            # A revenue line with no comparison, after the first: a sub-segment ("capital
            # revenue of $61.2 million") ranks below the cash flow and balance sheet.
            r.score -= min(0.5 * n, 2.0)
    # A figure said in passing in an answer, under a vague name, is not a key figure.
    return [r for r in out if r.score >= _MIN_FIGURE_SCORE]


def _head(metric: str) -> str:
    """The kind of metric: the vocabulary group of its last financial term."""
    found = rules.METRIC.findall(metric)
    if not found:
        return metric.lower()
    term = str(found[-1])
    for i, (pattern, _) in enumerate(rules.METRIC_TERMS):
        if re.fullmatch(pattern, term, re.IGNORECASE):
            return f"group{i}"
    return term.lower()


def _quote_key(quote: str) -> str:
    return re.sub(r"\W+", " ", quote.lower()).strip()


def _dedupe_guidance(ranked: list[_Ranked]) -> list[_Ranked]:
    """One line per outlook: guidance the CEO states and the CFO restates ("narrowing our
    2026 EPS guidance to $4.52 to $4.62") is one item, the best-ranked wording kept (one with
    its period, reading whole, shorter)."""
    out: list[_Ranked] = []
    kept: list[tuple[str, frozenset[str]]] = []
    for r in sorted(
        ranked,
        key=lambda r: (
            -r.score,
            isinstance(r.item, GuidanceItem) and r.item.text.startswith("…"),
            len(r.item.text) if isinstance(r.item, GuidanceItem) else 0,
        ),
    ):
        item = r.item
        assert isinstance(item, GuidanceItem)
        numbers = frozenset(
            f"{n.value:g}{n.unit}{n.scale}"
            for n in parse_numbers(item.text)
            if not (n.unit == "" and n.scale == "" and 1900 <= n.value <= 2100)
        )
        metric = _head(item.metric) if rules.METRIC.search(item.metric) else item.metric.lower()
        if numbers and any(metric == m and numbers <= ns for m, ns in kept):
            continue
        kept.append((metric, numbers))
        out.append(r)
    return out


def _dedupe_by_quote(ranked: list[_Ranked]) -> list[_Ranked]:
    out: list[_Ranked] = []
    seen: list[str] = []
    for r in sorted(ranked, key=lambda r: -r.score):
        item = r.item
        assert not isinstance(item, KeyFigure)
        key = _quote_key(item.quote)
        text = _quote_key(item.text)
        if any(key == s or (text and text in s) for s in seen):
            continue
        seen.append(key)
        out.append(r)
    return out


# --- assembling ---------------------------------------------------------------------------


def _header(t: Transcript) -> Header:
    executives = [p for p in t.participants if p.role in EXECUTIVE_ROLES]
    # The firm as a reader names it ("Goldman Sachs Group", not "..., Inc., Research Division").
    analysts = [
        p.model_copy(update={"affiliation": clean_firm(p.affiliation)})
        for p in t.participants
        if p.role == "analyst"
    ]
    return Header(
        company=t.company,
        fiscal_period=t.fiscal_period,
        call_date=t.call_date,
        title=t.title,
        executives=executives,
        analysts=analysts,
        source=t.source,
        layout=t.layout,
    )


def _parse_warnings(t: Transcript) -> list[BriefingWarning]:
    out: list[BriefingWarning] = []
    for w in t.warnings:
        kind = (
            "truncated" if re.search(r"truncat|cut off|incomplete|ends mid", w, re.I) else "parse"
        )
        out.append(BriefingWarning(kind=kind, message=w))
    if not any(w.kind == "truncated" for w in out) and t.turns:
        last = t.turns[-1]
        if t.exchanges and last.role == "analyst":
            out.append(
                BriefingWarning(
                    kind="truncated",
                    message="the transcript ends with an analyst's question: it may be truncated",
                    lines=[(last.line_start, last.line_end)],
                )
            )
    return out


def _qa_item(e: Exchange, out: ExchangeOutput) -> QAItem:
    q_lines = (e.questions[0].line_start, e.questions[-1].line_end) if e.questions else None
    a_lines = (e.answers[0].line_start, e.answers[-1].line_end) if e.answers else None
    return QAItem(
        index=e.index,
        analyst=e.name,
        firm=e.firm,
        question=out.question,
        answer=out.answer,
        answered_by=e.answered_by,
        via=e.via,
        non_answer=out.non_answer,
        question_lines=q_lines,
        answer_lines=a_lines,
    )


@lru_cache(maxsize=4096)
def _cut(text: str, words: int, from_start: bool) -> str:
    """A shorter question (its densest stretch) or answer (its figures kept), remembered:
    the page fitting asks for the same cuts many times."""
    if from_start:
        # A gist that opens on its topic ("The Belgian litigation.") keeps its opening.
        if text.startswith("…"):
            return rules.best_window(text, words)
        return rules.trim(text, words, from_start=True)
    return rules.trim(text, words)


def _shorten(q: QAItem, question_words: int, answer_words: int) -> QAItem:
    update: dict[str, str] = {}
    if len(q.question.split()) > question_words:
        update["question"] = _cut(q.question.rstrip(" …"), question_words, True)
    if len(q.answer.split()) > answer_words:
        update["answer"] = _cut(q.answer.rstrip(" …"), answer_words, False)
    return q.model_copy(update=update) if update else q


def _word_count(b: Briefing) -> int:
    """Words of the rendered Markdown page (the renderer's own output when available)."""
    try:
        from briefing.render import render_markdown
    except ImportError:  # pragma: no cover - the renderer ships with the package
        return _estimate_words(b)
    return len(render_markdown(b).split())


def _estimate_words(b: Briefing) -> int:
    count = 40
    for f in b.figures:
        count += len(f"{f.metric} {f.value} {f.comparison or ''}".split()) + 1
    for g in b.guidance:
        count += len(f"{g.metric} {g.period or ''} {g.text}".split()) + 1
    for p in [*b.tldr, *b.ceo_remarks, *b.cfo_remarks, *b.other_remarks]:
        count += len(p.text.split()) + 1
    for q in b.qa:
        count += len(f"{q.analyst} {q.firm or ''} {q.question} {q.answer}".split()) + 4
    for n in b.notable:
        count += len(n.text.split()) + 1
    for w in b.warnings:
        count += len(w.message.split()) + 2
    return count


@dataclass
class _Pools:
    """Every grounded candidate, ranked, before the page is trimmed to fit."""

    tldr: list[Point]
    figures: list[_Ranked]
    guidance: list[_Ranked]
    notable: list[_Ranked]
    remarks: dict[str, list[Point]]
    qa: list[QAItem]


_STAGES: list[tuple[str, int]] = [
    ("other", 0),
    ("cfo", 0),
    ("ceo", 1),
    ("answer", 12),
    ("question", 18),
    ("tldr", 3),
    ("guidance", 10),
    ("notable", 5),
    ("answer", 10),
    ("question", 16),
    ("guidance", 8),
    ("answer", 8),
    ("notable", 4),
    ("question", 14),
    ("question", 12),
    ("figures", 22),
    ("capital", 2),
    ("guidance", 6),
    ("figures", 18),
    ("notable", 3),
    ("answer", 6),
    ("figures", 14),
    ("guidance", 4),
    ("figures", 10),
    ("tldr", 2),
    ("guidance", 3),
    ("figures", 6),
    ("notable", 1),
    ("capital", 1),
    ("tldr", 1),
    ("question", 10),
    ("guidance", 1),
    ("figures", 3),
    ("qa", 3),
]
"""The order in which sections give up lines when the page is too long: prepared-remarks
bullets first (their substance is in the figures), figures last."""


def _fit(
    make: Callable[[dict[str, int]], Briefing],
    max_words: int,
) -> Briefing:
    """Trim the lowest-ranked items, stage by stage, until the page fits."""
    limits = {
        "tldr": 4,
        "figures": 26,
        "guidance": 14,
        "notable": 6,
        "capital": 3,
        "ceo": 2,
        "cfo": 1,
        "other": 1,
        "answer": 24,
        "question": 24,
        "qa": 1000,
    }
    briefing = make(limits)
    if _word_count(briefing) <= max_words:
        return briefing
    for key, floor in _STAGES:
        if limits[key] <= floor:
            continue
        # The largest limit of this section that fits, found by bisection; if even the
        # floor does not fit, keep the floor and go on to the next stage.
        low, high = floor, limits[key]
        limits[key] = floor
        at_floor = make(limits)
        if _word_count(at_floor) > max_words:
            briefing = at_floor
            continue
        while high - low > 1:
            mid = (low + high) // 2
            limits[key] = mid
            if _word_count(make(limits)) <= max_words:
                low = mid
            else:
                high = mid
        limits[key] = low
        return make(limits)
    return briefing


async def build_briefing(
    transcript: Transcript,
    engine: Engine,
    *,
    max_words: int = MAX_WORDS,
    fallback: OfflineEngine | None = None,
) -> Briefing:
    """Run every section through ``engine``, ground each output and assemble the page."""
    offline = fallback or OfflineEngine()
    transcript = _with_remarks(transcript)
    index = SourceIndex(transcript)
    warnings: list[BriefingWarning] = _parse_warnings(transcript)
    run_warnings: list[BriefingWarning] = []

    remarks_calls = [
        _section(
            _remarks_name(r),
            lambda r=r: engine.remarks(transcript, r),  # type: ignore[misc]
            lambda r=r: offline.remarks_sync(transcript, r),  # type: ignore[misc]
            run_warnings,
        )
        for r in transcript.remarks
    ]
    exchange_calls = [
        _section(
            _exchange_name(e),
            lambda e=e: engine.exchange(transcript, e),  # type: ignore[misc]
            lambda e=e: offline.exchange_sync(transcript, e),  # type: ignore[misc]
            run_warnings,
        )
        for e in transcript.exchanges
    ]
    guidance_call = _section(
        "guidance",
        lambda: engine.guidance(transcript),
        lambda: offline.guidance_sync(transcript),
        run_warnings,
    )
    results = await asyncio.gather(*remarks_calls, *exchange_calls, guidance_call)
    remarks_out: list[RemarksOutput] = list(results[: len(remarks_calls)])  # type: ignore[arg-type]
    exchange_out: list[ExchangeOutput] = list(
        results[len(remarks_calls) : len(remarks_calls) + len(exchange_calls)]  # type: ignore[arg-type]
    )
    guidance_out = results[-1]
    assert isinstance(guidance_out, GuidanceOutput)

    digest = SectionDigestData()
    figures: list[_Ranked] = []
    guidance: list[_Ranked] = []
    notable: list[_Ranked] = []
    remarks_points: dict[str, list[Point]] = {"ceo": [], "cfo": [], "other": []}

    for r, out in zip(transcript.remarks, remarks_out, strict=True):
        grounded, w = ground_remarks(
            out, transcript, r.turns, section=_remarks_name(r), index=index
        )
        warnings += w
        digest.remarks[r.group] = grounded
        remarks_points[r.group] += grounded.bullets
        for f in grounded.figures:
            figures.append(_Ranked(f, _figure_score(f, r.group), (f.line_start or 0)))
        for g in grounded.guidance:
            guidance.append(_Ranked(g, _guidance_score(g, r.group), (g.line_start or 0)))
        for n in grounded.notable:
            notable.append(_Ranked(n, _notable_score(n), (n.line_start or 0)))

    qa: list[QAItem] = []
    for e, xout in zip(transcript.exchanges, exchange_out, strict=True):
        grounded_x, w = ground_exchange(xout, transcript, e, index=index)
        warnings += w
        grounded_x = _repair_gists(grounded_x, transcript, e, offline, index)
        digest.exchanges.append(grounded_x)
        qa.append(_qa_item(e, grounded_x))
        for f in grounded_x.figures:
            figures.append(_Ranked(f, _figure_score(f, "qa"), (f.line_start or 0)))
        for g in grounded_x.guidance:
            guidance.append(_Ranked(g, _guidance_score(g, "qa"), (g.line_start or 0)))
        for n in grounded_x.notable:
            notable.append(_Ranked(n, _notable_score(n) - 0.5, (n.line_start or 0)))

    grounded_g, w = ground_guidance(guidance_out, transcript, index=index)
    warnings += w
    qa_start = min((t.line_start for t in transcript.turns if t.section == "qa"), default=10**9)
    for g in grounded_g.items:
        section = "qa" if (g.line_start or 0) >= qa_start else "remarks"
        guidance.append(_Ranked(g, _guidance_score(g, section), (g.line_start or 0)))
    digest.remarks.setdefault(
        "guidance", RemarksOutput(bullets=[], figures=[], guidance=[], notable=[])
    )
    digest.remarks["guidance"] = digest.remarks["guidance"].model_copy(
        update={"guidance": [r.item for r in guidance if isinstance(r.item, GuidanceItem)]}
    )

    tldr_out = await _section(
        "TL;DR",
        lambda: engine.tldr(transcript, digest),
        lambda: offline.tldr_sync(transcript, digest),
        run_warnings,
    )
    tldr, w = ground_tldr(
        tldr_out if isinstance(tldr_out, TldrOutput) else TldrOutput(bullets=[]),
        transcript,
        index=index,
    )
    warnings += w
    warnings += find_contradictions(transcript, index=index)
    warnings = run_warnings + warnings

    # A sentence that is guidance is not also a reported figure.
    # A guidance item may quote part of a sentence ("... and adjusted EPS of $2.10 to $2.25").
    outlook_quotes = {_quote_key(r.item.quote) for r in guidance}
    figures = [
        r for r in figures if not any(q and q in _quote_key(r.item.quote) for q in outlook_quotes)
    ]
    pools = _Pools(
        tldr=tldr.bullets,
        figures=_dedupe_figures(figures),
        guidance=_dedupe_guidance(_dedupe_by_quote(guidance)),
        notable=_dedupe_by_quote(notable),
        remarks=remarks_points,
        qa=qa,
    )
    header = _header(transcript)
    usage = engine.usage(transcript)  # this call's share of a batch's shared engine
    now = datetime.now(UTC)
    shown_warnings = _dedupe_warnings(warnings)

    def make(limits: dict[str, int]) -> Briefing:
        p = pools

        def top(ranked: list[_Ranked], n: int) -> list[_Ranked]:
            best = sorted(ranked, key=lambda r: -r.score)[: max(n, 0)]
            return sorted(best, key=lambda r: r.order)

        fig_items = [r.item for r in top(p.figures, limits["figures"])]
        gui_items = [r.item for r in top(p.guidance, limits["guidance"])]
        diverse = _diverse(p.notable)
        returns = [r for r in diverse if _is_capital_return(r)]
        events = [r for r in diverse if not _is_capital_return(r)]
        # Capital return has its own lines: a dividend or a buyback is not crowded out by
        # events, nor the other way round.
        chosen = top(events, limits["notable"]) + top(returns, limits["capital"])
        not_items = [r.item for r in sorted(chosen, key=lambda r: r.order)]
        return Briefing(
            header=header,
            tldr=p.tldr[: limits["tldr"]],
            figures=[f for f in fig_items if isinstance(f, KeyFigure)],
            guidance=[g for g in gui_items if isinstance(g, GuidanceItem)],
            ceo_remarks=p.remarks["ceo"][: limits["ceo"]],
            cfo_remarks=p.remarks["cfo"][: limits["cfo"]],
            other_remarks=p.remarks["other"][: limits["other"]],
            qa=[_shorten(q, limits["question"], limits["answer"]) for q in p.qa[: limits["qa"]]],
            notable=[n for n in not_items if isinstance(n, Notable)],
            warnings=shown_warnings + _qa_note(len(p.qa), limits["qa"]),
            usage=usage,
            generated_at=now,
        )

    return _fit(make, max_words)


_NAME = re.compile(r"(?<=\s)[A-Z][a-z]{2,}")


def _is_capital_return(r: _Ranked) -> bool:
    return isinstance(r.item, Notable) and r.item.kind == "capital_return"


def _qa_note(total: int, shown: int) -> list[BriefingWarning]:
    if shown >= total:
        return []
    return [
        BriefingWarning(
            kind="truncated",
            message="Q&A: the later exchanges are left out to fit one page",
        )
    ]


def _repair_gists(
    out: ExchangeOutput,
    transcript: Transcript,
    exchange: Exchange,
    offline: OfflineEngine,
    index: SourceIndex,
) -> ExchangeOutput:
    """A question or answer that grounding could not keep is replaced by the offline
    engine's extractive gist (grounded too), rather than left blank."""
    if out.answer != UNSUMMARIZED_ANSWER and out.question != UNSUMMARIZED_QUESTION:
        return out
    extractive, _ = ground_exchange(
        offline.exchange_sync(transcript, exchange), transcript, exchange, index=index
    )
    update: dict[str, object] = {}
    if out.answer == UNSUMMARIZED_ANSWER and extractive.answer != UNSUMMARIZED_ANSWER:
        update.update(answer=extractive.answer, answer_quote=extractive.answer_quote)
    if out.question == UNSUMMARIZED_QUESTION and extractive.question != UNSUMMARIZED_QUESTION:
        update["question"] = extractive.question
    return out.model_copy(update=update) if update else out


def _with_remarks(t: Transcript) -> Transcript:
    """A transcript whose reader found no prepared-remarks groups gets one "other" group of
    every presentation turn by someone other than the operator or an analyst, so that its
    figures are still read."""
    if t.remarks:
        return t
    turns = [
        turn
        for turn in t.turns
        if turn.section == "presentation" and turn.role not in {"operator", "analyst"}
    ]
    if not turns:
        return t
    speakers = list(dict.fromkeys(turn.speaker for turn in turns))
    return t.model_copy(
        update={"remarks": [Remarks(group="other", speakers=speakers, turns=turns)]}
    )


_ONE_CUE_ONE_EVENT = {"one_off", "regulation", "litigation", "restructuring", "discontinued"}
_CUES = {kind: pattern for kind, pattern, _ in rules.NOTABLE_CUES}


def _diverse(ranked: list[_Ranked]) -> list[_Ranked]:
    """At most two notable items of one kind (three for the catch-all and capital return),
    and one per named subject within a kind (two sentences about Mr. Zhou are one event)."""
    counts: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    out: list[_Ranked] = []
    for r in sorted(ranked, key=lambda r: -r.score):
        kind = r.item.kind if isinstance(r.item, Notable) else "other"
        limit = 3 if kind in {"other", "capital_return"} else 2
        if counts.get(kind, 0) >= limit:
            continue
        text = r.item.quote if isinstance(r.item, KeyFigure) else r.item.text
        named = set(_NAME.findall(" " + text)) - {"The", "Our", "This", "Board"}
        if kind in _ONE_CUE_ONE_EVENT:
            # "initiated a voluntary field action ..." and "on the field action, we recorded a
            # charge of ...": one event, said twice
            named |= {f"cue:{m.group(0).lower()}" for m in _CUES[kind].finditer(text)}
        if kind != "capital_return" and named & names.get(kind, set()):
            continue
        names.setdefault(kind, set()).update(named)
        counts[kind] = counts.get(kind, 0) + 1
        out.append(r)
    return out


def _dedupe_warnings(warnings: list[BriefingWarning]) -> list[BriefingWarning]:
    out: list[BriefingWarning] = []
    seen: set[str] = set()
    for w in warnings:
        if w.message in seen:
            continue
        seen.add(w.message)
        out.append(w)
    return out


def generate_briefing(
    transcript: Transcript, engine: Engine, *, max_words: int = MAX_WORDS
) -> Briefing:
    """Synchronous ``build_briefing`` for callers without an event loop."""
    return asyncio.run(build_briefing(transcript, engine, max_words=max_words))


# --- batches ------------------------------------------------------------------------------


@dataclass
class BatchResult:
    """One input of a batch: its briefing and where it was written, or the error it raised."""

    source: Path
    briefing: Briefing | None = None
    output: Path | None = None
    text: str | None = None
    store_id: int | None = None
    source_hash: str | None = None
    error: BriefingError | None = None


def output_path(source: Path, folder: Path, fmt: str) -> Path:
    suffix = {"md": ".md", "html": ".html", "json": ".json"}[fmt]
    return folder / f"{source.stem}{suffix}"


async def generate_batch(
    sources: Sequence[Path],
    engine: Engine,
    *,
    render: Callable[[Briefing], str],
    fmt: str = "md",
    output: Path | None = None,
    on_done: Callable[[BatchResult], None] | None = None,
    max_words: int = MAX_WORDS,
) -> list[BatchResult]:
    """Generate one briefing per file; one bad file does not stop the others.

    With one source, ``output`` is a file (or None: the text is only returned); with several
    it is a folder, created if needed, holding ``<stem>.<fmt>`` per source. Each result is
    written as soon as it is ready, so a later failure never loses an earlier briefing.
    """
    from briefing.transcript.reader import parse_transcript

    if len(sources) > 1 and output is not None:
        if output.exists() and not output.is_dir():
            raise InputError(output, "with several inputs, --output must be a folder")
        output.mkdir(parents=True, exist_ok=True)

    async def one(path: Path) -> BatchResult:
        result = BatchResult(source=path)
        try:
            if not path.is_file():
                raise InputError(path, "no such file")
            transcript = parse_transcript(path)
            result.source_hash = sha256_file(path)
            result.briefing = await build_briefing(transcript, engine, max_words=max_words)
            result.text = render(result.briefing)
            if output is not None:
                several = len(sources) > 1 or output.is_dir()
                target = output_path(path, output, fmt) if several else output
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(result.text, encoding="utf-8")
                result.output = target
        except BriefingError as exc:
            result.error = exc
        except OSError as exc:
            result.error = InputError(path, exc.strerror or str(exc))
        if on_done is not None:
            on_done(result)
        return result

    return list(await asyncio.gather(*(one(p) for p in sources)))
