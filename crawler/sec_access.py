"""SEC fair access: on EDGAR's "Request Rate Threshold Exceeded" page, all SEC traffic pauses, then retries.

EDGAR answers a client that goes over its rate with 403 (or 429) and an HTML page titled "SEC.gov | Request
Rate Threshold Exceeded"; the page asks for ten minutes of quiet before trying again
(https://www.sec.gov/os/accessing-edgar-data). Scrapy's RetryMiddleware would retry at once and make things
worse, and :mod:`crawler.retry_after` only slows the one slot by the Retry-After it is given (EDGAR sends
none). Here the shared ``sec`` download slot, which carries www, data and efts alike, is held closed for
``[sec] rate_limit_pause`` seconds, and the refused request goes back to the scheduler to wait its turn.
A request refused ``[sec] rate_limit_retries`` times is given up and counted as failed.

Enabled for every crawl; it acts only on requests in the ``sec`` slot.
"""

from __future__ import annotations

import logging
import re
from time import monotonic
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)

SEC_SLOT = "sec"
PAUSES = "frwatch_sec_pauses"
THRESHOLD_PAGE = re.compile(rb"Request\s+Rate\s+Threshold\s+Exceeded", re.I)


def is_rate_limit_page(response: Response) -> bool:
    """Whether a response is EDGAR's rate-limit refusal (403 or 429 with the threshold page)."""
    return response.status in (403, 429) and bool(THRESHOLD_PAGE.search(response.body[:20_000]))


class SecRateLimitMiddleware:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pause = crawler.settings.getfloat("FRWATCH_SEC_RATE_LIMIT_PAUSE", 600.0)
        self.retries = crawler.settings.getint("FRWATCH_SEC_RATE_LIMIT_RETRIES", 3)
        self.paused_until = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SecRateLimitMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if request.meta.get("download_slot") != SEC_SLOT or not is_rate_limit_page(response):
            return response
        stats = self.crawler.stats
        pauses = int(request.meta.get(PAUSES, 0))
        if pauses >= self.retries:
            if stats is not None:
                stats.inc_value("frwatch/sec/rate_limit_gave_up")  # the errback counts it as failed
            logger.error("EDGAR still refuses %s after %d pauses; giving up on it", request.url, pauses)
            return response
        self._hold_slot()
        if stats is not None:
            stats.inc_value("frwatch/sec/rate_limit_pauses")
        logger.warning(
            "EDGAR answered %d 'Request Rate Threshold Exceeded' for %s: pausing all SEC requests for %.0f s, "
            "then retrying (pause %d of at most %d)", response.status, request.url, self.pause, pauses + 1,
            self.retries,
        )
        retry = request.replace(dont_filter=True)
        retry.meta[PAUSES] = pauses + 1
        retry.meta["dont_retry"] = True  # Scrapy's immediate retry would break the pause
        return retry

    def _hold_slot(self) -> None:
        """Keep the shared slot from starting any request before the pause is over.

        Scrapy's downloader waits ``delay - (now - slot.lastseen)`` before the next request of a slot, so a
        ``lastseen`` in the future holds every queued and later request; no other hook pauses one slot.
        """
        until = monotonic() + self.pause
        if until <= self.paused_until:
            return  # several refusals in flight together pause once, not once each
        self.paused_until = until
        engine = self.crawler.engine
        slot = engine.downloader.slots.get(SEC_SLOT) if engine is not None else None
        if slot is not None:
            slot.lastseen = max(slot.lastseen, until)
