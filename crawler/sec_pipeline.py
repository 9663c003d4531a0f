"""Item pipeline for the ``sec`` spider's meeting records: proposals, vote results and solicitations.

Documents go through the normal pipelines; the records that say how they hang together (a proxy's
proposals, an 8-K's votes, a solicitation) are written here with :func:`store.write_meeting_record`, each
in one transaction. When the spider closes, every link is recomputed once more, so a record written
before the documents it names still ends up pointing at them.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

import store
from crawler.store_access import open_crawl_store

logger = logging.getLogger(__name__)
RECORDS = (store.ProxyProposals, store.VoteResults, store.Solicitation)


class MeetingRecordPipeline:
    """Write :data:`store.MeetingRecord` items; pass everything else on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db: Any = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MeetingRecordPipeline:
        return cls(crawler)

    def _store(self) -> Any:
        if self.db is None:
            self.db = open_crawl_store(self.crawler.settings)
        return self.db

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, RECORDS):
            return item
        store.write_meeting_record(self._store(), item)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"frwatch/sec/{type(item).__name__}")
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.db is None:
            return
        store.relink(self.db)
        self.db.conn.close()
        self.db = None
