"""The weekly digest: select what is new, render it, write it out or send it."""

from __future__ import annotations

from scheduler.digest.period import Period, PeriodError, parse_period
from scheduler.digest.render import build_message, render_html, render_text, write_digest
from scheduler.digest.select import Digest, select_digest
from scheduler.digest.send import Delivery, SendError, deliver, send_message
from scheduler.digest.settings import DigestSettings, SmtpSettings

__all__ = [
    "Delivery",
    "Digest",
    "DigestSettings",
    "Period",
    "PeriodError",
    "SendError",
    "SmtpSettings",
    "build_message",
    "deliver",
    "parse_period",
    "render_html",
    "render_text",
    "select_digest",
    "send_message",
    "write_digest",
]
