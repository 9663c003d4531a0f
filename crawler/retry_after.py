"""Honour ``Retry-After`` on 429 and 503: slow that site down and retry, a capped number of times.

Scrapy's own RetryMiddleware retries these at once and ignores the header; a site that asks for an hour
of quiet gets hammered. Here the download slot of the site (or of all SEC hosts, which share one) takes
the wait as its delay, the refused request is held for the whole wait before it goes back to the
scheduler (the slot's delay alone is randomised to 0.5–1.5× and AutoThrottle may lower it after the next
response, so it cannot promise the wait), and after ``[crawl] retry_after_times`` refusals the response
is given up on (counted as failed).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)
TRIES = "frwatch_retry_after"


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.cap = settings.getfloat("FRWATCH_RETRY_AFTER_CAP", 600.0)
        self.times = settings.getint("FRWATCH_RETRY_AFTER_TIMES", 3)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if response.status not in (429, 503):
            return response
        stats = self.crawler.stats
        tries = int(request.meta.get(TRIES, 0))
        if tries >= self.times:
            if stats is not None:
                stats.inc_value("frwatch/retry_after/gave_up")  # the errback counts the page as failed
            logger.warning("giving up on %s after %d answers %d", request.url, tries + 1, response.status)
            return response
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot = downloader.slots.get(downloader.get_slot_key(request)) if downloader else None
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        # Without a header, back off exponentially from the slot's own delay (at least 5 s).
        wait = min(self.cap, asked if asked is not None else max(5.0, 2 * (slot.delay if slot else 0)))
        if slot is not None:
            slot.delay = max(slot.delay, wait)
        if stats is not None:
            stats.inc_value(f"frwatch/retry_after/{response.status}")
        logger.info("%s answered %d; waiting %.0f s before retry %d", request.url, response.status, wait, tries + 1)
        retry = request.replace(dont_filter=True)
        retry.meta[TRIES] = tries + 1
        retry.meta["dont_retry"] = True  # Scrapy's immediate retry must not undo the wait
        await asyncio.sleep(wait)  # the request stays active in its slot meanwhile (runs on the asyncio reactor)
        return retry
