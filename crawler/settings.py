"""Scrapy settings for frwatch's spiders; :mod:`crawler.runner` overrides them from config.toml."""

from __future__ import annotations

BOT_NAME = "frwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
EXTENSIONS = {
    # AutoThrottle that keeps each download slot at or above the delay configured for it.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.politeness.PoliteAutoThrottle": 0,
}

DOWNLOADER_MIDDLEWARES = {
    # Runs before any connection is made, so a refused host is never contacted.
    "crawler.middlewares.PrivateAddressMiddleware": 50,
    "crawler.conditional.ConditionalGetMiddleware": 60,
    # Above RetryMiddleware (550), so it sees 429/503 responses first.
    "crawler.retry_after.RetryAfterMiddleware": 560,
    # Nearer the downloader than DownloaderStats (850): an oversized body is a logged, counted skip.
    "crawler.limits.SizeCapMiddleware": 900,
    # Above RetryAfterMiddleware, so EDGAR's rate-limit page pauses every SEC host instead of one wait.
    "crawler.sec_access.SecRateLimitMiddleware": 570,
}
ITEM_PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 100,
    "crawler.pipelines.StorePipeline": 900,
    # After the documents, so a proxy's proposals find their documents already stored.
    "crawler.sec_pipeline.MeetingRecordPipeline": 950,
}
LOG_LEVEL = "WARNING"

# DNS answers are checked again when the connection resolves the name (see crawler/resolver.py).
TWISTED_DNS_RESOLVER = "crawler.resolver.PublicOnlyResolver"
# A redirect loop is followed this far, then counted as a failed page (browsers allow 20).
REDIRECT_MAX_TIMES = 10
