"""EDGAR submissions JSON (``data.sec.gov/submissions/CIK##########.json``).

The recent filings sit under ``filings.recent`` as parallel arrays (``accessionNumber[i]``,
``form[i]``, ``filingDate[i]`` …); older ones are in the files listed under ``filings.files``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FilingRef:
    """One row of the submissions arrays: enough to fetch and describe the primary document."""

    cik: int
    company: str
    accession: str
    form: str
    filing_date: str | None
    report_date: str | None
    items: str
    primary_document: str

    def archive_path(self) -> str:
        """Path of the primary document under the archives base URL."""
        folder = self.accession.replace("-", "")
        return f"/Archives/edgar/data/{self.cik}/{folder}/{self.primary_document}"


def submissions_path(cik: int) -> str:
    """Path of a company's submissions JSON under the submissions base URL."""
    return f"/submissions/CIK{cik:010d}.json"


def recent_filings(data: dict[str, Any]) -> Iterator[FilingRef]:
    """Rows of ``filings.recent`` (or of a paging file, which holds the arrays at its top level).

    :param data: the decoded JSON
    """
    cik = int(data.get("cik") or 0)
    company = str(data.get("name") or "")
    arrays = data.get("filings", {}).get("recent", data)
    accessions = arrays.get("accessionNumber") or []
    column = {name: arrays.get(name) or [] for name in
              ("form", "filingDate", "reportDate", "items", "primaryDocument")}
    for i, accession in enumerate(accessions):
        def at(name: str, i: int = i) -> str:
            values = column[name]
            return str(values[i]) if i < len(values) and values[i] is not None else ""
        yield FilingRef(
            cik=cik,
            company=company,
            accession=str(accession),
            form=at("form"),
            filing_date=at("filingDate") or None,
            report_date=at("reportDate") or None,
            items=at("items"),
            primary_document=at("primaryDocument"),
        )


def wanted(ref: FilingRef, forms: list[str]) -> bool:
    """Whether a filing is one frwatch follows: a configured form, and an 8-K only with Item 5.07."""
    if ref.form not in forms or not ref.primary_document:
        return False
    if ref.form == "8-K":
        return "5.07" in ref.items.split(",")
    return True


def history_paths(data: dict[str, Any]) -> list[str]:
    """Paths (under the submissions base URL) of the older-filings files listed under ``filings.files``.

    A company with more than about a thousand filings, or older than a year, has its earlier rows in
    files such as ``CIK0000320193-submissions-001.json``, each holding the same parallel arrays.
    """
    files = (data.get("filings") or {}).get("files") or []
    names = [str(f.get("name") or "") for f in files if isinstance(f, dict)]
    return [f"/submissions/{name}" for name in names if name.endswith(".json") and "/" not in name]


def ciks_for_tickers(data: Any, tickers: list[str]) -> tuple[dict[str, int], list[str]]:
    """CIKs of ``tickers`` from EDGAR's ticker map (``company_tickers.json``), and the tickers not in it.

    The map is an object of rows ``{"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}`` keyed
    "0", "1", …; tickers match without regard to case.
    """
    rows = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    known: dict[str, int] = {}
    for row in rows:
        if isinstance(row, dict) and row.get("ticker") and str(row.get("cik_str", "")).isdigit():
            known.setdefault(str(row["ticker"]).upper(), int(row["cik_str"]))
    found = {t: known[t.upper()] for t in tickers if t.upper() in known}
    return found, [t for t in tickers if t.upper() not in known]
