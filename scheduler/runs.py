"""Running one scheduled job and recording it in ``job_runs``: in-process work, or a subprocess with a
timeout (a crawl must be a subprocess: Scrapy's Twisted reactor cannot be restarted in one process).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import store

log = logging.getLogger(__name__)

_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()
_stop = threading.Event()


def request_stop() -> None:
    """The daemon is stopping: jobs should not start follow-up work (such as tagging after a crawl)."""
    _stop.set()


def stop_requested() -> bool:
    """Whether the daemon is stopping."""
    return _stop.is_set()


class JobError(Exception):
    """The job ran and failed; the message is what ``job_runs.error`` records."""


class JobTimeoutError(JobError):
    """The job's subprocess outlived its timeout and was killed."""


def run_subprocess(argv: list[str], timeout: float, on_start: Callable[[int], None] | None = None) -> None:
    """Run ``argv`` in its own session (so a Ctrl-C on the daemon's terminal does not reach it) and wait.

    :param timeout: seconds; past it the whole process group is killed
    :param on_start: called with the child's pid
    :raises JobTimeoutError: on timeout
    :raises JobError: on a non-zero exit or death by a signal, with the tail of its stderr
    """
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    with _children_lock:
        _children.add(process)
    try:
        if on_start:
            on_start(process.pid)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process, signal.SIGKILL)
            process.communicate()
            raise JobTimeoutError(f"killed after the {timeout:g} s timeout") from None
    finally:
        with _children_lock:
            _children.discard(process)
    if process.returncode == 0:
        return
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
    if process.returncode < 0:
        reason = f"killed by {signal.Signals(-process.returncode).name}"
    else:
        reason = f"exit code {process.returncode}"
    raise JobError(f"{reason}" + (f": {' | '.join(tail)}" if tail else ""))


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it exited on its own meanwhile
        os.killpg(process.pid, sig)


def stop_children() -> int:
    """Ask every running job subprocess to stop (SIGTERM to its group); returns how many were running."""
    with _children_lock:
        running = list(_children)
    for process in running:
        _kill_group(process, signal.SIGTERM)
    return len(running)


def running_children() -> int:
    """How many job subprocesses are running now."""
    with _children_lock:
        return len(_children)


def run_recorded(database: Path, job_id: str, kind: str, work: Callable[[Callable[[int], None]], None]) -> str:
    """Run ``work`` with a ``job_runs`` row around it and return the recorded status.

    :param work: called with a function that records the pid of a subprocess it starts
    """
    db = store.open_store(database)
    try:
        run_id = store.start_job_run(db, job_id, kind)
        log.info("job %s started (run %d)", job_id, run_id)
        status, error = "ok", None
        try:
            work(lambda pid: store.set_job_pid(db, run_id, pid))
        except JobTimeoutError as exc:
            status, error = "timeout", str(exc)
        except JobError as exc:
            status, error = "failed", str(exc)
        except Exception as exc:  # a job's bug must be recorded and must not stop the daemon
            log.exception("job %s raised", job_id)
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        store.finish_job_run(db, run_id, status, error)
        (log.info if status == "ok" else log.error)("job %s %s%s", job_id, status, f": {error}" if error else "")
        return status
    finally:
        db.conn.close()
