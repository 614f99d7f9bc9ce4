"""Estimated cost of LLM calls from a price table the user can override.

Prices are USD per million tokens: fresh input, cached input and output. The built-in table
covers the default model and a few common ones; ``BRIEFING_PRICES`` names a JSON or TOML
file whose entries replace or extend it, e.g. ``{"my-model": {"input": 0.2,
"cached_input": 0.02, "output": 1.2}}``. An unknown model costs 0 with a warning, never an
error: a price table must not stop a briefing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.errors import ConfigError

__all__ = ["PRICES_ENV", "Price", "PriceTable", "load_price_table"]

PRICES_ENV = "BRIEFING_PRICES"
log = logging.getLogger(__name__)


class Price(BaseModel):
    """USD per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    output: float = Field(ge=0)

    def cost(self, *, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> float:
        """Cached tokens are part of ``prompt_tokens`` (as the API reports them)."""
        cached_rate = self.cached_input if self.cached_input is not None else self.input
        fresh = max(prompt_tokens - cached_tokens, 0)
        total = fresh * self.input + cached_tokens * cached_rate + completion_tokens * self.output
        return total / 1_000_000


# Published list prices (developers.openai.com model pages, November 2026).
_BUILTIN: dict[str, Price] = {
    "gpt-5.6-luna": Price(input=0.20, cached_input=0.02, output=1.20),
    "gpt-5.6-terra": Price(input=2.00, cached_input=0.20, output=12.00),
    "gpt-5.4-mini": Price(input=0.75, cached_input=0.075, output=4.50),
    "gpt-5-nano": Price(input=0.05, cached_input=0.005, output=0.40),
    "gpt-5": Price(input=1.25, cached_input=0.125, output=10.00),
}

_DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")


class PriceTable:
    """Looks a model up by its exact name, then without a dated snapshot suffix."""

    def __init__(self, prices: dict[str, Price]) -> None:
        self.prices = dict(prices)
        self._warned: set[str] = set()

    def lookup(self, model: str) -> Price | None:
        if model in self.prices:
            return self.prices[model]
        return self.prices.get(_DATED.sub("", model))

    def cost(
        self, model: str, *, prompt_tokens: int, cached_tokens: int, completion_tokens: int
    ) -> float:
        """Estimated USD; 0 with a one-time warning for a model the table does not know."""
        price = self.lookup(model)
        if price is None:
            if model not in self._warned:
                self._warned.add(model)
                log.warning("no price for model %r: cost shown as 0 (set %s)", model, PRICES_ENV)
            return 0.0
        return price.cost(
            prompt_tokens=prompt_tokens,
            cached_tokens=cached_tokens,
            completion_tokens=completion_tokens,
        )


def _read_overrides(path: Path) -> dict[str, Price]:
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{PRICES_ENV}={path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw_text) if path.suffix == ".toml" else json.loads(raw_text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{PRICES_ENV}={path}: not valid {path.suffix or 'JSON'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{PRICES_ENV}={path}: expected a table of model -> prices")
    out: dict[str, Price] = {}
    for model, entry in data.items():
        try:
            out[str(model)] = Price.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"{PRICES_ENV}={path}: model {model!r}: {where or 'entry'}: {first['msg']}"
            ) from None
    return out


def load_price_table(path: Path | None = None) -> PriceTable:
    """The built-in prices, overridden by ``path`` or the file named by ``BRIEFING_PRICES``."""
    prices = dict(_BUILTIN)
    if path is None and os.environ.get(PRICES_ENV):
        path = Path(os.environ[PRICES_ENV]).expanduser()
    if path is not None:
        prices.update(_read_overrides(path))
    return PriceTable(prices)
