"""Slack delivery against a real HTTP server on 127.0.0.1 (webhook and Web API stand-in)."""

from __future__ import annotations

import pytest
from delivery_fixtures import SlackStub, all_text, free_port, limits_violations, make_briefing

from briefing.deliver.slack import (
    AlreadyPostedError,
    SlackTarget,
    check_limits,
    post_briefing,
    resolve_target,
)
from briefing.errors import ConfigError, DeliveryError
from briefing.render import SlackMessage, render_slack
from briefing.store import Store

HOSTILE = "Ping <!channel> and see <https://x|link> & more: is demand durable?"


def _assert_clean(payloads: list[dict[str, object]]) -> None:
    assert payloads
    for payload in payloads:
        assert limits_violations(payload) == []
        text = all_text(payload)
        assert "<!channel>" not in text
        assert "<https://x|link>" not in text
        assert "<https://x" not in text


def test_webhook_retries_429_and_escapes_transcript_text() -> None:
    briefing = make_briefing(question=HOSTILE)
    with Store.open() as store, SlackStub() as stub:
        target = resolve_target(webhook=stub.webhook_url, channel=None)
        count = post_briefing(briefing, target, store=store)
        assert count == len(render_slack(briefing))
        # The first request was answered 429 and retried with the same payload.
        assert len(stub.requests) == count + 1
        assert stub.requests[0].body == stub.requests[1].body
        assert all(r.path == "/services/T0FAKE/B0FAKE/fakesecret" for r in stub.requests)
        payloads = stub.posted()
        _assert_clean(payloads)
        assert "&lt;!channel&gt;" in "\n".join(all_text(p) for p in payloads)
        assert all(p.get("unfurl_links") is False for p in payloads)
        (record,) = store.deliveries("slack", target.key)
        assert record.status == "sent"
        assert "fakesecret" not in record.destination  # the webhook secret is not stored


def test_bot_token_threads_qa_under_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-fake-token")
    briefing = make_briefing(question=HOSTILE, n_qa=12)
    expected = render_slack(briefing)
    assert any(m.thread for m in expected), "the renderer puts Q&A detail in the thread"
    with Store.open() as store, SlackStub() as stub:
        monkeypatch.setenv("SLACK_API_URL", stub.api_url)
        target = resolve_target(webhook=None, channel="C0FAKE")
        post_briefing(briefing, target, store=store)
        assert all(r.path == "/api/chat.postMessage" for r in stub.requests)
        assert all(
            r.headers.get("Authorization") == "Bearer xoxb-fake-token" for r in stub.requests
        )
        payloads = stub.posted()
        assert len(payloads) == len(expected)
        _assert_clean(payloads)
        parent_ts = "1785430800.000002"  # the stub's ts for the first accepted post
        assert "thread_ts" not in payloads[0]
        assert payloads[0]["channel"] == "C0FAKE"
        for message, payload in zip(expected[1:], payloads[1:], strict=True):
            assert payload.get("thread_ts") == (parent_ts if message.thread else None)


def test_same_briefing_twice_asks_for_force() -> None:
    briefing = make_briefing()
    with Store.open() as store, SlackStub(rate_limit_first=False) as stub:
        target = resolve_target(webhook=stub.webhook_url, channel=None)
        n = post_briefing(briefing, target, store=store)
        with pytest.raises(AlreadyPostedError, match="--force"):
            post_briefing(briefing.model_copy(), target, store=store)
        assert len(stub.requests) == n
        post_briefing(briefing, target, store=store, force=True)
        assert len(stub.requests) == 2 * n
        # Another destination is another delivery.
        other = SlackTarget(kind="webhook", webhook_url=stub.webhook_url + "2")
        post_briefing(briefing, other, store=store)
        assert len(stub.requests) == 3 * n


def test_webhook_error_is_clear_and_recorded_as_failed() -> None:
    briefing = make_briefing()
    with (
        Store.open() as store,
        SlackStub(rate_limit_first=False, fail_with=(404, "no_service")) as stub,
    ):
        target = resolve_target(webhook=stub.webhook_url, channel=None)
        with pytest.raises(DeliveryError, match="HTTP 404 no_service"):
            post_briefing(briefing, target, store=store)
        (record,) = store.deliveries("slack", target.key)
        assert record.status == "failed"
        stub.fail_with = None
        post_briefing(briefing, target, store=store)  # a failed post needs no --force


def test_web_api_error_names_the_slack_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-fake-token")
    answer = (200, '{"ok": false, "error": "channel_not_found"}')
    with Store.open() as store, SlackStub(rate_limit_first=False, fail_with=answer) as stub:
        monkeypatch.setenv("SLACK_API_URL", stub.api_url)
        target = resolve_target(webhook=None, channel="C0NOPE")
        with pytest.raises(DeliveryError, match="channel C0NOPE failed: channel_not_found"):
            post_briefing(make_briefing(), target, store=store)


def test_unreachable_webhook_is_a_delivery_error() -> None:
    target = resolve_target(webhook=f"http://127.0.0.1:{free_port()}/hook", channel=None)
    with Store.open() as store, pytest.raises(DeliveryError, match="cannot reach Slack"):
        post_briefing(make_briefing(), target, store=store)


def test_resolve_target_needs_one_destination() -> None:
    with pytest.raises(ConfigError, match="no Slack destination"):
        resolve_target(webhook=None, channel=None, env={})
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        resolve_target(webhook=None, channel="C1", env={})
    with pytest.raises(ConfigError, match="not both"):
        resolve_target(webhook="https://h", channel="C1", env={})
    with pytest.raises(ConfigError, match="http"):
        resolve_target(webhook="hooks.slack.com/x", channel=None, env={})
    env = {"SLACK_WEBHOOK_URL": "https://hooks.example/services/x"}
    assert resolve_target(webhook=None, channel=None, env=env).kind == "webhook"


def test_check_limits_refuses_what_slack_would_reject() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "H" * 151}}
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}
    small = {"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}
    with pytest.raises(DeliveryError, match="header block has 151"):
        check_limits([SlackMessage(text="t", blocks=[header], thread=False)])
    with pytest.raises(DeliveryError, match="section block has 3001"):
        check_limits([SlackMessage(text="t", blocks=[section], thread=False)])
    with pytest.raises(DeliveryError, match="51 blocks"):
        check_limits([SlackMessage(text="t", blocks=[small] * 51, thread=False)])
    with pytest.raises(DeliveryError, match="no fallback text"):
        check_limits([SlackMessage(text=" ", blocks=[small], thread=False)])
    check_limits([SlackMessage(text="t", blocks=[small], thread=False)])


def test_a_partial_post_is_not_repeated_without_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-fake-token")
    briefing = make_briefing(n_qa=12)
    answer = (500, '{"ok": false, "error": "internal_error"}')
    stub = SlackStub(rate_limit_first=False, fail_with=answer, fail_after=1)
    with Store.open() as store, stub:
        monkeypatch.setenv("SLACK_API_URL", stub.api_url)
        target = resolve_target(webhook=None, channel="C0FAKE")
        total = len(render_slack(briefing))
        with pytest.raises(DeliveryError, match=f"after 1 of {total} messages were posted"):
            post_briefing(briefing, target, store=store)
        (record,) = store.deliveries("slack", target.key)
        assert record.status == "failed" and record.parts_sent == 1
        stub.fail_with = None
        with pytest.raises(AlreadyPostedError, match=r"failed after 1 message\(s\) went out"):
            post_briefing(briefing, target, store=store)
        assert post_briefing(briefing, target, store=store, force=True) == total
