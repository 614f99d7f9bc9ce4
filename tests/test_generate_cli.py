"""``briefing generate``: one file to the terminal, batches to a folder, errors in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.engines import select_engine
from briefing.engines.offline import OfflineEngine
from briefing.errors import ConfigError
from briefing.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "generate" / "harbor-lights-2026q3.txt"
runner = CliRunner()


def test_one_file_prints_markdown_and_names_the_engine() -> None:
    result = runner.invoke(app, ["generate", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Harbor Lights · Q3 2026 earnings call")
    assert "- **Revenue**: $2.48 billion (up 12.5% YoY)" in result.stdout
    assert "engine: offline (no OPENAI_API_KEY or OPENAI_BASE_URL set)" in result.stderr


def test_generated_briefing_is_stored_unless_no_store() -> None:
    assert runner.invoke(app, ["generate", str(FIXTURE)]).exit_code == 0
    with Store.open() as store:
        rows = store.list_briefings()
    assert [r.company for r in rows] == ["Harbor Lights"]
    assert rows[0].source == str(FIXTURE)
    assert runner.invoke(app, ["generate", "--no-store", str(FIXTURE)]).exit_code == 0
    with Store.open() as store:
        assert len(store.list_briefings()) == 1


def test_json_to_a_file_with_citations(tmp_path: Path) -> None:
    target = tmp_path / "b.json"
    result = runner.invoke(
        app, ["generate", str(FIXTURE), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["header"]["company"] == "Harbor Lights"
    assert all(f["line_start"] for f in doc["figures"])
    cited = runner.invoke(app, ["generate", "--cite", "--no-store", str(FIXTURE)])
    assert "[L" in cited.stdout


def test_batch_goes_to_a_folder_and_a_bad_file_does_not_stop_it(tmp_path: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["generate", str(FIXTURE), str(empty), str(second), "-o", str(out), "-f", "html"],
    )
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["harbor-lights-2026q3.html", "second.html"]
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "empty.txt" in errors[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format must be md, html or json"),
        (["--engine", "gpt"], "--engine must be auto, offline or openai"),
    ],
)
def test_bad_options_are_one_line_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["generate", str(FIXTURE), *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"briefing: error: {message}, got {args[1]!r}"


def test_missing_file_is_exit_2_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "generate", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith("nope.txt: no such file")
    assert "Traceback" not in result.stderr


def test_auto_picks_the_llm_engine_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(select_engine("auto"), OfflineEngine)
    assert isinstance(select_engine("offline", base_url="http://127.0.0.1:9"), OfflineEngine)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    engine = select_engine("auto", model="tiny-model")
    assert engine.name == "openai" and engine.model == "tiny-model"
    with pytest.raises(ConfigError, match="unknown engine"):
        select_engine("gpt")


def test_openai_without_configuration_is_a_config_error() -> None:
    result = runner.invoke(app, ["generate", "--engine", "openai", str(FIXTURE)])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr


def test_several_files_without_output_print_markdown_or_ask_for_a_folder(
    tmp_path: Path,
) -> None:
    second = tmp_path / "second.txt"
    second.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["generate", "--no-store", str(FIXTURE), str(second)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("# Harbor Lights · Q3 2026 earnings call") == 2
    as_json = runner.invoke(app, ["generate", "-f", "json", str(FIXTURE), str(second)])
    assert as_json.exit_code == 2
    assert "give --output FOLDER" in as_json.stderr
