"""Grounding: no figure without its source.

Every item an engine returns carries a verbatim ``quote``. Grounding finds that quote in the
section's source lines (whitespace, markup and punctuation differences are tolerated, and
the quote is then replaced by the exact source text), fills ``line_start``/``line_end``, and
checks that every number written in the item occurs in its evidence. An item that fails is
repaired (its evidence re-located to a sentence of the section that holds its numbers) or
dropped with a ``BriefingWarning``: nothing reaches the page unverified. The functions never
raise for bad items, so the offline and LLM engines can both call them on any output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from briefing.schemas import (
    BriefingWarning,
    ExchangeOutput,
    GuidanceItem,
    GuidanceOutput,
    KeyFigure,
    Notable,
    Point,
    RemarksOutput,
    TldrOutput,
)
from briefing.transcript.model import Exchange, Transcript, Turn

__all__ = [
    "UNSUMMARIZED_ANSWER",
    "UNSUMMARIZED_QUESTION",
    "Number",
    "SourceIndex",
    "Span",
    "find_contradictions",
    "ground_exchange",
    "ground_guidance",
    "ground_remarks",
    "ground_tldr",
    "missing_numbers",
    "normalize_space",
    "parse_numbers",
    "spans_of",
    "split_sentences",
]

Span = tuple[int, int]
"""A 1-based, inclusive range of source lines."""

UNSUMMARIZED_ANSWER = "(answer not summarized)"
UNSUMMARIZED_QUESTION = "(question not summarized)"

_NUMBER = re.compile(
    r"(?:(?<=RMB)|(?<=USD)|(?<=EUR)|(?<=HKD)|(?<=GBP)|(?<=CNY)|(?<=JPY)|(?<=INR)|(?<![\w.]))"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>\s*(?:%|percent(?:age points?)?|per cent|pp\b|ppts?\b"
    r"|basis points?|bps\b|bp\b|x\b))?"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|mn\b|bn\b|[kKmMbB]\b))?",
)
_SCALE = {
    "thousand": "k",
    "k": "k",
    "million": "m",
    "mn": "m",
    "m": "m",
    "billion": "b",
    "bn": "b",
    "b": "b",
    "trillion": "t",
}
_WORD = re.compile(r"[A-Za-z0-9]+")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Number:
    """A number as written: its value, its unit class and its scale word."""

    value: float
    unit: str  # "pct", "pp", "bps", "x" or "" (a plain amount or count)
    scale: str  # "k", "m", "b", "t" or ""
    text: str

    def supported_by(self, other: Number) -> bool:
        """True when ``other`` (from the evidence) states this same figure."""
        if abs(self.value - other.value) > 1e-9:
            return False
        if self.unit and other.unit and self.unit != other.unit:
            return False
        if self.unit and not other.unit and self.unit != "x":
            return False
        return not (self.scale and other.scale and self.scale != other.scale)


def _unit_class(raw: str | None) -> str:
    if not raw:
        return ""
    unit = raw.strip().lower()
    if unit.startswith("percentage point") or unit.startswith("pp"):
        return "pp"
    if unit in {"%", "percent", "per cent"}:
        return "pct"
    if unit.startswith("basis") or unit.startswith("bp"):
        return "bps"
    return "x"


def parse_numbers(text: str) -> list[Number]:
    """Every number written in ``text``, units and scale words normalized."""
    out: list[Number] = []
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        value = float(raw.replace(",", ""))
        scale_raw = (m.group("scale") or "").lower()
        out.append(
            Number(
                value=value,
                unit=_unit_class(m.group("unit")),
                scale=_SCALE.get(scale_raw, ""),
                text=m.group(0).strip(),
            )
        )
    return out


def missing_numbers(text: str, evidence: str) -> list[Number]:
    """The numbers of ``text`` that ``evidence`` does not state."""
    have = parse_numbers(evidence)
    return [n for n in parse_numbers(text) if not any(n.supported_by(h) for h in have)]


def _derivable(target: Number, evidence: Sequence[Number]) -> bool:
    """True when ``target`` is a difference, sum, ratio or growth rate of two evidence figures.

    Used only for items an engine marks ``computed``; the figure must match at the precision
    it is written with.
    """
    decimals = len(re.sub(r"\D", "", target.text.split(".")[1])) if "." in target.text else 0
    tolerance = 0.5 * 10**-decimals + 1e-9
    values = [e.value for e in evidence]
    for a in values:
        for b in values:
            candidates = [a - b, a + b]
            if b:
                candidates += [a / b, a / b * 100, (a / b - 1) * 100]
            if any(abs(abs(c) - target.value) <= tolerance for c in candidates):
                return True
    return False


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return " ".join(text.split())


class SourceIndex:
    """The transcript's source lines, indexed for quote search by line range."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        lines = transcript.source_lines or [t.text for t in transcript.turns]
        self._lines = lines
        # Word tokens with their line number and character offsets within that line.
        self._tokens: list[str] = []
        self._token_line: list[int] = []
        self._token_pos: list[tuple[int, int]] = []
        self._line_first_token: list[int] = []
        for number, line in enumerate(lines, start=1):
            self._line_first_token.append(len(self._tokens))
            for m in _WORD.finditer(line):
                self._tokens.append(m.group(0).lower())
                self._token_line.append(number)
                self._token_pos.append((m.start(), m.end()))
        self._line_first_token.append(len(self._tokens))

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @cached_property
    def full_text(self) -> str:
        return "\n".join(self._lines)

    def text(self, span: Span) -> str:
        start, end = span
        return "\n".join(self._lines[max(start, 1) - 1 : end])

    def locate(self, quote: str, spans: Iterable[Span]) -> tuple[str, Span] | None:
        """Find ``quote`` in ``spans``: the exact source text it matches and its lines.

        Word tokens are compared case-insensitively, so whitespace, markup (``**``) and
        punctuation differences do not matter; the returned text is the source's own.
        """
        words = [w.lower() for w in _WORD.findall(quote)]
        if not words:
            return None
        for start, end in spans:
            lo = self._line_first_token[max(start, 1) - 1]
            hi = self._line_first_token[min(end, self.line_count)]
            found = self._find_tokens(words, lo, hi)
            if found is not None:
                first, last = found
                return self._extract(first, last), (
                    self._token_line[first],
                    self._token_line[last],
                )
        return None

    def _find_tokens(self, words: list[str], lo: int, hi: int) -> tuple[int, int] | None:
        n = len(words)
        head = words[0]
        tokens = self._tokens
        i = lo
        while i <= hi - n:
            try:
                i = tokens.index(head, i, hi - n + 1)
            except ValueError:
                return None
            if tokens[i : i + n] == words:
                return i, i + n - 1
            i += 1
        return None

    def _extract(self, first: int, last: int) -> str:
        line_a, line_b = self._token_line[first], self._token_line[last]
        start_char = self._token_pos[first][0]
        end_char = self._token_pos[last][1]
        if line_a == line_b:
            raw = self._lines[line_a - 1][start_char:end_char]
        else:
            parts = [self._lines[line_a - 1][start_char:]]
            parts += self._lines[line_a : line_b - 1]
            parts.append(self._lines[line_b - 1][:end_char])
            raw = "\n".join(parts)
        # Keep a closing sentence mark or percent sign that follows the last word.
        tail = self._lines[line_b - 1][end_char : end_char + 1]
        if tail in {"%", ".", "?", "!"}:
            raw += tail
        return normalize_space(raw)

    def sentences(self, spans: Iterable[Span]) -> list[tuple[str, Span]]:
        """The sentences of ``spans`` with their lines, for re-locating evidence."""
        out: list[tuple[str, Span]] = []
        for start, end in spans:
            for number in range(max(start, 1), min(end, self.line_count) + 1):
                line = self._lines[number - 1]
                for sentence in split_sentences(line):
                    out.append((sentence, (number, number)))
        return out


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Za-z0-9$])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|Inc|Co|Corp|Ltd|vs|No|St|Jr|Sr|approx|U\.S)|(?:^|\s)[A-Z])\.$"
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations (Mr., Inc., U.S.) and decimals whole."""
    text = normalize_space(text)
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start()].rstrip("\"')] ")
        if _ABBREV.search(text[start : m.start()]):
            continue
        if text[m.end()].islower() and not re.search(r"[A-Za-z]{4,}[.!?]$", text[: m.start()]):
            continue
        if piece:
            out.append(text[start : m.start()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def spans_of(turns: Iterable[Turn]) -> list[Span]:
    """The line ranges of ``turns``, in order."""
    return [(t.line_start, t.line_end) for t in turns]


def _label(text: str, limit: int = 60) -> str:
    """Names a dropped item without its figures: a warning must not print an unverified
    number either."""
    text = normalize_space(re.sub(r"[$€£¥]?\d[\d,.]*\s*(?:%|bps|x\b)?", "…", text))
    text = re.sub(r"(?:…\s*)+", "… ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


_T = TypeVar("_T", Point, KeyFigure, GuidanceItem, Notable)


class _Grounder:
    """Grounds the items of one section against that section's lines."""

    def __init__(self, index: SourceIndex, spans: list[Span], section: str) -> None:
        self.index = index
        self.spans = spans
        self.section = section
        self.warnings: list[BriefingWarning] = []

    def warn(self, message: str) -> None:
        self.warnings.append(BriefingWarning(kind="ungrounded", message=message))

    def relocate(self, written: str, hint: str) -> tuple[str, Span] | None:
        """A sentence of the section that states every number of ``written``."""
        numbers = parse_numbers(written)
        if not numbers:
            return None
        hint_words = {w.lower() for w in _WORD.findall(hint) if len(w) > 3}
        best: tuple[int, str, Span] | None = None
        for sentence, span in self.index.sentences(self.spans):
            if missing_numbers(written, sentence):
                continue
            overlap = len(hint_words & {w.lower() for w in _WORD.findall(sentence)})
            if best is None or overlap > best[0]:
                best = (overlap, sentence, span)
        if best is None:
            return None
        return best[1], best[2]

    def item(
        self, item: _T, written: str, *, computed: bool = False, label: str | None = None
    ) -> _T | None:
        """The item with its quote located and numbers checked, or None (with a warning)."""
        located = self.index.locate(item.quote, self.spans)
        if located is not None:
            quote, span = located
            missing = missing_numbers(written, quote)
            if missing and computed:
                have = parse_numbers(quote)
                missing = [m for m in missing if not _derivable(m, have)]
            if not missing:
                return item.model_copy(
                    update={"quote": quote, "line_start": span[0], "line_end": span[1]}
                )
        relocated = self.relocate(written, written + " " + item.quote)
        if relocated is not None:
            quote, span = relocated
            return item.model_copy(
                update={"quote": quote, "line_start": span[0], "line_end": span[1]}
            )
        reason = (
            "its quote is not in the section" if located is None else "a number is not in its quote"
        )
        self.warn(f"{self.section}: dropped '{_label(label or written)}': {reason}")
        return None

    def points(self, points: Iterable[Point]) -> list[Point]:
        out = [self.item(p, p.text) for p in points]
        return [p for p in out if p is not None]

    def figures(self, figures: Iterable[KeyFigure]) -> list[KeyFigure]:
        out: list[KeyFigure] = []
        for f in figures:
            written = " ".join([f.metric, f.value, f.comparison or ""])
            grounded = self.item(f, written, computed=f.computed, label=f.metric)
            if grounded is not None:
                out.append(grounded)
        return out

    def guidance(self, items: Iterable[GuidanceItem]) -> list[GuidanceItem]:
        out: list[GuidanceItem] = []
        for g in items:
            written = " ".join([g.metric, g.text])
            grounded = self.item(g, written, label=f"{g.metric} guidance")
            if grounded is None:
                continue
            out.append(_check_guidance_fields(grounded, self.index))
        return out

    def notable(self, items: Iterable[Notable]) -> list[Notable]:
        out = [self.item(n, n.text) for n in items]
        return [n for n in out if n is not None]


