"""The ``aws_blog`` spider: AWS blog feeds → posts with authors, categories and dates.

AWS blog pages mark authors up in RDFa (``<span property="author"><span property="name">``), and a
post often has several; the feed's ``<category>`` elements carry the categories.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.spiders.base import FeedSpider


class AwsBlogSpider(FeedSpider):
    """AWS blogs: posts from the configured blog feeds."""

    name = "aws_blog"
    kind = "blog"

    def author(self, response: Response) -> str | None:
        names = response.xpath(
            '//*[@property="author"]//*[@property="name"]/text() | //a[@rel="author"]/text()'
        ).getall()
        names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        return ", ".join(names) or None
