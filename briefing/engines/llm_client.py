"""The HTTP side of the LLM engine: one chat call to an OpenAI-compatible endpoint.

The engine (``llm.py``) decides what to ask and whether an answer is acceptable; this module
only gets an answer. It owns the retry policy (tenacity: 429 honouring Retry-After, 5xx,
timeouts, connection errors, jittered backoff, a total time budget; the SDK's own retries are
off so the two never multiply), the concurrency limit shared by every call of one engine,
and a circuit breaker: once an endpoint has failed a call after all its retries, the
remaining calls fail at once instead of each waiting out its own budget.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import re
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from briefing.errors import ConfigError, EngineError

__all__ = [
    "ChatBackend",
    "ChatReply",
    "Message",
    "OpenAIBackend",
    "ResponseFormatRejected",
    "ResponseMode",
    "RetryPolicy",
    "redact",
    "reply_from",
    "retry_after_seconds",
    "validation_message",
]

log = logging.getLogger("briefing.engines.llm")

ResponseMode = Literal["json_schema", "json_object"]
Message = dict[str, str]
"""One chat message: ``{"role": ..., "content": ...}``."""

_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)")


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with API keys (given ones and anything shaped like one) masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEY_PATTERN.sub("***", text)


@dataclass(frozen=True)
class ChatReply:
    """One completed HTTP call: what the model wrote and what it cost.

    ``parsed`` is set when the SDK parsed the content into the requested model; ``error``
    holds the validation error when it could not; in json_object mode both stay None and
    the engine validates ``content`` itself.
    """

    content: str | None
    finish_reason: str | None
    refusal: str | None
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    parsed: BaseModel | None = None
    error: str | None = None


class ResponseFormatRejected(Exception):
    """The endpoint answered 400 naming ``response_format``: it lacks json_schema support."""


FailedAttempt = Callable[[str], None]
"""Called with a short reason for each HTTP attempt that got no usable reply."""


class ChatBackend(Protocol):
    """What the engine needs from an endpoint; unit tests pass a fake."""

    async def complete(
        self,
        messages: list[Message],
        output_type: type[BaseModel],
        *,
        mode: ResponseMode,
        on_failed_attempt: FailedAttempt,
    ) -> ChatReply:
        """One answer, after transient failures were retried; raises EngineError."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """How long one call keeps trying before its section falls back."""

    max_attempts: int = 6
    budget_s: float = 90.0
    max_wait_s: float = 30.0
    backoff_multiplier_s: float = 0.5


class _MalformedResponse(Exception):
    """A 2xx whose body is not a chat completion (a broken proxy, a half-written body)."""


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | _MalformedResponse):
        return True  # includes APITimeoutError
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The wait the server asked for (``retry-after-ms`` or ``retry-after``), if any."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


class _WaitRetryAfter:
    """Honour Retry-After when the server sends it, else jittered exponential backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._fallback = wait_random_exponential(
            multiplier=policy.backoff_multiplier_s, max=policy.max_wait_s
        )

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        asked = retry_after_seconds(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self._policy.max_wait_s)
        return float(self._fallback(state))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "request timed out"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        return f"connection failed ({type(cause).__name__ if cause else 'no response'})"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, _MalformedResponse):
        return f"malformed response body ({exc})"
    return type(exc).__name__


def _completion_from(raw_text: str) -> ChatCompletion:
    try:
        return ChatCompletion.model_validate(json.loads(raw_text))
    except (json.JSONDecodeError, ValidationError) as exc:
        first_line = str(exc).splitlines()[0]
        raise _MalformedResponse(first_line[:120]) from None


def validation_message(exc: ValidationError) -> str:
    errors = exc.errors()
    shown = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors[:5]
    )
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return f"the JSON does not match the schema: {shown}{more}"


def reply_from(
    completion: ChatCompletion, *, parsed: BaseModel | None = None, error: str | None = None
) -> ChatReply:
    """Usage and content of ``completion`` (cached tokens count as prompt tokens too)."""
    usage = completion.usage
    details = usage.prompt_tokens_details if usage is not None else None
    choice = completion.choices[0] if completion.choices else None
    message = choice.message if choice is not None else None
    return ChatReply(
        content=message.content if message is not None else None,
        finish_reason=choice.finish_reason if choice is not None else None,
        refusal=getattr(message, "refusal", None) if message is not None else None,
        prompt_tokens=usage.prompt_tokens if usage is not None else 0,
        cached_tokens=(details.cached_tokens or 0) if details is not None else 0,
        completion_tokens=usage.completion_tokens if usage is not None else 0,
        parsed=parsed,
        error=error,
    )


