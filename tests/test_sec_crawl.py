"""The ``sec`` spider against a local EDGAR stand-in: fair access, discovery, bad responses, re-crawls.

One server plays www, data and efts (they share the ``sec`` download slot however many hosts there are).
Filing documents are the demo's Amazon filings; the JSON answers are built here.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

import store

DOCS = Path(__file__).parents[1] / "frwatch/demo/content/edgar/docs/amazon"
AMAZON = 1018724
THRESHOLD_PAGE = (b"<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body>"
                  b"<h1>Your Request Originates from an Undeclared Automated Tool</h1><p>Request Rate Threshold "
                  b"Exceeded. Please wait ten minutes before trying again.</p></body></html>")
Answer = tuple[int, bytes, str]


class Edgar(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Callable[[dict[str, list[str]]], Answer]]] = {}
    hits: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        route = self.routes.get(parts.path)
        status, body, kind = route(parse_qs(parts.query)) if route else (404, b"<html>Not Found</html>", "text/html")
        if parts.path == "/robots.txt":  # asked once per host, outside the SEC slot; not counted
            self.send_error(404)
            return
        self.hits.append({"path": parts.path, "query": parts.query, "status": status, "at": time.monotonic(),
                          "agent": self.headers.get("User-Agent", ""),
                          "encoding": self.headers.get("Accept-Encoding", "")})
        zipped = "gzip" in self.headers.get("Accept-Encoding", "") and status == 200
        body = gzip.compress(body) if zipped else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def edgar() -> Iterator[str]:
    Edgar.routes, Edgar.hits = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Edgar)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def js(data: object) -> Callable[[dict[str, list[str]]], Answer]:
    return lambda _query: (200, json.dumps(data).encode(), "application/json")


def columns(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    names = ["accessionNumber", "form", "filingDate", "reportDate", "items", "primaryDocument"]
    return {name: [row.get(name, "") for row in rows] for name in names}


def filing_row(accession: str, form: str, filed: str, document: str, report: str = "", items: str = ""
               ) -> dict[str, str]:
    return {"accessionNumber": accession, "form": form, "filingDate": filed, "reportDate": report, "items": items,
            "primaryDocument": document}


def serve_document(cik: int, row: dict[str, str], file: str) -> None:
    path = f"/Archives/edgar/data/{cik}/{row['accessionNumber'].replace('-', '')}/{row['primaryDocument']}"
    body = (DOCS / file).read_bytes()
    Edgar.routes[path] = lambda _query: (200, body, "text/html")


# The crawl runs in a subprocess of its own (Scrapy's reactor runs once per process) through
# crawler.run_crawl, the function `frwatch crawl` calls, without the CLI's start-up (spaCy) cost.
CRAWL = """
import json, sys
from pathlib import Path
from crawler import CrawlSettings, SecSettings, SourceSettings, run_crawl
spec = json.loads(sys.argv[1])
run_crawl(CrawlSettings(**spec["crawl"]), SecSettings(**spec["sec"]), [SourceSettings(**spec["source"])],
          Path(spec["database"]))
