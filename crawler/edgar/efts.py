"""EDGAR full-text search (``efts.sec.gov/LATEST/search-index``): request URLs and result pages.

The endpoint takes ``q`` (a phrase in double quotes matches as a phrase), ``forms`` (comma-separated),
``dateRange=custom`` with ``startdt`` / ``enddt`` (YYYY-MM-DD) and ``from`` (offset; pages hold 100 hits).
It answers Elasticsearch-style JSON: ``hits.total.value`` (capped at 10,000, ``relation`` "gte" beyond)
and ``hits.hits[]``, each with ``_id`` "<accession>:<document name>" and ``_source`` holding ``adsh``,
``ciks``, ``display_names``, ``form``, ``root_forms``, ``file_date``, ``period_ending`` and ``items``.

No offset past 10,000 is served, so a search reporting 10,000 hits or more is split into two date ranges
(halves) and each is searched again, down to single days. Several documents of one filing can match; hits
are deduplicated by accession so each filing is fetched once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from crawler.edgar.submissions import FilingRef

PAGE_SIZE = 100
WINDOW = 10_000  # the most hits one query can page through


@dataclass(frozen=True)
class SearchPage:
    """One page of a full-text search: the reported total and its filings."""

    total: int
    capped: bool
    hits: tuple[FilingRef, ...]
    raw_hits: int


def search_url(base: str, phrase: str, forms: list[str], start: date, end: date, offset: int = 0) -> str:
    """The search URL for a phrase in some forms between two filing dates (inclusive).

    :param base: e.g. ``https://efts.sec.gov/LATEST``
    """
    query = {
        "q": f'"{phrase}"' if " " in phrase and not phrase.startswith('"') else phrase,
        "forms": ",".join(forms),
        "dateRange": "custom",
        "startdt": start.isoformat(),
        "enddt": end.isoformat(),
    }
    if offset:
        query["from"] = str(offset)
    return f"{base.rstrip('/')}/search-index?{urlencode(query)}"


def _company(display_name: str) -> str:
    # "AMAZON COM INC  (AMZN)  (CIK 0001018724)" → "AMAZON COM INC"
    return re.sub(r"\s*\((?:CIK\s+\d+|[A-Z0-9.,\- ]{1,20})\)", "", display_name).strip()


def _hit(hit: Any) -> FilingRef | None:
    if not isinstance(hit, dict) or not isinstance(hit.get("_source"), dict):
        return None
    source = hit["_source"]
    doc_id = str(hit.get("_id") or "")
    accession = str(source.get("adsh") or doc_id.split(":", 1)[0])
    document = doc_id.split(":", 1)[1] if ":" in doc_id else ""
    ciks = [c for c in source.get("ciks") or [] if str(c).isdigit()]
    if not re.fullmatch(r"\d{10}-\d{2}-\d{6}", accession) or not ciks or not document:
        return None
    names = source.get("display_names") or [""]
    items = source.get("items") or []
    forms = source.get("root_forms") or [source.get("form") or ""]
    return FilingRef(
        # The first CIK is the subject company; for a PX14A6G filed by a proponent it is still the
        # company the solicitation is about, which is what the linking needs.
        cik=int(ciks[0]),
        company=_company(str(names[0])),
        accession=accession,
        form=str(source.get("form") or forms[0]),
        filing_date=source.get("file_date") or None,
        report_date=source.get("period_ending") or None,
        items=",".join(str(i) for i in items) if isinstance(items, list) else str(items),
        primary_document=document,
    )


def parse_search(data: Any) -> SearchPage:
    """A decoded search response as a :class:`SearchPage`.

    :raises ValueError: when the JSON is not a search response (no ``hits`` object)
    """
    if not isinstance(data, dict) or not isinstance(data.get("hits"), dict):
        raise ValueError("no 'hits' object: not a full-text search response")
    hits = data["hits"]
    total_field = hits.get("total")
    if isinstance(total_field, dict):
        total, capped = int(total_field.get("value") or 0), total_field.get("relation") == "gte"
    else:
        total, capped = int(total_field or 0), False
    raw = hits.get("hits") or []
    if not isinstance(raw, list):
        raise ValueError("'hits.hits' is not a list")
    found: dict[str, FilingRef] = {}
    for hit in raw:
        ref = _hit(hit)
        if ref is not None:
            found.setdefault(ref.accession, ref)
    return SearchPage(total=total, capped=capped or total >= WINDOW, hits=tuple(found.values()), raw_hits=len(raw))


def split_range(start: date, end: date) -> list[tuple[date, date]]:
    """Two halves of a date range (inclusive ends), or the range itself when it is a single day."""
    if end <= start:
        return [(start, end)]
    middle = start + timedelta(days=(end - start).days // 2)
    return [(start, middle), (middle + timedelta(days=1), end)]


def next_offset(page: SearchPage, offset: int) -> int | None:
    """The offset of the next page, or None when this was the last one reachable."""
    following = offset + PAGE_SIZE
    if page.raw_hits < PAGE_SIZE or following >= min(page.total, WINDOW):
        return None
    return following
