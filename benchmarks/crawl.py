"""Crawl throughput and frugality on an expanded copy of the demo site, served from loopback.

The demo's 44 news articles become ``--pages`` article pages (default 2,000): each variant keeps an
article's outlet, template and metadata, with its own slug and date, its paragraphs rotated and one
paragraph of its own, so every page is distinct text of the demo's kind. The four outlets' feeds (two RSS,
one Atom, one sitemap) list every variant.

Each run crawls the site into a fresh database with politeness off (no delay, no AutoThrottle, 16 requests
per site) in its own process, as ``frwatch crawl`` does, and times the crawl; pages per second is the
median over ``--runs``. After the last run the same database is crawled again with nothing changed, and
the requests made, the 304 answers and the documents re-processed (new or updated) are reported.

Command: ``.venv/bin/python -m benchmarks.crawl --pages 2000 --runs 3 --write``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"
COMMAND = ".venv/bin/python -m benchmarks.crawl --pages 2000 --runs 3 --write"


def expanded_site(pages: int) -> Any:
    """A :class:`frwatch.demo.site.DemoSite` whose outlets carry ``pages`` articles between them."""
    from datetime import datetime

    from frwatch.demo.site import DemoSite

    class ExpandedSite(DemoSite):
        @cached_property
        def articles(self) -> dict[str, list[dict[str, Any]]]:
            originals = DemoSite.articles.func(self)  # type: ignore[attr-defined]
            outlets = list(originals)
            grown: dict[str, list[dict[str, Any]]] = {o: [] for o in outlets}
            for n in range(pages):
                outlet = outlets[n % len(outlets)]
                rows = originals[outlet]
                base = rows[(n // len(outlets)) % len(rows)]
                body = list(base["body"])
                shift = n % max(1, len(body))
                body = body[shift:] + body[:shift]
                body.insert(1, f"This is version {n} of the report, filed from desk {n % 17} after "
                               f"{n % 9 + 2} interviews and a review of {n % 23 + 3} pages of council records.")
                published = datetime.fromisoformat(base["published"].replace("Z", "+00:00")) - timedelta(hours=n)
                grown[outlet].append({
                    **base, "slug": f"{base['slug']}-{n:05d}", "body": body,
                    "title": f"{base['title']} (report {n})",
                    "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                })
            return {o: sorted(r, key=lambda a: a["published"], reverse=True) for o, r in grown.items()}

    return ExpandedSite


class Server:
    """The demo server's handler over the expanded site, on a free loopback port."""

    def __init__(self, pages: int) -> None:
        # The demo server's own request handler (conditional GET and all) over another site.
        from frwatch.demo.server import _Server

        self.server = _Server(expanded_site(pages))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Any:
        self.thread.start()
        return self.server.site

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_config(folder: Path, site: Any) -> Path:
    lines = [
        f'[storage]\ndatabase = "{folder / "crawl.db"}"\n',
        "[crawl]\nallow_private_addresses = true\ndownload_delay = 0\nconcurrent_requests_per_domain = 16\n"
        'max_pages_per_source = 100000\nlog_level = "ERROR"\n',
    ]
    for outlet in site.outlets:
        key = "sitemaps" if outlet["feed"] == "sitemap" else "feeds"
        lines.append(f'[[sources]]\nid = "{outlet["id"]}"\nspider = "news"\n{key} = ["{site.feed_url(outlet)}"]\n')
    path = folder / "config.toml"
    path.write_text("\n".join(lines))
    return path


def worker(config_path: str) -> None:
    """One crawl in this process (Scrapy's reactor runs once per process); prints its wall time."""
    from crawler import run_crawl
    from frwatch.config import load_config

    config = load_config(config_path)
    start = time.perf_counter()
    run_crawl(config.crawl, config.sec, config.sources, config.storage.database, config.storage.busy_timeout_ms)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def crawl_once(config: Path) -> tuple[float, dict[str, int]]:
    """Run one crawl in a subprocess; its seconds and the summed counts of the runs it recorded."""
    import store

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-m", "benchmarks.crawl", "--worker", str(config)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"crawl failed:\n{done.stderr}")
    seconds = float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])
    db = store.open_store(config.parent / "crawl.db")
    sources = {line.split('"')[1] for line in config.read_text().splitlines() if line.startswith("id = ")}
    latest = {r["source_id"]: r for r in reversed(store.last_crawl_runs(db, limit=100)) if r["source_id"] in sources}
    totals = {"requests": 0, "200": 0, "304": 0, "new": 0, "updated": 0, "unchanged": 0, "failed": 0}
    for run in latest.values():
        for key in ("requests", "new", "updated", "unchanged", "failed"):
            totals[key] += int(run[key])
        for status in ("200", "304"):
            totals[status] += int(run["responses"].get(status, 0))
    totals["documents"] = int(db.execute("select count(*) from documents").fetchone()[0])
    db.conn.close()
    return seconds, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the results into benchmarks/README.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    rates, firsts = [], []
    with Server(args.pages) as site, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            config = write_config(folder, site)
            seconds, totals = crawl_once(config)
            rates.append(totals["new"] / seconds)
            firsts.append((seconds, totals))
            print(f"run {run + 1}: {totals['new']} documents in {seconds:.1f} s = {rates[-1]:.1f} pages/s; {totals}")
        again_seconds, again = crawl_once(config)
        print(f"second crawl, nothing changed: {again_seconds:.1f} s; {again}")
    seconds, first = firsts[-1]
    table = "\n".join([
        "| crawl | pages stored | requests | 200 | 304 | re-processed (new + updated) | seconds | pages/s |",
        "|---|---|---|---|---|---|---|---|",
        f"| first (median of {args.runs}) | {first['new']} | {first['requests']} | {first['200']} | {first['304']} | "
        f"{first['new']} | {statistics.median(s for s, _ in firsts):.1f} | **{statistics.median(rates):.1f}** |",
        f"| second, nothing changed | {again['new']} | {again['requests']} | {again['200']} | {again['304']} | "
        f"**{again['new'] + again['updated']}** | {again_seconds:.1f} | — |",
    ])
    print(table)
    if args.write:
        text = README.read_text()
        block = f"<!-- crawl -->\n{table}\n\nRuns: {', '.join(f'{r:.1f}' for r in rates)} pages/s.\n<!-- /crawl -->"
        start, end = text.find("<!-- crawl -->"), text.find("<!-- /crawl -->")
        if start == -1 or end == -1:
            raise SystemExit("benchmarks/README.md has no <!-- crawl --> ... <!-- /crawl --> markers")
        README.write_text(text[:start] + block + text[end + len("<!-- /crawl -->"):])
    return 0


if __name__ == "__main__":
    sys.exit(main())