"""


def crawl(tmp_path: Path, base: str, source: dict[str, Any], sec: dict[str, Any] | None = None) -> Any:
    spec = {
        "database": str(tmp_path / "sec.db"),
        "crawl": {"allow_private_addresses": True, "download_delay": 0, "log_level": "INFO"},
        "sec": {"user_agent": "frwatch tests tests@frwatch.invalid", "requests_per_second": 10, **(sec or {})},
        "source": {"id": "edgar", "spider": "sec", "submissions_base": base, "archives_base": base,
                   "search_base": f"{base}/LATEST", "tickers_url": f"{base}/files/company_tickers.json", **source},
    }
    return subprocess.run([sys.executable, "-c", CRAWL, json.dumps(spec)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_rate_limit_page_pauses_all_sec_requests_then_retries(tmp_path, edgar):
    refused: list[bool] = []

    def first_refused(_query: dict[str, list[str]]) -> Answer:
        if not refused:
            refused.append(True)
            return 429, THRESHOLD_PAGE, "text/html"
        return 200, json.dumps({"cik": str(AMAZON), "name": "AMAZON COM INC",
                                "filings": {"recent": columns([]), "files": []}}).encode(), "application/json"

    Edgar.routes["/submissions/CIK0001018724.json"] = first_refused
    for cik in (1, 2, 3):
        Edgar.routes[f"/submissions/CIK{cik:010d}.json"] = js({"cik": str(cik), "name": f"C{cik}",
                                                                "filings": {"recent": columns([])}})
    result = crawl(tmp_path, edgar, {"companies": [1018724, 1, 2, 3]}, {"rate_limit_pause": 1.5})
    assert result.returncode == 0, result.stderr[-3000:]
    [refusal] = [h for h in Edgar.hits if h["status"] == 429]
    later = [h for h in Edgar.hits if h["at"] > refusal["at"]]
    # Every request after the refusal, to any SEC path, waited out the pause; the refused one was retried.
    assert later and all(h["at"] - refusal["at"] >= 1.4 for h in later)
    assert [h["status"] for h in Edgar.hits if h["path"] == "/submissions/CIK0001018724.json"] == [429, 200]
    assert len(Edgar.hits) == 5
    assert "'Request Rate Threshold Exceeded'" in result.stderr and "pausing all SEC requests" in result.stderr
    # Fair access on the wire: a declared agent with an e-mail, gzip accepted (and decoded: the JSON parsed).
    assert all("tests@frwatch.invalid" in h["agent"] and "gzip" in h["encoding"] for h in Edgar.hits)
    db = store.open_store(tmp_path / "sec.db")
    [run] = store.last_crawl_runs(db)
    assert run["status"] == "finished" and run["failed"] == 0
    responses = run["responses"]
    assert isinstance(responses, dict) and responses["429"] == 1 and responses["200"] == 4


def test_requests_keep_to_the_configured_rate_across_hosts(tmp_path, edgar):
    for cik in range(1, 7):
        Edgar.routes[f"/submissions/CIK{cik:010d}.json"] = js({"cik": str(cik), "name": f"C{cik}",
                                                                "filings": {"recent": columns([])}})
    Edgar.routes["/LATEST/search-index"] = js({"hits": {"total": {"value": 0}, "hits": []}})
    result = crawl(tmp_path, edgar, {"companies": [1, 2, 3, 4, 5, 6], "search_phrases": ["face recognition"],
                                     "search_from": "2020-01-01", "search_to": "2020-01-31"},
                   {"requests_per_second": 5})
    assert result.returncode == 0, result.stderr[-3000:]
    times = sorted(h["at"] for h in Edgar.hits)
    assert len(times) == 7
    # 5 requests/s: one start every 0.2 s, submissions and search alike. Arrival times jitter on a busy
    # machine (a late request arrives close to the next one), so the span is what is held to the rate.
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert times[-1] - times[0] >= 6 * 0.19 and min(gaps) >= 0.08, gaps


def amazon_site(base: str) -> dict[str, dict[str, str]]:
    """The Amazon filings of 2019 (via submissions and its paging file) and 2020 (via full-text search)."""
    rows = {
        "def2019": filing_row("0001193125-19-102995", "DEF 14A", "2019-04-11", "d707325ddef14a.htm", "2019-05-22"),
        "px2019": filing_row("0001214659-19-003187", "PX14A6G", "2019-05-08", "p58191px14a6g.htm"),
        "defa2019": filing_row("0001193125-19-144317", "DEFA14A", "2019-05-13", "d745612ddefa14a.htm"),
        "vote2019": filing_row("0001018724-19-000030", "8-K", "2019-05-24", "a8-k20190522.htm", "2019-05-22", "5.07"),
        "earn2019": filing_row("0001018724-19-000027", "8-K", "2019-04-25", "a8-kq12019.htm", "2019-04-25",
                               "2.02,9.01"),
        "def2020": filing_row("0001193125-20-102734", "DEF 14A", "2020-04-10", "d866531ddef14a.htm", "2020-05-27"),
        "vote2020": filing_row("0001018724-20-000015", "8-K", "2020-05-29", "a8-k20200527.htm", "2020-05-27", "5.07"),
    }
    files = {"def2019": "2019-def14a.htm", "px2019": "2019-px14a6g-lantern-hill.htm", "defa2019": "2019-defa14a.htm",
             "vote2019": "2019-8k-item507.htm", "earn2019": "2019-8k-item202.htm", "def2020": "2020-def14a.htm",
             "vote2020": "2020-8k-item507.htm"}
    for key, file in files.items():
        serve_document(AMAZON, rows[key], file)
    Edgar.routes["/files/company_tickers.json"] = js({"0": {"cik_str": AMAZON, "ticker": "AMZN", "title": "AMAZON"}})
    Edgar.routes["/submissions/CIK0001018724.json"] = js({
        "cik": str(AMAZON), "name": "AMAZON COM INC",
        "filings": {"recent": columns([rows["defa2019"], rows["px2019"], rows["def2019"]]),
                    "files": [{"name": "CIK0001018724-submissions-001.json", "filingCount": 2}]}})
    Edgar.routes["/submissions/CIK0001018724-submissions-001.json"] = js(columns([rows["vote2019"], rows["earn2019"]]))
    # Two companies whose submissions come back broken: an HTML error page, and JSON cut short.
    error_page = b"<!DOCTYPE html><html><head><title>SEC.gov | Page Not Found</title></head><body></body></html>"
    cut_short = b'{"cik": "3", "name": "CUT SHORT", "filings": {"recent": {"accessionNumber": ["0000000003-20-0'
    Edgar.routes["/submissions/CIK0000000002.json"] = lambda _q: (200, error_page, "text/html")
    Edgar.routes["/submissions/CIK0000000003.json"] = lambda _q: (200, cut_short, "application/json")

    def search(query: dict[str, list[str]]) -> Answer:
        start, end = query["startdt"][0], query["enddt"][0]
        if (start, end) == ("2019-01-01", "2020-12-31"):
            hits: dict[str, Any] = {"total": {"value": 10000, "relation": "gte"}, "hits": []}
        elif end <= "2019-12-31":  # the first half: the 2019 proxy again (found by submissions too)
            hits = {"total": {"value": 1}, "hits": [efts_hit(rows["def2019"], "DEF 14A")]}
        else:  # the second half: the 2020 proxy (twice: its main document and an exhibit) and its 8-K
            hits = {"total": {"value": 3}, "hits": [efts_hit(rows["def2020"], "DEF 14A"),
                                                    efts_hit(rows["def2020"], "DEF 14A", "ex99.htm"),
                                                    efts_hit(rows["vote2020"], "8-K", items=["5.07", "9.01"])]}
        return 200, json.dumps({"hits": hits}).encode(), "application/json"

    Edgar.routes["/LATEST/search-index"] = search
    return rows


def efts_hit(row: dict[str, str], form: str, document: str = "", items: list[str] | None = None) -> dict[str, Any]:
    return {"_id": f"{row['accessionNumber']}:{document or row['primaryDocument']}",
            "_source": {"adsh": row["accessionNumber"], "ciks": [f"{AMAZON:010d}"],
                        "display_names": ["AMAZON COM INC  (AMZN)  (CIK 0001018724)"], "form": form,
                        "root_forms": [form], "file_date": row["filingDate"], "period_ending": row["reportDate"],
                        "items": items or []}}


SOURCE = {"tickers": ["AMZN", "NOPE"], "companies": [2, 3], "history": True, "search_phrases": ["facial recognition"],
          "search_from": "2019-01-01", "search_to": "2020-12-31"}


def test_discovery_links_two_years_and_survives_bad_responses(tmp_path, edgar):
    rows = amazon_site(edgar)
    result = crawl(tmp_path, edgar, SOURCE)
    assert result.returncode == 0, result.stderr[-3000:]
    fetched = [h["path"] for h in Edgar.hits if h["path"].startswith("/Archives/")]
    # Every wanted filing fetched exactly once, from whichever discovery found it first; the earnings 8-K
    # (no Item 5.07) and the search's exhibit hit never.
    assert sorted(fetched) == sorted(set(fetched)) and len(fetched) == 6
    assert not any("a8-kq12019" in p or "ex99" in p for p in fetched)
    searches = [parse_qs(h["query"]) for h in Edgar.hits if h["path"] == "/LATEST/search-index"]
    assert (searches[0]["startdt"][0], searches[0]["enddt"][0]) == ("2019-01-01", "2020-12-31")
    assert sorted((q["startdt"][0], q["enddt"][0]) for q in searches[1:]) == [
        ("2019-01-01", "2020-01-01"), ("2020-01-02", "2020-12-31")]
    for reason in ("an HTML page ('SEC.gov | Page Not Found') where JSON was expected", "truncated JSON",
                   "tickers not in EDGAR's map: NOPE"):
        assert reason in result.stderr
    db = store.open_store(tmp_path / "sec.db")
    [run] = store.last_crawl_runs(db)
    assert run["failed"] == 3 and run["status"] == "finished"
    story = db.execute(
        "select p.year, p.proponent, p.board_recommendation, v.support_for_against, "
        "(select count(*) from proposal_links l where l.proposal_id = p.id) from proposals p "
        "join votes v on v.proposal_id = p.id where p.number = '7' order by p.year").fetchall()
    assert [(y, who, rec) for y, who, rec, _, _ in story] == [
        (2019, "Harrington Investments", "AGAINST"), (2020, "Harrington Investments", "AGAINST")]
    assert story[0][3] < story[1][3] and story[0][4] == 2  # the 2019 exempt solicitation and company reply
    proposal_docs = db.execute("select count(*) from documents where canonical_url like '%#proposal-%'").fetchone()[0]
    assert proposal_docs == db.execute("select count(*) from proposals").fetchone()[0] > 0
    assert db.execute("select count(*) from proposals where document_id is null or filing_document_id is null"
                      ).fetchone()[0] == 0
    before = {t: db.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("documents", "proposals", "votes", "solicitations", "proposal_links")}
    db.conn.close()
    assert rows  # the site stays up for the second crawl
    Edgar.hits.clear()
    again = crawl(tmp_path, edgar, SOURCE)
    assert again.returncode == 0, again.stderr[-3000:]
    db = store.open_store(tmp_path / "sec.db")
    after = {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
    assert after == before
    [second, _first] = store.last_crawl_runs(db)[:2]
    assert second["new"] == 0 and second["updated"] == 0


# A day's form index as EDGAR lays it out: the PX14A6G is listed under its filer and its subject company.
FORM_INDEX = (Path(__file__).parent / "fixtures/sec/form.20240528.idx").read_bytes()


def test_daily_index_brings_the_days_exempt_solicitations(tmp_path, edgar):
    submission = (Path(__file__).parent / "fixtures/edgar/px14a6g-submission.txt").read_bytes()
    Edgar.routes["/Archives/edgar/daily-index/2024/QTR2/form.20240528.idx"] = lambda _q: (
        200, FORM_INDEX, "text/plain")
    for cik in (1999999, 1888001):
        Edgar.routes[f"/Archives/edgar/data/{cik}/0001999999-24-000031.txt"] = lambda _q: (
            200, submission, "text/plain")
    # Friday 24 May to Tuesday 28 May 2024: the weekend is not asked for, Memorial Day (27th) is missing.
    result = crawl(tmp_path, edgar, {"daily_index": True, "search_from": "2024-05-24", "search_to": "2024-05-28"})
    assert result.returncode == 0, result.stderr[-3000:]
    asked = [h["path"].rsplit(".", 2)[-2] for h in Edgar.hits if "daily-index" in h["path"]]
    assert asked == ["20240524", "20240527", "20240528"]
    fetched = [h["path"] for h in Edgar.hits if h["path"].endswith("-24-000031.txt")]
    assert len(fetched) == 1  # one filing listed under the filer and the subject company: fetched once
    assert "1 broken rows skipped" in result.stderr
    db = store.open_store(tmp_path / "sec.db")
    assert db.execute("select cik, company, year, role, filer, numbers from solicitations").fetchall() == [
        (1888001, "NORTHWIND VISION SYSTEMS, INC.", 2024, "exempt_solicitation", "Greenfield Workers Pension Trust",
         '["3"]')]
    [run] = store.last_crawl_runs(db)
    # The broken row is the only failure: the 404s of Friday and Memorial Day are days without an index.
    assert run["failed"] == 1 and run["status"] == "finished"
