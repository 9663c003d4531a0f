"""Killing ``frwatch crawl`` and ``frwatch tag`` with SIGKILL at seeded random points, and auditing the store.

A kill lands only once the job is doing real work (a seeded random number of pages served to this crawl,
a first batch tagged) plus a random delay, so it interrupts the writing rather than Python's start-up.
:func:`audit` compares the store with what the site serves: documents lost, duplicated, left pending, and
SQLite's integrity check.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.faults import corpus
from tests.faults import crawl as fc

ARTICLES = 30
# Links carrying tracking parameters to pages also linked plainly: one page, one row.
TRACKED = [f"/good/{n}.html?utm_source=feed&utm_medium=rss" for n in range(1, 11)]
# Two pages at a time, each answered after a short wait: the crawl lasts a few seconds, long enough to kill.
CRAWL = ('download_delay = 0\nconcurrent_requests_per_domain = 2\ndownload_timeout = 10\nlog_level = "WARNING"\n')
NLP = "[nlp]\nbatch_size = 2\n"


def crash_plan() -> fc.Plan:
    """One RSS source linking :data:`ARTICLES` good pages, ten of them twice."""
    return fc.Plan([fc.Source("crash", "/feeds/crash.rss", corpus.rss, good=list(range(1, ARTICLES + 1)))],
                   extra_paths={"crash": TRACKED})


def count(database: Path, sql: str) -> int:
    """One number from the database, read on a read-only connection (0 while it does not exist)."""
    if not database.exists():
        return 0
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


def reached(database: Path, sql: str, at_least: int) -> Callable[[], bool]:
    """A condition for :func:`kill_during`: ``sql`` counts at least ``at_least`` in the database."""
    return lambda: count(database, sql) >= at_least


def kill_during(process: subprocess.Popen[str], ready: Callable[[], bool], rng: random.Random, spread: float,
                timeout: float = 60) -> float | None:
    """SIGKILL ``process`` a random 0..``spread`` seconds after ``ready()`` turns true.

    :returns: seconds from the call to the kill, or None when the process finished first
    """
    started = time.monotonic()
    while not ready():
        if process.poll() is not None or time.monotonic() - started > timeout:
            process.communicate()
            return None
        time.sleep(0.05)
    time.sleep(rng.uniform(0, spread))
    if process.poll() is not None:
        process.communicate()
        return None
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return time.monotonic() - started


@dataclass(frozen=True)
class Audit:
    """What the store holds against what the site serves."""

    stored: int
    lost: int
    duplicated: int
    unexpected: int
    pending: int
    integrity: str
    tags_per_document: set[int]

    @property
    def sound(self) -> bool:
        return self.lost == self.duplicated == self.unexpected == 0 and self.integrity == "ok"


def audit(database: Path, expected: set[str]) -> Audit:
    """Compare the stored canonical URLs with ``expected`` and run ``PRAGMA integrity_check``."""
    conn = sqlite3.connect(database, timeout=30)
    try:
        urls = [r[0] for r in conn.execute("select canonical_url from documents")]
        pending = conn.execute("select count(*) from documents where tag_status != 'tagged'").fetchone()[0]
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        per_doc = {r[0] for r in conn.execute(
            "select count(t.label) from documents d left join tags t on t.document_id = d.id group by d.id")}
    finally:
        conn.close()
    return Audit(stored=len(urls), lost=len(expected - set(urls)), duplicated=len(urls) - len(set(urls)),
                 unexpected=len(set(urls) - expected), pending=int(pending), integrity=str(integrity),
                 tags_per_document=per_doc)
