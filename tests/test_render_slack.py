"""Slack Block Kit: summary then Q&A thread, within Slack's limits, transcript text escaped."""

from __future__ import annotations

import json
from typing import Any

from briefing_factory import figure, full_briefing, header, minimal_briefing, point, qa

from briefing.render import SlackMessage, escape_mrkdwn, render_slack


def _texts(block: dict[str, Any]) -> list[str]:
    parts = [block.get("text"), *block.get("elements", []), *block.get("fields", [])]
    return [p["text"] for p in parts if isinstance(p, dict) and "text" in p]


def _assert_within_limits(messages: list[SlackMessage]) -> None:
    assert messages
    for m in messages:
        assert m.text.strip(), "every message needs the plain fallback text"
        assert 0 < len(m.blocks) <= 50
        total = len(m.text)
        for block in m.blocks:
            limit = 150 if block["type"] == "header" else 3000
            for text in _texts(block):
                assert len(text) <= limit, (block["type"], len(text))
                total += len(text)
        assert total <= 12_000


def test_summary_first_then_qa_detail_in_the_thread() -> None:
    messages = render_slack(full_briefing())
    _assert_within_limits(messages)
    summary, *replies = messages
    assert not summary.thread and replies and all(m.thread for m in replies)
    assert summary.blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Northwind Robotics · Q3 2026 earnings call",
            "emoji": True,
        },
    }
    assert summary.text.startswith("Northwind Robotics · Q3 2026 earnings call: Revenue $1.24")
    body = "\n".join(t for b in summary.blocks for t in _texts(b))
    assert "• *Revenue*: $1.24 billion (+18% YoY)" in body
    assert "• *Revenue growth* (FY2026): 17% to 18%, YoY growth, raised" in body
    assert "*Raj Patel* (Jefferies): Will you give" in body
    assert "Engine: offline" in summary.blocks[-1]["elements"][0]["text"]
    thread = "\n".join(t for m in replies for b in m.blocks for t in _texts(b))
    assert "↳ :warning: *No direct answer.* _Dana Whitfield:_ We will guide 2027" in thread
    assert "_Dana Whitfield (via interpreter Priya Raman):_ Search is under way" in thread


def test_transcript_text_cannot_ping_or_plant_a_link() -> None:
    hostile = "<!channel> see <https://evil.example|your bank> & <@U123>"
    b = full_briefing(
        header=header(company="Evil <!here> Corp"),
        tldr=[point(hostile, 3)],
        qa=[qa(1, "Mallory <!everyone>", "Firm <x>", hostile, hostile, 9)],
    )
    messages = render_slack(b)
    for m in messages:
        mrkdwn = [m.text] + [t for blk in m.blocks if blk["type"] != "header" for t in _texts(blk)]
        for text in mrkdwn:
            assert "<" not in text and ">" not in text, text
    payload = json.dumps([m.model_dump() for m in messages])
    assert "&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; &lt;@U123&gt;" in (
        payload
    )
    # The header is plain_text, which Slack never parses for mentions or links.
    assert messages[0].blocks[0]["text"]["text"].startswith("Evil <!here> Corp")


def test_escape_mrkdwn_escapes_ampersand_first() -> None:
    assert escape_mrkdwn("a & <b> &lt;") == "a &amp; &lt;b&gt; &amp;lt;"


def test_large_briefing_splits_into_messages_within_limits() -> None:
    long = "Margin commentary " * 200  # ~3,600 characters in one bullet
    b = full_briefing(
        header=header(company="A" * 400),
        figures=[
            figure(f"Segment {i} revenue", f"${i}.5 million", "+3% YoY", i) for i in range(400)
        ],
        ceo_remarks=[point(long, 5)] + [point(f"Point {i} " * 30, i) for i in range(60)],
        qa=[qa(i, f"Analyst {i}", "Firm", "Why? " * 100, "Because. " * 200, i) for i in range(80)],
    )
    messages = render_slack(b)
    _assert_within_limits(messages)
    summary = [m for m in messages if not m.thread]
    thread = [m for m in messages if m.thread]
    assert len(summary) > 1 and len(thread) > 1
    assert messages[0].blocks[0]["type"] == "header"
    assert len(messages[0].blocks[0]["text"]["text"]) == 150
    body = "\n".join(t for m in summary for blk in m.blocks for t in _texts(blk))
    assert all(f"*Segment {i} revenue*" in body for i in range(400)), "no figure is lost"
    assert sum("Analyst" in t for m in thread for blk in m.blocks for t in _texts(blk)) == 80
    assert not any(blk["type"] == "divider" for m in messages for blk in m.blocks[:1])


def test_minimal_briefing_is_one_message_with_header_and_footer() -> None:
    (message,) = render_slack(minimal_briefing())
    assert [b["type"] for b in message.blocks] == ["header", "context"]
    assert message.text == "Earnings call"
