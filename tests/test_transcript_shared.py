"""The real transcripts and gold sheets in ../shared, when this checkout has them.

The rest of the suite runs on fictional transcripts; this runs scripts/eval_parse.py's
checks (gold exchanges and CEO/CFO/IR found, no text lost, exact line ranges) on the real
ones, which are third-party texts kept outside the project.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(
    not (SHARED / "transcripts").is_dir(), reason="../shared is not in this checkout"
)


def test_reader_passes_every_check_on_the_real_transcripts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("eval_parse", ROOT / "scripts" / "eval_parse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    status = module.main(["eval_parse.py", str(SHARED)])
    report = capsys.readouterr().out
    assert status == 0, report
    assert "0 failed checks" in report
