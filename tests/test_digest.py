"""The email digest against a real SMTP server (aiosmtpd on 127.0.0.1): exactly once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Literal

import pytest
import trustme
from delivery_fixtures import SmtpSink, free_port, make_briefing

from briefing.deliver.digest import (
    PendingDigestError,
    parse_recipients,
    parse_since,
    run_digest,
)
from briefing.deliver.smtp import SmtpSettings
from briefing.errors import ConfigError, DeliveryError
from briefing.render import EmailContent, render_email
from briefing.schemas import Briefing
from briefing.store import Store

TO = ["desk@example.com", "pm@example.com"]


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


def _settings(sink: SmtpSink) -> SmtpSettings:
    return SmtpSettings.from_env(sink.env())


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def _store_two(store: Store) -> tuple[int, int]:
    a = store.save_briefing(make_briefing("Acme Widgets"), source=None, source_hash=None)
    g = store.save_briefing(
        make_briefing("Globex Gadgets", "Q3 2026", revenue="$410 million"),
        source=None,
        source_hash=None,
    )
    return a, g


def test_two_briefings_one_email_then_a_rerun_sends_nothing(sink: SmtpSink) -> None:
    with Store.open() as store:
        ids = _store_two(store)
        result = run_digest(store, TO, settings=_settings(sink))
        assert result.sent and result.briefing_ids == list(ids)
        (message,) = sink.messages
        assert sink.envelopes == [("briefings@example.com", TO)]
        assert message["To"] == "desk@example.com, pm@example.com"
        assert message["Subject"] == result.subject
        assert "2 calls" in str(message["Subject"])
        text, html = _parts(message)
        for company in ("Acme Widgets", "Globex Gadgets"):
            assert company in text
            assert company in html
        assert "<style" not in html  # CSS is inlined for Gmail and Outlook
        again = run_digest(store, TO, settings=_settings(sink))
        assert not again.sent and again.briefing_ids == []
        assert len(sink.messages) == 1
        # Another set of recipients has its own history.
        run_digest(store, ["other@example.com"], settings=_settings(sink))
        assert len(sink.messages) == 2


def test_dry_run_writes_a_preview_and_sends_nothing(sink: SmtpSink, tmp_path: Path) -> None:
    with Store.open() as store:
        _store_two(store)
        result = run_digest(store, TO, settings=None, dry_run=True, out_dir=tmp_path / "out")
        assert result.preview is not None and not result.sent
        eml, html = result.preview
        parsed = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
        text, html_part = _parts(parsed)
        assert "Globex Gadgets" in text
        assert html.read_text(encoding="utf-8").strip() == html_part.strip()
        assert sink.messages == []
        assert store.deliveries("email", ",".join(TO)) == []
        # The preview did not count as a delivery: the real run sends both.
        assert len(run_digest(store, TO, settings=_settings(sink)).briefing_ids) == 2


def test_smtp_down_fails_cleanly_and_the_pending_briefing_goes_next_alone(
    sink: SmtpSink,
) -> None:
    with Store.open() as store:
        _store_two(store)
        run_digest(store, TO, settings=_settings(sink))
        late = store.save_briefing(make_briefing("Initech"), source=None, source_hash=None)
        sink.stop()
        with pytest.raises(DeliveryError, match=r"127\.0\.0\.1.*next successful digest"):
            run_digest(store, TO, settings=_settings(sink))
        assert [d.status for d in store.deliveries("email", ",".join(TO))] == ["sent", "failed"]
        sink.start()  # back, on the same port
        result = run_digest(store, TO, settings=_settings(sink))
        assert result.briefing_ids == [late]
        assert len(sink.messages) == 2
        text, html = _parts(sink.messages[-1])
        assert "Initech" in text and "Initech" in html
        assert "Acme Widgets" not in text and "Globex Gadgets" not in text


def test_a_first_digest_that_failed_keeps_its_briefings_however_old() -> None:
    port = free_port()  # nothing listens here
    env = SmtpSink(port).env()
    with Store.open() as store:
        old = store.save_briefing(make_briefing("Acme Widgets"), source=None, source_hash=None)
        with pytest.raises(DeliveryError):
            run_digest(store, TO, settings=SmtpSettings.from_env(env))
        _age(store.path, old, timedelta(days=3))
        sink = SmtpSink(port).start()
        try:
            assert run_digest(store, TO, settings=SmtpSettings.from_env(env)).briefing_ids == [old]
        finally:
            sink.stop()


def test_crash_between_sending_and_recording_is_reported(
    sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_finish = Store.finish_delivery

    def crash_on_confirm(
        self: Store, delivery_id: int, status: Literal["sent", "failed"], *args: Any, **kw: Any
    ) -> None:
        if status == "sent":
            raise RuntimeError("simulated crash after the SMTP server accepted the email")
        real_finish(self, delivery_id, status, *args, **kw)

    with Store.open() as store:
        _store_two(store)
        monkeypatch.setattr(Store, "finish_delivery", crash_on_confirm)
        with pytest.raises(RuntimeError, match="simulated crash"):
            run_digest(store, TO, settings=_settings(sink))
        monkeypatch.undo()
        assert len(sink.messages) == 1
        with pytest.raises(PendingDigestError, match=r"--mark-sent.*--resend-pending"):
            run_digest(store, TO, settings=_settings(sink))
        assert len(sink.messages) == 1  # neither re-sent...
        with pytest.raises(ConfigError):
            run_digest(store, TO, settings=_settings(sink), mark_sent=True, resend_pending=True)
        resolved = run_digest(store, TO, settings=_settings(sink), mark_sent=True)
        assert resolved.resolved and resolved.briefing_ids == []  # ...nor skipped silently
        assert len(sink.messages) == 1


def test_resend_pending_sends_the_unconfirmed_briefings_again(
    sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open() as store:
        ids = _store_two(store)
        destination = ",".join(TO)
        store.begin_delivery("email", destination, briefing_ids=ids)  # a crashed run's record
        result = run_digest(store, TO, settings=_settings(sink), resend_pending=True)
        assert result.sent and result.briefing_ids == list(ids)
        statuses = [d.status for d in store.deliveries("email", destination)]
        assert statuses == ["failed", "sent"]


def test_first_digest_covers_a_day_and_since_goes_further(sink: SmtpSink) -> None:
    with Store.open() as store:
        old = store.save_briefing(make_briefing("Acme Widgets"), source=None, source_hash=None)
        _age(store.path, old, timedelta(days=2))
        assert run_digest(store, TO, settings=_settings(sink)).briefing_ids == []
        assert sink.messages == []
        since = parse_since("3d")
        assert run_digest(store, TO, settings=_settings(sink), since=since).briefing_ids == [old]
        assert len(sink.messages) == 1


def test_smtp_login_impossible_is_a_clear_error() -> None:
    env = SmtpSink(free_port()).env() | {"SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"}
    sink = SmtpSink(int(env["SMTP_PORT"])).start()  # offers no AUTH over plain text
    try:
        with Store.open() as store:
            _store_two(store)
            with pytest.raises(DeliveryError, match=r"SMTP server 127\.0\.0\.1:\d+"):
                run_digest(store, TO, settings=SmtpSettings.from_env(env))
        assert sink.messages == []
    finally:
        sink.stop()


def _age(db: Path, briefing_id: int, by: timedelta) -> None:
    """Pretend a briefing was stored ``by`` earlier (the store stamps the current time)."""
    conn = sqlite3.connect(db)
    with conn:
        then = (datetime.now(UTC) - by).isoformat(timespec="microseconds")
        conn.execute("UPDATE briefings SET created_at = ? WHERE id = ?", (then, briefing_id))
    conn.close()


def test_parse_since() -> None:
    now = datetime(2026, 8, 14, 12, 0, tzinfo=UTC)
    assert parse_since("24h", now=now) == now - timedelta(hours=24)
    assert parse_since("90m", now=now) == now - timedelta(minutes=90)
    assert parse_since("7d", now=now) == now - timedelta(days=7)
    assert parse_since("2026-08-13", now=now) == datetime(2026, 8, 13, tzinfo=UTC)
    assert parse_since("2026-08-13T07:30+02:00").utcoffset() == timedelta(hours=2)
    with pytest.raises(ConfigError, match="--since 'yesterday'"):
        parse_since("yesterday")


def test_parse_recipients() -> None:
    assert parse_recipients("PM@example.com, desk@example.com,pm@example.com") == TO
    assert parse_recipients("Desk <desk@example.com>") == ["desk@example.com"]
    with pytest.raises(ConfigError, match="not an email address"):
        parse_recipients("desk@example.com, nobody")
    with pytest.raises(ConfigError, match="at least one"):
        parse_recipients(",")


def test_smtp_settings_from_env() -> None:
    base = {"SMTP_HOST": "mail.example.com", "BRIEFING_FROM": "b@example.com"}
    assert SmtpSettings.from_env(base).port == 587
    assert SmtpSettings.from_env(base | {"SMTP_SECURITY": "SSL"}).port == 465
    assert SmtpSettings.from_env(base | {"SMTP_SECURITY": "none", "SMTP_PORT": "2525"}).port == 2525
    for env, message in [
        ({"BRIEFING_FROM": "b@example.com"}, "SMTP_HOST is not set"),
        ({"SMTP_HOST": "h"}, "BRIEFING_FROM is not set"),
        (base | {"SMTP_SECURITY": "tls"}, "SMTP_SECURITY must be"),
        (base | {"SMTP_PORT": "smtp"}, "SMTP_PORT must be a number"),
        (base | {"SMTP_PORT": "70000"}, "between 1 and 65535"),
        (base | {"SMTP_PASSWORD": "p"}, "SMTP_USERNAME is not"),
        (base | {"BRIEFING_FROM": "briefings"}, "not an email address"),
    ]:
        with pytest.raises(ConfigError, match=message):
            SmtpSettings.from_env(env)


def test_overlapping_runs_do_not_both_send(sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.deliver import digest

    real_render = render_email

    def render_while_another_run_sends(briefings: list[Briefing], *, day: date) -> EmailContent:
        monkeypatch.setattr(digest, "render_email", real_render)
        with Store.open() as other:  # a second cron run, in its own connection
            assert run_digest(other, TO, settings=_settings(sink)).sent
        return real_render(briefings, day=day)

    with Store.open() as store:
        _store_two(store)
        monkeypatch.setattr(digest, "render_email", render_while_another_run_sends)
        with pytest.raises(DeliveryError, match="nothing was sent by this run"):
            run_digest(store, TO, settings=_settings(sink))
        assert len(sink.messages) == 1


# aiosmtpd counts only STARTTLS as TLS, so with implicit TLS ("ssl") it warns that AUTH is
# allowed without TLS; the connection is TLS from its first byte.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login(security: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # trusted by ssl's default context
    sink = SmtpSink(security=security, ca=ca, users={"briefings": "s3cret"}).start()
    try:
        env = sink.env() | {"SMTP_USERNAME": "briefings", "SMTP_PASSWORD": "s3cret"}
        with Store.open() as store:
            _store_two(store)
            wrong = SmtpSettings.from_env(env | {"SMTP_PASSWORD": "guess"})
            with pytest.raises(DeliveryError, match="refused the login of 'briefings': 535"):
                run_digest(store, TO, settings=wrong)
            assert run_digest(store, TO, settings=SmtpSettings.from_env(env)).sent
        assert sink.logins == ["briefings"]
        assert len(sink.messages) == 1
    finally:
        sink.stop()


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    sink = SmtpSink(security="starttls", ca=trustme.CA()).start()  # CA not trusted here
    try:
        with Store.open() as store:
            _store_two(store)
            with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
                run_digest(store, TO, settings=SmtpSettings.from_env(sink.env()))
        assert sink.messages == []
    finally:
        sink.stop()
