"""Records of the daemon's work: ``job_runs`` (every scheduled run and its outcome) and ``digests``
(which digest went to whom, so a period reaches each recipient at most once).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from store.database import transaction
from store.documents import now_utc

JOB_STATUSES = ("running", "ok", "failed", "timeout", "skipped")


@dataclass(frozen=True)
class JobRun:
    """One run of one scheduled job."""

    id: int
    job_id: str
    kind: str
    started: str
    finished: str | None
    status: str
    error: str | None


@dataclass(frozen=True)
class DigestRecord:
    """The state of one (period, recipient) digest."""

    period: str
    recipient: str
    status: str
    message_id: str
    attempts: int
    items: int
    sent: str | None
    error: str | None


def start_job_run(db: sqlite_utils.Database, job_id: str, kind: str) -> int:
    """Open a ``job_runs`` row in status ``running`` and return its id."""
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO job_runs (job_id, kind, started, status) VALUES (?, ?, ?, 'running')",
            [job_id, kind, now_utc()],
        )
    return int(cursor.lastrowid or 0)


def set_job_pid(db: sqlite_utils.Database, run_id: int, pid: int) -> None:
    """Remember the process a run started, so an operator (or a test) can find it."""
    with transaction(db):
        db.execute("UPDATE job_runs SET pid = ? WHERE id = ?", [pid, run_id])


def finish_job_run(db: sqlite_utils.Database, run_id: int, status: str, error: str | None = None) -> None:
    """Close a run with its outcome.

    :param status: one of ``ok``, ``failed``, ``timeout``, ``skipped``
    """
    if status not in JOB_STATUSES[1:]:
        raise ValueError(f"unknown job status {status!r}")
    with transaction(db):
        db.execute(
            "UPDATE job_runs SET finished = ?, status = ?, error = ? WHERE id = ?",
            [now_utc(), status, error, run_id],
        )


def abandon_running_jobs(db: sqlite_utils.Database) -> int:
    """Mark runs left ``running`` by a daemon that died as failed; returns how many.

    Called at daemon start, under the daemon's lock, so no live run can be among them.
    """
    with transaction(db):
        cursor = db.execute(
            "UPDATE job_runs SET status = 'failed', finished = ?, "
            "error = 'the daemon stopped before this run finished' WHERE status = 'running'",
            [now_utc()],
        )
    return cursor.rowcount


def last_job_runs(db: sqlite_utils.Database, per_job: int = 3) -> list[JobRun]:
    """The latest ``per_job`` runs of every job, newest first within a job."""
    rows = db.execute(
        """
        SELECT id, job_id, kind, started, finished, status, error FROM (
            SELECT *, row_number() OVER (PARTITION BY job_id ORDER BY id DESC) AS n FROM job_runs
        ) WHERE n <= ? ORDER BY job_id, id DESC
        """,
        [per_job],
    ).fetchall()
    return [JobRun(*row) for row in rows]


def digest_record(db: sqlite_utils.Database, period: str, recipient: str) -> DigestRecord | None:
    """The digest row of ``(period, recipient)``, if any."""
    row = db.execute(
        "SELECT period, recipient, status, message_id, attempts, items, sent, error FROM digests "
        "WHERE period = ? AND recipient = ?",
        [period, recipient],
    ).fetchone()
    return DigestRecord(*row) if row else None


def claim_digest(db: sqlite_utils.Database, period: str, recipient: str, message_id: str, force: bool) -> bool:
    """Take the (period, recipient) digest for sending; False when it was already sent (and not forced).

    The row goes to ``sending`` before any SMTP traffic and becomes ``sent`` only after the server
    accepted the message (:func:`digest_sent`). A row left ``sending`` by a crash is due again: the
    deterministic Message-ID lets mail clients fold the rare repeat into one message.
    """
    with transaction(db):
        row = db.execute(
            "SELECT status FROM digests WHERE period = ? AND recipient = ?", [period, recipient]
        ).fetchone()
        if row and row[0] == "sent" and not force:
            return False
        if row:
            db.execute(
                "UPDATE digests SET status = 'sending', attempts = attempts + 1, message_id = ?, error = NULL "
                "WHERE period = ? AND recipient = ?",
                [message_id, period, recipient],
            )
        else:
            db.execute(
                "INSERT INTO digests (period, recipient, status, message_id, attempts, created) "
                "VALUES (?, ?, 'sending', ?, 1, ?)",
                [period, recipient, message_id, now_utc()],
            )
    return True


def digest_sent(db: sqlite_utils.Database, period: str, recipient: str, document_ids: list[int]) -> None:
    """Record that the server accepted the digest, with the documents it carried."""
    with transaction(db):
        db.execute(
            "UPDATE digests SET status = 'sent', sent = ?, items = ?, error = NULL "
            "WHERE period = ? AND recipient = ?",
            [now_utc(), len(document_ids), period, recipient],
        )
        (digest_id,) = db.execute(
            "SELECT id FROM digests WHERE period = ? AND recipient = ?", [period, recipient]
        ).fetchone()
        db.conn.executemany(
            "INSERT OR IGNORE INTO digest_items (digest_id, document_id) VALUES (?, ?)",
            [(digest_id, document_id) for document_id in document_ids],
        )


def digest_failed(db: sqlite_utils.Database, period: str, recipient: str, error: str) -> None:
    """Record a failed delivery; the digest stays due."""
    with transaction(db):
        db.execute(
            "UPDATE digests SET status = 'failed', error = ? WHERE period = ? AND recipient = ?",
            [error, period, recipient],
        )


def sent_before(db: sqlite_utils.Database, period: str) -> tuple[set[int], set[int]]:
    """Documents, and near-duplicate clusters, already carried by a digest of an earlier period.

    :returns: (document ids, cluster ids)
    """
    rows = db.execute(
        """
        SELECT DISTINCT d.id, d.cluster_id FROM digest_items i
        JOIN digests g ON g.id = i.digest_id
        JOIN documents d ON d.id = i.document_id
        WHERE g.status = 'sent' AND g.period < ?
        """,
        [period],
    ).fetchall()
    return {r[0] for r in rows}, {r[1] for r in rows if r[1] is not None}


def last_digests(db: sqlite_utils.Database) -> list[DigestRecord]:
    """The latest digest row of each recipient."""
    rows = db.execute(
        """
        SELECT period, recipient, status, message_id, attempts, items, sent, error FROM (
            SELECT *, row_number() OVER (PARTITION BY recipient ORDER BY period DESC) AS n FROM digests
        ) WHERE n = 1 ORDER BY recipient
        """
    ).fetchall()
    return [DigestRecord(*row) for row in rows]
