"""Running spiders for configured sources in one Scrapy process, writing into one store.

Scrapy's reactor cannot restart inside a process, so one call of :func:`run_crawl` runs every requested
source together and returns when all are done; the scheduler runs it in a subprocess.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.config import CrawlSettings, SecSettings, SourceSettings
from crawler.spiders.aws_blog import AwsBlogSpider
from crawler.spiders.base import FeedSpider
from crawler.spiders.news import NewsSpider
from crawler.spiders.sec import SecSpider

SPIDERS: dict[str, type[FeedSpider] | type[SecSpider]] = {
    "news": NewsSpider,
    "aws_blog": AwsBlogSpider,
    "sec": SecSpider,
}


class CrawlConfigError(Exception):
    """The configuration does not allow this crawl (the message says what to set)."""


def scrapy_settings(
    crawl: CrawlSettings, sec: SecSettings, database: Path, busy_timeout_ms: int
) -> Settings:
    """Scrapy settings from :mod:`crawler.settings` with config.toml's values on top.

    They are set at ``project`` priority so a spider's own ``update_settings`` (the ``sec`` spider's
    User-Agent and rate) can still override them for that spider alone.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(
        {
            "USER_AGENT": crawl.user_agent,
            "ROBOTSTXT_OBEY": crawl.obey_robots,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "DOWNLOAD_DELAY": crawl.download_delay,
            "AUTOTHROTTLE_ENABLED": crawl.download_delay > 0,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
            "DOWNLOAD_MAXSIZE": int(crawl.max_download_mb * 1024 * 1024),
            "LOG_LEVEL": crawl.log_level,
            "FRWATCH_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
            "FRWATCH_MAX_PAGES_PER_SOURCE": crawl.max_pages_per_source,
            "FRWATCH_RETRY_AFTER_CAP": crawl.retry_after_cap,
            "FRWATCH_RETRY_AFTER_TIMES": crawl.retry_after_times,
            "FRWATCH_DATABASE": str(database),
            "FRWATCH_BUSY_TIMEOUT_MS": busy_timeout_ms,
            "FRWATCH_SEC_USER_AGENT": sec.user_agent,
            "FRWATCH_SEC_REQUESTS_PER_SECOND": sec.requests_per_second,
            "FRWATCH_SEC_RATE_LIMIT_PAUSE": sec.rate_limit_pause,
            "FRWATCH_SEC_RATE_LIMIT_RETRIES": sec.rate_limit_retries,
        },
        priority="project",
    )
    return settings


def run_crawl(
    crawl: CrawlSettings,
    sec: SecSettings,
    sources: list[SourceSettings],
    database: Path,
    busy_timeout_ms: int = 30_000,
    on_item: Callable[[str], None] | None = None,
) -> None:
    """Crawl the given sources into ``database`` and return when every spider has closed.

    :param on_item: called with the source id after each stored document (for progress displays)
    :raises CrawlConfigError: when a ``sec`` source is requested without a contact e-mail
    """
    if any(s.spider == "sec" for s in sources) and sec.contact_email() is None:
        raise CrawlConfigError(
            "[sec] user_agent must name you and give a contact e-mail, as SEC fair access requires "
            '(e.g. user_agent = "Jane Doe jane@example.org")'
        )
    process = CrawlerProcess(scrapy_settings(crawl, sec, database, busy_timeout_ms))
    for source in sources:
        crawler = process.create_crawler(SPIDERS[source.spider])
        if on_item is not None:
            crawler.signals.connect(
                lambda item, response, spider, _id=source.id: on_item(_id), signal=signals.item_scraped
            )
        process.crawl(crawler, source=source)
    process.start()
