"""``frwatch run``: an APScheduler 3 BlockingScheduler whose jobs persist in their own SQLite file.

Jobs are plain ``"module:function"`` references with plain arguments, so the job store holds no pickled
objects of ours. At start the configured jobs are reconciled with the stored ones: an unchanged job keeps
its stored next run time (a restart does not reset a six-hour countdown), a changed one is replaced, a
removed one is deleted. A lock file keeps a second daemon off the same database; SIGTERM or Ctrl-C stops
the daemon between jobs (a second one stops the running jobs too).
"""

from __future__ import annotations

import fcntl
import logging
import logging.handlers
import os
import re
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

import store
from scheduler.runs import request_stop, running_children, stop_children
from scheduler.settings import DaemonSettings

log = logging.getLogger(__name__)

INTERVAL = re.compile(r"^every\s+(\d+)\s*([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# crontab numbers weekdays 0-7 from Sunday; APScheduler 3 numbers them from Monday. Names are the same.
CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """A schedule string that cannot be turned into a trigger; one line naming it and the fix."""


class DaemonLockedError(Exception):
    """Another daemon holds the database's lock file."""


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job as configured."""

    id: str
    func: str  # "module:function"
    args: tuple[Any, ...]
    schedule: str  # "every 6h", a crontab line, or "weekly mon 08:00" for the digest
    timezone: str = "UTC"
    misfire_grace_seconds: int = 1800
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """What identifies the job's definition; stored as the APScheduler job name (which its logs show)."""
        return f"{self.id} ({self.schedule}, {self.timezone}, grace {self.misfire_grace_seconds}s)"


def _cron_weekdays(text: str, schedule: str) -> str:
    """Translate crontab weekday numbers to names, which APScheduler 3 reads the crontab way."""
    parts = []
    for part in text.split(","):
        if "/" in part:
            raise ScheduleError(
                f"schedule {schedule!r}: steps in the day-of-week field are not supported; list the days"
            )
        if part == "*" or not re.search(r"\d", part):
            parts.append(part.lower())
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()) or int(low) > 7 or (high and int(high) > 7):
            raise ScheduleError(f"schedule {schedule!r}: day of week {part!r} must be 0-7 or a name (mon…sun)")
        if not high:
            parts.append(CRON_DAYS[int(low)])
        elif int(low) == 0:  # "0-3" wraps for APScheduler, whose week ends on Sunday
            parts.append("sun")
            if int(high) >= 1:
                parts.append(f"mon-{CRON_DAYS[int(high)]}")
        else:
            parts.append(f"{CRON_DAYS[int(low)]}-{CRON_DAYS[int(high)]}")
    return ",".join(parts)


def trigger_for(schedule: str, timezone: str) -> BaseTrigger:
    """A trigger for ``every 30m|6h|1d`` (``s`` for tests), a five-field crontab line, or
    ``weekly DAY HH:MM``.

    :raises ScheduleError: with one line naming the schedule and the fix
    """
    text = schedule.strip()
    interval = INTERVAL.match(text)
    if interval:
        seconds = int(interval.group(1)) * UNIT_SECONDS[interval.group(2)]
        if seconds <= 0:
            raise ScheduleError(f"schedule {schedule!r}: the interval must be longer than zero")
        return IntervalTrigger(seconds=seconds, timezone=timezone)
    weekly = re.fullmatch(r"weekly\s+(\w{3})\s+(\d{2}):(\d{2})", text)
    if weekly:
        return CronTrigger(day_of_week=weekly.group(1), hour=int(weekly.group(2)), minute=int(weekly.group(3)),
                           timezone=timezone)
    fields = text.split()
    if len(fields) != 5:
        raise ScheduleError(f'schedule {schedule!r}: use "every 30m", "every 6h", "every 1d" or five crontab fields')
    minute, hour, day, month, weekday = fields
    day_of_week = _cron_weekdays(weekday, schedule)
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
                           timezone=timezone)
    except ValueError as exc:
        raise ScheduleError(f"schedule {schedule!r}: {exc}; check the crontab fields") from exc


def check_schedule(schedule: str, timezone: str) -> None:
    """The schedule becomes a trigger that fires at least once.

    :raises ScheduleError: when it is malformed or impossible (for example the 31st of February)
    """
    if trigger_for(schedule, timezone).get_next_fire_time(None, datetime.now(UTC)) is None:
        raise ScheduleError(f"schedule {schedule!r} never fires; fix its date fields")


