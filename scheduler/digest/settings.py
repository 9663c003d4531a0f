"""Settings of the ``[digest]`` section of config.toml."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DigestSettings(BaseModel):
    """Who gets the weekly digest, from whom, and when the week starts and ends."""

    model_config = ConfigDict(extra="forbid")

    recipients: list[str] = Field(default_factory=list, description="E-mail addresses that receive the digest.")
    sender: str = Field(default="frwatch@localhost", description="From address of the digest.")
    weekday: str = Field(default="mon", description="Day the digest goes out: mon, tue, … sun.")
    time: str = Field(default="08:00", description="Local time the digest goes out, HH:MM (24-hour).")
    timezone: str = Field(default="UTC", description="IANA time zone for the send time and the week's bounds.")
    subject_prefix: str = Field(default="[frwatch]", description="Put before the subject line.")
    max_items_per_label: int = Field(default=25, ge=1, le=500, description="At most this many items per label.")

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
