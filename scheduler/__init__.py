"""frwatch's scheduled work: the ``frwatch run`` daemon, its job records and the weekly digest."""

from __future__ import annotations

from scheduler.daemon import (
    DaemonLockedError,
    JobSpec,
    ScheduleError,
    check_schedule,
    next_runs,
    run_daemon,
    trigger_for,
)
from scheduler.digest import (
    Delivery,
    Digest,
    DigestSettings,
    Period,
    PeriodError,
    SendError,
    SmtpSettings,
    build_message,
    deliver,
    parse_period,
    select_digest,
    write_digest,
)
from scheduler.runs import JobError, JobTimeoutError, run_recorded, run_subprocess, stop_requested
from scheduler.settings import DaemonSettings

__all__ = [
    "DaemonLockedError",
    "DaemonSettings",
    "Delivery",
    "Digest",
    "DigestSettings",
    "JobError",
    "JobSpec",
    "JobTimeoutError",
    "Period",
    "PeriodError",
    "ScheduleError",
    "SendError",
    "SmtpSettings",
    "build_message",
    "check_schedule",
    "deliver",
    "next_runs",
    "parse_period",
    "run_daemon",
    "run_recorded",
    "run_subprocess",
    "select_digest",
    "stop_requested",
    "trigger_for",
    "write_digest",
]