def check_schedules(specs: list[JobSpec]) -> None:
    """:func:`check_schedule` for every job.

    :raises ScheduleError: for the first bad one, naming the job
    """
    for spec in specs:
        try:
            check_schedule(spec.schedule, spec.timezone)
        except ScheduleError as exc:
            raise ScheduleError(f"job {spec.id}: {exc}") from exc


@contextmanager
def daemon_lock(database: Path) -> Iterator[Path]:
    """Hold ``<database>.lock`` for the daemon's life; the OS releases it if the process dies.

    :raises DaemonLockedError: another process holds it
    """
    path = database.with_name(database.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise DaemonLockedError(
            f"another frwatch daemon (pid {holder}) is running on {database}; stop it first (lock {path})"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield path
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def setup_logging(settings: DaemonSettings) -> None:
    """Log to stderr and to a rotating file."""
    settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        logging.handlers.RotatingFileHandler(
            settings.log_file, maxBytes=settings.log_max_bytes, backupCount=settings.log_backups, encoding="utf-8"
        ),
    ]
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)


class _Scheduler(BlockingScheduler):
    """A BlockingScheduler that does not submit jobs once it is stopped.

    Shutting down from a signal handler wakes the main loop, which then processes due jobs once more
    before it sees the stopped state; the executors are already shut, and APScheduler 3.11 logs an error
    for each due job. Nothing is lost, but a clean stop should read clean.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()  # type: ignore[no-any-return]


def _reconcile(scheduler: BlockingScheduler, specs: list[JobSpec]) -> None:
    stored = {job.id: job for job in scheduler.get_jobs()}
    for spec in specs:
        job = stored.pop(spec.id, None)
        if job is not None and job.name == spec.fingerprint and job.func_ref == spec.func \
                and tuple(job.args) == spec.args and dict(job.kwargs) == spec.kwargs:
            log.info("job %s kept; next run %s", spec.id, job.next_run_time)
            continue
        scheduler.add_job(
            spec.func, trigger_for(spec.schedule, spec.timezone), args=list(spec.args), kwargs=spec.kwargs,
            id=spec.id, name=spec.fingerprint, replace_existing=True,
            misfire_grace_time=spec.misfire_grace_seconds, coalesce=True, max_instances=1,
        )
        log.info("job %s %s (%s)", spec.id, "replaced" if job is not None else "added", spec.schedule)
    for job_id in stored:
        scheduler.remove_job(job_id)
        log.info("job %s removed: no longer configured", job_id)


def run_daemon(specs: list[JobSpec], settings: DaemonSettings, database: Path) -> None:
    """Run the scheduler until SIGTERM or Ctrl-C.

    :raises DaemonLockedError: another daemon runs on ``database``
    :raises ScheduleError: a job's schedule is impossible
    """
    check_schedules(specs)
    with daemon_lock(database):
        setup_logging(settings)
        db = store.open_store(database)
        abandoned = store.abandon_running_jobs(db)
        db.conn.close()
        if abandoned:
            log.warning("%d job runs left running by an earlier daemon recorded as failed", abandoned)
        settings.jobs_database.parent.mkdir(parents=True, exist_ok=True)
        scheduler = _Scheduler(
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{settings.jobs_database}")},
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )

        def started(_event: SchedulerEvent) -> None:
            _reconcile(scheduler, specs)
            scheduler.resume()

        scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
        stopping = {"count": 0}

        def stop(signum: int, _frame: FrameType | None) -> None:
            stopping["count"] += 1
            name = signal.Signals(signum).name
            if stopping["count"] == 1:
                request_stop()
                log.info("%s: stopping after the %d running job(s) finish; send it again to stop them now",
                         name, running_children())
                scheduler.shutdown(wait=True)
            else:
                log.warning("%s again: stopping %d running job subprocess(es)", name, stop_children())

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            log.info("frwatch daemon started (pid %d) with %d jobs", os.getpid(), len(specs))
            scheduler.start(paused=True)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("frwatch daemon stopped")


def next_runs(jobs_database: Path) -> list[tuple[str, datetime | None]]:
    """Each stored job and its next run time (None when paused), read without starting a scheduler."""
    if not jobs_database.exists():
        return []
    conn = sqlite3.connect(f"file:{jobs_database}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id, next_run_time FROM apscheduler_jobs ORDER BY next_run_time").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return [(job_id, epoch + timedelta(seconds=when) if when is not None else None) for job_id, when in rows]
