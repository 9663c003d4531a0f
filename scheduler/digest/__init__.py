"""The weekly digest: select what is new, render it, write it out."""

from __future__ import annotations

from scheduler.digest.period import Period, PeriodError, parse_period
from scheduler.digest.render import build_message, render_html, render_text, write_digest
from scheduler.digest.select import Digest, select_digest
from scheduler.digest.settings import DigestSettings

__all__ = [
    "Digest",
    "DigestSettings",
    "Period",
    "PeriodError",
    "build_message",
    "parse_period",
    "render_html",
    "render_text",
    "select_digest",
    "write_digest",
]