def _check_guidance_fields(item: GuidanceItem, index: SourceIndex) -> GuidanceItem:
    """Null structured values the quote does not state; keep a period only if its years exist."""
    quote_values = {n.value for n in parse_numbers(item.quote)}
    update: dict[str, object] = {}
    for field in ("low", "high", "value"):
        v = getattr(item, field)
        if v is not None and not any(abs(v - q) < 1e-9 for q in quote_values):
            update[field] = None
    if item.period:
        years = _YEAR.findall(item.period)
        if any(y not in index.full_text for y in years):
            update["period"] = None
    return item.model_copy(update=update) if update else item


def _index(transcript: Transcript, index: SourceIndex | None) -> SourceIndex:
    return index if index is not None else SourceIndex(transcript)


def ground_remarks(
    output: RemarksOutput,
    transcript: Transcript,
    turns: Sequence[Turn],
    *,
    section: str = "remarks",
    index: SourceIndex | None = None,
) -> tuple[RemarksOutput, list[BriefingWarning]]:
    """Ground one remarks output against the lines of ``turns``."""
    g = _Grounder(_index(transcript, index), spans_of(turns), section)
    grounded = RemarksOutput(
        bullets=g.points(output.bullets),
        figures=g.figures(output.figures),
        guidance=g.guidance(output.guidance),
        notable=g.notable(output.notable),
    )
    return grounded, g.warnings


