"""frwatch's crawler: Scrapy spiders for news sites, AWS blogs and SEC EDGAR, writing into the store."""

from __future__ import annotations

from crawler.config import SEC_FORMS, CrawlSettings, SecSettings, SourceSettings
from crawler.extract import Extracted, extract
from crawler.runner import CrawlConfigError, run_crawl

__all__ = [
    "SEC_FORMS",
    "CrawlConfigError",
    "CrawlSettings",
    "Extracted",
    "SecSettings",
    "SourceSettings",
    "extract",
    "run_crawl",
]
