"""Posting a briefing to Slack: an incoming webhook, or a bot token with chat.postMessage.

The messages come from ``briefing.render.render_slack`` (the renderer escapes transcript
text and keeps each message within Block Kit limits; ``check_limits`` re-checks before
anything leaves). With a bot token the first message is the parent and the Q&A detail goes
in its thread; a webhook cannot thread, so its messages follow one another.

HTTP 429 is retried after Retry-After by slack_sdk's ``RateLimitErrorRetryHandler``. Every
post is recorded in the store (pending before, sent or failed after), so the same briefing
is not posted to the same destination twice without ``force``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.webhook import WebhookClient

from briefing.errors import ConfigError, DeliveryError, UserError
from briefing.render import SlackMessage, render_slack
from briefing.schemas import Briefing
from briefing.store import Store, content_key

SLACK_API_URL = "https://slack.com/api/"
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
BLOCKS_MAX = 50
MESSAGE_CHARS_MAX = 12_000
RATE_LIMIT_RETRIES = 3


class AlreadyPostedError(UserError):
    """The briefing was already posted to this destination; ``--force`` posts it again."""


@dataclass(frozen=True)
class SlackTarget:
    """Where to post: a webhook URL, or a channel reached with a bot token."""

    kind: Literal["webhook", "channel"]
    webhook_url: str | None = None
    channel: str | None = None
    token: str | None = None
    api_url: str = SLACK_API_URL

    @property
    def key(self) -> str:
        """The destination as recorded in the store: a webhook URL is a secret, so hashed."""
        if self.kind == "webhook":
            assert self.webhook_url is not None
            return "webhook:" + hashlib.sha256(self.webhook_url.encode()).hexdigest()[:16]
        return f"channel:{self.channel}"

    def describe(self) -> str:
        """A name for messages that does not print the webhook's secret path."""
        if self.kind == "webhook":
            assert self.webhook_url is not None
            return f"the webhook …{self.webhook_url[-4:]}"
        return f"channel {self.channel}"


def resolve_target(
    *, webhook: str | None, channel: str | None, env: Mapping[str, str] | None = None
) -> SlackTarget:
    """Pick the destination from the flags, then SLACK_WEBHOOK_URL / SLACK_BOT_TOKEN."""
    env = os.environ if env is None else env
    if webhook and channel:
        raise ConfigError("give either --webhook or --channel, not both")
    if channel:
        token = env.get("SLACK_BOT_TOKEN")
        if not token:
            raise ConfigError("--channel needs a bot token in SLACK_BOT_TOKEN")
        api_url = env.get("SLACK_API_URL") or SLACK_API_URL
        return SlackTarget(kind="channel", channel=channel, token=token, api_url=api_url)
    url = webhook or env.get("SLACK_WEBHOOK_URL")
    if not url:
        raise ConfigError(
            "no Slack destination: give --webhook URL (or set SLACK_WEBHOOK_URL), "
            "or --channel ID with SLACK_BOT_TOKEN"
        )
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"the webhook must be an http(s) URL, got {url[:20]!r}")
    return SlackTarget(kind="webhook", webhook_url=url)


def _block_texts(block: Mapping[str, Any]) -> list[str]:
    texts: list[str] = []
    text = block.get("text")
    if isinstance(text, Mapping) and isinstance(text.get("text"), str):
        texts.append(text["text"])
    for field in block.get("fields") or []:
        if isinstance(field, Mapping) and isinstance(field.get("text"), str):
            texts.append(field["text"])
    for element in block.get("elements") or []:
        if isinstance(element, Mapping) and isinstance(element.get("text"), str):
            texts.append(element["text"])
    return texts


def check_limits(messages: Sequence[SlackMessage]) -> None:
    """Refuse messages Slack would reject: no fallback text, or over a Block Kit limit."""
    if not messages:
        raise DeliveryError("the Slack renderer produced no message")
    for n, message in enumerate(messages, 1):
        where = f"Slack message {n}/{len(messages)}"
        if not message.text.strip():
            raise DeliveryError(f"{where} has no fallback text")
        if len(message.blocks) > BLOCKS_MAX:
            raise DeliveryError(f"{where} has {len(message.blocks)} blocks (max {BLOCKS_MAX})")
        total = len(message.text)
        for block in message.blocks:
            texts = _block_texts(block)
            total += sum(len(t) for t in texts)
            limit = HEADER_MAX if block.get("type") == "header" else SECTION_TEXT_MAX
            for t in texts:
                if len(t) > limit:
                    raise DeliveryError(
                        f"{where}: a {block.get('type')} block has {len(t)} characters "
                        f"(max {limit})"
                    )
        if total > MESSAGE_CHARS_MAX:
            raise DeliveryError(f"{where} has {total} characters (max about {MESSAGE_CHARS_MAX})")


