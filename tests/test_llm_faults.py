"""The real OpenAI SDK path against a scripted HTTP server on 127.0.0.1: faults and limits."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Awaitable, Iterator
from typing import Any

import pytest
from fake_openai_server import FakeOpenAIServer, Fault, rate_limited, server_error
from llm_transcript import make_transcript

from briefing.engines.llm import LLMEngine, LLMSettings, create_llm_engine
from briefing.engines.llm_client import RetryPolicy
from briefing.engines.pricing import PriceTable
from briefing.errors import ConfigError, EngineError, OutputInvalidError
from briefing.schemas import RemarksOutput

FAST_RETRY = RetryPolicy(max_attempts=4, budget_s=10.0, max_wait_s=2.0, backoff_multiplier_s=0.01)
SECRET = "sk-test-secret-key-0123456789"


def make_engine(url: str, **kw: Any) -> LLMEngine:
    settings = LLMSettings(retry=kw.pop("retry", FAST_RETRY), request_timeout_s=5.0)
    return create_llm_engine(
        base_url=url,
        model="fake-model",
        api_key=SECRET,
        settings=settings,
        prices=PriceTable({}),
        **kw,
    )


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as srv:
        yield srv


def remarks(eng: LLMEngine) -> RemarksOutput:
    t = make_transcript()
    return asyncio.run(eng.remarks(t, t.remarks[0]))


def test_request_shape_uses_strict_json_schema(server: FakeOpenAIServer) -> None:
    remarks(make_engine(server.url))
    body = server.requests[0]
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "RemarksOutput"
    assert fmt["json_schema"]["strict"] is True
    assert body["model"] == "fake-model"
    assert body["max_completion_tokens"] == 4096
    assert [m["role"] for m in body["messages"]] == ["system", "user", "user"]


def test_429_is_retried_after_retry_after(server: FakeOpenAIServer) -> None:
    server.faults.append(rate_limited("1"))
    eng = make_engine(server.url)
    started = time.monotonic()
    out = remarks(eng)
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was honoured"
    assert out.bullets
    assert server.statuses == [429, 200]
    details = eng.usage().details
    assert [(d.attempt, d.ok) for d in details] == [(1, False), (2, True)]
    assert eng.usage().calls == 2


def test_500_and_malformed_body_are_retried(server: FakeOpenAIServer) -> None:
    server.faults.extend([server_error(500), Fault("malformed_body"), server_error(503)])
    eng = make_engine(server.url)
    assert remarks(eng).bullets
    assert server.statuses == [500, 200, 503, 200]
    assert sum(not d.ok for d in eng.usage().details) == 3


def test_unparseable_content_is_reasked(server: FakeOpenAIServer) -> None:
    server.faults.append(Fault("content", content="Sure! Here is the JSON: {"))
    assert remarks(make_engine(server.url)).bullets
    assert len(server.requests) == 2
    reask = server.requests[1]["messages"]
    assert reask[-2]["role"] == "assistant"
    assert "Invalid JSON" in reask[-1]["content"]


def test_schema_invalid_content_is_reasked(server: FakeOpenAIServer) -> None:
    server.faults.append(Fault("content", content=json.dumps({"bullets": [{"text": 1}]})))
    eng = make_engine(server.url)
    assert remarks(eng).bullets
    assert "does not match the schema" in server.requests[1]["messages"][-1]["content"]
    assert [d.ok for d in eng.usage().details] == [False, True]


def test_truncated_output_is_reasked(server: FakeOpenAIServer) -> None:
    server.faults.append(Fault("length"))
    assert remarks(make_engine(server.url)).bullets
    assert "cut off" in server.requests[1]["messages"][-1]["content"]


def test_persistently_invalid_output_raises_output_invalid(server: FakeOpenAIServer) -> None:
    server.faults.extend([Fault("content", content="{}")] * 3)
    eng = make_engine(server.url)
    with pytest.raises(OutputInvalidError, match="after 3 answer"):
        remarks(eng)
    assert eng.usage().calls == 3 and eng.usage().prompt_tokens > 0


def test_refusal_is_an_engine_error(server: FakeOpenAIServer) -> None:
    server.faults.append(Fault("refusal", content="I cannot help with that."))
    with pytest.raises(EngineError, match="refused"):
        remarks(make_engine(server.url))


def test_400_naming_response_format_switches_to_json_object(server: FakeOpenAIServer) -> None:
    server.faults.append(Fault("reject_response_format"))
    eng = make_engine(server.url)
    assert remarks(eng).bullets
    assert server.statuses == [400, 200]
    assert [d.ok for d in eng.usage().details] == [False, True], "the 400 counts as a call"
    second = server.requests[1]
    assert second["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in second["messages"][-1]["content"]
    t = make_transcript()
    asyncio.run(eng.exchange(t, t.exchanges[0]))
    assert server.requests[2]["response_format"] == {"type": "json_object"}, "mode sticks"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_endpoint_down_fails_fast_with_a_clear_error() -> None:
    eng = make_engine(f"http://127.0.0.1:{_closed_port()}/v1")
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"remarks:ceo: endpoint failed after 4 attempt\(s\)"):
        remarks(eng)
    t = make_transcript()
    with pytest.raises(EngineError, match="endpoint unavailable"):
        asyncio.run(eng.exchange(t, t.exchanges[0]))
    assert time.monotonic() - started < 10
    assert [d.ok for d in eng.usage().details] == [False] * 4


def test_an_endpoint_that_only_answers_500_stops_within_the_budget() -> None:
    with FakeOpenAIServer(faults=[server_error(500)] * 1000) as srv:
        policy = RetryPolicy(max_attempts=100, budget_s=1.5, max_wait_s=0.5)
        eng = make_engine(srv.url, retry=policy)
        t = make_transcript()

        async def every_section() -> list[Any]:
            calls: list[Awaitable[object]] = [eng.remarks(t, r) for r in t.remarks]
            calls += [eng.exchange(t, e) for e in t.exchanges]
            return await asyncio.gather(*calls, eng.guidance(t), return_exceptions=True)

        started = time.monotonic()
        results = asyncio.run(every_section())
        assert time.monotonic() - started < 5
        assert all(isinstance(r, EngineError) for r in results)
        assert all("HTTP 500" in str(r) for r in results)


def test_bad_key_is_a_config_error_without_the_key(
    server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.append(server_error(401))
    with caplog.at_level(logging.DEBUG), pytest.raises(ConfigError) as info:
        remarks(make_engine(server.url))
    assert "OPENAI_API_KEY" in str(info.value)
    assert SECRET not in str(info.value)
    assert SECRET not in caplog.text


def test_sections_run_concurrently_within_the_limit() -> None:
    with FakeOpenAIServer(latency_s=0.4) as srv:
        eng = make_engine(srv.url, concurrency=3)
        t = make_transcript()

        async def many() -> None:
            calls = [eng.remarks(t, r) for r in t.remarks] + [
                eng.exchange(t, e) for e in t.exchanges
            ]
            await asyncio.gather(*calls, eng.guidance(t), eng.guidance(t))

        started = time.monotonic()
        asyncio.run(many())
        wall = time.monotonic() - started
        assert len(srv.requests) == 6
        assert srv.max_in_flight == 3
        assert wall < srv.call_seconds * 0.7, (wall, srv.call_seconds)


def test_one_engine_works_across_event_loops(server: FakeOpenAIServer) -> None:
    eng = make_engine(server.url, concurrency=1)
    assert remarks(eng).bullets
    assert remarks(eng).bullets, "a second asyncio.run gets its own semaphore"
    assert eng.usage().calls == 2


def test_debug_logs_never_hold_the_key(
    server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.append(server_error(500))
    with caplog.at_level(logging.DEBUG):
        eng = make_engine(server.url)
        remarks(eng)
    assert "chat/completions" in caplog.text, "the SDK's debug logging was captured"
    assert SECRET not in caplog.text
    assert SECRET not in eng.usage().model_dump_json()
