"""Reading feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed through feedparser) and sitemaps (urlset, index).

feedparser never fetches anything itself here: it gets the bytes Scrapy downloaded. Sitemaps go through
Scrapy's own parser, which builds its lxml parser with ``resolve_entities=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import struct_time

import feedparser
from scrapy.utils.sitemap import Sitemap


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where the article is and what the feed says about it."""

    link: str
    title: str | None
    published: str | None
    author: str | None
    categories: tuple[str, ...]


def _stamp(value: struct_time | None) -> str | None:
    if not value:
        return None
    year, month, day, hour, minute, second = value[:6]
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def parse_feed(body: bytes, url: str) -> tuple[list[FeedEntry], str | None]:
    """Entries of a feed and the link to its next page, if the feed is paged (RFC 5005 ``rel=next``).

    :param body: the downloaded feed
    :param url: its URL, to resolve relative links
    """
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        entries.append(
            FeedEntry(
                link=link,
                title=entry.get("title"),
                published=_stamp(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=entry.get("author"),
                categories=tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
            )
        )
    next_page = next(
        (link.get("href") for link in parsed.feed.get("links", []) if link.get("rel") == "next"), None
    )
    return entries, next_page


def parse_sitemap(body: bytes) -> tuple[str, list[str]]:
    """The kind of a sitemap (``urlset`` or ``sitemapindex``) and the locations it lists."""
    sitemap = Sitemap(body)
    return sitemap.type, [entry["loc"] for entry in sitemap if entry.get("loc")]
