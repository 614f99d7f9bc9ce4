"""The offline engine: deterministic, extractive, no network, no key.

It reads each section's sentences with the rules of ``offline_rules`` and fills the same
section outputs as the LLM engine. Quotes are the transcript's own sentences; grounding
locates them and checks every number afterwards, like for any engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from briefing.engines import offline_rules as rules
from briefing.engines.base import SectionDigest
from briefing.grounding import split_sentences
from briefing.schemas import (
    ExchangeOutput,
    GuidanceItem,
    GuidanceOutput,
    KeyFigure,
    Notable,
    Point,
    RemarksOutput,
    TldrOutput,
    Usage,
)
from briefing.transcript.model import EXECUTIVE_ROLES, Exchange, Remarks, Transcript, Turn

__all__ = ["OfflineEngine"]

_STATUS = [
    (
        re.compile(
            r"\b(?:rais(?:e|ed|ing)|increas(?:e|ed|ing)) (?:our |the )?(?:[\w-]+ ){0,4}?"
            r"(?:guidance|outlook|forecast)",
            re.I,
        ),
        "raised",
    ),
    (
        re.compile(
            r"\b(?:reaffirm\w*|reiterat\w*|maintain\w*) (?:our |the )?(?:[\w-]+ ){0,4}?"
            r"(?:guidance|outlook|range|expectations?|forecast)",
            re.I,
        ),
        "maintained",
    ),
    (
        re.compile(
            r"\b(?:lower(?:ed|ing)?|cut(?:ting)?|reduc(?:e|ed|ing)) (?:our |the )?"
            r"(?:[\w-]+ ){0,4}?(?:guidance|outlook|forecast)",
            re.I,
        ),
        "lowered",
    ),
    (
        re.compile(r"\b(?:withdr[ae]w\w*|suspend\w*) (?:our |the )?(?:guidance|outlook)", re.I),
        "withdrawn",
    ),
]
_BASIS = [
    (re.compile(r"year[- ](?:over|on)[- ]year|yoy|from a year ago", re.I), "YoY growth"),
    (re.compile(r"sequential|quarter[- ](?:over|on)[- ]quarter|qoq", re.I), "sequential"),
]
_SEGMENT = re.compile(
    r"^((?:[A-Z][\w&-]*\s)(?:[A-Z&][\w&-]*\s){0,3})(?:segment )?(?:revenue|net sales|sales)\b"
)
_NO_SUBJECT = re.compile(r"\s*(?:(?:for|in) [^,]{3,40}, )?(?:about |around |roughly )?[$€£¥]?\d")
_LEADS = re.compile(
    r"\s*(?:for|in) (?:the )?(?:(?:full |fiscal |first |second |third |fourth )+(?:fiscal )?"
    r"(?:quarter|year|half)|fiscal (?:year )?(?:19|20)\d\d\b)",
    re.I,
)
_STATUS_CUE = re.compile(
    r"\b(?:maintain\w*|reaffirm\w*|reiterat\w*|rais(?:e|ed|ing)|narrow\w*|lower(?:ed|ing))\b",
    re.I,
)


def _is_reported_quarter(period: str | None, fiscal_period: str | None) -> bool:
    """Whether ``period`` ("Q1", "Q1 FY2026") is the quarter the call reports on."""
    if not period or not fiscal_period:
        return False
    said = re.match(r"Q([1-4])(?: (?:FY)?((?:19|20)\d\d))?$", period)
    call = re.match(r"Q([1-4]) (?:FY)?((?:19|20)\d\d)", fiscal_period)
    if not said or not call:
        return False
    return said.group(1) == call.group(1) and said.group(2) in {None, call.group(2)}


_OUTLOOK_CONTEXT = re.compile(r"\b(?:outlook|guidance)\b", re.I)
_STRATEGY = re.compile(
    r"\b(?:strategy|strategic|priorit\w+|focus(?:ed|ing)? on|invest\w*|expand\w*|launch\w*"
    r"|platform|record|milestone|momentum|demand|growth)\b",
    re.I,
)


@dataclass
class _Sentence:
    text: str
    speaker: str
    role: str
    turn: Turn


def _sentences(turns: Iterable[Turn]) -> Iterator[_Sentence]:
    for turn in turns:
        if turn.placeholder:
            continue
        for s in split_sentences(turn.text):
            yield _Sentence(s, turn.speaker, turn.role, turn)


def _headline_change(f: KeyFigure) -> str:
    """The comparison a headline reads: the year-on-year change, else any change, else the
    first comparison ("up 2.5%" rather than "vs $441 million in Q3")."""
    parts = [c.strip() for c in (f.comparison or "").split(";") if c.strip()]
    for test in (lambda c: "YoY" in c, lambda c: c.startswith(("up ", "down "))):
        chosen = next((c for c in parts if test(c)), None)
        if chosen:
            return chosen
    return parts[0] if parts else ""


def _lower_first(text: str) -> str:
    """ "Between $1 and $2" after a metric name reads "total revenues between $1 and $2"."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first.isalpha():
        return text[:1].lower() + text[1:]
    return text


