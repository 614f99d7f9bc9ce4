"""SMTP settings from the environment, and sending one message with them.

SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_SECURITY (starttls, ssl or none;
starttls when unset) and BRIEFING_FROM. The port defaults to the security's usual one.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Literal

from briefing.errors import ConfigError, DeliveryError

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}


def check_address(value: str, what: str) -> str:
    """A bare address (``a@b.c``) from ``value``, or a ConfigError naming ``what``."""
    _, addr = parseaddr(value)
    local, _, domain = addr.rpartition("@")
    if not local or not domain or " " in addr:
        raise ConfigError(f"{what}: {value!r} is not an email address")
    return addr


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    sender: str
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read the settings; a missing host or sender, or a bad value, is a ConfigError."""
        env = os.environ if env is None else env
        security = (env.get("SMTP_SECURITY") or "starttls").strip().lower()
        if security not in DEFAULT_PORTS:
            raise ConfigError(
                f"SMTP_SECURITY must be starttls, ssl or none, got {env['SMTP_SECURITY']!r}"
            )
        sec: Security = security
        host = (env.get("SMTP_HOST") or "").strip()
        if not host:
            raise ConfigError("SMTP_HOST is not set (the mail server that sends the digest)")
        raw_port = (env.get("SMTP_PORT") or "").strip()
        try:
            port = int(raw_port) if raw_port else DEFAULT_PORTS[sec]
        except ValueError:
            raise ConfigError(f"SMTP_PORT must be a number, got {raw_port!r}") from None
        if not 0 < port < 65536:
            raise ConfigError(f"SMTP_PORT must be between 1 and 65535, got {port}")
        sender = (env.get("BRIEFING_FROM") or "").strip()
        if not sender:
            raise ConfigError("BRIEFING_FROM is not set (the digest's From address)")
        check_address(sender, "BRIEFING_FROM")
        username = env.get("SMTP_USERNAME") or None
        password = env.get("SMTP_PASSWORD") or None
        if password and not username:
            raise ConfigError("SMTP_PASSWORD is set but SMTP_USERNAME is not")
        return cls(host, port, sec, sender, username, password)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def send_message(message: EmailMessage, settings: SmtpSettings, *, timeout: float = 30) -> None:
    """Send ``message``; any refusal or network failure becomes a DeliveryError."""
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=context)
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"the SMTP server {where} refused the login of {settings.username!r}: "
            f"{exc.smtp_code} {_text(exc.smtp_error)}"
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise DeliveryError(f"the SMTP server {where} refused the recipients {refused}") from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"the SMTP server {where} refused the digest: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"cannot send through the SMTP server {where}: {exc}") from exc
