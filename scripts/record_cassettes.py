"""Re-record the LLM contract cassettes from a real llama-server on this machine.

    .venv/bin/python scripts/record_cassettes.py --server PATH/TO/llama-server --model SmolLM2.gguf

Starts ``llama-server`` on 127.0.0.1:8089 with the given GGUF model, runs every scenario of
``tests/llm_contract_scenarios.py`` with vcrpy recording, and stops the server. Requests are
scrubbed of Authorization and every identifying header before they are written. How to get
the server and the model: see "Re-recording the cassettes" in README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from llm_contract_scenarios import (  # noqa: E402  (needs the tests folder on the path)
    BASE_URL,
    CASSETTES,
    PLACEHOLDER_KEY,
    SCENARIOS,
    recorder,
)


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"llama-server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"llama-server did not become healthy within {timeout_s:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, type=Path, help="the llama-server binary")
    parser.add_argument("--model", required=True, type=Path, help="a GGUF chat model")
    parser.add_argument("--only", action="append", help="record only this scenario")
    args = parser.parse_args()
    port = BASE_URL.split(":")[2].split("/")[0]
    command = [
        str(args.server),
        "--model", str(args.model),
        "--host", "127.0.0.1",
        "--port", port,
        "--ctx-size", "8192",
        "--parallel", "1",
        "--threads", "2",
        "--seed", "42",
        "--no-webui",
    ]  # fmt: skip
    CASSETTES.mkdir(exist_ok=True)
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(BASE_URL.removesuffix("/v1") + "/health", server, 120)
        for name, scenario in SCENARIOS.items():
            if args.only and name not in args.only:
                continue
            cassette = CASSETTES / f"{name}.yaml"
            cassette.unlink(missing_ok=True)
            with recorder("all").use_cassette(cassette.name):
                outcome = asyncio.run(scenario())
            text = cassette.read_text(encoding="utf-8")
            if PLACEHOLDER_KEY in text or "authorization" in text.lower():
                cassette.unlink()
                raise SystemExit(f"{cassette.name}: a credential reached the cassette; removed")
            usage = outcome.engine.usage()
            status = "ok" if outcome.error is None else f"error: {outcome.error}"
            print(f"{cassette.name}: {usage.calls} call(s), {status}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
