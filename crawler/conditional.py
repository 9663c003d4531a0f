"""Conditional GET: ask with the validators (ETag, Last-Modified) seen last time; a 304 costs no body.

Article pages keep their validators on their ``documents`` row, written in the same transaction as the
document, so a crash can never leave a validator for a page that was not stored. Feeds, sitemaps and
EDGAR JSON ("listings") keep theirs in ``http_cache``, written only when a source's crawl finishes
cleanly: an interrupted crawl asks again in full next time instead of trusting a 304 for a listing
whose articles were never stored. Scrapy drops the 304 itself (HttpErrorMiddleware); here it is counted.
Servers that send no validators still save work: the stored body hash of an article rides on its
request, and the spider skips extraction when a 200 brings the same bytes.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

import store
from crawler.store_access import open_crawl_store

LISTING = "frwatch_listing"
# The body hash stored for an article page: a 200 with the very same bytes is not extracted again.
STORED_HASH = "frwatch_stored_html_sha256"


class ConditionalGetMiddleware:
    """Send If-None-Match / If-Modified-Since; count 304s per kind; remember listings' validators."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db: Any = None
        self.listings: dict[str, tuple[str | None, str | None]] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def _store(self) -> Any:
        if self.db is None:
            self.db = open_crawl_store(self.crawler.settings)
        return self.db

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.method != "GET" or request.url.endswith("/robots.txt"):
            return None
        found = store.revisit_state(self._store(), request.url)
        if found is None:
            return None
        etag, last_modified, html_sha256 = found
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))
        if html_sha256 and not request.meta.get(LISTING):
            request.meta[STORED_HASH] = html_sha256
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        stats = self.crawler.stats
        listing = bool(request.meta.get(LISTING))
        if response.status == 304 and stats is not None:
            stats.inc_value(f"frwatch/not_modified/{'listing' if listing else 'document'}")
        elif response.status == 200 and listing:
            etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
            if etag or modified:
                self.listings[request.url] = (etag.decode("latin-1") if etag else None,
                                              modified.decode("latin-1") if modified else None)
        return response

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.db is None:
            return
        if reason == "finished" and self.listings:
            store.remember_validators(self.db, [(url, *v) for url, v in self.listings.items()])
        self.db.conn.close()
        self.db = None
