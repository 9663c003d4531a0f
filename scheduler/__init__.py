"""frwatch's scheduled work: the ``frwatch run`` daemon, its job records and the weekly digest."""

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
from scheduler.settings import DaemonSettings

__all__ = [
    "DaemonSettings",
    "Digest",
    "DigestSettings",
    "Period",
    "PeriodError",
    "build_message",
    "parse_period",
    "select_digest",
    "write_digest",
]
