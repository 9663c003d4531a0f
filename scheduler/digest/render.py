"""Rendering a digest: a plain-text and an HTML part (Jinja2, autoescaped) in one ``EmailMessage``.

Only http(s) links are rendered as links; CSS is written inline on the elements because most e-mail
clients drop ``<style>`` blocks.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from scheduler.digest.select import Digest
from scheduler.digest.settings import DigestSettings

_env = Environment(
    loader=PackageLoader("scheduler.digest", "templates"),
    autoescape=select_autoescape(["html", "html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def safe_link(url: str) -> str | None:
    """The URL when it is http(s), else None (``javascript:`` and friends are never linked)."""
    return url if urlsplit(url).scheme in ("http", "https") else None


_env.filters["safe_link"] = safe_link


def render_text(digest: Digest) -> str:
    """The plain-text part."""
    return _env.get_template("digest.txt.j2").render(digest=digest)


def render_html(digest: Digest) -> str:
    """The HTML part."""
    width = max([1] + [max(s.count, s.previous_count) for s in digest.sections])
    return _env.get_template("digest.html.j2").render(digest=digest, bar_max=width)


def message_id(period: str, recipient: str) -> str:
    """The same Message-ID for the same period and recipient, so a resend is recognisably the same mail."""
    token = hashlib.sha256(f"{period}|{recipient}".encode()).hexdigest()[:20]
    return f"<frwatch-digest-{period}-{token}@frwatch.local>"


def build_message(digest: Digest, settings: DigestSettings, recipient: str) -> EmailMessage:
    """One e-mail with text and HTML alternatives.

    :param recipient: the To address (``undisclosed-recipients:;`` when writing files only)
    """
    msg = EmailMessage()
    msg["Subject"] = (
        f"{settings.subject_prefix} {digest.period.name}: {digest.total} new "
        f"mention{'s' if digest.total != 1 else ''}"
    ).strip()
    msg["From"] = settings.sender
    msg["To"] = recipient
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = message_id(digest.period.name, recipient) if recipient else make_msgid()
    msg["Auto-Submitted"] = "auto-generated"
    msg["List-Unsubscribe"] = f"<mailto:{settings.sender}?subject=unsubscribe>"
    msg.set_content(render_text(digest))
    msg.add_alternative(render_html(digest), subtype="html")
    return msg


def write_digest(digest: Digest, settings: DigestSettings, out_dir: Path) -> list[Path]:
    """Write ``digest-<period>.eml``, ``.html`` and ``.txt`` into ``out_dir`` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"digest-{digest.period.name}"
    recipient = ", ".join(settings.recipients) or "undisclosed-recipients:;"
    paths = [stem.with_suffix(".eml"), stem.with_suffix(".html"), stem.with_suffix(".txt")]
    paths[0].write_bytes(bytes(build_message(digest, settings, recipient)))
    paths[1].write_text(render_html(digest), encoding="utf-8")
    paths[2].write_text(render_text(digest), encoding="utf-8")
    return paths
