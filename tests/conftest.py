"""Shared fixtures: every test gets its own user-data folder, so none touches the real one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"
SHARED = Path(__file__).parent.parent.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "briefing-home"
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    yield home
