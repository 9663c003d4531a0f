"""Sending the digest over SMTP (plain, STARTTLS or SSL, with login), at most once per period and
recipient.

The password comes only from the environment variable that ``[digest.smtp] password_env`` names; it is
never logged. Every failure — refused connection, 4xx, 5xx, a dropped connection — is retried with
exponential backoff; when the attempts run out the digest is recorded ``failed`` and stays due for the
next run. It is marked ``sent`` only after the server accepted the message.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import sqlite_utils

import store
from scheduler.digest.render import build_message
from scheduler.digest.select import Digest
from scheduler.digest.settings import DigestSettings, SmtpSettings

log = logging.getLogger(__name__)


class SendError(Exception):
    """The digest cannot be sent as configured; one line naming the setting and the fix."""


@dataclass(frozen=True)
class Delivery:
    """What happened for one recipient."""

    recipient: str
    outcome: str  # "sent", "already sent" or "failed"
    attempts: int = 0
    error: str | None = None


def smtp_password(settings: SmtpSettings) -> str | None:
    """The password from the environment, or None when no login is configured.

    :raises SendError: a username is set but the environment variable is empty
    """
    if not settings.username:
        return None
    password = os.environ.get(settings.password_env)
    if not password:
        raise SendError(
            f"[digest.smtp] username is set but the environment variable {settings.password_env} is empty; "
            f"export the SMTP password in it"
        )
    return password


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    return context


def send_message(message: EmailMessage, settings: SmtpSettings, password: str | None) -> None:
    """One SMTP conversation delivering ``message`` to its To address.

    :raises smtplib.SMTPException: or :class:`OSError` on any failure
    """
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_seconds, context=_tls_context(settings)
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    with client:
        if settings.security == "starttls":
            client.starttls(context=_tls_context(settings))
        if password is not None:
            client.login(settings.username, password)
        refused = client.send_message(message)
        if refused:  # only possible with several recipients; ours is one, but never claim success blindly
            raise smtplib.SMTPRecipientsRefused(refused)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP {exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"recipient refused: {exc.recipients}"
    return f"{type(exc).__name__}: {exc}"


def send_with_retries(
    message: EmailMessage,
    settings: SmtpSettings,
    password: str | None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, str | None]:
    """Try up to ``settings.attempts`` times with doubling waits.

    :returns: (attempts made, the last error or None when delivered)
    """
    wait = settings.backoff_seconds
    error: str | None = None
    for attempt in range(1, settings.attempts + 1):
        try:
            send_message(message, settings, password)
            return attempt, None
        except (OSError, smtplib.SMTPException) as exc:
            error = _describe(exc)
            log.warning("digest to %s: attempt %d of %d failed: %s", message["To"], attempt, settings.attempts, error)
        if attempt < settings.attempts:
            sleep(wait)
            wait *= 2
    return settings.attempts, error


def deliver(
    db: sqlite_utils.Database,
    digest: Digest,
    settings: DigestSettings,
    force: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send ``digest`` to every configured recipient that has not had it yet.

    :param force: send again to recipients who already had this period's digest
    :raises SendError: no recipients, or a login without its password
    """
    if not settings.recipients:
        raise SendError("[digest] recipients is empty; list the addresses that should get the digest")
    password = smtp_password(settings.smtp)
    deliveries = []
    for recipient in settings.recipients:
        message = build_message(digest, settings, recipient)
        if not store.claim_digest(db, digest.period.name, recipient, str(message["Message-ID"]), force):
            deliveries.append(Delivery(recipient, "already sent"))
            continue
        attempts, error = send_with_retries(message, settings.smtp, password, sleep)
        if error is None:
            store.digest_sent(db, digest.period.name, recipient, digest.document_ids)
            log.info("digest %s sent to %s (%d items)", digest.period.name, recipient, len(digest.document_ids))
            deliveries.append(Delivery(recipient, "sent", attempts))
        else:
            store.digest_failed(db, digest.period.name, recipient, error)
            log.error("digest %s to %s not sent after %d attempts: %s", digest.period.name, recipient, attempts, error)
            deliveries.append(Delivery(recipient, "failed", attempts, error))
    return deliveries
