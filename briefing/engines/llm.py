"""The LLM engine: one structured-output call per section, validated, re-asked, cached, costed.

Each section (a remarks group, a Q&A exchange, the guidance pass, the TL;DR) is one chat call
whose reply must be a section model of ``briefing.schemas``. A reply is accepted only when
pydantic validates it and grounding finds its quotes and numbers in the section; otherwise
the model is re-asked with the problems, a bounded number of times, and then the section
raises ``OutputInvalidError`` so the pipeline falls back to the offline engine for it with a
warning. Every HTTP attempt's tokens are counted, failed ones included.

Messages are laid out for provider prompt caches: the system rules (identical for every
call), then the call's header (identical for every call of one transcript), and the
section-specific text and ask last.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, TypeVar

import httpx2
import openai
from pydantic import BaseModel, ValidationError

from briefing import grounding
from briefing.engines.base import SectionDigest
from briefing.engines.llm_client import (
    ChatBackend,
    ChatReply,
    Message,
    OpenAIBackend,
    ResponseFormatRejected,
    ResponseMode,
    RetryPolicy,
    validation_message,
)
from briefing.engines.pricing import PriceTable, load_price_table
from briefing.errors import ConfigError, EngineError, OutputInvalidError
from briefing.prompts import render_prompt
from briefing.schemas import (
    CallUsage,
    ExchangeOutput,
    GuidanceItem,
    GuidanceOutput,
    RemarksOutput,
    TldrOutput,
    Usage,
)
from briefing.transcript.model import EXECUTIVE_ROLES, Exchange, Remarks, Transcript, Turn

__all__ = [
    "DEFAULT_MODEL",
    "LLMEngine",
    "LLMSettings",
    "ResponseCache",
    "create_llm_engine",
    "endpoint_defaults",
    "format_usage",
]

log = logging.getLogger("briefing.engines.llm")

DEFAULT_MODEL = "gpt-5.6-luna"
"""OpenAI's cost-sensitive tier as of November 2026 ($0.20 in / $1.20 out per 1M tokens)."""

_CACHE_VERSION = "briefing-llm-v1"
_CHARS_PER_TOKEN = 4
_GROUP_LABEL = {"ceo": "CEO", "cfo": "CFO", "other": "other executives"}

Out = TypeVar("Out", bound=BaseModel)


class ResponseCache(Protocol):
    """Where validated replies are kept between runs (engineer E's Store implements it)."""

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, value: str) -> None: ...


FormatSetting = Literal["auto", "json_schema", "json_object"]


