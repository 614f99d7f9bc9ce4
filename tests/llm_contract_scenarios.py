"""The wire-contract scenarios: recorded once from a real llama-server, replayed in CI.

``scripts/record_cassettes.py`` runs each scenario against a live server with vcrpy in
record mode; ``tests/test_llm_contract.py`` replays them with ``record_mode="none"``. The
cassettes check the request shape, response parsing, usage accounting and the re-ask after
a validation failure, never what the (tiny) model wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import vcr
from llm_transcript import make_transcript

from briefing.engines.llm import LLMEngine, LLMSettings, create_llm_engine
from briefing.engines.llm_client import RetryPolicy
from briefing.engines.pricing import PriceTable
from briefing.errors import EngineError

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
BASE_URL = "http://127.0.0.1:8089/v1"
MODEL = "smollm2-135m-instruct"
PLACEHOLDER_KEY = "sk-placeholder-never-recorded"
_KEEP_REQUEST_HEADERS = {"content-type", "accept", "content-length"}
_KEEP_RESPONSE_HEADERS = {"content-type", "content-length"}


def _scrub_request(request: Any) -> Any:
    """Keep only content headers: no Authorization, no SDK or platform fingerprints."""
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    response["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEEP_RESPONSE_HEADERS}
    return response


def recorder(record_mode: str) -> vcr.VCR:
    """vcrpy configured for these cassettes; the request body must match exactly."""
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        filter_headers=["authorization", "cookie", "openai-organization", "openai-project"],
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )


def contract_engine(**settings: Any) -> LLMEngine:
    """Deterministic settings (greedy, fixed seed, small outputs) for a local llama-server."""
    base = LLMSettings(
        temperature=0.0,
        seed=42,
        max_output_tokens=400,
        max_reasks=1,
        request_timeout_s=300.0,
        retry=RetryPolicy(max_attempts=2, budget_s=30.0),
    )
    return create_llm_engine(
        base_url=BASE_URL,
        model=MODEL,
        api_key=PLACEHOLDER_KEY,
        settings=replace(base, **settings),
        prices=PriceTable({}),
    )


@dataclass
class Outcome:
    """What one scenario produced: its output or its error, and the engine's usage."""

    engine: LLMEngine
    output: Any
    error: EngineError | None


async def _remarks_json_schema() -> Outcome:
    eng = contract_engine(response_format="json_schema")
    t = make_transcript()
    try:
        return Outcome(eng, await eng.remarks(t, t.remarks[1]), None)
    except EngineError as exc:
        return Outcome(eng, None, exc)


async def _exchange_json_object() -> Outcome:
    eng = contract_engine(response_format="json_object")
    t = make_transcript()
    try:
        return Outcome(eng, await eng.exchange(t, t.exchanges[1]), None)
    except EngineError as exc:
        return Outcome(eng, None, exc)


SCENARIOS: dict[str, Callable[[], Coroutine[Any, Any, Outcome]]] = {
    "remarks_json_schema": _remarks_json_schema,
    "exchange_json_object": _exchange_json_object,
}
