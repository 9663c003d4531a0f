"""Per-site politeness: which download slot a request waits in, the slot's own limits, and an AutoThrottle
that never goes below them.

Scrapy keeps one download slot per host name. A news or blog source gets one slot per allowed domain
instead, so ``www.``, ``feeds.`` and ``static.`` of one site share one concurrency limit and one delay.
A source's ``concurrency`` and ``delay`` keys in config.toml become that slot's ``DOWNLOAD_SLOTS`` entry.

Scrapy's AutoThrottle adapts every slot's delay to the site's latency, with ``DOWNLOAD_DELAY`` as the only
floor: a fast site would see its configured per-site delay (or the SEC slot's fixed rate) shrink.
:class:`PoliteAutoThrottle` keeps each slot at or above the delay configured for it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from crawler.config import SourceSettings


def slot_for(url: str, domains: list[str]) -> str | None:
    """The allowed domain the URL's host belongs to (its download slot), or None when it belongs to none."""
    host = (urlsplit(url).hostname or "").lower()
    matches = [d.lower() for d in domains if host == d.lower() or host.endswith("." + d.lower())]
    return max(matches, key=len) if matches else None


def source_slots(source: SourceSettings) -> dict[str, dict[str, Any]]:
    """``DOWNLOAD_SLOTS`` entries for a source's domains, from its ``concurrency`` and ``delay`` keys."""
    entry: dict[str, Any] = {}
    if source.concurrency is not None:
        entry["concurrency"] = source.concurrency
    if source.delay is not None:
        entry["delay"] = source.delay
    return {domain.lower(): dict(entry) for domain in source.domains()} if entry else {}


class PoliteAutoThrottle(AutoThrottle):
    """AutoThrottle whose delay for a slot never drops below the delay ``DOWNLOAD_SLOTS`` gives that slot."""

    def _adjust_delay(self, slot: Any, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response)
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return
        key = next((k for k, s in downloader.slots.items() if s is slot), None)
        floor = downloader.per_slot_settings.get(key, {}).get("delay") if key is not None else None
        if floor is not None and slot.delay < float(floor):
            slot.delay = float(floor)
