"""The ``sec`` spider: EDGAR submissions JSON per company → the configured forms → primary documents.

Fair access (https://www.sec.gov/os/accessing-edgar-data): a User-Agent naming the requester with a
contact e-mail (the spider refuses to start without one) and one download slot, ``sec``, shared by every
SEC host, so the configured requests-per-second holds across www, data and efts together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.conditional import LISTING
from crawler.config import EMAIL, SourceSettings
from crawler.edgar.submissions import FilingRef, recent_filings, submissions_path, wanted
from crawler.edgar.text import filing_text
from crawler.spiders.base import header
from store import Document, FilingFacts, now_utc

SEC_SLOT = "sec"


class SecSpider(scrapy.Spider):
    """EDGAR filings of the configured companies."""

    name = "sec"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        rate = min(settings.getfloat("FRWATCH_SEC_REQUESTS_PER_SECOND", 5.0), 10.0)
        settings.setdict(
            {
                "USER_AGENT": settings.get("FRWATCH_SEC_USER_AGENT", ""),
                # One slot for every SEC host, one request at a time, a fixed delay: at most `rate`/s.
                "DOWNLOAD_SLOTS": {SEC_SLOT: {"concurrency": 1, "delay": 1 / rate, "randomize_delay": False}},
                "AUTOTHROTTLE_ENABLED": False,
                "RANDOMIZE_DOWNLOAD_DELAY": False,
            },
            priority="spider",
        )

    def __init__(self, source: SourceSettings, **kwargs: Any) -> None:
        super().__init__(name=self.name, **kwargs)
        self.source = source

    async def start(self) -> AsyncIterator[scrapy.Request]:
        agent = self.settings.get("USER_AGENT", "")
        if not EMAIL.search(agent):
            # The runner checks this before starting; this guard keeps the spider honest on its own.
            self.crawler.stats.inc_value("frwatch/failed/no_contact_email")  # type: ignore[union-attr]
            self.logger.error(
                "refusing to crawl EDGAR: [sec] user_agent %r has no contact e-mail", agent
            )
            return
        base = self.source.submissions_base.rstrip("/")
        for cik in self.source.companies:
            yield self.request(base + submissions_path(cik), self.parse_submissions, listing=True)

    def request(self, url: str, callback: Any, listing: bool = False, **kwargs: Any) -> scrapy.Request:
        """A request in the shared SEC download slot."""
        return scrapy.Request(url, callback=callback, meta={"download_slot": SEC_SLOT, LISTING: listing}, **kwargs)

    def parse_submissions(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            data = json.loads(response.body)
        except ValueError:
            self.crawler.stats.inc_value("frwatch/failed/bad_submissions_json")  # type: ignore[union-attr]
            self.logger.warning("submissions JSON %s is not JSON", response.url)
            return
        archives = self.source.archives_base.rstrip("/")
        for ref in recent_filings(data):
            if wanted(ref, self.source.forms):
                yield self.request(archives + ref.archive_path(), self.parse_filing, cb_kwargs={"ref": ref})

    def parse_filing(self, response: Response, ref: FilingRef) -> Iterator[Document]:
        title, text = filing_text(response.body)
        if not text:
            self.crawler.stats.inc_value("frwatch/failed/no_text")  # type: ignore[union-attr]
            return
        yield Document(
            url=response.url,
            canonical_url=response.url,
            source_id=self.source.id,
            kind="filing",
            title=f"{ref.company}: {ref.form} filed {ref.filing_date}" + (f" — {title}" if title else ""),
            text=text,
            fetched=now_utc(),
            published=ref.filing_date,
            language="en",
            html_sha256=hashlib.sha256(response.body).hexdigest(),
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
            filing=FilingFacts(
                cik=ref.cik,
                company=ref.company,
                form=ref.form,
                accession=ref.accession,
                filed=ref.filing_date,
                period=ref.report_date,
                items=ref.items or None,
            ),
        )
