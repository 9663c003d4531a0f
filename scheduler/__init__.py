"""frwatch's scheduled work. So far: the weekly digest (the daemon comes with issue [5 of 6])."""

from __future__ import annotations

from scheduler.digest import (
    Digest,
    DigestSettings,
    Period,
    PeriodError,
    build_message,
    parse_period,
    select_digest,
    write_digest,
)

__all__ = [
    "Digest",
    "DigestSettings",
    "Period",
    "PeriodError",
    "build_message",
    "parse_period",
    "select_digest",
    "write_digest",
]
