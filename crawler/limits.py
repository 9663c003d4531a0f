"""The download size cap (``[crawl] max_download_mb``): an oversized response is skipped, logged and counted.

Scrapy enforces ``DOWNLOAD_MAXSIZE`` in two places. The download handler cancels a body whose
Content-Length, or whose bytes received so far, pass the cap; :class:`SizeCapMiddleware` turns that
cancellation into a logged skip counted as ``frwatch/failed/too_large`` (and stops it reaching the
downloader's exception statistics, so the crawl run counts it once). HttpCompressionMiddleware refuses a
compressed body that inflates past the cap; the spiders' errback counts that one (:func:`too_large`).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

logger = logging.getLogger(__name__)
TOO_LARGE_STAT = "frwatch/failed/too_large"


class TooLarge(IgnoreRequest):
    """A response skipped for its size (already logged and counted)."""


def too_large(exc: BaseException) -> bool:
    """Whether ``exc`` is HttpCompressionMiddleware refusing a body that inflated past the cap."""
    return isinstance(exc, IgnoreRequest) and not isinstance(exc, TooLarge) and "DOWNLOAD_MAXSIZE" in str(exc)


class SizeCapMiddleware:
    """See the module docstring. Sits nearer the downloader than DownloaderStats (850)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SizeCapMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if not isinstance(exception, DownloadCancelledError) or "max size" not in str(exception):
            return None
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(TOO_LARGE_STAT)
        limit = request.meta.get("download_maxsize", self.cap)
        logger.warning("skipped %s: larger than the download size cap of %.1f MB ([crawl] max_download_mb)",
                       request.url, limit / 1024 / 1024)
        raise TooLarge(f"{request.url} is larger than {limit} bytes")
