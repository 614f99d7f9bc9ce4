"""Fictional briefings and real local servers (Slack over HTTP, SMTP) for delivery tests."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefing.schemas import (
    Briefing,
    GuidanceItem,
    Header,
    KeyFigure,
    Notable,
    Point,
    QAItem,
    Usage,
)
from briefing.transcript.model import Participant


def make_briefing(
    company: str = "Acme Widgets",
    period: str = "Q2 2026",
    *,
    revenue: str = "$1.20 billion",
    question: str = "How durable is the widget demand into the second half?",
    n_qa: int = 2,
) -> Briefing:
    """A small but complete briefing of a fictional call."""
    quote = f"Revenue was {revenue}, up 8% year over year."
    return Briefing(
        header=Header(
            company=company,
            fiscal_period=period,
            call_date=date(2026, 7, 30),
            title=f"{company} {period} Earnings Call",
            executives=[Participant(name="Jane Roe", title="CEO", role="ceo")],
            analysts=[Participant(name="Sam Poe", affiliation="Fictive Securities")],
            source=f"{company.lower().replace(' ', '-')}.txt",
            layout="plain",
        ),
        tldr=[
            Point(
                text=f"Revenue {revenue}, +8% YoY",
                quote=quote,
                speaker="Jane Roe",
                line_start=5,
                line_end=5,
            )
        ],
        figures=[
            KeyFigure(
                metric="Revenue",
                value=revenue,
                comparison="+8% YoY",
                gaap="gaap",
                speaker="Jane Roe",
                quote=quote,
                computed=False,
                line_start=5,
                line_end=5,
            )
        ],
        guidance=[
            GuidanceItem(
                metric="Revenue",
                period="Q3 2026",
                text="$1.25 billion to $1.30 billion",
                low=1.25,
                high=1.30,
                value=None,
                unit="billion",
                currency="USD",
                basis="absolute",
                gaap="gaap",
                direction=None,
                status="new",
                speaker="Jane Roe",
                quote="We expect revenue of $1.25 billion to $1.30 billion in Q3.",
                line_start=9,
                line_end=9,
            )
        ],
        ceo_remarks=[
            Point(
                text="Demand stayed firm", quote=quote, speaker="Jane Roe", line_start=5, line_end=5
            )
        ],
        cfo_remarks=[],
        other_remarks=[],
        qa=[
            QAItem(
                index=i,
                analyst="Sam Poe",
                firm="Fictive Securities",
                question=question if i == 1 else f"Follow-up question number {i} on margins?",
                answer="Demand is steady and orders are booked through September.",
                answered_by=["Jane Roe"],
                via=None,
                non_answer=False,
                question_lines=(20 + i, 20 + i),
                answer_lines=(22 + i, 22 + i),
            )
            for i in range(1, n_qa + 1)
        ],
        notable=[
            Notable(
                kind="capital_return",
                text="New $200 million buyback",
                speaker="Jane Roe",
                quote="The board approved a new $200 million buyback.",
                line_start=11,
                line_end=11,
            )
        ],
        warnings=[],
        usage=Usage(engine="offline"),
        generated_at=datetime(2026, 7, 30, 18, 0, tzinfo=UTC),
    )


@dataclass
class Received:
    """One request that reached the Slack stand-in."""

    path: str
    headers: dict[str, str]
    body: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


class SlackStub:
    """A real HTTP server on 127.0.0.1 standing in for a Slack webhook and the Web API.

    The first request is answered 429 with Retry-After: 1 (when ``rate_limit_first``);
    ``fail_with`` makes every request after the first ``fail_after`` fail with (status, body).
    """

    def __init__(
        self,
        *,
        rate_limit_first: bool = True,
        fail_with: tuple[int, str] | None = None,
        fail_after: int = 0,
    ) -> None:
        self.requests: list[Received] = []
        self.rate_limit_first = rate_limit_first
        self.fail_with = fail_with
        self.fail_after = fail_after
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                stub.requests.append(Received(self.path, dict(self.headers.items()), body))
                if stub.rate_limit_first and len(stub.requests) == 1:
                    self._reply(429, "rate_limited", {"Retry-After": "1"})
                elif stub.fail_with is not None and len(stub.requests) > stub.fail_after:
                    self._reply(*stub.fail_with)
                elif self.path.endswith("/chat.postMessage"):
                    ts = f"1785430800.{len(stub.requests):06d}"
                    self._reply(200, json.dumps({"ok": True, "channel": "C0FAKE", "ts": ts}))
                else:
                    self._reply(200, "ok")

            def _reply(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                is_json = body.startswith("{")
                self.send_header("Content-Type", "application/json" if is_json else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads ``requests`` instead."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.base}/services/T0FAKE/B0FAKE/fakesecret"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def posted(self) -> list[dict[str, Any]]:
        """The payloads that were accepted (the 429 answered one is left out)."""
        skip = 1 if self.rate_limit_first else 0
        return [r.json() for r in self.requests[skip:]]

    def __enter__(self) -> SlackStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    ``security`` "starttls" offers (and requires) STARTTLS, "ssl" speaks TLS from the first
    byte, both with a certificate from ``ca``; ``users`` turns on AUTH with those passwords.
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        security: str = "none",
        ca: trustme.CA | None = None,
        users: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.security = security
        self.ca = ca
        self.users = users
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self.messages.append(BytesParser(policy=policy.default).parsebytes(raw))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def _authenticate(
        self, server: object, session: object, envelope: object, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and (self.users or {}).get(data.login.decode()) == data.password.decode()
        )
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    def start(self) -> SmtpSink:
        kwargs: dict[str, Any] = {}
        if self.security != "none":
            assert self.ca is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ca.issue_cert("127.0.0.1").configure_cert(context)
            if self.security == "ssl":
                # aiosmtpd counts only STARTTLS as TLS when offering AUTH.
                kwargs |= {"ssl_context": context, "auth_require_tls": False}
            else:
                kwargs |= {"tls_context": context, "require_starttls": True}
        if self.users is not None:
            kwargs |= {"authenticator": self._authenticate, "auth_required": True}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def env(self) -> dict[str, str]:
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": self.security,
            "BRIEFING_FROM": "briefings@example.com",
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def limits_violations(payload: dict[str, Any]) -> list[str]:
    """Block Kit limits a posted payload breaks (checked here, independent of the code)."""
    problems: list[str] = []
    if not str(payload.get("text") or "").strip():
        problems.append("no fallback text")
    blocks = payload.get("blocks") or []
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks")
    total = len(str(payload.get("text") or ""))
    for block in blocks:
        texts: list[str] = []
        if isinstance(block.get("text"), dict):
            texts.append(block["text"]["text"])
        texts += [f["text"] for f in block.get("fields") or []]
        texts += [e["text"] for e in block.get("elements") or [] if "text" in e]
        total += sum(len(t) for t in texts)
        limit = 150 if block["type"] == "header" else 3000
        problems += [f"{block['type']} of {len(t)} chars" for t in texts if len(t) > limit]
    if total > 12_000:
        problems.append(f"{total} chars in all")
    return problems


def all_text(payload: dict[str, Any]) -> str:
    """Every string in a payload, joined (to look for what must not reach Slack raw)."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    return "\n".join(out)


