"""A scriptable OpenAI-compatible chat endpoint on 127.0.0.1, for fault tests and the benchmark.

By default it answers every request with schema-valid, grounded content built from the
section in the prompt (the first sentence of the section, quoted verbatim). A script of
faults, consumed one per request, makes it answer 429 with Retry-After, 500, a malformed
body, unparseable or schema-invalid content, a truncated reply, a refusal, or a 400 that
rejects ``response_format``. ``latency_s`` adds a delay to every call.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FaultKind = Literal[
    "status",
    "content",
    "length",
    "malformed_body",
    "refusal",
    "reject_response_format",
    "hang",
]


@dataclass(frozen=True)
class Fault:
    """One scripted answer: ``kind`` plus what it needs (status, headers, content)."""

    kind: FaultKind
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content: str = ""


def rate_limited(retry_after: str = "0") -> Fault:
    return Fault("status", 429, {"retry-after": retry_after})


def server_error(status: int = 500) -> Fault:
    return Fault("status", status)


_BLOCK = re.compile(
    r"\[lines (?P<a>\d+)-(?P<b>\d+)\] (?P<speaker>[^\n]*?)(?: \((?P<label>[^)\n]*)\))?:\n"
    r"(?P<text>.*?)(?=\n\s*\n\[lines |\n*</section>)",
    re.DOTALL,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_DIGEST_QUOTE = re.compile(r"\|\| quote: (?P<quote>[^\n]+)")


def _first_sentence(text: str) -> str:
    return _SENTENCE.split(" ".join(text.split()))[0]


def _schema_name(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    prompt = body["messages"][-1]["content"]
    for name in ("RemarksOutput", "ExchangeOutput", "GuidanceOutput", "TldrOutput"):
        if f'"title":"{name}"' in prompt:
            return name
    raise ValueError("cannot tell which schema the request wants")


def _section_prompt(body: dict[str, Any]) -> str:
    """The section message: the last user message holding a section (re-asks come after)."""
    for message in reversed(body["messages"]):
        if message["role"] == "user" and "<section>" in message["content"]:
            return str(message["content"])
    return ""


def auto_reply(body: dict[str, Any]) -> dict[str, Any]:
    """A valid, grounded reply for the schema and section that ``body`` asks for."""
    name = _schema_name(body)
    prompt = _section_prompt(body)
    blocks = [m.groupdict() for m in _BLOCK.finditer(prompt)]
    if name == "TldrOutput":
        quotes = [m.group("quote").strip() for m in _DIGEST_QUOTE.finditer(prompt)][:3]
        bullets = [_point(_first_sentence(q), q, None) for q in quotes]
        return {"bullets": bullets}
    if name == "GuidanceOutput":
        return {"items": []}
    if name == "ExchangeOutput":
        asks = [b for b in blocks if b["label"] == "question"]
        answers = [b for b in blocks if b["label"] != "question"]
        question = _first_sentence(asks[0]["text"]) if asks else "(no question)"
        answer = _first_sentence(answers[0]["text"]) if answers else ""
        return {
            "question": question,
            "answer": answer,
            "answer_quote": answer,
            "non_answer": False,
            "figures": [],
            "guidance": [],
            "notable": [],
        }
    sentence = _first_sentence(blocks[0]["text"]) if blocks else ""
    speaker = blocks[0]["speaker"] if blocks else None
    return {
        "bullets": [_point(sentence, sentence, speaker)],
        "figures": [],
        "guidance": [],
        "notable": [],
    }


def _point(text: str, quote: str, speaker: str | None) -> dict[str, Any]:
    return {"text": text, "quote": quote, "speaker": speaker, "line_start": None, "line_end": None}


def completion(
    content: str | None,
    *,
    model: str,
    prompt_tokens: int,
    cached_tokens: int = 0,
    finish_reason: str = "stop",
    refusal: str | None = None,
) -> dict[str, Any]:
    completion_tokens = len(content or "") // 4 + 1
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens},
        },
    }


class FakeOpenAIServer:
    """Serves ``POST /v1/chat/completions`` on an ephemeral port in a background thread."""

    def __init__(
        self, *, latency_s: float = 0.0, faults: list[Fault] | None = None, port: int = 0
    ) -> None:
        self.latency_s = latency_s
        self.faults: deque[Fault] = deque(faults or [])
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.call_seconds = 0.0
        self._lock = threading.Lock()
        self._seen_prefixes: set[str] = set()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.popleft() if self.faults else None

    def _answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        fault = self._next_fault()
        model = str(body.get("model", "fake"))
        messages = body.get("messages", [])
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in messages) // 4 + 1
        prefix = json.dumps(messages[:2])
        with self._lock:
            cached = len(prefix) // 4 if prefix in self._seen_prefixes else 0
            self._seen_prefixes.add(prefix)
        if fault is None or fault.kind == "reject_response_format":
            fmt = body.get("response_format") or {}
            if fault is not None and fmt.get("type") == "json_schema":
                error = {"error": {"message": "response_format json_schema is not supported"}}
                return 400, {}, json.dumps(error).encode()
            content = json.dumps(auto_reply(body))
            reply = completion(
                content, model=model, prompt_tokens=prompt_tokens, cached_tokens=cached
            )
            return 200, {}, json.dumps(reply).encode()
        if fault.kind == "status":
            error = {"error": {"message": f"scripted HTTP {fault.status}", "type": "fake"}}
            return fault.status, fault.headers, json.dumps(error).encode()
        if fault.kind == "malformed_body":
            return 200, {}, b'{"id": "chatcmpl-broken", "choices": [ {"mess'
        if fault.kind == "hang":
            time.sleep(float(fault.content or "5"))
            return 500, {}, b"{}"
        if fault.kind == "length":
            reply = completion(
                fault.content or '{"bullets": [{"text": "cut',
                model=model,
                prompt_tokens=prompt_tokens,
                finish_reason="length",
            )
            return 200, {}, json.dumps(reply).encode()
        if fault.kind == "refusal":
            reply = completion(
                None, model=model, prompt_tokens=prompt_tokens, refusal=fault.content or "no"
            )
            return 200, {}, json.dumps(reply).encode()
        reply = completion(fault.content, model=model, prompt_tokens=prompt_tokens)
        return 200, fault.headers, json.dumps(reply).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read ``server.requests`` instead."""

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                started = time.monotonic()
                with server._lock:
                    server.requests.append(body)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    if server.latency_s:
                        time.sleep(server.latency_s)
                    status, headers, payload = server._answer(body)
                finally:
                    with server._lock:
                        server.in_flight -= 1
                        server.call_seconds += time.monotonic() - started
                with server._lock:
                    server.statuses.append(status)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


_NAMED_FAULTS: dict[str, Fault] = {
    "429": rate_limited("1"),
    "500": server_error(500),
    "bad-json": Fault("content", content="Sure! {"),
    "malformed": Fault("malformed_body"),
    "length": Fault("length"),
}


def main() -> None:
    """Serve on a fixed port for manual checks; SIGTERM or Ctrl-C prints what it saw."""
    import argparse
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument(
        "--faults", default="", help=f"comma-separated, in order: {', '.join(_NAMED_FAULTS)}"
    )
    args = parser.parse_args()
    faults = [_NAMED_FAULTS[name] for name in args.faults.split(",") if name]
    server = FakeOpenAIServer(latency_s=args.latency, faults=faults, port=args.port)
    print(f"serving {server.url} (Ctrl-C stops)", flush=True)
    with server:
        try:
            while server._thread.is_alive():
                server._thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            print(f"{len(server.requests)} requests, statuses {server.statuses}", flush=True)


if __name__ == "__main__":
    main()
