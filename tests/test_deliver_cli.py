"""`briefing list`, `briefing slack` and `briefing digest` as a user runs them."""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from delivery_fixtures import (
    SlackStub,
    SmtpSink,
    all_text,
    free_port,
    limits_violations,
    make_briefing,
    write_transcript,
)
from typer.testing import CliRunner

from briefing.cli import app
from briefing.deliver.slack import SlackTarget
from briefing.store import Store

runner = CliRunner()


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


def _save(*companies: str) -> list[int]:
    with Store.open() as store:
        return [
            store.save_briefing(make_briefing(c), source=f"{c}.txt", source_hash=None)
            for c in companies
        ]


def test_list_empty_then_stored() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "No briefings stored" in result.output
    ids = _save("Acme Widgets", "Globex Gadgets")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == str(ids[0]) and "Acme Widgets" in lines[0]
    assert "Q2 2026" in lines[0] and "offline" in lines[0] and "Acme Widgets.txt" in lines[0]
    only = runner.invoke(app, ["list", "--company", "globex"])
    assert only.output.count("\n") == 1 and "Globex" in only.output


def test_slack_posts_a_briefing_json_once(tmp_path: Path) -> None:
    (stored_id,) = _save("Acme Widgets")  # as `briefing generate` would have
    path = tmp_path / "acme.json"
    path.write_text(make_briefing().model_dump_json(), encoding="utf-8")
    with SlackStub(rate_limit_first=False) as stub:
        first = runner.invoke(app, ["slack", str(path), "--webhook", stub.webhook_url])
        assert first.exit_code == 0, first.output
        with Store.open() as store:
            (record,) = store.deliveries("slack", SlackTarget("webhook", stub.webhook_url).key)
        assert record.status == "sent" and record.briefing_ids == (stored_id,)
        assert "Posted Acme Widgets Q2 2026 to the webhook …cret" in first.output
        n = len(stub.requests)
        again = runner.invoke(app, ["slack", str(path), "--webhook", stub.webhook_url])
        assert again.exit_code == 2
        assert again.stderr.strip().startswith("briefing: error: this briefing was already")
        assert len(again.stderr.strip().splitlines()) == 1
        assert len(stub.requests) == n
        forced = runner.invoke(app, ["slack", str(path), "--webhook", stub.webhook_url, "--force"])
        assert forced.exit_code == 0 and len(stub.requests) == 2 * n


def test_slack_reads_the_webhook_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "acme.json"
    path.write_text(make_briefing().model_dump_json(), encoding="utf-8")
    with SlackStub(rate_limit_first=False) as stub:
        monkeypatch.setenv("SLACK_WEBHOOK_URL", stub.webhook_url)
        result = runner.invoke(app, ["slack", str(path)])
        assert result.exit_code == 0, result.output
        assert stub.requests


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"header": {}, "tldr": [], "qa": [], "generated_at": "x"}', "not a valid briefing"),
        ("{not json", "not valid JSON"),
    ],
)
def test_slack_bad_briefing_json_is_a_one_line_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["slack", str(path), "--webhook", "http://127.0.0.1:9/x"])
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_slack_without_destination_or_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text(make_briefing().model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["slack", str(path)])
    assert result.exit_code == 2 and "no Slack destination" in result.stderr
    missing = runner.invoke(app, ["slack", str(tmp_path / "nope.txt"), "--webhook", "http://h/"])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_slack_unreachable_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text(make_briefing().model_dump_json(), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}/hook"
    result = runner.invoke(app, ["slack", str(path), "--webhook", url])
    assert result.exit_code == 1
    assert result.stderr.startswith("briefing: error: cannot reach Slack")


def test_digest_sends_once_then_says_nothing_to_send(sink: SmtpSink) -> None:
    _save("Acme Widgets", "Globex Gadgets")
    result = runner.invoke(app, ["digest", "--to", "desk@example.com,pm@example.com"])
    assert result.exit_code == 0, result.output
    assert "Sent 'Earnings briefings: 2 calls" in result.output
    assert "Acme Widgets, Globex Gadgets" in result.output
    assert len(sink.messages) == 1
    again = runner.invoke(app, ["digest", "--to", "pm@example.com, desk@example.com"])
    assert again.exit_code == 0
    assert again.output.strip() == (
        "Nothing to send to desk@example.com, pm@example.com: no new briefings since the "
        "last digest."
    )
    assert len(sink.messages) == 1


