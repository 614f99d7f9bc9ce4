"""``briefing parse``: outline, JSON, JSON Lines, batches with a bad file, --layout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
runner = CliRunner()


def test_outline_names_roles_sections_and_exchanges() -> None:
    result = runner.invoke(app, ["parse", str(FIXTURES / "refinitiv_interpreted.txt")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "company: Lumora Holdings | period: Q3 2024 | date: 2024-11-12" in out
    assert "Wei Tang" in out and "CEO" in out and "CFO" in out
    assert "Presentation" in out and "Q&A" in out and "words" in out
    assert (
        "1. Peter Holm (Northbridge Securities), 1 follow-up: answered by Wei Tang, "
        "Daniel Roe, as translated by Ivy Chen" in out
    )
    assert "2. Sara Quint (Halden Capital)" in out


def test_json_for_one_file_is_one_document() -> None:
    result = runner.invoke(app, ["parse", "--json", str(FIXTURES / "streetevents.txt")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["layout"] == "streetevents"
    assert {"name", "affiliation", "title", "role"} <= set(doc["participants"][0])
    first = doc["exchanges"][0]
    assert (first["name"], first["firm"]) == ("Grace Liu", "Kestrel Partners")
    assert first["questions"] and first["answers"]
    assert "source_lines" not in doc


def test_json_lines_for_several_files_and_a_bad_one_in_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    files = [FIXTURES / "plain.txt", empty, tmp_path / "missing.txt", FIXTURES / "asr.txt"]
    result = runner.invoke(app, ["parse", "--json", *map(str, files)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["layout"] for line in lines] == ["plain", "asr"]
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"briefing: error: {empty}: file is empty",
        f"briefing: error: {tmp_path / 'missing.txt'}: no such file",
    ]


def test_truncated_file_warns_on_stderr() -> None:
    result = runner.invoke(app, ["parse", str(FIXTURES / "truncated.txt")])
    assert result.exit_code == 0
    assert "no Q&A section found" in result.stderr
    assert "Exchanges (0)" in result.stdout


def test_layout_option() -> None:
    path = str(FIXTURES / "plain.txt")
    forced = runner.invoke(app, ["parse", "--layout", "asr", path])
    assert forced.exit_code == 2
    assert "no speaker turns found" in forced.stderr
    unknown = runner.invoke(app, ["parse", "--layout", "teletype", path])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == (
        "briefing: error: unknown layout 'teletype' (choose from refinitiv, streetevents,"
        " streetevents-brief, motley-fool, plain, asr)"
    )


def test_parse_as_a_subprocess(tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.cli",
            "parse",
            str(FIXTURES / "motley_fool.txt"),
            str(binary),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "Exchanges (2)" in proc.stdout
    assert proc.stderr.strip() == f"briefing: error: {binary}: binary file, not a text transcript"
    assert "Traceback" not in proc.stderr
