"""Prompt templates: found from a checkout or a wheel, strict about missing variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing import prompts
from briefing.errors import ConfigError

SECTION_TEMPLATES = ("remarks", "exchange", "guidance", "tldr")


def test_every_section_template_renders() -> None:
    block = {"line_start": 3, "line_end": 4, "speaker": "Ada", "label": "CEO", "text": "Hello."}
    common: dict[str, Any] = {"part": None, "json_schema": None, "blocks": [block]}
    contexts: dict[str, dict[str, Any]] = {
        "remarks": {**common, "group_label": "CEO"},
        "exchange": {
            **common,
            "index": 1,
            "analyst": "Theo",
            "firm": None,
            "answered_by": "Ada",
            "via": None,
        },
        "guidance": common,
        "tldr": {"json_schema": None, "digest": [{"text": "Revenue up", "quote": "Rev."}]},
    }
    for name in SECTION_TEMPLATES:
        text = prompts.render_prompt(name, **contexts[name])
        assert text.startswith("Section:"), name
    remarks = prompts.render_prompt("remarks", **contexts["remarks"])
    assert "[lines 3-4] Ada (CEO):\nHello." in remarks


def test_json_object_mode_puts_the_schema_last() -> None:
    text = prompts.render_prompt(
        "guidance", part=None, blocks=[], json_schema='{"title":"GuidanceOutput"}'
    )
    assert text.endswith('{"title":"GuidanceOutput"}')


def test_system_prompt_is_static_and_states_the_rules() -> None:
    system = prompts.render_prompt("system")
    assert "only the transcript" in system and "exactly as written" in system
    assert "{{" not in system


def test_missing_variable_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"remarks\.j2"):
        prompts.render_prompt("remarks", part=None, json_schema=None, blocks=[])


def test_missing_template_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"nope\.j2"):
        prompts.render_prompt("nope")


def test_prompt_names_lists_the_templates() -> None:
    names = prompts.prompt_names()
    assert {"system", "context", "reask", *SECTION_TEMPLATES} <= set(names)


def test_installed_layout_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a wheel the templates live in briefing/_prompts (pyproject force-includes them)."""
    package = tmp_path / "briefing"
    (package / "_prompts").mkdir(parents=True)
    (package / "_prompts" / "system.j2").write_text("installed {{ 1 + 1 }}", encoding="utf-8")
    monkeypatch.setattr(prompts, "_PACKAGE_DIR", package)
    assert prompts.prompt_dir() == package / "_prompts"
    assert prompts.render_prompt("system") == "installed 2"


def test_no_templates_anywhere_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "_PACKAGE_DIR", tmp_path / "site-packages" / "briefing")
    with pytest.raises(ConfigError, match="reinstall"):
        prompts.prompt_dir()
