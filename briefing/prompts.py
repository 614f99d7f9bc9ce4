"""Prompt templates: jinja2 files in ``prompts/``, never strings in Python.

A source checkout reads ``<repo>/prompts``; an installed wheel carries the same files as
``briefing/_prompts`` (pyproject force-includes them). ``StrictUndefined`` turns a missing
variable into an error at render time instead of a silently empty prompt.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from briefing.errors import ConfigError

__all__ = ["prompt_dir", "prompt_names", "render_prompt"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def prompt_dir() -> Path:
    """The folder holding the ``*.j2`` prompt templates (wheel first, then checkout)."""
    for candidate in (_PACKAGE_DIR / "_prompts", _PACKAGE_DIR.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"prompt templates not found next to {_PACKAGE_DIR}; reinstall briefing")


@cache
def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def prompt_names() -> list[str]:
    """The template names available, without the ``.j2`` suffix."""
    return sorted(p.stem for p in prompt_dir().glob("*.j2"))


def render_prompt(name: str, **context: Any) -> str:
    """Render ``prompts/<name>.j2``; a missing template or variable is a ConfigError."""
    env = _environment(prompt_dir())
    try:
        template = env.get_template(f"{name}.j2")
        return template.render(**context).strip()
    except jinja2.TemplateNotFound:
        raise ConfigError(f"prompt template '{name}.j2' not found in {prompt_dir()}") from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"prompt template '{name}.j2': {exc.message}") from None
