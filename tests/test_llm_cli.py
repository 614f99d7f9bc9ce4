"""End to end: ``briefing generate --engine openai`` against a faulty local endpoint."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer, Fault, rate_limited, server_error
from typer.testing import CliRunner

from briefing.cli import app

SEED = Path(__file__).resolve().parent.parent / "examples" / "northwind-robotics-2026q3.txt"


def test_generate_with_faults_then_from_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    faults = [rate_limited("0"), Fault("content", content="not json at all"), server_error(500)]
    with FakeOpenAIServer(latency_s=0.3, faults=faults) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("BRIEFING_MODEL", "gpt-5.6-luna")
        runner = CliRunner()
        args = ["generate", str(SEED), "--engine", "openai", "--format", "json"]
        started = time.monotonic()
        first = runner.invoke(app, args)
        wall = time.monotonic() - started
        assert first.exit_code == 0, first.output
        briefing = json.loads(first.stdout)
        usage = briefing["usage"]
        assert usage["engine"] == "openai" and usage["model"] == "gpt-5.6-luna"
        sections = {d["section"] for d in usage["details"]}
        assert {"guidance", "tldr", "remarks:ceo", "remarks:cfo"} <= sections
        assert any(s.startswith("exchange:") for s in sections)
        assert [s for s in server.statuses if s != 200] == [429, 500], "both retried"
        assert sum(not d["ok"] for d in usage["details"]) == 3, "429, 500 and the re-ask"
        assert usage["prompt_tokens"] > 0 and usage["cost_usd"] > 0
        assert server.max_in_flight > 1
        assert wall < server.call_seconds, "concurrent calls overlap"
        assert not [w for w in briefing["warnings"] if w["kind"] == "fallback"]

        calls_before = len(server.requests)
        second = runner.invoke(app, args)
        assert second.exit_code == 0, second.output
        again = json.loads(second.stdout)["usage"]
        assert len(server.requests) == calls_before, "a rerun makes no calls"
        assert again["calls"] == 0
        assert all(d["cached_response"] for d in again["details"])


def test_generate_against_an_endpoint_that_only_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_REQUEST_TIMEOUT", "5")
    monkeypatch.setenv("BRIEFING_RETRY_BUDGET", "2")
    with FakeOpenAIServer(faults=[server_error(500)] * 10_000) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        started = time.monotonic()
        result = CliRunner().invoke(
            app, ["generate", str(SEED), "--engine", "openai", "--format", "json", "--no-cache"]
        )
        assert time.monotonic() - started < 180
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        warnings = json.loads(result.stdout)["warnings"]
        fallbacks = [w["message"] for w in warnings if w["kind"] == "fallback"]
        assert fallbacks and all("server error" in m for m in fallbacks), warnings


def test_generate_prints_the_usage_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("BRIEFING_MODEL", "gpt-5.6-luna")
        args = ["generate", str(SEED), "--engine", "openai", "-o", "/dev/null", "--no-store"]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        line = first.stderr.strip().splitlines()[-1]
        assert line.startswith("briefing: openai gpt-5.6-luna: ")
        assert "call(s)" in line and "prompt tokens" in line and "estimated cost $" in line
        second = CliRunner().invoke(app, args)
        assert "0 call(s)" in second.stderr and "from cache" in second.stderr
