"""The LLM engine's logic with a fake backend: no HTTP, no sockets."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from llm_transcript import make_transcript
from pydantic import BaseModel

from briefing.engines.base import Engine
from briefing.engines.llm import (
    DEFAULT_MODEL,
    LLMEngine,
    LLMSettings,
    chunk_blocks,
    create_llm_engine,
    format_usage,
)
from briefing.engines.llm_client import (
    ChatReply,
    FailedAttempt,
    Message,
    ResponseFormatRejected,
    ResponseMode,
    redact,
)
from briefing.engines.pricing import Price, PriceTable
from briefing.errors import ConfigError, EngineError, OutputInvalidError
from briefing.schemas import ExchangeOutput, RemarksOutput, TldrOutput

Script = Callable[[list[Message], type[BaseModel], ResponseMode], ChatReply | Exception]


def reply(content: str | dict[str, Any] | None, **kw: Any) -> ChatReply:
    text = json.dumps(content) if isinstance(content, dict) else content
    base: dict[str, Any] = {
        "finish_reason": "stop",
        "refusal": None,
        "prompt_tokens": 100,
        "cached_tokens": 40,
        "completion_tokens": 20,
    }
    base.update(kw)
    return ChatReply(content=text, **base)


def point(text: str, quote: str | None = None) -> dict[str, Any]:
    return {
        "text": text,
        "quote": quote or text,
        "speaker": None,
        "line_start": None,
        "line_end": None,
    }


CEO_SENTENCE = "Ridership reached 4.2 million passengers in the quarter, up 12% year over year."
GOOD_REMARKS = {"bullets": [point(CEO_SENTENCE)], "figures": [], "guidance": [], "notable": []}


@dataclass
class FakeBackend:
    """Answers from a queue of replies (or exceptions); records every request."""

    replies: list[ChatReply | Exception] = field(default_factory=list)
    default: ChatReply | None = None
    requests: list[tuple[list[Message], str, ResponseMode]] = field(default_factory=list)

    async def complete(
        self,
        messages: list[Message],
        output_type: type[BaseModel],
        *,
        mode: ResponseMode,
        on_failed_attempt: FailedAttempt,
    ) -> ChatReply:
        self.requests.append((messages, output_type.__name__, mode))
        item = self.replies.pop(0) if self.replies else self.default
        if item is None:
            raise AssertionError("unexpected call")
        if isinstance(item, Exception):
            raise item
        return item


class MemoryCache:
    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def cache_get(self, key: str) -> str | None:
        return self.data.get(key)

    def cache_put(self, key: str, value: str) -> None:
        self.data[key] = value


PRICES = PriceTable({"test-model": Price(input=1.0, cached_input=0.1, output=10.0)})


def engine(backend: FakeBackend, **kw: Any) -> LLMEngine:
    settings = kw.pop("settings", LLMSettings())
    return LLMEngine(backend=backend, model="test-model", settings=settings, prices=PRICES, **kw)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_engine_satisfies_the_protocol() -> None:
    assert isinstance(engine(FakeBackend()), Engine)


def test_valid_reply_is_accepted_and_counted() -> None:
    t = make_transcript()
    backend = FakeBackend([reply(GOOD_REMARKS)])
    eng = engine(backend)
    out = run(eng.remarks(t, t.remarks[0]))
    assert out.bullets[0].quote == CEO_SENTENCE
    usage = eng.usage()
    assert (usage.calls, usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens) == (
        1,
        100,
        40,
        20,
    )
    # 60 fresh input at $1/M, 40 cached at $0.1/M, 20 output at $10/M
    assert usage.cost_usd == pytest.approx((60 * 1.0 + 40 * 0.1 + 20 * 10.0) / 1e6)
    assert usage.details[0].section == "remarks:ceo" and usage.details[0].ok


def test_prompt_puts_shared_prefix_first_and_section_last() -> None:
    t = make_transcript()
    backend = FakeBackend(default=reply(GOOD_REMARKS))
    eng = engine(backend)
    run(eng.remarks(t, t.remarks[0]))
    backend.default = reply(
        {
            "question": "Fuel costs next year?",
            "answer": "Fuel cost per passenger to fall by about 8% in 2032.",
            "answer_quote": "We expect fuel cost per passenger to fall by about 8% in 2032 as "
            "the electric vessels enter service.",
            "non_answer": False,
            "figures": [],
            "guidance": [],
            "notable": [],
        }
    )
    run(eng.exchange(t, t.exchanges[0]))
    (first, _, _), (second, _, _) = backend.requests
    assert [m["role"] for m in first] == ["system", "user", "user"]
    assert first[:2] == second[:2], "system rules and call header must be identical"
    assert "only the transcript" in first[0]["content"]
    assert "exactly as written" in first[0]["content"]
    assert "Lumen Ferries" in first[1]["content"] and "Theo Quill" in first[1]["content"]
    assert CEO_SENTENCE in first[2]["content"]
    assert "Theo Quill" in second[2]["content"] and "fuel costs" in second[2]["content"]


def test_schema_invalid_reply_is_reasked_with_the_error() -> None:
    t = make_transcript()
    backend = FakeBackend([reply({"bullets": "nope"}), reply(GOOD_REMARKS)])
    eng = engine(backend)
    out = run(eng.remarks(t, t.remarks[0]))
    assert out.bullets
    second = backend.requests[1][0]
    assert second[-2] == {"role": "assistant", "content": json.dumps({"bullets": "nope"})}
    assert "bullets" in second[-1]["content"] and "not accepted" in second[-1]["content"]
    details = eng.usage().details
    assert [(d.attempt, d.ok) for d in details] == [(1, False), (2, True)]
    assert eng.usage().prompt_tokens == 200, "the failed attempt's tokens count too"


def test_unparseable_json_is_reasked() -> None:
    t = make_transcript()
    backend = FakeBackend([reply("{not json"), reply(GOOD_REMARKS)])
    out = run(engine(backend).remarks(t, t.remarks[0]))
    assert out.bullets[0].text == CEO_SENTENCE
    assert "Invalid JSON" in backend.requests[1][0][-1]["content"]


def test_ungrounded_quote_is_reasked_then_section_fails() -> None:
    t = make_transcript()
    invented = {
        "bullets": [point("Revenue tripled to $900 million.")],
        "figures": [],
        "guidance": [],
        "notable": [],
    }
    backend = FakeBackend(default=reply(invented))
    eng = engine(backend, settings=LLMSettings(max_reasks=2))
    with pytest.raises(OutputInvalidError) as info:
        run(eng.remarks(t, t.remarks[0]))
    assert len(backend.requests) == 3
    assert info.value.attempts == 3
    assert info.value.tokens == 3 * 120
    assert "remarks:ceo" in str(info.value)
    assert "quote is not in the section" in backend.requests[1][0][-1]["content"]


def test_minor_problems_are_tolerated_on_the_last_attempt() -> None:
    t = make_transcript()
    mixed = dict(GOOD_REMARKS, bullets=[point(CEO_SENTENCE), point("Invented line.")])
    backend = FakeBackend(default=reply(mixed))
    out = run(engine(backend, settings=LLMSettings(max_reasks=1)).remarks(t, t.remarks[0]))
    assert len(backend.requests) == 2
    assert len(out.bullets) == 2, "grounding in the pipeline drops the bad item with a warning"


def test_empty_bullets_are_not_accepted() -> None:
    t = make_transcript()
    empty: dict[str, Any] = {"bullets": [], "figures": [], "guidance": [], "notable": []}
    backend = FakeBackend([reply(empty), reply(GOOD_REMARKS)])
    run(engine(backend).remarks(t, t.remarks[0]))
    assert "at least one bullet" in backend.requests[1][0][-1]["content"]


def test_truncated_reply_is_reasked_shorter() -> None:
    t = make_transcript()
    backend = FakeBackend([reply('{"bullets": [', finish_reason="length"), reply(GOOD_REMARKS)])
    run(engine(backend).remarks(t, t.remarks[0]))
    assert "cut off" in backend.requests[1][0][-1]["content"]


def test_refusal_and_content_filter_raise_engine_errors_with_usage() -> None:
    t = make_transcript()
    eng = engine(FakeBackend([reply(None, refusal="I can't help with that.")]))
    with pytest.raises(EngineError, match="refused"):
        run(eng.remarks(t, t.remarks[0]))
    assert eng.usage().details[0].prompt_tokens == 100 and not eng.usage().details[0].ok
    eng = engine(FakeBackend([reply(None, finish_reason="content_filter")]))
    with pytest.raises(EngineError, match="content filter"):
        run(eng.remarks(t, t.remarks[0]))


def test_backend_failure_names_the_section() -> None:
    t = make_transcript()
    eng = engine(FakeBackend([EngineError("endpoint failed after 6 attempt(s): HTTP 500")]))
    with pytest.raises(EngineError, match=r"^exchange:2: endpoint failed"):
        run(eng.exchange(t, t.exchanges[1]))


def test_rejected_json_schema_switches_to_json_object_mode() -> None:
    t = make_transcript()
    backend = FakeBackend([ResponseFormatRejected("400 response_format"), reply(GOOD_REMARKS)])
    eng = engine(backend)
    run(eng.remarks(t, t.remarks[0]))
    assert [r[2] for r in backend.requests] == ["json_schema", "json_object"]
    assert '"title":"RemarksOutput"' in backend.requests[1][0][-1]["content"]
    assert eng.mode == "json_object"


def test_rejected_json_schema_is_an_error_when_pinned() -> None:
    t = make_transcript()
    backend = FakeBackend([ResponseFormatRejected("400 response_format")])
    eng = engine(backend, settings=LLMSettings(response_format="json_schema"))
    with pytest.raises(EngineError, match="response_format"):
        run(eng.remarks(t, t.remarks[0]))


def test_cache_makes_a_rerun_call_nothing() -> None:
    t = make_transcript()
    cache = MemoryCache()
    run(engine(FakeBackend([reply(GOOD_REMARKS)]), cache=cache).remarks(t, t.remarks[0]))
    assert len(cache.data) == 1
    backend = FakeBackend()
    eng = engine(backend, cache=cache)
    out = run(eng.remarks(t, t.remarks[0]))
    assert out.bullets[0].text == CEO_SENTENCE
    assert backend.requests == []
    usage = eng.usage()
    assert usage.calls == 0 and usage.details[0].cached_response
    assert "1 section(s) from cache" in format_usage(usage, PRICES)


def test_cache_key_depends_on_model_messages_and_params() -> None:
    t = make_transcript()
    eng = engine(FakeBackend())
    msgs = eng.messages(
        t, "remarks", {"group_label": "CEO", "part": None, "blocks": []}, RemarksOutput
    )
    key = eng.cache_key(msgs, RemarksOutput)
    assert key == eng.cache_key(msgs, RemarksOutput)
    assert key != eng.cache_key(msgs, TldrOutput)
    assert key != eng.cache_key([*msgs, {"role": "user", "content": "x"}], RemarksOutput)
    other = LLMEngine(backend=FakeBackend(), model="other", prices=PRICES)
    assert key != other.cache_key(msgs, RemarksOutput)
    hotter = engine(FakeBackend(), settings=LLMSettings(temperature=0.7))
    assert key != hotter.cache_key(msgs, RemarksOutput)


def test_long_section_is_split_and_merged() -> None:
    t = make_transcript(long_remarks=60)
    backend = FakeBackend()

    def answer_for_chunk() -> None:
        for _ in range(10):
            backend.replies.append(reply(GOOD_REMARKS_CFO))

    answer_for_chunk()
    eng = engine(backend, settings=LLMSettings(section_token_budget=400))
    out = run(eng.remarks(t, t.remarks[1]))
    assert len(backend.requests) > 1
    sections = {d.section for d in eng.usage().details}
    assert sections == {f"remarks:cfo[{i + 1}]" for i in range(len(backend.requests))}
    assert len(out.bullets) == len(backend.requests)
    assert all("(part " in r[0][-1]["content"] for r in backend.requests)


GOOD_REMARKS_CFO = {
    "bullets": [point("Revenue was $182.5 million, up 9.4% year over year.")],
    "figures": [],
    "guidance": [],
    "notable": [],
}


def test_chunking_respects_the_budget_and_keeps_every_word() -> None:
    t = make_transcript(long_remarks=40)
    from briefing.engines.llm import _blocks

    blocks = _blocks(t.turns, lambda turn: None)
    chunks = chunk_blocks(blocks, 200)
    assert len(chunks) > 2
    joined = " ".join(b.text for c in chunks for b in c)
    assert joined.split() == " ".join(b.text for b in blocks).split()
    for chunk in chunks:
        if len(chunk) > 1:
            assert sum(len(b.text) // 4 + 1 for b in chunk) <= 200


def test_exchange_and_tldr() -> None:
    t = make_transcript()
    answer = "We don't comment on dividend decisions ahead of the board."
    exchange = {
        "question": "Will the dividend rise this year?",
        "answer": answer,
        "answer_quote": answer,
        "non_answer": True,
        "figures": [],
        "guidance": [],
        "notable": [],
    }
    eng = engine(FakeBackend([reply(exchange), reply({"bullets": [point(CEO_SENTENCE)]})]))
    ex = run(eng.exchange(t, t.exchanges[1]))
    assert ex.non_answer

    @dataclass
    class Digest:
        remarks: dict[str, RemarksOutput]
        exchanges: list[ExchangeOutput]

    digest = Digest({"ceo": RemarksOutput.model_validate(GOOD_REMARKS)}, [ex])
    tl = run(eng.tldr(t, digest))
    assert tl.bullets[0].quote == CEO_SENTENCE
    assert [d.section for d in eng.usage().details] == ["exchange:2", "tldr"]


def test_tldr_prompt_holds_the_digest_quotes() -> None:
    t = make_transcript()
    backend = FakeBackend([reply({"bullets": [point(CEO_SENTENCE)]})])

    @dataclass
    class Digest:
        remarks: dict[str, RemarksOutput]
        exchanges: list[ExchangeOutput]

    run(engine(backend).tldr(t, Digest({"ceo": RemarksOutput.model_validate(GOOD_REMARKS)}, [])))
    assert f"quote: {CEO_SENTENCE}" in backend.requests[0][0][-1]["content"]


def test_create_llm_engine_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        create_llm_engine(base_url=None, model=None)
    with pytest.raises(ConfigError, match="http"):
        create_llm_engine(base_url="localhost:8080", model=None)
    with pytest.raises(ConfigError, match="concurrency"):
        create_llm_engine(base_url="http://127.0.0.1:9", model=None, concurrency=0)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert create_llm_engine(base_url=None, model=None).model == DEFAULT_MODEL
    monkeypatch.setenv("BRIEFING_MODEL", "my-model")
    assert create_llm_engine(base_url=None, model=None).model == "my-model"
    assert create_llm_engine(base_url=None, model="cli-model").model == "cli-model"


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_RESPONSE_FORMAT", "json_object")
    monkeypatch.setenv("BRIEFING_TEMPERATURE", "0")
    monkeypatch.setenv("BRIEFING_SEED", "7")
    s = LLMSettings.from_env()
    assert (s.response_format, s.temperature, s.seed) == ("json_object", 0.0, 7)
    assert s.request_params() == {"max_completion_tokens": 4096, "temperature": 0.0, "seed": 7}
    monkeypatch.setenv("BRIEFING_RETRY_BUDGET", "12.5")
    monkeypatch.setenv("BRIEFING_RETRY_ATTEMPTS", "3")
    retry = LLMSettings.from_env().retry
    assert (retry.budget_s, retry.max_attempts) == (12.5, 3)
    monkeypatch.setenv("BRIEFING_TEMPERATURE", "hot")
    with pytest.raises(ConfigError, match="BRIEFING_TEMPERATURE"):
        LLMSettings.from_env()
    monkeypatch.setenv("BRIEFING_RESPONSE_FORMAT", "xml")
    with pytest.raises(ConfigError, match="BRIEFING_RESPONSE_FORMAT"):
        LLMSettings.from_env()


def test_format_usage_shows_unknown_prices(caplog: pytest.LogCaptureFixture) -> None:
    t = make_transcript()
    eng = LLMEngine(
        backend=FakeBackend([reply(GOOD_REMARKS)]), model="mystery", prices=PriceTable({})
    )
    run(eng.remarks(t, t.remarks[0]))
    with caplog.at_level(logging.WARNING, logger="briefing.engines.pricing"):
        usage = eng.usage()
    assert usage.cost_usd == 0.0
    assert "no price for model 'mystery'" in caplog.text
    line = format_usage(usage, PriceTable({}))
    assert "1 call(s)" in line and "100 prompt tokens (40 cached)" in line
    assert "cost unknown" in line


def test_redact_masks_keys() -> None:
    text = "Incorrect API key provided: sk-proj-abcdef123456. Authorization: Bearer xyz123"
    out = redact(text, "sk-proj-abcdef123456")
    assert "abcdef" not in out and "xyz123" not in out


def test_prices_can_be_overridden_from_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.pricing import load_price_table

    toml = tmp_path / "prices.toml"
    toml.write_text('["my-model"]\ninput = 2.0\noutput = 4.0\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFING_PRICES", str(toml))
    table = load_price_table()
    assert (
        table.cost("my-model", prompt_tokens=1_000_000, cached_tokens=0, completion_tokens=0) == 2.0
    )
    assert table.lookup(DEFAULT_MODEL) is not None, "built-ins stay"
    assert table.lookup(f"{DEFAULT_MODEL}-2026-07-09") == table.lookup(DEFAULT_MODEL)
    bad = tmp_path / "bad.json"
    bad.write_text('{"m": {"input": -1, "output": 1}}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.json"):
        load_price_table(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_price_table(tmp_path / "missing.json")


def test_usage_can_be_split_by_transcript() -> None:
    """One engine serves a whole batch; each briefing stores only its own calls."""
    first, second = make_transcript(), make_transcript()
    eng = engine(FakeBackend(default=reply(GOOD_REMARKS)))

    async def both() -> None:
        await asyncio.gather(
            eng.remarks(first, first.remarks[0]),
            eng.remarks(second, second.remarks[0]),
            eng.remarks(second, second.remarks[0]),
        )

    run(both())
    assert eng.usage().calls == 3
    assert eng.usage(first).calls == 1
    assert eng.usage(second).calls == 2
    assert eng.usage(second).prompt_tokens == 200


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header_forms(headers: dict[str, str], expected: float | None) -> None:
    import httpx2
    import openai

    from briefing.engines.llm_client import retry_after_seconds

    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(429, headers=headers, request=request)
    exc = openai.RateLimitError("slow down", response=response, body=None)
    assert retry_after_seconds(exc) == expected


def test_openai_defaults_leave_room_for_reasoning(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.engines.llm import endpoint_defaults

    openai_default = endpoint_defaults(None, DEFAULT_MODEL)
    assert (openai_default.max_output_tokens, openai_default.reasoning_effort) == (16_000, "low")
    assert endpoint_defaults(None, "gpt-4.1-mini").reasoning_effort is None
    local = endpoint_defaults("http://127.0.0.1:8080/v1", DEFAULT_MODEL)
    assert (local.max_output_tokens, local.reasoning_effort) == (4096, None)
    monkeypatch.setenv("BRIEFING_MAX_OUTPUT_TOKENS", "2000")
    monkeypatch.setenv("BRIEFING_REASONING_EFFORT", "medium")
    overridden = LLMSettings.from_env(openai_default)
    assert (overridden.max_output_tokens, overridden.reasoning_effort) == (2000, "medium")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    eng = create_llm_engine(base_url=None, model=None)
    assert eng.settings.max_output_tokens == 2000


@given(
    texts=st.lists(
        st.lists(
            st.text(alphabet="abcdefgh .\n", min_size=1, max_size=60), min_size=1, max_size=8
        ).map(" ".join),
        min_size=1,
        max_size=12,
    ),
    budget=st.integers(min_value=5, max_value=80),
)
@settings(max_examples=60, deadline=None)
def test_chunking_never_loses_or_reorders_words(texts: list[str], budget: int) -> None:
    from briefing.engines.llm import _Block

    blocks = [_Block(i + 1, i + 1, "S", None, t) for i, t in enumerate(texts)]
    chunks = chunk_blocks(blocks, budget)
    out = [b for c in chunks for b in c]
    assert " ".join(b.text for b in out).split() == " ".join(texts).split()
    assert [b.line_start for b in out] == sorted(b.line_start for b in out)
    for chunk in chunks:
        assert chunk, "no empty chunk"


def test_exchange_answer_not_in_the_answers_is_fatal() -> None:
    t = make_transcript()
    invented = {
        "question": "Will the dividend rise?",
        "answer": "The dividend will double next year.",
        "answer_quote": "The dividend will double next year.",
        "non_answer": False,
        "figures": [],
        "guidance": [],
        "notable": [],
    }
    backend = FakeBackend(default=reply(invented))
    with pytest.raises(OutputInvalidError, match="answer_quote"):
        run(engine(backend, settings=LLMSettings(max_reasks=1)).exchange(t, t.exchanges[1]))
    assert len(backend.requests) == 2
