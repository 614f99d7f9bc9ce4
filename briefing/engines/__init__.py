"""Engines turn transcript sections into section outputs; ``select_engine`` picks one.

The LLM engine is imported only when it is chosen, so the offline path never loads the
``openai`` SDK.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from briefing.engines.base import Engine
from briefing.engines.offline import OfflineEngine
from briefing.errors import ConfigError

if TYPE_CHECKING:
    from briefing.engines.llm import ResponseCache

__all__ = ["Engine", "EngineName", "OfflineEngine", "llm_configured", "select_engine"]

EngineName = Literal["auto", "offline", "openai"]
ENGINE_NAMES: tuple[str, ...] = ("auto", "offline", "openai")


def llm_configured(base_url: str | None = None) -> bool:
    """True when an LLM endpoint is configured: a key, a base URL, or ``base_url`` given."""
    return bool(base_url or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def select_engine(
    name: str = "auto",
    *,
    base_url: str | None = None,
    model: str | None = None,
    concurrency: int = 8,
    cache: ResponseCache | None = None,
    api_key: str | None = None,
) -> Engine:
    """The engine ``name`` asks for; ``auto`` is the LLM engine when one is configured
    (``OPENAI_API_KEY`` or ``OPENAI_BASE_URL``, or ``base_url``) and offline otherwise.

    ``cache`` is a ``ResponseCache`` (``cache_get``/``cache_put``), used by the LLM engine.
    """
    if name not in ENGINE_NAMES:
        raise ConfigError(f"unknown engine {name!r} (choose from {', '.join(ENGINE_NAMES)})")
    if name == "offline" or (name == "auto" and not llm_configured(base_url)):
        return OfflineEngine()
    from briefing.engines.llm import create_llm_engine

    return create_llm_engine(
        base_url=base_url,
        model=model,
        concurrency=concurrency,
        cache=cache,
        api_key=api_key,
    )
