"""JSON output and the published JSON Schema stay in step with the Briefing model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from briefing_factory import full_briefing, llm_usage, minimal_briefing

from briefing.errors import ConfigError
from briefing.render import briefing_json_schema, render, render_json
from briefing.schemas import Briefing

PUBLISHED = Path(__file__).parent.parent / "docs" / "briefing.schema.json"


def test_published_schema_matches_the_model() -> None:
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published == briefing_json_schema(), (
        "docs/briefing.schema.json is stale: run .venv/bin/python scripts/make_examples.py"
    )


def _check(value: Any, schema: dict[str, Any], defs: dict[str, Any], path: str) -> None:
    """Just enough of JSON Schema to catch drift: objects, refs, arrays, unions."""
    if "$ref" in schema:
        _check(value, defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    elif "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                _check(value, option, defs, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: no anyOf option matches: {errors}")
    elif schema.get("type") == "object":
        assert isinstance(value, dict), path
        props = schema.get("properties", {})
        assert set(schema.get("required", [])) <= set(value), path
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(props), (path, set(value) - set(props))
        for key, item in value.items():
            if key in props:
                _check(item, props[key], defs, f"{path}.{key}")
    elif schema.get("type") == "array":
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            sub = schema.get("prefixItems", [])
            _check(item, sub[i] if i < len(sub) else schema.get("items", {}), defs, f"{path}[{i}]")
    elif "enum" in schema:
        assert value in schema["enum"], (path, value)
    elif "type" in schema:
        kinds: dict[str, type | tuple[type, ...]] = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "null": type(None),
        }
        assert isinstance(value, kinds[schema["type"]]), (path, value, schema["type"])


@pytest.mark.parametrize("b", [full_briefing(usage=llm_usage()), minimal_briefing()])
def test_json_output_conforms_to_the_schema_and_round_trips(b: Briefing) -> None:
    text = render_json(b)
    schema = briefing_json_schema()
    _check(json.loads(text), schema, schema["$defs"], "$")
    assert Briefing.model_validate_json(text) == b


def test_schema_checker_rejects_drift() -> None:
    data = json.loads(render_json(full_briefing()))
    data["figures"][0]["surprise"] = 1
    schema = briefing_json_schema()
    with pytest.raises(AssertionError):
        _check(data, schema, schema["$defs"], "$")


def test_render_dispatches_by_format() -> None:
    b = full_briefing()
    assert render(b, "md", cite=True).startswith("# Northwind Robotics")
    assert "[L40]" in render(b, "md", cite=True)
    assert render(b, "html").startswith("<!DOCTYPE html>")
    assert json.loads(render(b, "json"))["header"]["company"] == "Northwind Robotics"
    with pytest.raises(ConfigError, match="unknown format 'pdf'"):
        render(b, "pdf")  # type: ignore[arg-type]