@dataclass(frozen=True)
class LLMSettings:
    """Knobs of the engine; ``from_env`` reads the ``BRIEFING_*`` variables."""

    response_format: FormatSetting = "auto"
    max_reasks: int = 2
    max_output_tokens: int = 4096
    section_token_budget: int = 6000
    temperature: float | None = None
    seed: int | None = None
    reasoning_effort: str | None = None
    request_timeout_s: float = 120.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_env(cls, base: LLMSettings | None = None) -> LLMSettings:
        """``base`` (or the defaults) with ``BRIEFING_RESPONSE_FORMAT``, ``BRIEFING_TEMPERATURE``
        and the other ``BRIEFING_*`` variables applied."""
        env = os.environ
        settings = base or cls()
        fmt = env.get("BRIEFING_RESPONSE_FORMAT")
        if fmt is not None:
            if fmt not in ("auto", "json_schema", "json_object"):
                raise ConfigError(
                    f"BRIEFING_RESPONSE_FORMAT={fmt!r}: expected auto, json_schema or json_object"
                )
            settings = replace(settings, response_format=fmt)  # type: ignore[arg-type]
        numeric: dict[str, tuple[str, Callable[[str], Any]]] = {
            "BRIEFING_MAX_REASKS": ("max_reasks", int),
            "BRIEFING_MAX_OUTPUT_TOKENS": ("max_output_tokens", int),
            "BRIEFING_SECTION_TOKENS": ("section_token_budget", int),
            "BRIEFING_TEMPERATURE": ("temperature", float),
            "BRIEFING_SEED": ("seed", int),
            "BRIEFING_REQUEST_TIMEOUT": ("request_timeout_s", float),
        }
        for var, (name, convert) in numeric.items():
            if env.get(var):
                try:
                    settings = replace(settings, **{name: convert(env[var])})
                except ValueError:
                    raise ConfigError(f"{var}={env[var]!r}: expected a number") from None
        retry: dict[str, tuple[str, Callable[[str], Any]]] = {
            "BRIEFING_RETRY_ATTEMPTS": ("max_attempts", int),
            "BRIEFING_RETRY_BUDGET": ("budget_s", float),
        }
        for var, (name, convert) in retry.items():
            if env.get(var):
                try:
                    policy = replace(settings.retry, **{name: convert(env[var])})
                except ValueError:
                    raise ConfigError(f"{var}={env[var]!r}: expected a number") from None
                settings = replace(settings, retry=policy)
        if env.get("BRIEFING_REASONING_EFFORT"):
            settings = replace(settings, reasoning_effort=env["BRIEFING_REASONING_EFFORT"])
        return settings

    def request_params(self) -> dict[str, Any]:
        """Sampling parameters sent with every call (only the ones that are set)."""
        params: dict[str, Any] = {"max_completion_tokens": self.max_output_tokens}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        if self.seed is not None:
            params["seed"] = self.seed
        if self.reasoning_effort is not None:
            params["reasoning_effort"] = self.reasoning_effort
        return params


@dataclass(frozen=True)
class _Block:
    """A stretch of one speaker's words as shown to the model."""

    line_start: int
    line_end: int
    speaker: str
    label: str | None
    text: str


def _blocks(turns: Sequence[Turn], label: Callable[[Turn], str | None]) -> list[_Block]:
    return [
        _Block(t.line_start, t.line_end, t.speaker, label(t), t.text)
        for t in turns
        if not t.placeholder and t.text.strip()
    ]


def _tokens(text: str) -> int:
    """A rough token count (4 characters a token), enough to size chunks."""
    return len(text) // _CHARS_PER_TOKEN + 1


def _split_block(block: _Block, budget: int) -> list[_Block]:
    """A block too long for the budget, cut at paragraph then sentence boundaries."""
    pieces = [p for p in block.text.split("\n") if p.strip()]
    if len(pieces) <= 1:
        pieces = grounding.split_sentences(block.text)
    out: list[_Block] = []
    current: list[str] = []
    for piece in pieces:
        if current and _tokens(" ".join([*current, piece])) > budget:
            out.append(replace(block, text="\n".join(current)))
            current = []
        current.append(piece)
    if current:
        out.append(replace(block, text="\n".join(current)))
    return out


def chunk_blocks(blocks: Sequence[_Block], budget: int) -> list[list[_Block]]:
    """Consecutive groups of blocks, each within ``budget`` tokens where a block allows."""
    chunks: list[list[_Block]] = []
    current: list[_Block] = []
    size = 0
    for block in blocks:
        parts = _split_block(block, budget) if _tokens(block.text) > budget else [block]
        for part in parts:
            cost = _tokens(part.text)
            if current and size + cost > budget:
                chunks.append(current)
                current, size = [], 0
            current.append(part)
            size += cost
    if current:
        chunks.append(current)
    return chunks


@dataclass
class _Check:
    """What grounding thought of a reply: ``fatal`` problems block acceptance outright;
    ``minor`` ones (a few items that will be dropped) are re-asked but tolerated last."""

    fatal: list[str]
    minor: list[str]


def _warnings_text(warnings: Sequence[Any]) -> list[str]:
    return [str(getattr(w, "message", w)) for w in warnings]


