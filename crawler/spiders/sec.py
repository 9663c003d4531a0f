"""The ``sec`` spider: EDGAR discovery (per company and market-wide) → filings → proposals, votes, solicitations.

Discovery: per configured company (CIK, or ticker through EDGAR's ticker map) the submissions JSON, with
the older-filings files of ``filings.files`` when ``history`` is on; market-wide, EDGAR full-text search
for the configured phrases in the configured forms (:mod:`crawler.edgar.efts`). A filing found twice is
fetched once (deduplicated by accession).

Each filing becomes a document. A proxy statement also yields one document per proposal (canonical URL
the filing's plus ``#proposal-N``, so the tagger classifies each proposal on its own) and a
:class:`store.ProxyProposals` record; an 8-K Item 5.07 a :class:`store.VoteResults`; a PX14A6G, PX14A6N or
DEFA14A a :class:`store.Solicitation`. :mod:`crawler.sec_pipeline` writes and links those records.

Fair access (https://www.sec.gov/os/accessing-edgar-data): a User-Agent naming the requester with a
contact e-mail (the spider refuses to start without one) and one download slot, ``sec``, shared by every
SEC host, so the configured requests-per-second holds across www, data and efts together;
:mod:`crawler.sec_access` pauses that slot on EDGAR's rate-limit page.

A response that is not what was asked for (an HTML error page or a truncated body where JSON was
expected, a search answer without hits, an 8-K 5.07 without vote counts) is logged with its reason and
counted under ``frwatch/failed/…``, which the crawl run records as failed; the rest of the crawl goes on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.conditional import LISTING
from crawler.config import EMAIL, SourceSettings
from crawler.edgar.daily import daily_index_path, index_days
from crawler.edgar.efts import next_offset, parse_search, search_url, split_range
from crawler.edgar.forms import parse_filing
from crawler.edgar.index import parse_index
from crawler.edgar.meetings import iso_date, meeting_year, named_numbers, solicitation_filer
from crawler.edgar.submissions import (
    FilingRef,
    ciks_for_tickers,
    history_paths,
    recent_filings,
    submissions_path,
    wanted,
)
from crawler.edgar.text import filing_text
from crawler.failures import describe_failure
from crawler.sec_access import SEC_SLOT
from crawler.spiders.base import header
from store import (
    Document,
    FilingFacts,
    MeetingFiling,
    MeetingRecord,
    ProposalFacts,
    ProxyProposals,
    Solicitation,
    VoteFacts,
    VoteResults,
    now_utc,
)

PROXIES = ("DEF 14A", "DEFR14A", "PRE 14A")
MISSING_OK = "frwatch_missing_ok"
SOLICITATIONS = {"PX14A6G": "exempt_solicitation", "PX14A6N": "exempt_solicitation", "DEFA14A": "company_reply"}


class SecSpider(scrapy.Spider):
    """EDGAR filings of the configured companies and of full-text searches."""

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
        self.accessions: set[str] = set()
        self.companies: set[int] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        agent = self.settings.get("USER_AGENT", "")
        if not EMAIL.search(agent):
            # The runner checks this before starting; this guard keeps the spider honest on its own.
            self.crawler.stats.inc_value("frwatch/failed/no_contact_email")  # type: ignore[union-attr]
            self.logger.error(
                "refusing to crawl EDGAR: [sec] user_agent %r has no contact e-mail", agent
            )
            return
        for cik in self.source.companies:
            for request in self.company(cik):
                yield request
        if self.source.tickers:
            yield self.request(self.source.tickers_url, self.parse_tickers, listing=True)
        start, end = self.search_range()
        for phrase in self.source.search_phrases:
            yield self.search(phrase, start, end)
        if self.source.daily_index:
            for day in index_days(start, end):
                yield self.request(self.source.archives_base.rstrip("/") + daily_index_path(day), self.parse_index,
                                   listing=True, meta={MISSING_OK: True})

    # -- requests ---------------------------------------------------------------------------------

    def request(self, url: str, callback: Any, listing: bool = False, meta: dict[str, Any] | None = None,
                **kwargs: Any) -> scrapy.Request:
        """A request in the shared SEC download slot."""
        return scrapy.Request(url, callback=callback, errback=self.failed,
                              meta={"download_slot": SEC_SLOT, LISTING: listing, **(meta or {})}, **kwargs)

    def company(self, cik: int) -> Iterator[scrapy.Request]:
        """The submissions JSON of one company, once per crawl."""
        if cik not in self.companies:
            self.companies.add(cik)
            base = self.source.submissions_base.rstrip("/")
            yield self.request(base + submissions_path(cik), self.parse_submissions, listing=True)

    def search(self, phrase: str, start: date, end: date, offset: int = 0) -> scrapy.Request:
        """One page of a full-text search."""
        url = search_url(self.source.search_base, phrase, self.source.forms, start, end, offset)
        return self.request(url, self.parse_search, listing=True,
                            cb_kwargs={"phrase": phrase, "start": start, "end": end, "offset": offset})

    def search_range(self) -> tuple[date, date]:
        """The filing dates searched: configured, or the last ``search_days`` days."""
        end = self.source.search_to or date.today()
        start = self.source.search_from or end - timedelta(days=self.source.search_days - 1)
        return start, end

    def filing(self, ref: FilingRef, path: str | None = None) -> Iterator[scrapy.Request]:
        """The filing's document (or ``path`` under the archives), unless this crawl already asked for it."""
        if ref.accession in self.accessions or not wanted(ref, self.source.forms):
            return
        self.accessions.add(ref.accession)
        archives = self.source.archives_base.rstrip("/")
        yield self.request(archives + (path or ref.archive_path()), self.parse_filing, cb_kwargs={"ref": ref})

    # -- failures ---------------------------------------------------------------------------------

    def fail(self, reason: str, url: str, detail: str) -> None:
        """Count a failure under ``frwatch/failed/<reason>`` (the crawl run's failed count) and log it."""
        self.crawler.stats.inc_value(f"frwatch/failed/{reason}")  # type: ignore[union-attr]
        self.logger.warning("%s: %s (%s)", url, detail, reason)

    def failed(self, failure: Failure) -> None:
        """Errback: an HTTP error status or a network failure of an SEC request."""
        if isinstance(failure.value, HttpError):
            response = failure.value.response
            if response.status == 304:
                return  # not modified: counted by the conditional-GET middleware, nothing failed
            request = getattr(failure, "request", None)  # Scrapy attaches the request to the failure
            if response.status in (403, 404) and request is not None and request.meta.get(MISSING_OK):
                # No daily index on weekends and holidays: EDGAR answers 403 or 404, and nothing is missed.
                self.logger.info("no daily index at %s (%d)", response.url, response.status)
                return
            self.fail(f"http_{response.status}", response.url, f"answered {response.status}")
            return
        described = describe_failure(failure)  # a network error after retries, or a redirect loop
        if described is not None:
            self.fail(*described)

    def load_json(self, response: Response, what: str) -> Any | None:
        """The decoded JSON body, or None after logging why it is unusable."""
        body = response.body
        stripped = body.lstrip()
        reason = None
        if not stripped:
            reason = "an empty body"
        elif stripped[:1] == b"<":
            title = re.search(rb"<title>\s*(.*?)\s*</title>", body[:4000], re.I | re.S)
            shown = title.group(1).decode("utf-8", "replace")[:80] if title else "untitled"
            reason = f"an HTML page ({shown!r}) where JSON was expected"
        else:
            try:
                return json.loads(body)
            except ValueError as exc:
                message = str(getattr(exc, "msg", exc))
                cut = message.startswith("Unterminated") or getattr(exc, "pos", 0) >= len(body.rstrip()) - 1
                reason = "truncated JSON" if cut else f"not JSON ({message})"
        self.fail("bad_json", response.url, f"{what} is {reason}")
        return None

    # -- discovery ---------------------------------------------------------------------------------

    def parse_tickers(self, response: Response) -> Iterator[scrapy.Request]:
        data = self.load_json(response, "ticker map")
        if data is None:
            return
        found, missing = ciks_for_tickers(data, self.source.tickers)
        if missing:
            self.fail("unknown_ticker", response.url, f"tickers not in EDGAR's map: {', '.join(missing)}")
        for cik in found.values():
            yield from self.company(cik)

    def parse_submissions(self, response: Response) -> Iterator[scrapy.Request]:
        data = self.load_json(response, "submissions JSON")
        if data is None:
            return
        if not isinstance(data, dict) or not isinstance(data.get("filings"), dict):
            self.fail("bad_json", response.url, "submissions JSON has no 'filings' object")
            return
        for ref in recent_filings(data):
            yield from self.filing(ref)
        if self.source.history:
            base = self.source.submissions_base.rstrip("/")
            owner = {"cik": data.get("cik"), "name": data.get("name")}
            for path in history_paths(data):
                yield self.request(base + path, self.parse_history, listing=True, cb_kwargs={"owner": owner})

    def parse_history(self, response: Response, owner: dict[str, Any]) -> Iterator[scrapy.Request]:
        data = self.load_json(response, "older-filings file")
        if data is None:
            return
        if not isinstance(data, dict) or not isinstance(data.get("accessionNumber"), list):
            self.fail("bad_json", response.url, "older-filings file has no accessionNumber array")
            return
        # A paging file holds the arrays at its top level, without the company's name and CIK.
        for ref in recent_filings({**owner, "filings": {"recent": data}}):
            yield from self.filing(ref)

    def parse_index(self, response: Response) -> Iterator[scrapy.Request]:
        found = parse_index(response.body, response.url)
        if found.problem or found.kind != "form":
            self.fail("bad_index", response.url, found.problem or f"a {found.kind} index where form.idx was expected")
            return
        if found.broken:
            self.fail("index_rows", response.url, f"{len(found.broken)} broken rows skipped (first: "
                      f"line {found.broken[0].line}, {found.broken[0].reason})")
        for row in found.rows:
            if row.form not in self.source.index_forms or row.accession is None:
                continue
            # The index names the full submission (.txt); its SGML header says which company it is about.
            ref = FilingRef(cik=row.cik, company=row.company, accession=row.accession, form=row.form,
                            filing_date=row.filed, report_date=None, items="", primary_document=row.file_name)
            yield from self.filing(ref, "/Archives/" + row.file_name)

    def parse_search(self, response: Response, phrase: str, start: date, end: date, offset: int
                     ) -> Iterator[scrapy.Request]:
        data = self.load_json(response, "full-text search answer")
        if data is None:
            return
        try:
            page = parse_search(data)
        except ValueError as exc:
            self.fail("bad_search", response.url, str(exc))
            return
        if page.capped and offset == 0 and start < end:
            # Only the first 10,000 hits of a query can be paged through: search each half instead.
            self.logger.info("search %r %s..%s reports %d+ hits; splitting the dates", phrase, start, end, page.total)
            for half_start, half_end in split_range(start, end):
                yield self.search(phrase, half_start, half_end)
            return
        if page.capped and offset == 0:
            self.fail("search_window", response.url,
                      f"{page.total}+ hits on the single day {start}; only the first 10,000 can be read")
        self.crawler.stats.inc_value("frwatch/sec/search_hits", len(page.hits))  # type: ignore[union-attr]
        for ref in page.hits:
            yield from self.filing(ref)
        following = next_offset(page, offset)
        if following is not None:
            yield self.search(phrase, start, end, following)

    # -- filings ----------------------------------------------------------------------------------

    def parse_filing(self, response: Response, ref: FilingRef) -> Iterator[Document | MeetingRecord]:
        title, text = filing_text(response.body)
        if not text:
            self.fail("no_text", response.url, f"{ref.form} {ref.accession} has no text")
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
        yield from self.meeting_records(response, ref, text)

    def meeting_records(self, response: Response, ref: FilingRef, text: str) -> Iterator[Document | MeetingRecord]:
        """What a proxy, an 8-K 5.07 or a solicitation says about a meeting."""
        form = ref.form.upper()
        if form not in PROXIES and form not in SOLICITATIONS and not form.startswith("8-K"):
            return
        record = parse_filing(response.body, "8-K" if form.startswith("8-K") else ref.form)
        meeting = iso_date(record.get("meeting_date"))
        year = meeting_year(meeting, ref.report_date, ref.filing_date)
        if year is None:
            self.fail("no_meeting_year", response.url, f"{ref.form} {ref.accession}: no meeting or filing date")
            return
        # A full SGML submission names its subject company in its header; an index row may name the filer.
        cik, company = int(record.get("cik") or ref.cik), str(record.get("company") or ref.company)
        filing = MeetingFiling(
            cik=cik, company=company if record.get("cik") else ref.company, year=year,
            meeting_date=meeting or (ref.report_date if form.startswith("8-K") else None),
            form=ref.form, accession=ref.accession, filed=ref.filing_date, filing_url=response.url,
        )
        if form in PROXIES:
            yield from self.proposals(response, ref, filing, record.get("proposals") or [])
        elif form in SOLICITATIONS:
            yield Solicitation(filing=filing, role=SOLICITATIONS[form],
                               filer=solicitation_filer(text) if form != "DEFA14A" else ref.company,
                               numbers=named_numbers(text))
        else:
            votes = [
                VoteFacts(number=v["number"], title=v["title"], for_votes=v["for"], against_votes=v["against"],
                          abstain_votes=v["abstain"], broker_non_votes=v["broker_non_votes"],
                          withheld_votes=v["withheld"])
                for v in record.get("votes") or []
            ]
            if not votes:
                self.fail("no_votes", response.url, f"8-K {ref.accession} names Item 5.07 but no vote counts were read")
                return
            yield VoteResults(filing=filing, votes=tuple(votes))

    def proposals(self, response: Response, ref: FilingRef, filing: MeetingFiling, found: list[dict[str, Any]]
                  ) -> Iterator[Document | ProxyProposals]:
        """One document per proposal, then the proposals record."""
        facts = []
        for p in found:
            body = (p.get("text") or "").strip()
            if not body or not p.get("number"):
                continue
            url = f"{response.url}#proposal-{p['number']}"
            yield Document(
                url=url, canonical_url=url, source_id=self.source.id, kind="filing",
                title=f"{ref.company} {filing.year} proxy, item {p['number']}: {p['title']}",
                text=body, fetched=now_utc(), published=ref.filing_date, language="en",
            )
            facts.append(ProposalFacts(number=str(p["number"]), title=p["title"], kind=p.get("kind"),
                                       board_recommendation=p.get("board_recommendation"),
                                       proponent=p.get("proponent"), document_url=url))
        if not facts:
            self.crawler.stats.inc_value("frwatch/sec/proxy_without_proposals")  # type: ignore[union-attr]
            self.logger.warning("%s: %s %s has no proposal sections", response.url, ref.form, ref.accession)
            return
        yield ProxyProposals(filing=filing, proposals=tuple(facts))