def _retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(),
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]


class _Poster:
    """Posts messages in order and counts how many got through (for the failure message)."""

    def __init__(self, target: SlackTarget) -> None:
        self.target = target
        self.posted = 0

    def post(self, messages: Sequence[SlackMessage]) -> str:
        """Post every message; return the parent's ts (bot) or the webhook's reply."""
        if self.target.kind == "webhook":
            return self._post_webhook(messages)
        return self._post_channel(messages)

    def _post_webhook(self, messages: Sequence[SlackMessage]) -> str:
        assert self.target.webhook_url is not None
        client = WebhookClient(self.target.webhook_url, retry_handlers=_retry_handlers())
        for message in messages:
            response = client.send(
                text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False
            )
            if response.status_code != 200:
                hint = " (still rate limited after retries)" if response.status_code == 429 else ""
                raise DeliveryError(
                    f"Slack refused the post to {self.target.describe()}: HTTP "
                    f"{response.status_code} {response.body.strip()[:200]}{hint}"
                )
            self.posted += 1
        return "ok"

    def _post_channel(self, messages: Sequence[SlackMessage]) -> str:
        assert self.target.channel is not None
        client = WebClient(
            token=self.target.token,
            base_url=self.target.api_url,
            retry_handlers=_retry_handlers(),
        )
        parent_ts: str | None = None
        for message in messages:
            thread_ts = parent_ts if message.thread else None
            try:
                response = client.chat_postMessage(
                    channel=self.target.channel,
                    text=message.text,
                    blocks=message.blocks,
                    thread_ts=thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                status = exc.response.status_code if exc.response is not None else "?"
                raise DeliveryError(
                    f"Slack chat.postMessage to {self.target.describe()} failed: "
                    f"{error or 'HTTP ' + str(status)}"
                ) from exc
            if parent_ts is None:
                parent_ts = str(response.get("ts"))
            self.posted += 1
        assert parent_ts is not None
        return parent_ts


def post_briefing(
    briefing: Briefing,
    target: SlackTarget,
    *,
    store: Store,
    briefing_id: int | None = None,
    force: bool = False,
) -> int:
    """Post ``briefing`` to ``target`` once; return the number of messages posted."""
    key = content_key(briefing)
    if not force:
        earlier = store.deliveries("slack", target.key, content_key=key)
        done = [d for d in earlier if d.status == "sent"]
        if done:
            raise AlreadyPostedError(
                f"this briefing was already posted to {target.describe()} on "
                f"{done[-1].updated_at:%Y-%m-%d %H:%M} UTC; use --force to post it again"
            )
        if any(d.status == "pending" for d in earlier):
            raise AlreadyPostedError(
                f"an earlier post of this briefing to {target.describe()} was interrupted "
                "and may have gone out; check the channel, then use --force to post it again"
            )
        partial = [d for d in earlier if d.status == "failed" and d.parts_sent]
        if partial:
            raise AlreadyPostedError(
                f"an earlier post of this briefing to {target.describe()} failed after "
                f"{partial[-1].parts_sent} message(s) went out; check the channel, then use "
                "--force to post it again"
            )
    messages = render_slack(briefing)
    check_limits(messages)
    delivery_id = store.begin_delivery(
        "slack",
        target.key,
        briefing_ids=[briefing_id] if briefing_id is not None else [],
        content_key=key,
    )
    poster = _Poster(target)
    try:
        detail = poster.post(messages)
    except DeliveryError as exc:
        store.finish_delivery(delivery_id, "failed", str(exc), parts_sent=poster.posted)
        raise _partial(exc, poster.posted, len(messages)) from exc
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        store.finish_delivery(delivery_id, "failed", str(reason), parts_sent=poster.posted)
        where = target.api_url if target.kind == "channel" else target.describe()
        raise _partial(
            DeliveryError(f"cannot reach Slack ({where}): {reason}"), poster.posted, len(messages)
        ) from exc
    store.finish_delivery(delivery_id, "sent", detail, parts_sent=poster.posted)
    return len(messages)


def _partial(exc: DeliveryError, posted: int, total: int) -> DeliveryError:
    if posted == 0:
        return exc
    return DeliveryError(f"{exc} (after {posted} of {total} messages were posted)")