TRANSCRIPT = """REFINITIV STREETEVENTS

EDITED TRANSCRIPT

Q1 2027 {upper} INC EARNINGS CALL

EVENT DATE/TIME: April 22, 2027 / 9:00PM UTC

(Fictional transcript written for the briefing tests: the company, the people and every \
figure are invented.)

CORPORATE PARTICIPANTS

- **Hank Scorpio** *{company} Inc - Chief Executive Officer*
- **Mindy Simmons** *{company} Inc - Chief Financial Officer*

CONFERENCE CALL PARTICIPANTS

- **Operator**
- **Frank Grimes** *Springfield Capital - Analyst*

PRESENTATION

Operator

Good afternoon, and welcome to the {company} first-quarter 2027 earnings call. I would now \
like to hand the call over to Hank Scorpio, Chief Executive Officer.

Hank Scorpio *{company} Inc - Chief Executive Officer*

Thank you. Revenue grew 12% year over year to {revenue}, a record first quarter. We shipped \
1.3 million units.

Mindy Simmons *{company} Inc - Chief Financial Officer*

Gross margin was 41.5%, up 120 basis points. For the second quarter we expect revenue of \
$660 million to $680 million.

QUESTIONS AND ANSWERS

Operator

Our first question comes from Frank Grimes with Springfield Capital.

Frank Grimes *Springfield Capital - Analyst*

{question}

Hank Scorpio *{company} Inc - Chief Executive Officer*

Europe grew 9% in the quarter, and orders in April are ahead of plan.

Operator

This concludes today's call.
"""


def write_transcript(
    path: Path,
    company: str = "Globex Gadgets",
    *,
    revenue: str = "$640 million",
    question: str = "Hi, thanks. Can you talk about demand in Europe?",
) -> Path:
    """A short fictional call in the StreetEvents layout."""
    path.write_text(
        TRANSCRIPT.format(
            company=company, upper=company.upper(), revenue=revenue, question=question
        ),
        encoding="utf-8",
    )
    return path
