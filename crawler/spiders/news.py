"""The ``news`` spider: RSS/Atom feeds and sitemaps of news sites → article pages → documents."""

from __future__ import annotations

from crawler.spiders.base import FeedSpider


class NewsSpider(FeedSpider):
    """News sites: every article a configured feed or sitemap lists."""

    name = "news"
    kind = "news"