class OfflineEngine:
    """Implements ``Engine`` with extraction rules; the default when no endpoint is set."""

    name = "offline"
    model: str | None = None

    def __init__(self, *, max_figures: int = 40, max_bullets: int = 4) -> None:
        self.max_figures = max_figures
        self.max_bullets = max_bullets

    # -- sections ------------------------------------------------------------------------

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        return self.remarks_sync(transcript, remarks)

    def remarks_sync(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        """Figures, notable events and a few headline bullets of one group's remarks."""
        figures = self._figures(remarks.turns)
        notable = self._notable(_sentences(remarks.turns))
        bullets = self._bullets(list(_sentences(remarks.turns)))
        return RemarksOutput(
            bullets=bullets,
            figures=figures[: self.max_figures],
            guidance=[],
            notable=notable,
        )

    async def exchange(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        return self.exchange_sync(transcript, exchange)

    def exchange_sync(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        """The ask, the answer's key sentence, and any figures or events in the answer."""
        asked = " ".join(t.text for t in exchange.questions if not t.placeholder)
        answered = [t for t in exchange.answers if not t.placeholder]
        question = rules.question_gist(asked) or "(question not transcribed)"
        answer_text = " ".join(t.text for t in answered)
        if answer_text.strip():
            answer, quote = rules.answer_gist(answer_text, asked)
        else:
            answer, quote = "(no answer in the transcript)", ""
        non_answer = bool(rules.NON_ANSWER.search(answer_text)) and not rules.AMOUNT.search(quote)
        figures = self._figures(answered)
        notable = self._notable(_sentences(answered))
        return ExchangeOutput(
            question=question,
            answer=answer,
            answer_quote=quote,
            non_answer=non_answer,
            figures=figures[:6],
            guidance=[],
            notable=notable,
        )

    async def guidance(self, transcript: Transcript) -> GuidanceOutput:
        return self.guidance_sync(transcript)

    def guidance_sync(self, transcript: Transcript) -> GuidanceOutput:
        """Forward-looking statements of executives, prepared remarks and answers alike."""
        items: list[GuidanceItem] = []
        seen: set[str] = set()
        speaking = EXECUTIVE_ROLES | {"unknown"}
        turns = [t for t in transcript.turns if t.role in speaking and not t.placeholder]
        for turn in turns:
            context: str | None = None
            in_outlook = False
            parts = [rules.guidance_parts(whole) for whole in split_sentences(turn.text)]
            sentences = [part for split in parts for part in split]
            continuations = {id(part) for split in parts for part in split[1:]}
            for i, sentence in enumerate(sentences):
                previous = sentences[i - 1] if i else ""
                if rules.OUTLOOK_END.search(sentence):
                    in_outlook = False
                    continue
                starts = bool(rules.OUTLOOK_START.search(sentence))
                lead = rules.own_period(sentence) if _LEADS.match(sentence) else None
                if (
                    lead
                    and id(sentence) not in continuations
                    and not _is_reported_quarter(lead, transcript.fiscal_period)
                    and (rules.FORWARD.search(sentence) or _STATUS_CUE.search(sentence))
                ):
                    # "For fiscal 2026, we're maintaining our range on sales, and ..." sets the
                    # period of the parts and sentences that follow.
                    context = lead
                if (starts or _OUTLOOK_CONTEXT.search(sentence)) and not rules.NOT_GUIDANCE.search(
                    sentence
                ):
                    heading = rules.own_period(sentence, fiscal="fiscal" in sentence.lower())
                    # "the outlook for the third quarter" sets the period of what follows; a
                    # full-year aside ("tracking in line with our outlook") does not.
                    if _is_reported_quarter(heading, transcript.fiscal_period):
                        heading = None  # "given the strength of the first quarter" in Q1
                    if heading and (starts or heading.startswith("Q") or _LEADS.match(sentence)):
                        context = heading
                    in_outlook = in_outlook or (starts and turn.section == "presentation")
                    if starts and not rules.AMOUNT.search(sentence):
                        continue
                # A later part of a sentence shares its forward cue ("We expect X of ... and
                # Y of ...").
                outlook = rules.extract_outlook(
                    sentence, context, in_outlook=in_outlook or id(sentence) in continuations
                )
                if outlook is None or outlook.text in seen:
                    continue
                if _is_reported_quarter(outlook.period, transcript.fiscal_period):
                    # The quarter being reported is over: no outlook is for it ("most of which
                    # falls in the first quarter" said on the first-quarter call is a reason).
                    outlook.period = (
                        None if _is_reported_quarter(context, transcript.fiscal_period) else context
                    )
                own = rules.own_period(sentence)
                if own and outlook.numeric and _LEADS.match(sentence):
                    context = own  # "We expect ..." after "For the fourth quarter, ..."
                seen.add(outlook.text)
                if (
                    outlook.metric == "Outlook"
                    and previous
                    and (_NO_SUBJECT.match(sentence) or id(sentence) in continuations)
                ):
                    # "The tax rate was 24.1%. For the full year, 26% to 27% is a good
                    # assumption.": the metric is the one just named.
                    named = rules.metric_named_in(previous)
                    if named:
                        outlook.metric = named
                items.append(self._guidance_item(outlook, sentence, turn.speaker))
        return GuidanceOutput(items=items)

    async def tldr(self, transcript: Transcript, sections: SectionDigest) -> TldrOutput:
        return self.tldr_sync(transcript, sections)

    def tldr_sync(self, transcript: Transcript, sections: SectionDigest) -> TldrOutput:
        """Three to five lines: the headline figures, the outlook and the must-know event."""
        figures = [f for r in sections.remarks.values() for f in r.figures]
        guidance = [g for r in sections.remarks.values() for g in r.guidance]
        guidance += [g for e in sections.exchanges for g in e.guidance]
        notable = [n for r in sections.remarks.values() for n in r.notable]
        notable += [n for e in sections.exchanges for n in e.notable]
        bullets: list[Point] = []
        used: set[str] = set()

        def rank(f: KeyFigure) -> tuple[int, bool, bool, int]:
            level = not re.match(r"(?:up|down) ", f.value)
            amount = bool(re.search(r"[$€£¥]|RMB|USD|EUR|million|billion", f.value))
            return (
                -rules.metric_weight(f.metric),
                not (level and amount),
                "YoY" not in (f.comparison or ""),
                len(f.metric.split()),
            )

        for f in sorted(figures, key=rank)[:8]:
            head = rules.metric_weight(f.metric)
            key = re.sub(r"\W+", " ", f.metric.lower())
            if head < 9 or key in used or any(key in u or u in key for u in used):
                continue
            used.add(key)
            text = f"{f.metric} {f.value}" + (f", {_headline_change(f)}" if f.comparison else "")
            bullets.append(
                Point(text=text, quote=f.quote, speaker=f.speaker, line_start=None, line_end=None)
            )
            if len(bullets) == 2:
                break

        def figures_in(text: str) -> int:
            return sum(1 for m in rules.AMOUNT.finditer(text) if rules.is_figure(m, text))

        numeric = [g for g in guidance if figures_in(g.text)]
        numeric.sort(
            key=lambda g: (-rules.metric_weight(g.metric), g.period is None, g.metric == "Outlook")
        )
        # A line that reads whole: not one the guidance line could only show as a window.
        numeric = [g for g in numeric if not g.text.startswith("…")]
        if numeric:
            g = numeric[0]
            # The period label is shown only when the quote states its year: the TL;DR line
            # is grounded against that quote.
            years = re.findall(r"(?:19|20)\d\d", g.period or "")
            shown = g.period and all(y in g.quote for y in years)
            said = g.text if g.metric == "Outlook" else f"{g.metric} {_lower_first(g.text)}"
            label = (
                f"{g.period[:1].upper()}{g.period[1:]} outlook" if shown and g.period else "Outlook"
            )
            if g.status in {"raised", "lowered", "maintained", "withdrawn"}:
                label += f" {g.status}"
            bullets.append(
                Point(
                    text=f"{label}: {rules.trim(said, 16)}",
                    quote=g.quote,
                    speaker=g.speaker,
                    line_start=None,
                    line_end=None,
                )
            )
        order = [k for k, _, _ in rules.NOTABLE_CUES]
        ranked = sorted(notable, key=lambda n: order.index(n.kind))
        for n in ranked[:1]:
            if n.kind != "other":
                bullets.append(
                    Point(
                        text=rules.trim(n.text.rstrip(" …"), 14),
                        quote=n.quote,
                        speaker=n.speaker,
                        line_start=None,
                        line_end=None,
                    )
                )
        return TldrOutput(bullets=bullets[:5])

    def usage(self, transcript: Transcript | None = None) -> Usage:
        return Usage(engine=self.name)

    # -- helpers -------------------------------------------------------------------------

    def _figures(self, turns: Iterable[Turn]) -> list[KeyFigure]:
        out: list[KeyFigure] = []
        for turn in turns:
            if turn.placeholder or turn.role not in EXECUTIVE_ROLES | {"unknown"}:
                continue
            topic: str | None = None
            segment: str | None = None
            for sentence in split_sentences(turn.text):
                heading = rules.topic_of(sentence)
                if heading is not False:
                    topic = heading if isinstance(heading, str) else None
                    continue
                for f in rules.extract_figures(sentence, topic):
                    named = _SEGMENT.match(f.metric)
                    if named:
                        segment = named.group(1).strip()
                    elif segment and f.metric.lower().startswith("segment "):
                        # "Segment margin was 21.3%" right after "Flow Technologies revenue"
                        f.metric = f"{segment} {f.metric[0].lower()}{f.metric[1:]}"
                    out.append(
                        KeyFigure(
                            metric=f.metric,
                            value=f.value,
                            comparison="; ".join(f.comparisons) or None,
                            gaap="gaap" if f.gaap == "gaap" else "non-gaap" if f.gaap else None,
                            speaker=turn.speaker,
                            quote=sentence,
                            computed=False,
                            line_start=None,
                            line_end=None,
                        )
                    )
        return out

    def _notable(self, sentences: Iterable[_Sentence]) -> list[Notable]:
        out: list[Notable] = []
        for s in sentences:
            if s.role not in EXECUTIVE_ROLES | {"unknown"}:
                continue
            event = rules.extract_event(s.text)
            if event is None:
                continue
            out.append(
                Notable(
                    kind=event.kind,
                    text=event.text,
                    speaker=s.speaker,
                    quote=s.text,
                    line_start=None,
                    line_end=None,
                )
            )
        return out

    def _bullets(self, sentences: list[_Sentence]) -> list[Point]:
        """Headline sentences: strategy and results statements, not greetings or logistics."""
        scored: list[tuple[float, int, _Sentence]] = []
        for i, s in enumerate(sentences):
            text = rules.clean(s.text)
            if rules.words(text) < 8 or rules.FILLER.match(text):
                continue
            if rules.NOT_GUIDANCE.search(text) and "?" not in text:
                continue
            score = 0.0
            score += 2 if rules.METRIC.search(text) else 0
            score += 1.5 if rules.AMOUNT.search(text) else 0
            score += 1.5 if _STRATEGY.search(text) else 0
            score += 1 if rules.FORWARD.search(text) else 0
            score -= i * 0.02
            if score >= 2.5:
                scored.append((score, i, s))
        best = sorted(scored, key=lambda t: (-t[0], t[1]))[: self.max_bullets]
        return [
            Point(
                text=rules.trim(s.text, 22),
                quote=s.text,
                speaker=s.speaker,
                line_start=None,
                line_end=None,
            )
            for _, _, s in sorted(best, key=lambda t: t[1])
        ]

    def _guidance_item(self, o: rules.Outlook, sentence: str, speaker: str) -> GuidanceItem:
        status = next((name for p, name in _STATUS if p.search(sentence)), None)
        basis = next((name for p, name in _BASIS if p.search(o.text)), None)
        if basis is None and (o.low is not None or o.value is not None):
            basis = "absolute" if o.unit not in {"%", "bps", "pp"} else None
        return GuidanceItem(
            metric=o.metric,
            period=o.period,
            text=o.text,
            low=o.low,
            high=o.high,
            value=o.value,
            unit=o.unit,
            currency=o.currency,
            basis=basis,
            gaap="gaap" if o.gaap == "gaap" else "non-gaap" if o.gaap else None,
            direction=o.direction,
            status=status,
            speaker=speaker,
            quote=sentence,
            line_start=None,
            line_end=None,
        )