def ground_exchange(
    output: ExchangeOutput,
    transcript: Transcript,
    exchange: Exchange,
    *,
    section: str | None = None,
    index: SourceIndex | None = None,
) -> tuple[ExchangeOutput, list[BriefingWarning]]:
    """Ground one Q&A output: the answer against the answers, the question against the asks.

    An answer whose quote cannot be found, or that states a number its quote does not, is
    replaced by its quote's first located sentence when possible, otherwise by a plain
    ``UNSUMMARIZED_ANSWER`` marker with a warning (the pipeline then uses the extractive gist).
    """
    idx = _index(transcript, index)
    name = section or f"Q&A with {exchange.name}"
    answers = spans_of(exchange.answers)
    g = _Grounder(idx, answers, name)
    update: dict[str, object] = {}

    question_text = " ".join(t.text for t in exchange.questions)
    if missing_numbers(output.question, question_text):
        g.warn(f"{name}: question summary dropped: a number is not in the question")
        update["question"] = _first_words(question_text, 30) if question_text else "(no question)"
        if missing_numbers(str(update["question"]), question_text):
            update["question"] = UNSUMMARIZED_QUESTION

    located = idx.locate(output.answer_quote, answers) if output.answer_quote.strip() else None
    answer_ok = located is not None and not missing_numbers(output.answer, located[0])
    if located is not None:
        update["answer_quote"] = located[0]
    if not answer_ok:
        relocated = g.relocate(output.answer, output.answer + " " + output.answer_quote)
        if relocated is not None:
            update["answer_quote"] = relocated[0]
        elif located is not None and not missing_numbers(located[0], located[0]):
            g.warn(f"{name}: answer replaced by its quote: a number was not in it")
            update["answer"] = _first_words(located[0], 45)
        elif not output.answer.strip() or not exchange.answers:
            update["answer"] = output.answer
        else:
            g.warn(f"{name}: answer dropped: it could not be found in the answers")
            update["answer"] = UNSUMMARIZED_ANSWER
            update["answer_quote"] = ""
    grounded = output.model_copy(
        update={
            **update,
            "figures": g.figures(output.figures),
            "guidance": g.guidance(output.guidance),
            "notable": g.notable(output.notable),
        }
    )
    return grounded, g.warnings


