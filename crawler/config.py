"""Settings of the ``[crawl]``, ``[sec]`` and ``[[sources]]`` sections of config.toml."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# "every 30m", "every 6h", "every 1d" ("every 10s" for tests); anything else must be a five-field crontab line.
INTERVAL = re.compile(r"^every\s+(\d+)\s*([smhd])$")
CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z]+$")


class CrawlSettings(BaseModel):
    """How every spider behaves on the wire."""

    model_config = ConfigDict(extra="forbid")

    user_agent: str = Field(
        default="frwatch/0.1 (+https://github.com/frwatch/frwatch)",
        description="User-Agent sent to news sites and blogs; say who you are and how to reach you.",
    )
    allow_private_addresses: bool = Field(
        default=False,
        description="Allow crawling loopback, private and link-local addresses (demo and tests only).",
    )
    obey_robots: bool = Field(default=True, description="Obey robots.txt of every site crawled.")
    concurrent_requests_per_domain: int = Field(
        default=2, ge=1, le=16, description="Parallel requests to one site."
    )
    download_delay: float = Field(
        default=1.0, ge=0, le=60, description="Seconds between requests to one site."
    )
    download_timeout: int = Field(default=30, ge=1, le=600, description="Seconds before a request is abandoned.")
    max_download_mb: float = Field(
        default=10, gt=0, le=200, description="Responses larger than this many MB are skipped and logged."
    )
    retry_after_cap: float = Field(
        default=600, ge=0, le=86_400, description="Longest wait honoured from a 429/503 Retry-After, in seconds."
    )
    retry_after_times: int = Field(
        default=3, ge=0, le=20, description="Retries of one request answered 429/503 before it is given up."
    )
    max_pages_per_source: int = Field(
        default=1000, ge=1, description="Stop a source's crawl after this many article pages."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="WARNING", description="Scrapy's log level on stderr."
    )


class SecSettings(BaseModel):
    """SEC EDGAR fair-access settings, shared by every ``sec`` source."""

    model_config = ConfigDict(extra="forbid")

    user_agent: str = Field(
        default="",
        description='User-Agent for SEC hosts: a name and contact e-mail, e.g. "Jane Doe jane@example.org".',
    )
    requests_per_second: float = Field(
        default=5, gt=0, le=10, description="Requests per second across all SEC hosts together (SEC allows at most 10)."
    )
    rate_limit_pause: float = Field(
        default=600, gt=0, le=3600,
        description='Seconds all SEC traffic pauses after a "Request Rate Threshold Exceeded" page (SEC asks 600).',
    )
    rate_limit_retries: int = Field(
        default=3, ge=0, le=10,
        description="Pauses one request may cause before it is given up and counted as failed.",
    )

    def contact_email(self) -> str | None:
        """The e-mail address in the User-Agent, or None when there is none."""
        match = EMAIL.search(self.user_agent)
        return match.group(0) if match else None


SEC_FORMS = ("DEF 14A", "DEFR14A", "PRE 14A", "DEFA14A", "PX14A6G", "PX14A6N", "8-K")


class SourceSettings(BaseModel):
    """One watched source: a news site, a vendor blog or EDGAR companies."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Short unique name of the source, used in the database and on the CLI.")
    spider: Literal["news", "aws_blog", "sec"] = Field(description="Which spider crawls it.")
    name: str | None = Field(default=None, description="Human-readable name shown in digests.")
    feeds: list[str] = Field(default_factory=list, description="RSS, Atom or JSON Feed URLs (news, aws_blog).")
    sitemaps: list[str] = Field(default_factory=list, description="Sitemap or sitemap-index URLs (news).")
    allowed_domains: list[str] = Field(
        default_factory=list,
        description="Only links on these hosts are followed; empty means the hosts of feeds and sitemaps.",
    )
    schedule: str = Field(
        default="every 6h", description='How often to crawl: "every 30m|6h|1d" or a five-field crontab line.'
    )
    companies: list[int] = Field(default_factory=list, description="CIK numbers of companies to watch (sec).")
    forms: list[str] = Field(
        default_factory=lambda: list(SEC_FORMS),
        description="EDGAR form types to fetch (sec); 8-K only when it carries Item 5.07.",
    )
    submissions_base: str = Field(
        default="https://data.sec.gov", description="Base URL of EDGAR's submissions JSON (sec)."
    )
    archives_base: str = Field(
        default="https://www.sec.gov", description="Base URL of EDGAR's filing archives (sec)."
    )
    concurrency: int | None = Field(
        default=None, ge=1, le=16,
        description="Parallel requests to each of this source's sites (news, aws_blog); "
        "default [crawl] concurrent_requests_per_domain.",
    )
    delay: float | None = Field(
        default=None, ge=0, le=600,
        description="Seconds between requests to each of this source's sites (news, aws_blog), each wait "
        "varied 0.5-1.5x as Scrapy does; AutoThrottle never goes below it; default [crawl] download_delay.",
    )
    tickers: list[str] = Field(
        default_factory=list, description="Ticker symbols of companies to watch, looked up in the ticker map (sec)."
    )
    tickers_url: str = Field(
        default="https://www.sec.gov/files/company_tickers.json",
        description="EDGAR's ticker-to-CIK map, fetched only when tickers are configured (sec).",
    )
    history: bool = Field(
        default=False, description="Also follow the older filings listed under filings.files (sec)."
    )
    search_phrases: list[str] = Field(
        default_factory=list,
        description='Phrases for EDGAR full-text search across all companies, e.g. "facial recognition" (sec).',
    )
    search_base: str = Field(
        default="https://efts.sec.gov/LATEST", description="Base URL of EDGAR full-text search (sec)."
    )
    search_from: date | None = Field(
        default=None, description="First filing date searched (YYYY-MM-DD); default: search_days before today (sec)."
    )
    search_to: date | None = Field(
        default=None, description="Last filing date searched (YYYY-MM-DD); default: today (sec)."
    )
    search_days: int = Field(
        default=7, ge=1, le=3650, description="Days back from today searched when search_from is not set (sec)."
    )
    daily_index: bool = Field(
        default=False,
        description="Read EDGAR's daily form index for each day searched and fetch the index_forms it lists (sec).",
    )
    index_forms: list[str] = Field(
        default_factory=lambda: ["PX14A6G", "PX14A6N"],
        description="Forms fetched from the daily index whoever filed them (sec); few a day, so the whole market.",
    )

    @field_validator("id")
    @classmethod
    def _id_is_a_name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise ValueError("use lowercase letters, digits, '-' or '_' (e.g. \"aws-ml-blog\")")
        return value

    @field_validator("feeds", "sitemaps", "submissions_base", "archives_base", "tickers_url", "search_base")
    @classmethod
    def _http_urls(cls, value: list[str] | str) -> list[str] | str:
        for url in [value] if isinstance(value, str) else value:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value

    @field_validator("forms", "index_forms")
    @classmethod
    def _known_forms(cls, value: list[str]) -> list[str]:
        unknown = [form for form in value if form not in SEC_FORMS]
        if unknown:
            raise ValueError(f"unknown form(s) {unknown}; choose from {list(SEC_FORMS)}")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        value = value.strip()
        if INTERVAL.match(value):
            return value
        fields = value.split()
        if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
            raise ValueError('use "every 30m", "every 6h", "every 1d" or a five-field crontab line')
        return value

    @model_validator(mode="after")
    def _spider_needs(self) -> SourceSettings:
        if self.spider in ("news", "aws_blog") and not (self.feeds or self.sitemaps):
            raise ValueError(f"source {self.id!r} needs at least one of feeds or sitemaps")
        if self.spider == "sec" and not (self.companies or self.tickers or self.search_phrases or self.daily_index):
            raise ValueError(
                f"source {self.id!r} needs companies (CIK numbers), tickers, search_phrases or daily_index"
            )
        if self.search_from and self.search_to and self.search_from > self.search_to:
            raise ValueError(f"source {self.id!r}: search_from is after search_to")
        return self

    def domains(self) -> list[str]:
        """The hosts links may be followed on."""
        if self.allowed_domains:
            return self.allowed_domains
        urls = [*self.feeds, *self.sitemaps, self.submissions_base, self.archives_base, self.search_base]
        if self.spider != "sec":
            urls = [*self.feeds, *self.sitemaps]
        return sorted({urlsplit(u).hostname or "" for u in urls} - {""})
