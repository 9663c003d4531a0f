"""Requests per day to watch EDGAR: per-company submissions JSON against the market-wide daily index + search.

The ``sec`` spider runs for one day against a local EDGAR stand-in in which a tenth of the watched
companies filed a proxy that day, two exempt solicitations were filed, and full-text search matches three
filings. Per-company watching asks for every company's submissions JSON, so its cost grows with the watch
list; market-wide watching asks for one daily index, one search page per phrase and the filings that
matter, whatever the number of companies. Requests are counted at the server (robots.txt excluded).

With ``../shared/real/edgar/form.20200318.idx`` present, a real day's index also gives the market-wide
count for that day (1 index + its exempt solicitations) against what asking every filer's submissions
would cost; without it that row is skipped.

Run: ``.venv/bin/python -m benchmarks.sec_requests [--write]`` (``--write`` updates benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

ROOT = Path(__file__).parents[1]
PROXY = (ROOT / "frwatch/demo/content/edgar/docs/axon/2019-def14a.htm").read_bytes()
REAL_INDEX = ROOT.parent / "shared/real/edgar/form.20200318.idx"
DAY = "2024-05-28"
SIZES = (10, 40, 160)
RUN = """
import json, sys
from pathlib import Path
from crawler import CrawlSettings, SecSettings, SourceSettings, run_crawl
spec = json.loads(sys.argv[1])
run_crawl(CrawlSettings(allow_private_addresses=True, download_delay=0, log_level="ERROR"),
          SecSettings(user_agent="frwatch benchmark bench@frwatch.invalid", requests_per_second=10),
          [SourceSettings(**spec["source"])], Path(spec["database"]))
"""


def cik_of(i: int) -> int:
    return 1_500_000 + i


def accession(i: int) -> str:
    return f"{cik_of(i):010d}-24-{i:06d}"


class Market(BaseHTTPRequestHandler):
    """A day of EDGAR for ``companies`` companies; every tenth filed a proxy."""

    companies: ClassVar[int] = 0
    requests: ClassVar[int] = 0

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, path: str) -> bytes | None:
        filers = [i for i in range(self.companies) if i % 10 == 0]
        if path.startswith("/submissions/CIK"):
            i = int(path[len("/submissions/CIK"):-len(".json")]) - 1_500_000
            rows = [{"accessionNumber": accession(i), "form": "DEF 14A", "filingDate": DAY,
                     "primaryDocument": "proxy.htm"}] if i in filers else []
            recent = {k: [r[k] for r in rows] for k in ("accessionNumber", "form", "filingDate", "primaryDocument")}
            return json.dumps({"cik": str(cik_of(i)), "name": f"COMPANY {i}", "filings": {"recent": recent}}).encode()
        if path.startswith("/Archives/edgar/daily-index/"):
            lines = ["Form Type   Company Name" + " " * 50 + "CIK         Date Filed  File Name", "-" * 120]
            for i in [*filers, 900_001, 900_002]:
                form = "DEF 14A" if i in filers else "PX14A6G"
                lines.append(f"{form:<12}{'COMPANY ' + str(i):<62}{cik_of(i):<12}{DAY.replace('-', ''):<12}"
                             f"edgar/data/{cik_of(i)}/{accession(i)}.txt")
            return "\n".join(lines).encode()
        if path == "/LATEST/search-index":
            hits = [{"_id": f"{accession(i)}:proxy.htm", "_source": {
                "adsh": accession(i), "ciks": [f"{cik_of(i):010d}"], "display_names": [f"COMPANY {i}"],
                "form": "DEF 14A", "file_date": DAY}} for i in (900_003, 900_004, 900_005)]
            return json.dumps({"hits": {"total": {"value": len(hits)}, "hits": hits}}).encode()
        if path.startswith("/Archives/edgar/data/"):
            return PROXY
        return None

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        body = self.answer(path) if path != "/robots.txt" else None
        if path != "/robots.txt":
            type(self).requests += 1
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


def crawl(base: str, source: dict[str, Any]) -> tuple[int, float]:
    """Requests the spider made for one day, and the crawl's wall time."""
    Market.requests = 0
    with tempfile.TemporaryDirectory() as folder:
        spec = {"database": str(Path(folder) / "b.db"), "source": {
            "id": "bench", "spider": "sec", "submissions_base": base, "archives_base": base,
            "search_base": f"{base}/LATEST", "search_from": DAY, "search_to": DAY, **source}}
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", RUN, json.dumps(spec)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"}, capture_output=True)
        return Market.requests, time.monotonic() - started


def real_day() -> dict[str, int] | None:
    """Counts from a real daily index, or None when the real-data folder is absent."""
    if not REAL_INDEX.exists():
        return None
    from crawler.edgar.index import parse_index

    found = parse_index(REAL_INDEX.read_bytes(), str(REAL_INDEX))
    exempt = sum(1 for r in found.rows if r.form in ("PX14A6G", "PX14A6N"))
    return {"filings": len(found.rows), "filers": len({r.cik for r in found.rows}), "exempt": exempt}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the section in benchmarks/README.md")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Market)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    try:
        for size in SIZES:
            Market.companies = size
            watched = [cik_of(i) for i in range(size)]
            per_company = crawl(base, {"companies": watched})
            market = crawl(base, {"search_phrases": ["facial recognition"], "daily_index": True})
            rows.append((size, per_company, market))
            print(f"{size} companies: per-company {per_company[0]} requests ({per_company[1]:.1f} s), "
                  f"market-wide {market[0]} requests ({market[1]:.1f} s)")
    finally:
        server.shutdown()
    lines = ["| watched companies | per-company requests/day | market-wide requests/day |", "|---|---|---|"]
    lines += [f"| {size} | {pc[0]} | {mw[0]} |" for size, pc, mw in rows]
    real = real_day()
    if real:
        lines.append("")
        lines.append(f"Real day (`form.20200318.idx`, {real['filings']} filings by {real['filers']} filers): "
                     f"market-wide from the index costs 1 request + {real['exempt']} exempt solicitations "
                     f"(+ one search page per phrase); asking each of those filers' submissions JSON would "
                     f"cost {real['filers']} requests, {real['filers'] / 10 / 60:.1f} minutes at 10 requests/s.")
    table = "\n".join(lines)
    print(table)
    if args.write:
        readme = ROOT / "benchmarks/README.md"
        text = readme.read_text()
        start, end = "<!-- sec-requests -->", "<!-- /sec-requests -->"
        if start in text:
            text = text[:text.index(start) + len(start)] + "\n" + table + "\n" + text[text.index(end):]
            readme.write_text(text)


if __name__ == "__main__":
    main()