def _first_words(text: str, limit: int) -> str:
    words = normalize_space(text).split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def ground_guidance(
    output: GuidanceOutput,
    transcript: Transcript,
    *,
    index: SourceIndex | None = None,
) -> tuple[GuidanceOutput, list[BriefingWarning]]:
    """Ground the guidance pass against the whole call (prepared remarks and answers)."""
    idx = _index(transcript, index)
    spans = spans_of(transcript.turns) or [(1, idx.line_count)]
    g = _Grounder(idx, spans, "guidance")
    return GuidanceOutput(items=g.guidance(output.items)), g.warnings


def ground_tldr(
    output: TldrOutput,
    transcript: Transcript,
    *,
    index: SourceIndex | None = None,
) -> tuple[TldrOutput, list[BriefingWarning]]:
    """Ground the TL;DR bullets against the whole call."""
    idx = _index(transcript, index)
    spans = spans_of(transcript.turns) or [(1, idx.line_count)]
    g = _Grounder(idx, spans, "TL;DR")
    return TldrOutput(bullets=g.points(output.bullets)), g.warnings


_CURRENCY_AMOUNT = re.compile(
    r"(?P<cur>RMB|USD|US\$|HK\$|HKD|EUR|GBP|JPY|CNY|\$|€|£|¥)\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|trillion)?",
)
_CUR_NAME = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "HK$": "HKD"}
_QUARTER = re.compile(r"\b(?:Q([1-4])|(first|second|third|fourth) quarter)\b", re.IGNORECASE)
_ORDINAL = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_TOPIC = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "have",
        "from",
        "were",
        "been",
        "will",
        "which",
        "their",
        "there",
        "about",
        "than",
        "also",
        "into",
        "quarter",
        "year",
        "sequentially",
        "basis",
        "points",
        "percent",
        "million",
        "billion",
        "over",
        "further",
        "overall",
        "total",
        "decrease",
        "decreased",
        "increase",
        "increased",
        "another",
    ]
)


