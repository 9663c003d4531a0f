"""Crash safety: crawls and a tag job SIGKILLed at seeded random points, then rerun, lose and duplicate nothing;
Datasette reads the live file while the crawler writes it.

Repetitions are few here to keep ``make test`` quick; ``python -m tests.faults.report`` repeats them
more and writes the totals to docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from frwatch.cli import main
from frwatch.serve import metadata_for
from tests.faults import crash
from tests.faults import crawl as fc
from tests.faults.server import FaultServer

SEED = 20261126
CRAWL_KILLS = 2


class Readers:
    """Datasette's in-process client and a plain sqlite3 connection reading in threads until stopped."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.stop = threading.Event()
        self.reads = 0
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=lambda: asyncio.run(self._datasette()), daemon=True),
                        threading.Thread(target=self._sqlite, daemon=True)]

    async def _datasette(self) -> None:
        datasette = Datasette([str(self.database)], metadata=metadata_for(self.database))
        while not self.stop.is_set():
            for page in ("/crawl/documents.json?_size=5&_sort_desc=id", "/crawl/crawl_runs.json",
                         "/crawl/documents?_search=police"):
                response = await datasette.client.get(page)
                self.reads += 1
                if response.status_code != 200 or "locked" in response.text:
                    self.errors.append(f"{page}: {response.status_code} {response.text[:200]}")

    def _sqlite(self) -> None:
        while not self.stop.is_set():
            conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
            try:
                conn.execute("select count(*), max(id) from documents").fetchone()
                self.reads += 1
            except sqlite3.OperationalError as exc:
                self.errors.append(f"sqlite3: {exc}")
            finally:
                conn.close()

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


@dataclass
class Crawled:
    """The module's crawl: killed crawls, then a complete one while Datasette read."""

    folder: Path
    config: Path
    expected: set[str]
    killed_at: list[float | None]
    interrupted: crash.Audit
    final: subprocess.CompletedProcess[str]
    readers: Readers

    @property
    def database(self) -> Path:
        return self.folder / "crawl.db"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("crash")
    with FaultServer(max_requests=2000, max_seconds=150, good_delay=0.25) as server:
        plan = crash.crash_plan()
        config = fc.write_config(folder, plan, plan.install(server), crawl=crash.CRAWL)
        database = folder / "crawl.db"
        expected = plan.expected_good(server.base)
        rng = random.Random(SEED)
        killed = []
        for _ in range(CRAWL_KILLS):
            # A seeded number of article pages into this crawl (30 in all), then up to 0.3 s more.
            served, pages = len(server.requested("/good/")), rng.randint(2, 20)
            killed.append(crash.kill_during(fc.start(config),
                                            lambda s=served, p=pages: len(server.requested("/good/")) >= s + p,
                                            rng, 0.3))
        interrupted = crash.audit(database, expected)
        with Readers(database) as readers:
            final = fc.finish(fc.start(config))
        yield Crawled(folder, config, expected, killed, interrupted, final, readers)


def test_killed_crawls_then_a_rerun_lose_and_duplicate_nothing(crawled):
    assert all(at is not None for at in crawled.killed_at), "every crawl was killed mid-way, not after finishing"
    interrupted = crawled.interrupted
    assert interrupted.integrity == "ok" and interrupted.duplicated == interrupted.unexpected == 0
    assert interrupted.stored + interrupted.lost == crash.ARTICLES
    assert crawled.final.returncode == 0, crawled.final.stderr[-2000:]
    final = crash.audit(crawled.database, crawled.expected)
    assert (final.lost, final.duplicated, final.unexpected, final.integrity) == (0, 0, 0, "ok")
    assert final.stored == crash.ARTICLES


def test_datasette_and_sqlite_read_while_the_crawler_writes(crawled):
    assert crawled.readers.errors == []
    assert crawled.readers.reads > 10


def test_a_killed_crawl_is_not_left_running(crawled):
    conn = sqlite3.connect(crawled.database)
    try:
        assert conn.execute("select count(*) from crawl_runs where status = 'running'").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_killed_tag_job_then_a_rerun_tags_every_document_once(crawled):
    config, database = crawled.config, crawled.database
    config.write_text(config.read_text() + "\n" + crash.NLP)
    tagged = "select count(*) from documents where tag_status = 'tagged'"
    at = crash.kill_during(fc.start(config, "tag"), crash.reached(database, tagged, 2), random.Random(SEED), 1.5,
                           timeout=120)
    assert at is not None, "the tag job was killed mid-way, not after finishing"
    interrupted = crash.audit(database, crawled.expected)
    assert 0 < interrupted.pending < crash.ARTICLES and interrupted.integrity == "ok"
    rerun = CliRunner().invoke(main, ["--config", str(config), "tag"])
    assert rerun.exit_code == 0, rerun.output
    final = crash.audit(database, crawled.expected)
    assert (final.lost, final.duplicated, final.pending, final.integrity) == (0, 0, 0, "ok")
    assert final.tags_per_document == {3}, "one tag per label per document, none twice"
