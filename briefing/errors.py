"""The exception tree of briefing.

Every error the tool raises on purpose derives from ``BriefingError``. The CLI turns them
into one line on stderr and an exit code; anything else is a bug.

    BriefingError
    ├── UserError                 bad input or bad configuration; exit code 2
    │   ├── InputError            a transcript file that cannot be read as a transcript
    │   └── ConfigError           a missing or contradictory setting
    └── BriefingRuntimeError      the world failed us; exit code 1
        ├── EngineError           an LLM endpoint failed after its retries
        │   └── OutputInvalidError  the model's output stayed invalid after re-asks
        ├── StoreError            the local store could not be read or written
        └── DeliveryError         Slack or SMTP refused or could not be reached
"""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Root of every error the tool raises on purpose."""

    exit_code = 1


class UserError(BriefingError):
    """The user can fix this: a bad file, a bad flag, a missing setting."""

    exit_code = 2


class InputError(UserError):
    """A file that cannot be read as a transcript; names the file and the reason."""

    def __init__(self, source: str | Path | None, reason: str) -> None:
        self.source = str(source) if source is not None else None
        self.reason = reason
        super().__init__(f"{self.source}: {reason}" if self.source else reason)


class ConfigError(UserError):
    """A setting is missing, malformed or contradicts another."""


class BriefingRuntimeError(BriefingError):
    """Something outside the user's input failed: an endpoint, the store, a delivery."""

    exit_code = 1


class EngineError(BriefingRuntimeError):
    """An engine could not produce a section; carries attempts and tokens spent."""

    def __init__(self, message: str, *, attempts: int = 0, tokens: int = 0) -> None:
        self.attempts = attempts
        self.tokens = tokens
        super().__init__(message)


class OutputInvalidError(EngineError):
    """The model's output failed validation or grounding after every re-ask."""


class StoreError(BriefingRuntimeError):
    """The SQLite store could not be opened, migrated, read or written."""


class DeliveryError(BriefingRuntimeError):
    """A delivery (Slack, SMTP) failed after its retries."""
