"""Entry points that need the whole configuration: crawl, tag and digest.

The CLI calls them, and the scheduler (issue [5 of 6]) will reference them as ``"frwatch.jobs:crawl"``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import crawler
import nlp
import scheduler
import store
from frwatch.config import Config, ConfigError


def open_db(config: Config):  # type: ignore[no-untyped-def]
    """The configured store, opened and migrated."""
    return store.open_store(config.storage.database, config.storage.busy_timeout_ms)


def select_sources(config: Config, ids: list[str]) -> list[crawler.SourceSettings]:
    """The configured sources named by ``ids`` (all of them when empty).

    :raises ConfigError: for an id that is not configured
    """
    if not ids:
        return list(config.sources)
    known = {s.id: s for s in config.sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ConfigError(
            f"no source with id {unknown[0]!r} in the configuration; known: {', '.join(known) or 'none'}"
        )
    return [known[i] for i in ids]


def crawl(config: Config, source_ids: list[str], on_item: Callable[[str], None] | None = None) -> None:
    """Crawl the named sources (all when empty) into the store."""
    sources = select_sources(config, source_ids)
    if not sources:
        raise ConfigError("no [[sources]] configured; add one to config.toml (see the commented examples)")
    open_db(config).conn.close()  # fail early, with one line, on an unusable database path
    crawler.run_crawl(
        config.crawl, config.sec, sources, config.storage.database, config.storage.busy_timeout_ms, on_item
    )


def tag(config: Config, on_batch: Callable[[int], None] | None = None) -> nlp.TagReport:
    """Tag every pending document."""
    db = open_db(config)
    try:
        return nlp.tag_pending(db, nlp.Tagger(config.nlp), on_batch)
    finally:
        db.conn.close()


def digest(config: Config, period: str | None, out_dir: Path) -> tuple[scheduler.Digest, list[Path]]:
    """Write the digest of ``period`` (default: the current week) into ``out_dir``."""
    chosen = scheduler.parse_period(period, config.digest.timezone)
    db = open_db(config)
    try:
        selected = scheduler.select_digest(db, chosen, config.digest.timezone, config.digest.max_items_per_label)
    finally:
        db.conn.close()
    return selected, scheduler.write_digest(selected, config.digest, out_dir)
