"""Feed and sitemap walking shared by the ``news`` and ``aws_blog`` spiders.

Feeds and sitemaps from the source's configuration lead to article pages; only links on the source's
allowed domains are followed, and each article page becomes one document. A ``sitemaps`` entry that is a
robots.txt URL is read for its ``Sitemap:`` lines; paged feeds are followed page by page.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.conditional import LISTING, STORED_HASH
from crawler.config import SourceSettings
from crawler.encoding import decode_html
from crawler.extract import extract
from crawler.failures import describe_failure
from crawler.feeds import FeedEntry, ListingError, parse_feed, parse_sitemap, robots_sitemaps
from crawler.limits import TOO_LARGE_STAT, too_large
from crawler.politeness import slot_for, source_slots
from crawler.urls import canonicalize, host_allowed
from store import Document, Kind, now_utc


class FeedSpider(scrapy.Spider):
    """Walk a source's feeds and sitemaps and extract every article they lead to."""

    kind: ClassVar[Kind] = "news"

    def __init__(self, source: SourceSettings, **kwargs: Any) -> None:
        super().__init__(name=self.name, **kwargs)
        self.source = source
        self.allowed_domains = source.domains()
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> FeedSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Settings can still change here (Scrapy freezes them after the spider is built): the source's own
        # concurrency and delay become its sites' download slots.
        slots = source_slots(spider.source)
        if slots:
            crawler.settings.set("DOWNLOAD_SLOTS", {**crawler.settings.getdict("DOWNLOAD_SLOTS"), **slots},
                                 priority="spider")
        return spider

    def _meta(self, url: str, **meta: Any) -> dict[str, Any]:
        """Request meta putting every host of one allowed domain into that domain's download slot.

        A body over half the size cap (``[crawl] max_download_mb``) is logged as a warning on the way.
        """
        slot = slot_for(url, self.allowed_domains)
        if slot:
            meta["download_slot"] = slot
        cap = self.settings.getint("DOWNLOAD_MAXSIZE")
        if cap:
            meta["download_warnsize"] = cap // 2
        return meta

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.feeds:
            yield self._listing(url, self.parse_feed, dont_filter=True)
        for url in self.source.sitemaps:
            robots = urlsplit(url).path == "/robots.txt"
            yield self._listing(url, self.parse_robots if robots else self.parse_sitemap, dont_filter=True)

    def _listing(self, url: str, callback: Any, dont_filter: bool = False) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.download_failed, dont_filter=dont_filter,
                              meta=self._meta(url, **{LISTING: True}))

    def download_failed(self, failure: Failure) -> None:
        """Errback: count and log a page that finally failed, once (see :mod:`crawler.failures`)."""
        if failure.value is not None and too_large(failure.value):
            # A body within the download cap that blows past it once decompressed.
            self.crawler.stats.inc_value(TOO_LARGE_STAT)  # type: ignore[union-attr]
            return
        described = describe_failure(failure)
        if described is not None:
            stat, url, reason = described
            self.crawler.stats.inc_value(f"frwatch/failed/{stat}")  # type: ignore[union-attr]
            self.logger.warning("failed %s: %s", url, reason)

    def _article(self, url: str, entry: FeedEntry | None = None) -> Iterator[scrapy.Request]:
        canonical = canonicalize(url)
        if canonical in self.seen or not host_allowed(canonical, self.allowed_domains):
            return
        limit = self.settings.getint("FRWATCH_MAX_PAGES_PER_SOURCE", 1000)
        if len(self.seen) >= limit:
            return
        self.seen.add(canonical)
        # dont_filter: articles are deduplicated above by canonical URL; Scrapy's duplicate filter would
        # silently drop the second leg of a redirect loop, which must reach the errback as a failure.
        yield scrapy.Request(url, callback=self.parse_article, errback=self.download_failed, dont_filter=True,
                             cb_kwargs={"entry": entry}, meta=self._meta(url))

    def _next_listing(self, response: Response, url: str, callback: Any) -> Iterator[scrapy.Request]:
        """A further feed page or sitemap, when it is on an allowed domain (not every site's own links are)."""
        url = response.urljoin(url)
        if host_allowed(url, self.allowed_domains):
            yield self._listing(url, callback)
        else:
            self.crawler.stats.inc_value("frwatch/offsite_listing")  # type: ignore[union-attr]

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            entries, next_page = parse_feed(response.body, response.url)
        except ListingError as exc:
            entries, next_page = [], None
            self.logger.warning("feed %s unreadable: %s", response.url, exc)
        if not entries:
            self.crawler.stats.inc_value("frwatch/failed/empty_feed")  # type: ignore[union-attr]
            self.logger.warning("feed %s has no entries (malformed or empty)", response.url)
        for entry in entries:
            yield from self._article(response.urljoin(entry.link), entry)
        if next_page:
            yield from self._next_listing(response, next_page, self.parse_feed)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        found = robots_sitemaps(response.body)
        if not found:
            self.crawler.stats.inc_value("frwatch/failed/no_sitemap_in_robots")  # type: ignore[union-attr]
            self.logger.warning("%s names no sitemap", response.url)
        for url in found:
            yield from self._next_listing(response, url, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            kind, entries = parse_sitemap(response.body)
        except (ListingError, OSError, EOFError) as exc:  # OSError, EOFError: a truncated gzip file
            self.crawler.stats.inc_value("frwatch/failed/bad_sitemap")  # type: ignore[union-attr]
            self.logger.warning("sitemap %s unreadable: %s", response.url, exc)
            return
        for entry in entries:
            if kind == "sitemapindex":
                yield from self._next_listing(response, entry.link, self.parse_sitemap)
            else:
                yield from self._article(response.urljoin(entry.link), entry)

    def parse_article(self, response: Response, entry: FeedEntry | None = None) -> Iterator[Document]:
        if not hasattr(response, "text"):
            self.crawler.stats.inc_value("frwatch/failed/not_html")  # type: ignore[union-attr]
            return
        body_sha256 = hashlib.sha256(response.body).hexdigest()
        if response.meta.get(STORED_HASH) == body_sha256:  # the same bytes as stored: nothing to extract
            self.crawler.stats.inc_value("frwatch/unchanged/same_bytes")  # type: ignore[union-attr]
            return
        # Decoded here rather than by Scrapy or trafilatura: a wrong header charset is overruled by the
        # bytes (see crawler.encoding), which neither of them does.
        html = decode_html(response.body, header(response, b"Content-Type"))
        found = extract(html, response.url)
        if found is None:
            self.crawler.stats.inc_value("frwatch/failed/no_text")  # type: ignore[union-attr]
            self.logger.warning("no article text on %s", response.url)
            return
        canonical = response.url
        if found.canonical_url and host_allowed(response.urljoin(found.canonical_url), self.allowed_domains):
            canonical = response.urljoin(found.canonical_url)
        categories = tuple(dict.fromkeys([*(entry.categories if entry else ()), *found.categories]))
        yield Document(
            url=response.url,
            canonical_url=canonical,
            source_id=self.source.id,
            kind=self.kind,
            title=found.title or (entry.title if entry and entry.title else ""),
            text=found.text,
            fetched=now_utc(),
            author=self.author(response) or found.author or (entry.author if entry else None),
            # A date the publisher declared, then the feed's or sitemap's, then htmldate's guess.
            published=(entry.published if entry and entry.published and (found.published_guessed or not
                       found.published) else found.published),
            language=found.language,
            html_sha256=body_sha256,
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
            categories=categories,
        )

    def author(self, response: Response) -> str | None:
        """A site-specific author, when the page's markup says more than its metadata."""
        return None


def header(response: Response, name: bytes) -> str | None:
    """A response header as text, or None."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
