"""Item pipelines: normalise a document, then write it to the store and keep the crawl's accounts.

Each source's crawl opens one ``crawl_runs`` row and closes it with the counts from Scrapy's stats and
from the upserts (new, updated, unchanged, failed).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

import store
from crawler.dedupe import bands, signature
from crawler.store_access import open_crawl_store
from crawler.urls import canonicalize

logger = logging.getLogger(__name__)


def clean_text(text: str) -> str:
    """Collapse runs of spaces inside lines and of blank lines between paragraphs."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class NormalizePipeline:
    """Canonical URL, tidy whitespace, near-duplicate signature; a document without text is dropped."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, store.Document):
            return item
        text = clean_text(item.text)
        title = re.sub(r"\s+", " ", item.title).strip()
        if not text:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("frwatch/failed/empty_text")
            raise DropItem(f"no main text found on {item.url}")
        # The signature is of the text alone: syndicated copies often carry a new headline. Filings are
        # not clustered: two years' 8-Ks share most of their boilerplate and are still different filings.
        minhash = signature(text) if item.kind != "filing" else None
        canonical = canonicalize(item.canonical_url)
        if item.kind == "filing" and "#" in item.canonical_url:
            # A proposal inside a proxy statement is a document of its own: "<filing URL>#proposal-6".
            canonical += "#" + item.canonical_url.split("#", 1)[1]
        return dataclasses.replace(
            item, text=text, title=title or item.url, canonical_url=canonical,
            minhash=minhash, minhash_bands=tuple(bands(minhash)) if minhash else (),
        )


class StorePipeline:
    """Upsert documents into the SQLite store and record the crawl run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.counts = store.CrawlCounts()
        self.db: Any = None
        self.run_id = 0
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.db = open_crawl_store(self.crawler.settings)
        spider = spider or self.crawler.spider
        source = spider.source  # type: ignore[union-attr]
        store.ensure_source(self.db, source.id, source.spider, source.name)
        self.run_id = store.start_crawl_run(self.db, source.id, source.spider)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, store.Document):
            return item
        _, outcome = store.upsert_document(self.db, item)
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.db is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        prefix = "downloader/response_status_count/"
        self.counts.requests = int(stats.get("downloader/request_count", 0))
        self.counts.responses = {
            key[len(prefix):]: int(value) for key, value in stats.items() if key.startswith(prefix)
        }
        # Pages answered 304 were not downloaded again: unchanged documents.
        self.counts.unchanged += int(stats.get("frwatch/not_modified/document", 0))
        # Pages that came back with the very bytes stored: unchanged, not extracted again.
        self.counts.unchanged += int(stats.get("frwatch/unchanged/same_bytes", 0))
        # One per failed page, counted by the spiders' errbacks after Scrapy's retries (not Scrapy's
        # per-attempt exception counts); requests refused on purpose have their own stats.
        self.counts.failed += sum(
            int(value) for key, value in stats.items()
            if key.startswith(("frwatch/failed/", "frwatch/refused", "spider_exceptions/"))
        )
        error = None if reason == "finished" else f"spider closed: {reason}"
        store.finish_crawl_run(self.db, self.run_id, self.counts, error)
        self.db.conn.close()
        self.db = None
