"""Feed and sitemap walking shared by the ``news`` and ``aws_blog`` spiders.

Feeds and sitemaps from the source's configuration lead to article pages; only links on the source's
allowed domains are followed, and each article page becomes one document.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from crawler.conditional import LISTING
from crawler.config import SourceSettings
from crawler.extract import extract
from crawler.feeds import FeedEntry, parse_feed, parse_sitemap
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

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, dont_filter=True, meta={LISTING: True})
        for url in self.source.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, dont_filter=True, meta={LISTING: True})

    def _article(self, url: str, entry: FeedEntry | None = None) -> Iterator[scrapy.Request]:
        canonical = canonicalize(url)
        if canonical in self.seen or not host_allowed(canonical, self.allowed_domains):
            return
        limit = self.settings.getint("FRWATCH_MAX_PAGES_PER_SOURCE", 1000)
        if len(self.seen) >= limit:
            return
        self.seen.add(canonical)
        yield scrapy.Request(url, callback=self.parse_article, cb_kwargs={"entry": entry})

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries, next_page = parse_feed(response.body, response.url)
        if not entries:
            self.crawler.stats.inc_value("frwatch/failed/empty_feed")  # type: ignore[union-attr]
            self.logger.warning("feed %s has no entries (malformed or empty)", response.url)
        for entry in entries:
            yield from self._article(response.urljoin(entry.link), entry)
        if next_page and host_allowed(response.urljoin(next_page), self.allowed_domains):
            yield scrapy.Request(response.urljoin(next_page), callback=self.parse_feed, meta={LISTING: True})

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            kind, locations = parse_sitemap(response.body)
        except Exception as exc:  # lxml raises several types on hostile XML; all mean "unusable"
            self.crawler.stats.inc_value("frwatch/failed/bad_sitemap")  # type: ignore[union-attr]
            self.logger.warning("sitemap %s unreadable: %s", response.url, exc)
            return
        for loc in locations:
            url = response.urljoin(loc)
            if kind == "sitemapindex":
                if host_allowed(url, self.allowed_domains):
                    yield scrapy.Request(url, callback=self.parse_sitemap, meta={LISTING: True})
            else:
                yield from self._article(url)

    def parse_article(self, response: Response, entry: FeedEntry | None = None) -> Iterator[Document]:
        if not hasattr(response, "text"):
            self.crawler.stats.inc_value("frwatch/failed/not_html")  # type: ignore[union-attr]
            return
        found = extract(response.body, response.url)
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
            published=found.published or (entry.published if entry else None),
            language=found.language,
            html_sha256=hashlib.sha256(response.body).hexdigest(),
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
