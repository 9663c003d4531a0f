"""The store as the crawler's components open it: the database and busy timeout the runner put in the
Scrapy settings (``FRWATCH_DATABASE``, ``FRWATCH_BUSY_TIMEOUT_MS``)."""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

import store


def open_crawl_store(settings: BaseSettings) -> Any:
    """Open (and migrate) the crawl's store; each component keeps its own connection."""
    return store.open_store(settings.get("FRWATCH_DATABASE"), settings.getint("FRWATCH_BUSY_TIMEOUT_MS", 30_000))
