"""The email digest: every briefing stored since the last digest, in one email, exactly once.

What goes in: the briefings stored after the newest one of the last digest confirmed as
sent to the same recipients (``--to``, as a set), or those stored since ``--since``. The
first digest to a set of recipients covers the last 24 hours.

Exactly once, by recording before sending:

1. the attempt is written as ``pending`` with the briefings it carries;
2. the email goes out over SMTP;
3. the attempt is confirmed ``sent`` (or ``failed``, when SMTP refused or was unreachable:
   those briefings go out in the next successful run).

A ``pending`` attempt found by a later run means the process died between 2 and 3: the
email may or may not have left. The digest then refuses to run until the user says what
happened: ``mark_sent`` (it arrived; those briefings are done) or ``resend_pending`` (it did
not; they are collected again). Guessing either way would lose or duplicate an email.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from briefing.deliver.smtp import SmtpSettings, check_address, send_message
from briefing.errors import ConfigError, DeliveryError
from briefing.render import render_email
from briefing.store import Delivery, DeliveryConflictError, Store

FIRST_DIGEST_WINDOW = timedelta(hours=24)
_RELATIVE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class PendingDigestError(DeliveryError):
    """A previous digest was started but never confirmed; the user must say what happened."""


@dataclass
class DigestResult:
    """What a run did: the briefings it covered and where the email (or preview) went."""

    recipients: list[str]
    briefing_ids: list[int] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    subject: str | None = None
    sent: bool = False
    preview: tuple[Path, Path] | None = None
    resolved: list[int] = field(default_factory=list)
    window: str = ""


def parse_recipients(value: str) -> list[str]:
    """``a@x, b@y`` as a sorted, de-duplicated list of bare, lower-cased addresses."""
    addrs = {check_address(part.strip(), "--to").lower() for part in value.split(",") if part}
    if not addrs:
        raise ConfigError("--to needs at least one email address")
    return sorted(addrs)


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """``24h``, ``90m``, ``7d``, ``2w`` before now, or an ISO date or date-time (UTC if naive)."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        return now - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(
            f"--since {value!r}: give a duration like 24h, 90m, 7d, or an ISO date "
            "such as 2026-08-14 or 2026-08-14T07:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_message(
    *, subject: str, html: str, text: str, sender: str, recipients: Sequence[str]
) -> EmailMessage:
    """A multipart/alternative email: the plain-text part first, the HTML part preferred."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _describe(d: Delivery) -> str:
    ids = ", ".join(f"#{i}" for i in d.briefing_ids)
    return f"digest attempt {d.id} (briefings {ids}, started {d.created_at:%Y-%m-%d %H:%M} UTC)"


def run_digest(
    store: Store,
    recipients: Sequence[str],
    *,
    settings: SmtpSettings | None,
    since: datetime | None = None,
    dry_run: bool = False,
    out_dir: Path | None = None,
    resend_pending: bool = False,
    mark_sent: bool = False,
    day: date | None = None,
    sender: str = "briefing@localhost",
) -> DigestResult:
    """Send (or preview) one digest of the briefings not yet sent to ``recipients``."""
    if resend_pending and mark_sent:
        raise ConfigError("give either --resend-pending or --mark-sent, not both")
    if not dry_run and settings is None:
        raise ConfigError("sending a digest needs SMTP settings")
    recipients = sorted(recipients)
    destination = ",".join(recipients)
    result = DigestResult(recipients=list(recipients))

    pending = store.deliveries("email", destination, status="pending")
    if pending and not dry_run:
        if mark_sent:
            for d in pending:
                store.finish_delivery(d.id, "sent", "marked sent by the user (--mark-sent)")
        elif resend_pending:
            for d in pending:
                store.finish_delivery(d.id, "failed", "unconfirmed; resent by the user")
        else:
            raise PendingDigestError(
                f"{_describe(pending[-1])} to {destination} was never confirmed: the process "
                "stopped after sending began, so the email may or may not have arrived. "
                "Check the mailbox, then rerun with --mark-sent if it arrived or "
                "--resend-pending if it did not"
            )
        result.resolved = [d.id for d in pending]

    seen = store.latest_delivery_id("email", destination)
    if since is not None:
        rows = store.list_briefings(since=since)
        result.window = f"since {since:%Y-%m-%d %H:%M} UTC"
    else:
        sent = store.deliveries("email", destination, status="sent")
        if sent:
            last_id = max((i for d in sent for i in d.briefing_ids), default=0)
            rows = store.list_briefings(after_id=last_id)
            result.window = "since the last digest"
        else:
            start = datetime.now(UTC) - FIRST_DIGEST_WINDOW
            rows = store.list_briefings(since=start)
            result.window = "in the last 24 hours (first digest to these recipients)"
            # Briefings of failed first attempts wait for the next success, however old.
            failed = store.deliveries("email", destination, status="failed")
            floor = min((i for d in failed for i in d.briefing_ids), default=None)
            if floor is not None:
                known = {r.id for r in rows}
                older = [r for r in store.list_briefings(after_id=floor - 1) if r.id not in known]
                rows = sorted([*rows, *older], key=lambda r: r.id)
    if not rows:
        return result

    result.briefing_ids = [r.id for r in rows]
    result.companies = [r.company or "?" for r in rows]
    briefings = [store.get_briefing(r.id) for r in rows]
    content = render_email(briefings, day=day or date.today())
    result.subject = content.subject
    from_addr = settings.sender if settings is not None else sender
    message = build_message(
        subject=content.subject,
        html=content.html,
        text=content.text,
        sender=from_addr,
        recipients=recipients,
    )

    if dry_run:
        folder = out_dir or Path.cwd()
        stem = f"briefing-digest-{(day or date.today()).isoformat()}"
        eml, html = folder / f"{stem}.eml", folder / f"{stem}.html"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            eml.write_bytes(bytes(message))
            html.write_text(content.html, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write the preview to {folder}: {exc.strerror}") from exc
        result.preview = (eml, html)
        return result

    assert settings is not None
    try:
        delivery_id = store.begin_delivery(
            "email", destination, briefing_ids=result.briefing_ids, expect_latest=seen
        )
    except DeliveryConflictError as exc:
        raise DeliveryError(f"{exc}; nothing was sent by this run, rerun it") from exc
    try:
        send_message(message, settings)
    except DeliveryError as exc:
        store.finish_delivery(delivery_id, "failed", str(exc))
        raise DeliveryError(
            f"{exc}; nothing was sent, and the {len(rows)} briefing(s) will go out "
            "in the next successful digest"
        ) from exc
    store.finish_delivery(delivery_id, "sent", str(message["Message-ID"]), parts_sent=1)
    result.sent = True
    return result
