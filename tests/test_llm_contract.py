"""Replay of cassettes recorded from a real llama-server: the wire contract, never content.

Recorded by ``scripts/record_cassettes.py``; replayed here with ``record_mode="none"``, so a
request that differs from the recorded one (in body too) fails instead of reaching a network.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import yaml
from fake_openai_server import FakeOpenAIServer
from llm_contract_scenarios import CASSETTES, PLACEHOLDER_KEY, SCENARIOS, Outcome, recorder
from llm_transcript import make_transcript
from vcr.errors import CannotOverwriteExistingCassetteException

from briefing.engines.llm import LLMSettings, create_llm_engine
from briefing.engines.llm_client import RetryPolicy
from briefing.engines.pricing import PriceTable


def load(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((CASSETTES / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data["interactions"])


def replay(name: str) -> tuple[Outcome, Any]:
    with recorder("none").use_cassette(f"{name}.yaml", allow_playback_repeats=False) as tape:
        outcome = asyncio.run(SCENARIOS[name]())
        assert tape.all_played, "every recorded interaction was replayed"
        return outcome, tape


def bodies(name: str) -> list[dict[str, Any]]:
    return [json.loads(i["request"]["body"]) for i in load(name)]


def responses(name: str) -> list[dict[str, Any]]:
    return [json.loads(i["response"]["body"]["string"]) for i in load(name)]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cassettes_hold_no_credentials_or_fingerprints(name: str) -> None:
    text = (CASSETTES / f"{name}.yaml").read_text(encoding="utf-8").lower()
    for needle in ("authorization", "bearer", PLACEHOLDER_KEY.lower(), "x-stainless", "user-agent"):
        assert needle not in text, needle


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_replay_counts_usage_of_every_attempt(name: str) -> None:
    outcome, _ = replay(name)
    recorded = responses(name)
    usage = outcome.engine.usage()
    assert usage.calls == len(recorded)
    assert usage.prompt_tokens == sum(r["usage"]["prompt_tokens"] for r in recorded)
    assert usage.completion_tokens == sum(r["usage"]["completion_tokens"] for r in recorded)
    assert usage.prompt_tokens > 0
    assert [d.attempt for d in usage.details] == list(range(1, len(recorded) + 1))


def test_json_schema_request_shape() -> None:
    first = bodies("remarks_json_schema")[0]
    fmt = first["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "RemarksOutput"
    schema = fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"bullets", "figures", "guidance", "notable"}
    assert first["temperature"] == 0.0 and first["seed"] == 42
    assert [m["role"] for m in first["messages"]] == ["system", "user", "user"]


def test_json_object_request_carries_the_schema_in_the_prompt() -> None:
    first = bodies("exchange_json_object")[0]
    assert first["response_format"] == {"type": "json_object"}
    assert '"title":"ExchangeOutput"' in first["messages"][-1]["content"]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_rejected_reply_is_reasked_with_its_problems(name: str) -> None:
    """The tiny model's first reply fails validation or grounding; the re-ask carries it."""
    sent = bodies(name)
    got = responses(name)
    assert len(sent) == 2, "the recorded first reply was rejected and re-asked once"
    first_reply = got[0]["choices"][0]["message"]["content"]
    reask = sent[1]["messages"]
    assert reask[: len(sent[0]["messages"])] == sent[0]["messages"]
    assert reask[-2] == {"role": "assistant", "content": first_reply}
    assert reask[-1]["role"] == "user" and "was not accepted" in reask[-1]["content"]


def test_replay_reproduces_the_recorded_outcome() -> None:
    outcome, _ = replay("remarks_json_schema")
    last = responses("remarks_json_schema")[-1]["choices"][0]
    if outcome.error is None:
        assert outcome.output is not None
        assert last["finish_reason"] == "stop"
    else:
        assert outcome.error.attempts == 2


def test_vcr_blocks_unrecorded_requests() -> None:
    """With record mode none, a request missing from the cassette never reaches a server."""
    with FakeOpenAIServer() as server:
        settings = LLMSettings(retry=RetryPolicy(max_attempts=1, budget_s=5.0))
        eng = create_llm_engine(
            base_url=server.url, model="m", api_key="k", settings=settings, prices=PriceTable({})
        )
        t = make_transcript()
        with (
            recorder("none").use_cassette("remarks_json_schema.yaml"),
            pytest.raises(CannotOverwriteExistingCassetteException),
        ):
            asyncio.run(eng.remarks(t, t.remarks[0]))
        assert server.requests == []
