"""Settings of the ``[digest]`` section of config.toml."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

# APScheduler 3 numbers cron weekdays from Monday (0 = mon), unlike crontab (0 = sun): frwatch only
# accepts names, so "1" can never silently mean the wrong day.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class SmtpSettings(BaseModel):
    """The mail server the digest goes through. The password is never in the file: only the name of the
    environment variable that holds it."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(default="localhost", min_length=1, description="SMTP server host name.")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP server port (587 STARTTLS, 465 SSL, 25 none).")
    security: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description='Transport security: "none", "starttls" or "ssl".'
    )
    username: str = Field(default="", description="Login name; empty to send without logging in.")
    password_env: str = Field(
        default="FRWATCH_SMTP_PASSWORD", pattern=ENV_NAME,
        description="Name of the environment variable holding the SMTP password (never the password itself).",
    )
    ca_file: str = Field(
        default="", description="Extra CA certificate file (PEM) to trust, for a server with a private CA."
    )
    timeout_seconds: float = Field(default=30.0, gt=0, le=600, description="Socket timeout per SMTP operation.")
    attempts: int = Field(default=4, ge=1, le=20, description="Delivery attempts per recipient before giving up.")
    backoff_seconds: float = Field(
        default=30.0, ge=0, le=3600,
        description="Wait before the second attempt; doubled before each further one.",
    )


class DigestSettings(BaseModel):
    """Who gets the weekly digest, from whom, and when the week starts and ends."""

    model_config = ConfigDict(extra="forbid")

    recipients: list[str] = Field(default_factory=list, description="E-mail addresses that receive the digest.")
    sender: str = Field(default="frwatch@localhost", description="From address of the digest.")
    weekday: str = Field(default="mon", description="Day the digest goes out: mon, tue, … sun.")
    time: str = Field(default="08:00", description="Local time the digest goes out, HH:MM (24-hour).")
    timezone: str = Field(default="UTC", description="IANA time zone for the send time and the week's bounds.")
    schedule: str = Field(
        default="",
        description='Send on this schedule instead of weekday/time ("every 1h" or a crontab line); empty for '
        "weekly. Each run sends the last complete ISO week to whoever has not had it yet.",
    )
    subject_prefix: str = Field(default="[frwatch]", description="Put before the subject line.")
    max_items_per_label: int = Field(default=25, ge=1, le=500, description="At most this many items per label.")
    misfire_grace_hours: float = Field(
        default=12.0, gt=0, le=168,
        description="A digest missed while the daemon was down still goes out if it is at most this late.",
    )
    smtp: SmtpSettings = Field(default_factory=SmtpSettings, description="The mail server.")

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, value: str) -> str:
        value = value.strip().lower()[:3]
        if value not in WEEKDAYS:
            raise ValueError(f"use one of {', '.join(WEEKDAYS)}")
        return value

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError('use 24-hour "HH:MM", e.g. "08:00"')
        return f"{int(hours):02d}:{int(minutes):02d}"

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError('use an IANA time zone name such as "UTC" or "America/New_York"') from exc
        return value

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if "@" not in v or any(c in v for c in " \r\n<>,")]
        if bad:
            raise ValueError(f"not an e-mail address: {bad[0]!r}")
        return value