def find_contradictions(
    transcript: Transcript, *, index: SourceIndex | None = None
) -> list[BriefingWarning]:
    """Statements that contradict each other: one amount in two currencies, or one figure
    attributed to two different quarters. Both statements are cited; neither is picked."""
    idx = _index(transcript, index)
    # Analysts paraphrase; only what management said can contradict itself.
    speaking = [t for t in transcript.turns if t.role not in {"analyst", "operator"}]
    sentences = idx.sentences(spans_of(speaking) or [(1, idx.line_count)])
    warnings: list[BriefingWarning] = []

    by_amount: dict[tuple[float, str], dict[str, tuple[str, Span]]] = {}
    written: dict[tuple[float, str], str] = {}  # the figure as the call writes it
    for sentence, span in sentences:
        for m in _CURRENCY_AMOUNT.finditer(sentence):
            cur = _CUR_NAME.get(m.group("cur"), m.group("cur"))
            value = float(m.group("num").replace(",", ""))
            if value < 10 or not m.group("scale"):
                continue
            key = (value, m.group("scale"))
            written.setdefault(key, f"{m.group('num')} {m.group('scale')}")
            by_amount.setdefault(key, {}).setdefault(cur, (sentence, span))
    for (value, scale), currencies in by_amount.items():
        if len(currencies) < 2:
            continue
        names = sorted(currencies)
        lines = [currencies[c][1] for c in names]
        amount = written[(value, scale)]
        warnings.append(
            BriefingWarning(
                kind="contradiction",
                message=f"the same amount ({amount}) is stated in {' and '.join(names)}",
                lines=lines,
            )
        )

    by_figure: dict[tuple[float, str], list[tuple[str, str, Span]]] = {}
    figure_text: dict[tuple[float, str], str] = {}
    for sentence, span in sentences:
        quarters = {q or _ORDINAL[o.lower()] for q, o in _QUARTER.findall(sentence)}
        if len(quarters) != 1 or len(sentence) > 300:
            continue
        (quarter,) = quarters
        for n in parse_numbers(sentence):
            distinctive = n.unit in {"pct", "bps", "pp"} and (n.value >= 10 or "." in n.text)
            if distinctive:
                by_figure.setdefault((n.value, n.unit), []).append((quarter, sentence, span))
                figure_text.setdefault((n.value, n.unit), n.text)
    for (value, unit), mentions in by_figure.items():
        seen: dict[str, tuple[str, Span]] = {}
        for quarter, sentence, span in mentions:
            seen.setdefault(quarter, (sentence, span))
        if len(seen) < 2:
            continue
        labels = sorted(seen)
        a, b = seen[labels[0]], seen[labels[1]]
        shared = _topic_words(a[0]) & _topic_words(b[0])
        if not shared:
            continue
        shown = figure_text[(value, unit)]
        warnings.append(
            BriefingWarning(
                kind="contradiction",
                message=(
                    f"{shown} ({' '.join(_in_order(shared, a[0])[:2])}) is attributed to "
                    f"Q{labels[0]} and to Q{labels[1]}"
                ),
                lines=[a[1], b[1]],
            )
        )
    return warnings


def _in_order(words: set[str], sentence: str) -> list[str]:
    """``words`` in the order the sentence says them ("funding cost", not "cost funding")."""
    low = sentence.lower()
    return sorted(words, key=lambda w: low.find(w) if w in low else len(low))


def _topic_words(sentence: str) -> set[str]:
    words = {w for w in _TOPIC.findall(sentence.lower()) if w not in _STOP}
    return {w[:-1] if w.endswith("s") else w for w in words}
