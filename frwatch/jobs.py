"""Entry points that need the whole configuration: crawl, tag, digest, and the daemon's jobs.

The CLI calls them; the daemon stores ``"frwatch.jobs:scheduled_crawl"`` and
``"frwatch.jobs:scheduled_digest"`` with plain arguments (the config file's path, a source id) and each
run reloads the configuration, so an edited config.toml applies from the next run on.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import crawler
import nlp
import scheduler
import store
from frwatch.config import Config, ConfigError, load_config, prepare_data_directory


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
    prepare_data_directory(config)
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


def row_base(config: Config) -> str:
    """URL prefix of a document's row in Datasette, or "" when ``serve.base_url`` is not set."""
    base = config.serve.base_url.rstrip("/")
    return f"{base}/{config.storage.database.stem}/documents/" if base else ""


def select_digest(config: Config, period: str | None, default_previous: bool) -> scheduler.Digest:
    """The digest of ``period``; without one, the current week or (``default_previous``) the last full one."""
    chosen = scheduler.parse_period(period, config.digest.timezone)
    if period is None and default_previous:
        chosen = chosen.previous(config.digest.timezone)
    db = open_db(config)
    try:
        return scheduler.select_digest(
            db, chosen, config.digest.timezone, config.digest.max_items_per_label, row_base(config)
        )
    finally:
        db.conn.close()


def digest(config: Config, period: str | None, out_dir: Path) -> tuple[scheduler.Digest, list[Path]]:
    """Write the digest of ``period`` (default: the current week, so far) into ``out_dir``."""
    selected = select_digest(config, period, default_previous=False)
    return selected, scheduler.write_digest(selected, config.digest, out_dir)


def send_digest(config: Config, period: str | None, force: bool = False) -> list[scheduler.Delivery]:
    """Send the digest of ``period`` (default: the last full week) to each recipient that lacks it."""
    selected = select_digest(config, period, default_previous=True)
    db = open_db(config)
    try:
        return scheduler.deliver(db, selected, config.digest, force)
    finally:
        db.conn.close()


# Two sources finishing together must not tag the same pending documents twice over.
_tag_lock = threading.Lock()


def _command(config: Config, *args: str) -> list[str]:
    argv = [sys.executable, "-m", "frwatch"]
    if config.path is not None:
        argv += ["--config", str(config.path)]
    return argv + list(args)


def scheduled_crawl(config_path: str | None, source_id: str) -> None:
    """The daemon's crawl job: crawl one source in a subprocess, then tag what is pending."""
    config = load_config(config_path)
    database = config.storage.database
    timeout = config.daemon.crawl_timeout_minutes * 60
    scheduler.run_recorded(
        database, f"crawl:{source_id}", "crawl",
        lambda on_start: scheduler.run_subprocess(_command(config, "crawl", source_id), timeout, on_start),
    )
    if config.daemon.tag_after_crawl and not scheduler.stop_requested():
        with _tag_lock:
            scheduled_tag(config_path)


def scheduled_tag(config_path: str | None) -> None:
    """The daemon's tag job, in a subprocess so the model's memory goes back when it ends."""
    config = load_config(config_path)
    timeout = config.daemon.tag_timeout_minutes * 60
    scheduler.run_recorded(
        config.storage.database, "tag", "tag",
        lambda on_start: scheduler.run_subprocess(_command(config, "tag"), timeout, on_start),
    )


def scheduled_digest(config_path: str | None) -> None:
    """The daemon's weekly digest job: send the last full week to every recipient that lacks it."""
    config = load_config(config_path)

    def work(_on_start: Callable[[int], None]) -> None:
        failed = [d for d in send_digest(config, None) if d.outcome == "failed"]
        if failed:
            raise scheduler.JobError(f"not delivered to {len(failed)} recipient(s): {failed[0].error}")

    scheduler.run_recorded(config.storage.database, "digest", "digest", work)


def daemon_jobs(config: Config) -> list[scheduler.JobSpec]:
    """The jobs ``frwatch run`` schedules: one per source, and the digest when it has recipients."""
    path = str(config.path) if config.path else None
    grace = int(config.daemon.misfire_grace_minutes * 60)
    specs = [
        scheduler.JobSpec(
            id=f"crawl:{source.id}", func="frwatch.jobs:scheduled_crawl", args=(path, source.id),
            schedule=source.schedule, timezone=config.digest.timezone, misfire_grace_seconds=grace,
        )
        for source in config.sources
    ]
    if config.digest.recipients:
        specs.append(scheduler.JobSpec(
            id="digest", func="frwatch.jobs:scheduled_digest", args=(path,),
            schedule=config.digest.schedule or f"weekly {config.digest.weekday} {config.digest.time}",
            timezone=config.digest.timezone,
            misfire_grace_seconds=int(config.digest.misfire_grace_hours * 3600),
        ))
    return specs


def run(config: Config) -> None:
    """Run the daemon until SIGTERM or Ctrl-C.

    :raises ConfigError: nothing to schedule
    """
    if not config.sources:
        raise ConfigError("no [[sources]] configured; `frwatch run` has nothing to schedule")
    prepare_data_directory(config)
    open_db(config).conn.close()  # fail early, with one line, on an unusable database path
    scheduler.run_daemon(daemon_jobs(config), config.daemon, config.storage.database)

