"""Crawl accounting: one ``crawl_runs`` row per source per crawl, opened at start and closed at the end."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from store.database import transaction
from store.documents import now_utc


@dataclass
class CrawlCounts:
    """What one crawl of one source did; the crawler fills it as items and responses pass."""

    requests: int = 0
    responses: dict[str, int] = field(default_factory=dict)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


def start_crawl_run(db: sqlite_utils.Database, source_id: str, spider: str) -> int:
    """Open a ``crawl_runs`` row in status ``running`` and return its id.

    A row of the same source still ``running`` belongs to a crawl that died without closing it (killed,
    or the machine went down): it is closed as failed, so it does not read as running for ever.
    """
    with transaction(db):
        db.execute(
            "UPDATE crawl_runs SET status = 'failed', finished = ?, "
            "error = 'the crawl process ended before it finished (killed or crashed)' "
            "WHERE source_id = ? AND status = 'running'",
            [now_utc(), source_id],
        )
        cursor = db.execute(
            "INSERT INTO crawl_runs (source_id, spider, started, status) VALUES (?, ?, ?, 'running')",
            [source_id, spider, now_utc()],
        )
    return int(cursor.lastrowid or 0)


def finish_crawl_run(
    db: sqlite_utils.Database, run_id: int, counts: CrawlCounts, error: str | None = None
) -> None:
    """Close a run with its counts; an ``error`` marks it failed."""
    with transaction(db):
        db.execute(
            "UPDATE crawl_runs SET finished = ?, status = ?, requests = ?, responses = ?, new = ?, "
            "updated = ?, unchanged = ?, failed = ?, error = ? WHERE id = ?",
            [now_utc(), "failed" if error else "finished", counts.requests,
             json.dumps(counts.responses, sort_keys=True), counts.new, counts.updated,
             counts.unchanged, counts.failed, error, run_id],
        )