def test_digest_dry_run_writes_files(sink: SmtpSink, tmp_path: Path) -> None:
    _save("Acme Widgets")
    out = tmp_path / "preview"
    result = runner.invoke(app, ["digest", "--to", "d@example.com", "--dry-run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "nothing sent" in result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".eml", ".html"]
    assert sink.messages == []
    blocked = tmp_path / "file"
    blocked.write_text("")
    bad = runner.invoke(
        app, ["digest", "--to", "d@example.com", "--dry-run", "--out", str(blocked)]
    )
    assert bad.exit_code == 2 and "cannot write the preview to" in bad.stderr


def test_digest_smtp_down_exits_1_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _save("Acme Widgets")
    for name, value in SmtpSink(free_port()).env().items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["digest", "--to", "d@example.com"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("briefing: error: cannot send through the SMTP server 127.0.0.1")
    assert line.endswith("will go out in the next successful digest")


def test_digest_pending_attempt_blocks_until_resolved(sink: SmtpSink) -> None:
    ids = _save("Acme Widgets")
    with Store.open() as store:
        store.begin_delivery("email", "d@example.com", briefing_ids=ids)
    blocked = runner.invoke(app, ["digest", "--to", "d@example.com"])
    assert blocked.exit_code == 1
    assert "never confirmed" in blocked.stderr and "--mark-sent" in blocked.stderr
    assert sink.messages == []
    resolved = runner.invoke(app, ["digest", "--to", "d@example.com", "--resend-pending"])
    assert resolved.exit_code == 0, resolved.output
    assert "released for resending" in resolved.output
    assert len(sink.messages) == 1
    again = runner.invoke(app, ["digest", "--to", "d@example.com", "--mark-sent"])
    assert again.output.splitlines()[0] == "No unconfirmed digest attempt to resolve."


def test_digest_configuration_errors_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    no_host = runner.invoke(app, ["digest", "--to", "d@example.com"])
    assert no_host.exit_code == 2 and "SMTP_HOST is not set" in no_host.stderr
    bad_to = runner.invoke(app, ["digest", "--to", "desk", "--dry-run"])
    assert bad_to.exit_code == 2 and "not an email address" in bad_to.stderr
    bad_since = runner.invoke(app, ["digest", "--to", "d@example.com", "--since", "x", "--dry-run"])
    assert bad_since.exit_code == 2 and "--since 'x'" in bad_since.stderr


HOSTILE_QUESTION = (
    "Hi, thanks. Can you talk about demand in Europe for <!channel> and what "
    "<https://x|link> shows about pricing into the second half?"
)


def test_slack_briefs_a_transcript_first_and_escapes_it(tmp_path: Path) -> None:
    call = write_transcript(tmp_path / "globex.txt", question=HOSTILE_QUESTION)
    with SlackStub() as stub:  # answers the first request 429, Retry-After: 1
        result = runner.invoke(app, ["slack", str(call), "--webhook", stub.webhook_url])
        assert result.exit_code == 0, result.output
        assert "Posted Globex Gadgets Q1 2027" in result.output
        payloads = stub.posted()
        assert len(stub.requests) == len(payloads) + 1
        text = "\n".join(all_text(p) for p in payloads)
        assert "Frank Grimes" in text and "Springfield Capital" in text
        assert "&lt;!channel&gt;" in text
        assert "<!channel>" not in text and "<https://x|link>" not in text
        assert all(limits_violations(p) == [] for p in payloads)
        # The generated briefing is in the store, with its source and hash.
        with Store.open() as store:
            (row,) = store.list_briefings()
        assert row.company == "Globex Gadgets" and row.source == str(call)
        assert row.source_hash == hashlib.sha256(call.read_bytes()).hexdigest()
        # Regenerating the same call gives the same briefing: a repeat asks for --force.
        again = runner.invoke(app, ["slack", str(call), "--webhook", stub.webhook_url])
        assert again.exit_code == 2 and "--force" in again.stderr


def test_digest_of_two_generated_briefings(sink: SmtpSink, tmp_path: Path) -> None:
    from briefing.engines.offline import OfflineEngine
    from briefing.pipeline import generate_briefing
    from briefing.transcript.reader import parse_transcript

    with Store.open() as store:
        for company, revenue in (("Globex Gadgets", "$640 million"), ("Initech", "$88 million")):
            path = write_transcript(tmp_path / f"{company}.txt", company, revenue=revenue)
            briefing = generate_briefing(parse_transcript(path), OfflineEngine())
            store.save_briefing(briefing, source=str(path), source_hash=None)
    result = runner.invoke(app, ["digest", "--to", "desk@example.com"])
    assert result.exit_code == 0, result.output
    (message,) = sink.messages
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    for part in (str(text.get_content()), str(html.get_content())):
        assert "Globex Gadgets" in part and "Initech" in part
        assert "$640 million" in part and "$88 million" in part
    assert runner.invoke(app, ["digest", "--to", "desk@example.com"]).exit_code == 0
    assert len(sink.messages) == 1


DOCS = Path(__file__).parent.parent / "docs" / "digest.md"


def _console_examples(text: str) -> list[tuple[list[str], list[str]]]:
    """(argv, expected output lines) of each ``$ briefing ...`` line in console blocks."""
    examples: list[tuple[list[str], list[str]]] = []
    in_console = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_console = line.strip() == "```console"
            continue
        if not in_console:
            continue
        if line.startswith("$ briefing "):
            examples.append((shlex.split(line[len("$ briefing ") :]), []))
        elif examples and not line.startswith("$ "):
            examples[-1][1].append(line)
    return examples


def test_the_documented_digest_session_runs_as_shown(sink: SmtpSink, tmp_path: Path) -> None:
    examples = _console_examples(DOCS.read_text(encoding="utf-8"))
    assert len(examples) == 3
    _save("Acme Widgets", "Globex Gadgets", "Initech")
    for argv, expected in examples:
        argv = [str(tmp_path / "preview") if a == "/tmp/preview" else a for a in argv]
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
        got = re.sub(r"\(\d{4}-\d{2}-\d{2}\)", "(DAY)", result.output).splitlines()
        assert got[: len(expected)] == [
            re.sub(r"\(\d{4}-\d{2}-\d{2}\)", "(DAY)", e) for e in expected
        ]
    assert len(sink.messages) == 1
    assert sorted(p.suffix for p in (tmp_path / "preview").iterdir()) == [".eml", ".html"]