class LLMEngine:
    """Implements ``briefing.engines.base.Engine`` over any OpenAI-compatible endpoint."""

    name = "openai"

    def __init__(
        self,
        *,
        backend: ChatBackend,
        model: str,
        settings: LLMSettings | None = None,
        cache: ResponseCache | None = None,
        prices: PriceTable | None = None,
    ) -> None:
        self.model: str | None = model
        self._model = model
        self.settings = settings or LLMSettings()
        self._backend = backend
        self._cache = cache
        self._prices = prices or load_price_table()
        self._json_mode = self.settings.response_format == "json_object"
        self._details: list[tuple[int, CallUsage]] = []  # (id of the transcript, usage)

    # -- the Engine protocol -------------------------------------------------------------

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        label = _GROUP_LABEL.get(remarks.group, remarks.group)
        blocks = _blocks(remarks.turns, lambda t: _role_label(transcript, t))
        chunks = chunk_blocks(blocks, self.settings.section_token_budget)
        if not chunks:
            raise EngineError(f"remarks:{remarks.group}: no text to summarize")

        async def one(i: int, chunk: list[_Block]) -> RemarksOutput:
            part = f"{i + 1} of {len(chunks)}" if len(chunks) > 1 else None
            turns = _turns_in(remarks.turns, chunk)

            def check(out: RemarksOutput) -> _Check:
                grounded, warnings = grounding.ground_remarks(
                    out, transcript, turns, section=f"{label} remarks"
                )
                fatal = [] if grounded.bullets else ["no bullet could be found in the section"]
                if not out.bullets:
                    fatal = ["'bullets' is empty: give at least one bullet"]
                return _Check(fatal, _warnings_text(warnings))

            return await self._ask(
                transcript,
                section=f"remarks:{remarks.group}" + (f"[{i + 1}]" if part else ""),
                template="remarks",
                context={"group_label": label, "part": part, "blocks": chunk},
                output_type=RemarksOutput,
                check=check,
            )

        outs = await asyncio.gather(*(one(i, c) for i, c in enumerate(chunks)))
        return RemarksOutput(
            bullets=[b for o in outs for b in o.bullets],
            figures=[f for o in outs for f in o.figures],
            guidance=_dedupe_guidance([g for o in outs for g in o.guidance]),
            notable=[n for o in outs for n in o.notable],
        )

    async def exchange(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        questions = _blocks(exchange.questions, lambda t: "question")
        answers = _blocks(exchange.answers, lambda t: _role_label(transcript, t) or "answer")
        budget = max(self.settings.section_token_budget - _tokens_of(questions), 500)
        chunks = chunk_blocks(answers, budget) or [[]]
        section = f"exchange:{exchange.index}"

        def check(out: ExchangeOutput) -> _Check:
            grounded, warnings = grounding.ground_exchange(out, transcript, exchange)
            fatal: list[str] = []
            if not out.question.strip():
                fatal.append("'question' is empty")
            if exchange.answers and not out.answer.strip():
                fatal.append("'answer' is empty")
            elif grounded.answer == grounding.UNSUMMARIZED_ANSWER:
                fatal.append("'answer_quote' is not a verbatim sentence of the answer")
            if grounded.question == grounding.UNSUMMARIZED_QUESTION:
                fatal.append("'question' states a number the question does not")
            return _Check(fatal, _warnings_text(warnings))

        async def one(i: int, chunk: list[_Block]) -> ExchangeOutput:
            part = f"{i + 1} of {len(chunks)}" if len(chunks) > 1 else None
            return await self._ask(
                transcript,
                section=section + (f"[{i + 1}]" if part else ""),
                template="exchange",
                context={
                    "index": exchange.index,
                    "analyst": exchange.name,
                    "firm": exchange.firm,
                    "answered_by": ", ".join(exchange.answered_by) or "management",
                    "via": exchange.via,
                    "part": part,
                    "blocks": [*questions, *chunk],
                },
                output_type=ExchangeOutput,
                check=check if i == 0 else _no_fatal(check),
            )

        outs = await asyncio.gather(*(one(i, c) for i, c in enumerate(chunks)))
        first = outs[0]
        return ExchangeOutput(
            question=first.question,
            answer=first.answer,
            answer_quote=first.answer_quote,
            non_answer=all(o.non_answer for o in outs),
            figures=[f for o in outs for f in o.figures],
            guidance=_dedupe_guidance([g for o in outs for g in o.guidance]),
            notable=[n for o in outs for n in o.notable],
        )

    async def guidance(self, transcript: Transcript) -> GuidanceOutput:
        speaking = [
            t
            for t in transcript.turns
            if t.role in EXECUTIVE_ROLES or (t.role == "unknown" and t.section == "presentation")
        ]
        blocks = _blocks(speaking, lambda t: _role_label(transcript, t))
        chunks = chunk_blocks(blocks, self.settings.section_token_budget)

        def check(out: GuidanceOutput) -> _Check:
            _, warnings = grounding.ground_guidance(out, transcript)
            return _Check([], _warnings_text(warnings))

        async def one(i: int, chunk: list[_Block]) -> GuidanceOutput:
            part = f"{i + 1} of {len(chunks)}" if len(chunks) > 1 else None
            return await self._ask(
                transcript,
                section="guidance" + (f"[{i + 1}]" if part else ""),
                template="guidance",
                context={"part": part, "blocks": chunk},
                output_type=GuidanceOutput,
                check=check,
            )

        outs = await asyncio.gather(*(one(i, c) for i, c in enumerate(chunks)))
        return GuidanceOutput(items=_dedupe_guidance([g for o in outs for g in o.items]))

    async def tldr(self, transcript: Transcript, sections: SectionDigest) -> TldrOutput:
        digest = _digest_lines(sections, self.settings.section_token_budget)
        if not digest:
            raise EngineError("tldr: no section output to summarize")

        def check(out: TldrOutput) -> _Check:
            grounded, warnings = grounding.ground_tldr(out, transcript)
            fatal = [] if grounded.bullets else ["no bullet's quote could be found in the call"]
            minor = _warnings_text(warnings)
            if len(out.bullets) > 5:
                minor.append(f"{len(out.bullets)} bullets: give 3 to 5")
            return _Check(fatal, minor)

        out = await self._ask(
            transcript,
            section="tldr",
            template="tldr",
            context={"digest": digest},
            output_type=TldrOutput,
            check=check,
        )
        return TldrOutput(bullets=out.bullets[:5])

    def usage(self, transcript: Transcript | None = None) -> Usage:
        """Everything spent so far, or only on ``transcript`` (for one briefing of a batch)."""
        details = [d for owner, d in self._details if transcript is None or owner == id(transcript)]
        prompt = sum(d.prompt_tokens for d in details)
        cached = sum(d.cached_tokens for d in details)
        completion = sum(d.completion_tokens for d in details)
        return Usage(
            engine=self.name,
            model=self._model,
            calls=sum(1 for d in details if not d.cached_response),
            prompt_tokens=prompt,
            cached_tokens=cached,
            completion_tokens=completion,
            cost_usd=self._prices.cost(
                self._model,
                prompt_tokens=prompt,
                cached_tokens=cached,
                completion_tokens=completion,
            ),
            details=details,
        )

    # -- one section: ask, validate, re-ask ------------------------------------------------

    @property
    def mode(self) -> ResponseMode:
        return "json_object" if self._json_mode else "json_schema"

    def messages(
        self,
        transcript: Transcript,
        template: str,
        context: dict[str, Any],
        output_type: type[BaseModel],
    ) -> list[Message]:
        """System rules, then the call's header, then the section and its ask."""
        schema = (
            json.dumps(output_type.model_json_schema(), separators=(",", ":"))
            if self._json_mode
            else None
        )
        executives = [p for p in transcript.participants if p.role in EXECUTIVE_ROLES]
        analysts = [p for p in transcript.participants if p.role == "analyst"]
        header = render_prompt(
            "context",
            company=transcript.company,
            fiscal_period=transcript.fiscal_period,
            call_date=transcript.call_date,
            title=transcript.title,
            executives=executives,
            analysts=analysts,
        )
        return [
            {"role": "system", "content": render_prompt("system")},
            {"role": "user", "content": header},
            {"role": "user", "content": render_prompt(template, json_schema=schema, **context)},
        ]

    def cache_key(self, messages: list[Message], output_type: type[BaseModel]) -> str:
        """Hash of everything that shapes the reply: model, messages, schema, parameters."""
        payload = {
            "v": _CACHE_VERSION,
            "model": self._model,
            "mode": self.mode,
            "messages": messages,
            "schema": output_type.model_json_schema(),
            "params": self.settings.request_params(),
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _record(
        self,
        transcript: Transcript,
        section: str,
        attempt: int,
        reply: ChatReply | None,
        ok: bool,
    ) -> None:
        self._details.append(
            (
                id(transcript),
                CallUsage(
                    section=section,
                    attempt=attempt,
                    prompt_tokens=reply.prompt_tokens if reply else 0,
                    cached_tokens=reply.cached_tokens if reply else 0,
                    completion_tokens=reply.completion_tokens if reply else 0,
                    ok=ok,
                ),
            )
        )

    def _from_cache(
        self,
        transcript: Transcript,
        key: str,
        output_type: type[Out],
        check: Callable[[Out], _Check],
        section: str,
    ) -> Out | None:
        if self._cache is None:
            return None
        stored = self._cache.cache_get(key)
        if stored is None:
            return None
        try:
            value = output_type.model_validate_json(stored)
        except ValidationError:
            return None
        if check(value).fatal:
            return None
        self._details.append(
            (
                id(transcript),
                CallUsage(
                    section=section,
                    attempt=0,
                    prompt_tokens=0,
                    cached_tokens=0,
                    completion_tokens=0,
                    ok=True,
                    cached_response=True,
                ),
            )
        )
        return value

    async def _ask(
        self,
        transcript: Transcript,
        *,
        section: str,
        template: str,
        context: dict[str, Any],
        output_type: type[Out],
        check: Callable[[Out], _Check],
    ) -> Out:
        mode = self.mode
        messages = self.messages(transcript, template, context, output_type)
        key = self.cache_key(messages, output_type)
        cached = self._from_cache(transcript, key, output_type, check, section)
        if cached is not None:
            return cached

        attempt = 0
        rounds = self.settings.max_reasks + 1
        problems: list[str] = []

        def failed(reason: str) -> None:
            nonlocal attempt
            attempt += 1
            self._record(transcript, section, attempt, None, ok=False)

        for round_ in range(1, rounds + 1):
            try:
                reply = await self._backend.complete(
                    messages, output_type, mode=mode, on_failed_attempt=failed
                )
            except ResponseFormatRejected as exc:
                if self.settings.response_format == "auto" and not self._json_mode:
                    log.warning("endpoint rejects json_schema output; using json_object mode")
                    self._json_mode = True
                if mode == "json_object" or not self._json_mode:
                    raise EngineError(f"{section}: {exc}", attempts=attempt) from None
                return await self._ask(
                    transcript,
                    section=section,
                    template=template,
                    context=context,
                    output_type=output_type,
                    check=check,
                )
            except EngineError as exc:
                raise EngineError(
                    f"{section}: {exc}", attempts=attempt, tokens=self._tokens(transcript, section)
                ) from None
            attempt += 1
            try:
                value, problems, fatal = self._judge(reply, output_type, check, section)
            except EngineError as exc:
                self._record(transcript, section, attempt, reply, ok=False)
                raise EngineError(
                    str(exc), attempts=attempt, tokens=self._tokens(transcript, section)
                ) from None
            last = round_ == rounds
            if value is not None and (not problems or (last and not fatal)):
                self._record(transcript, section, attempt, reply, ok=True)
                if self._cache is not None:
                    self._cache.cache_put(key, value.model_dump_json())
                return value
            self._record(transcript, section, attempt, reply, ok=False)
            if last:
                break
            log.info("%s: re-asking (round %d): %s", section, round_, "; ".join(problems[:3]))
            messages = [
                *messages,
                {"role": "assistant", "content": reply.content or ""},
                {"role": "user", "content": render_prompt("reask", problems=problems[:10])},
            ]
        raise OutputInvalidError(
            f"{section}: output still invalid after {rounds} answer(s): {problems[0]}",
            attempts=attempt,
            tokens=self._tokens(transcript, section),
        )

    def _tokens(self, transcript: Transcript, section: str) -> int:
        return sum(
            d.prompt_tokens + d.completion_tokens
            for owner, d in self._details
            if owner == id(transcript) and d.section == section
        )

    def _judge(
        self,
        reply: ChatReply,
        output_type: type[Out],
        check: Callable[[Out], _Check],
        section: str,
    ) -> tuple[Out | None, list[str], bool]:
        """The accepted value (or None), the problems to re-ask with, and whether fatal."""
        if reply.refusal:
            raise EngineError(f"{section}: the model refused: {reply.refusal[:200]}")
        if reply.finish_reason == "content_filter":
            raise EngineError(f"{section}: the provider's content filter stopped the reply")
        if reply.finish_reason == "length":
            return (
                None,
                [
                    "the reply was cut off at the output token limit: answer again with fewer, "
                    "shorter items"
                ],
                True,
            )
        value: Out | None = None
        if isinstance(reply.parsed, output_type):
            value = reply.parsed
        elif reply.error is not None:
            return None, [reply.error], True
        else:
            try:
                value = output_type.model_validate_json(reply.content or "")
            except ValidationError as exc:
                return None, [validation_message(exc)], True
        verdict = check(value)
        return value, [*verdict.fatal, *verdict.minor], bool(verdict.fatal)


def _no_fatal(check: Callable[[ExchangeOutput], _Check]) -> Callable[[ExchangeOutput], _Check]:
    """Later parts of a split exchange need not restate the question and answer."""

    def relaxed(out: ExchangeOutput) -> _Check:
        verdict = check(out)
        return _Check([], verdict.minor)

    return relaxed


def _role_label(transcript: Transcript, turn: Turn) -> str | None:
    person = transcript.participant(turn.speaker)
    label = person.title if person is not None and person.title else None
    if label is None and turn.role not in ("unknown", "executive"):
        label = turn.role.upper() if turn.role in ("ceo", "cfo", "coo", "ir") else turn.role
    if turn.via:
        label = f"{label + ', ' if label else ''}via {turn.via}"
    return label


def _tokens_of(blocks: Sequence[_Block]) -> int:
    return sum(_tokens(b.text) for b in blocks)


def _turns_in(turns: Sequence[Turn], chunk: Sequence[_Block]) -> list[Turn]:
    """The turns whose lines a chunk covers, for grounding that chunk's items."""
    spans = {(b.line_start, b.line_end) for b in chunk}
    return [t for t in turns if (t.line_start, t.line_end) in spans]


def _dedupe_guidance(items: Sequence[GuidanceItem]) -> list[GuidanceItem]:
    seen: set[tuple[str, str]] = set()
    out: list[GuidanceItem] = []
    for item in items:
        key = (item.metric.lower(), grounding.normalize_space(item.quote).lower())
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@dataclass(frozen=True)
class _DigestLine:
    text: str
    quote: str


def _digest_lines(sections: SectionDigest, budget: int) -> list[_DigestLine]:
    """The grounded section outputs as short lines, each with its verbatim quote."""
    lines: list[_DigestLine] = []
    for group, out in sections.remarks.items():
        who = _GROUP_LABEL.get(group, group)
        lines += [
            _DigestLine(f"{who}: {f.metric} {f.value} {f.comparison or ''}", f.quote)
            for f in out.figures
        ]
        lines += [_DigestLine(f"{who}: {b.text}", b.quote) for b in out.bullets]
        lines += [_DigestLine(f"{who} outlook: {g.metric} {g.text}", g.quote) for g in out.guidance]
        lines += [_DigestLine(f"{who} notable: {n.text}", n.quote) for n in out.notable]
    for ex in sections.exchanges:
        if ex.answer_quote.strip():
            lines.append(_DigestLine(f"Q&A: {ex.question} -> {ex.answer}", ex.answer_quote))
    out_lines: list[_DigestLine] = []
    used = 0
    for line in lines:
        cost = _tokens(line.text) + _tokens(line.quote)
        if used + cost > budget:
            break
        out_lines.append(line)
        used += cost
    return out_lines


def format_usage(usage: Usage, prices: PriceTable | None = None) -> str:
    """One line for the end of a run: calls, retries, cache hits, tokens and cost."""
    failed = sum(1 for d in usage.details if not d.ok)
    from_cache = sum(1 for d in usage.details if d.cached_response)
    parts = [f"{usage.calls} call(s)"]
    if failed:
        parts.append(f"{failed} failed or re-asked")
    if from_cache:
        parts.append(f"{from_cache} section(s) from cache")
    tokens = (
        f"{usage.prompt_tokens:,} prompt tokens ({usage.cached_tokens:,} cached), "
        f"{usage.completion_tokens:,} completion tokens"
    )
    table = prices or load_price_table()
    if usage.model and table.lookup(usage.model) is None and usage.calls:
        cost = f"cost unknown (no price for {usage.model}; set BRIEFING_PRICES)"
    else:
        cost = f"estimated cost ${usage.cost_usd:.4f}"
    return f"{usage.engine} {usage.model or ''}: {', '.join(parts)}; {tokens}; {cost}"


def endpoint_defaults(base_url: str | None, model: str) -> LLMSettings:
    """Defaults that suit the endpoint: OpenAI's GPT-5 models reason before they answer.

    Their reasoning tokens count against ``max_completion_tokens``, so OpenAI itself gets a
    larger output allowance and low reasoning effort (enough for extraction, and cheaper).
    Other servers keep 4096 output tokens (a small-context vLLM model rejects a request
    whose prompt plus allowance exceeds its context) and get no reasoning parameter.
    """
    if base_url is not None:
        return LLMSettings()
    effort = "low" if model.startswith("gpt-5") else None
    return LLMSettings(max_output_tokens=16_000, reasoning_effort=effort)


def create_llm_engine(
    *,
    base_url: str | None,
    model: str | None,
    concurrency: int = 8,
    cache: ResponseCache | None = None,
    api_key: str | None = None,
    settings: LLMSettings | None = None,
    prices: PriceTable | None = None,
) -> LLMEngine:
    """The engine for an OpenAI-compatible endpoint; arguments beat environment variables.

    ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``BRIEFING_MODEL`` fill what is not given.
    A local server (a base URL without a key) gets a placeholder key, since the SDK
    requires one and such servers ignore it.
    """
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
    model = model or os.environ.get("BRIEFING_MODEL") or DEFAULT_MODEL
    if base_url is None and api_key is None:
        raise ConfigError("the LLM engine needs OPENAI_API_KEY or OPENAI_BASE_URL (or --base-url)")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"base URL {base_url!r} must start with http:// or https://")
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency}")
    settings = settings or LLMSettings.from_env(endpoint_defaults(base_url, model))
    key = api_key or "sk-no-key-required"
    ssl_context: list[ssl.SSLContext] = []

    def client_factory() -> openai.AsyncOpenAI:
        # A client per call keeps connections from outliving their event loop; sharing
        # one TLS context keeps that cheap (building one costs ~70 ms of CPU).
        if not ssl_context:
            ssl_context.append(httpx2.create_ssl_context())
        return openai.AsyncOpenAI(
            api_key=key,
            base_url=base_url,
            max_retries=0,
            timeout=settings.request_timeout_s,
            http_client=openai.DefaultAsyncHttpxClient(verify=ssl_context[0]),
        )

    backend = OpenAIBackend(
        model=model,
        client_factory=client_factory,
        concurrency=concurrency,
        params=settings.request_params(),
        policy=settings.retry,
        secrets=(api_key,),
    )
    return LLMEngine(backend=backend, model=model, settings=settings, cache=cache, prices=prices)
