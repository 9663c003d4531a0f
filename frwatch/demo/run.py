"""``frwatch demo``: serve the demo site, crawl it, tag, write the digest and print what was found."""

from __future__ import annotations

import time
from pathlib import Path

import sqlite_utils
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import store
from crawler import CrawlSettings, SecSettings
from frwatch import jobs
from frwatch.config import Config
from frwatch.demo.server import DemoServer, demo_sources
from scheduler import DigestSettings
from store import StoreSettings


def demo_config(server: DemoServer, db_path: Path) -> Config:
    """The configuration the demo runs with: the local server's sources, no politeness delays."""
    return Config(
        storage=StoreSettings(database=db_path),
        crawl=CrawlSettings(
            user_agent="frwatch-demo/0.1 (+local demo)",
            allow_private_addresses=True,  # the demo site is on 127.0.0.1
            download_delay=0,
            concurrent_requests_per_domain=8,
            log_level="ERROR",
        ),
        sec=SecSettings(user_agent="frwatch demo demo@frwatch.invalid", requests_per_second=10),
        digest=DigestSettings(recipients=["reader@example.org"], sender="frwatch-demo@example.org"),
        sources=demo_sources(server.site),
    )


def remove_database(path: Path) -> None:
    """Delete an earlier demo database with its WAL files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_demo(db_path: Path, digest_dir: Path, console: Console) -> None:
    """Run the whole pipeline on the demo site into ``db_path`` and print a summary."""
    started = time.monotonic()
    remove_database(db_path)
    with DemoServer() as server:
        config = demo_config(server, db_path)
        console.print(f"Demo site on {server.base_url}/ · database {db_path}")
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"),
            TimeElapsedColumn(), console=console, transient=False,
        ) as progress:
            crawl_task = progress.add_task("crawling news, blog and EDGAR", total=None)
            jobs.crawl(config, [], on_item=lambda _source: progress.advance(crawl_task))
            progress.update(crawl_task, total=progress.tasks[crawl_task].completed)
            db = jobs.open_db(config)
            tag_task = progress.add_task("tagging", total=store.count_pending(db))
            report = jobs.tag(config, on_batch=lambda n: progress.advance(tag_task, n))
            digest_task = progress.add_task("writing the digest", total=1)
            selected, paths = jobs.digest(config, None, digest_dir)
            progress.advance(digest_task)
        print_summary(console, db, selected.total, paths, report.tagged, db_path)
        db.conn.close()
    console.print(f"Finished in {time.monotonic() - started:.1f} s.")


def print_summary(
    console: Console, db: sqlite_utils.Database, digest_total: int, paths: list[Path], tagged: int, db_path: Path
) -> None:
    """Documents per source and kind, positives per label, a few evidence lines, and what to do next."""
    docs = Table("source", "kind", "documents", title="Documents crawled")
    for source_id, kind, count, _pending in store.document_counts(db):
        docs.add_row(source_id, kind, str(count))
    console.print(docs)
    labels = Table("label", "positive", "of tagged", title=f"Tagged ({tagged} documents)")
    for label, positive, scored in store.label_counts(db):
        labels.add_row(label, str(positive), str(scored))
    console.print(labels)
    evidence = Table("label", "score", "document", "evidence", title="Strongest evidence")
    for mention in _top_mentions(db):
        evidence.add_row(mention.label, f"{mention.score:.2f}", mention.title[:50], (mention.evidence or "")[:110])
    console.print(evidence)
    proposals = Table("company", "year", "item", "proponent", "board", "support", "exempt / replies",
                      title="Face-recognition shareholder proposals (canned query proposals_by_company)")
    for row in store.proposal_support(db):
        support = row["support_for_against"]
        proposals.add_row(str(row["company"]), str(row["year"]), str(row["number"]), str(row["proponent"] or ""),
                          str(row["board_recommendation"] or ""),
                          f"{support:.1%}" if isinstance(support, float) else "",
                          f"{row['exempt_solicitations']} / {row['company_replies']}")
    console.print(proposals)
    console.print(f"Digest ({digest_total} mentions): {', '.join(str(p) for p in paths)}")
    console.print(f"Open it in Datasette:  .venv/bin/frwatch serve --db {db_path}")


def _top_mentions(db: sqlite_utils.Database) -> list[store.Mention]:
    everything = store.mentions(db, "0000", "9999")
    best: dict[str, list[store.Mention]] = {}
    for mention in sorted(everything, key=lambda m: -m.score):
        best.setdefault(mention.label, [])
        if len(best[mention.label]) < 2:
            best[mention.label].append(mention)
    return [m for rows in best.values() for m in rows]
