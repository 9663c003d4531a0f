"""The ``news`` spider: feeds (RSS, Atom, JSON Feed), sitemaps and robots.txt of news sites → article pages →
documents."""

from __future__ import annotations

from crawler.spiders.base import FeedSpider


class NewsSpider(FeedSpider):
    """News sites: every article a configured feed or sitemap lists."""

    name = "news"
    kind = "news"