ClientFactory = Callable[[], openai.AsyncOpenAI]
Sleep = Callable[[float], Awaitable[None]]


class OpenAIBackend:
    """Chat completions through the official SDK, one client per call, retries here."""

    def __init__(
        self,
        *,
        model: str,
        client_factory: ClientFactory,
        concurrency: int = 8,
        params: dict[str, Any] | None = None,
        policy: RetryPolicy | None = None,
        secrets: tuple[str | None, ...] = (),
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.model = model
        self._client_factory = client_factory
        self._concurrency = concurrency
        self._params = dict(params or {})
        self._policy = policy or RetryPolicy()
        self._secrets = secrets
        self._sleep = sleep
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._semaphores = weakref.WeakKeyDictionary()
        self._down: str | None = None
        self.in_flight = 0
        self.max_in_flight = 0

    def _semaphore(self) -> asyncio.Semaphore:
        """One semaphore per event loop: a loop-bound primitive cannot cross asyncio.run."""
        loop = asyncio.get_running_loop()
        sem = self._semaphores.get(loop)
        if sem is None:
            sem = self._semaphores[loop] = asyncio.Semaphore(self._concurrency)
        return sem

    async def complete(
        self,
        messages: list[Message],
        output_type: type[BaseModel],
        *,
        mode: ResponseMode,
        on_failed_attempt: FailedAttempt,
    ) -> ChatReply:
        if self._down is not None:
            raise EngineError(f"endpoint unavailable: {self._down}; not retried again")
        policy = self._policy
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_transient),
            wait=_WaitRetryAfter(policy),
            stop=stop_after_attempt(policy.max_attempts) | stop_before_delay(policy.budget_s),
            sleep=self._sleep,
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    try:
                        return await self._once(messages, output_type, mode)
                    except (openai.APIError, _MalformedResponse) as exc:
                        reason = _describe(exc)
                        on_failed_attempt(reason)
                        log.info("attempt %d failed: %s", attempts, reason)
                        raise
        except openai.BadRequestError as exc:
            text = self._redact(str(exc))
            if "response_format" in text or "json_schema" in text:
                raise ResponseFormatRejected(text) from None
            raise EngineError(f"the endpoint rejected the request: {text}", attempts=1) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ConfigError(
                f"the endpoint refused the API key (HTTP {exc.status_code}); "
                "check OPENAI_API_KEY and OPENAI_BASE_URL"
            ) from None
        except openai.NotFoundError:
            raise ConfigError(
                f"the endpoint does not serve model {self.model!r} or /chat/completions "
                "(HTTP 404); check --model and OPENAI_BASE_URL"
            ) from None
        except (openai.APIError, _MalformedResponse) as exc:
            reason = self._redact(_describe(exc))
            if _is_transient(exc):
                self._down = reason
                raise EngineError(
                    f"endpoint failed after {attempts} attempt(s): {reason}", attempts=attempts
                ) from None
            raise EngineError(f"endpoint error: {reason}", attempts=attempts) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _redact(self, text: str) -> str:
        return redact(text, *self._secrets)

    async def _once(
        self, messages: list[Message], output_type: type[BaseModel], mode: ResponseMode
    ) -> ChatReply:
        typed_messages = cast(list[ChatCompletionMessageParam], messages)
        async with self._semaphore():
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                async with self._client_factory() as client:
                    if mode == "json_schema":
                        raw = await client.chat.completions.with_raw_response.parse(
                            model=self.model,
                            messages=typed_messages,
                            response_format=output_type,
                            **self._params,
                        )
                    else:
                        raw = await client.chat.completions.with_raw_response.create(
                            model=self.model,
                            messages=typed_messages,
                            response_format={"type": "json_object"},
                            **self._params,
                        )
                    body = raw.text
            finally:
                self.in_flight -= 1
        completion = _completion_from(body)
        if mode == "json_object":
            return reply_from(completion)
        try:
            parsed = raw.parse()
        except openai.LengthFinishReasonError:
            return reply_from(completion)  # finish_reason "length": the engine decides
        except openai.ContentFilterFinishReasonError:
            return reply_from(completion)  # finish_reason "content_filter"
        except ValidationError as exc:
            return reply_from(completion, error=validation_message(exc))
        message = parsed.choices[0].message if parsed.choices else None
        value = message.parsed if message is not None else None
        return reply_from(completion, parsed=value if isinstance(value, BaseModel) else None)
