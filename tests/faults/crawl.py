"""Building fault-crawl configurations and reading back what a crawl did, for the tests and the report.

A :class:`Plan` lists sources (each a feed or sitemap on the fault server, naming the good pages and the
fault pages it links to); :func:`write_config` turns it into a config.toml with tight bounds (a 1 s
download timeout, a 1 MB size cap, one short Retry-After wait) so every fault resolves in seconds.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from tests.faults import corpus
from tests.faults.server import PRIVATE_FAULTS, FaultServer

# A public address (the former 6to4 relay anycast block) the private-address run's listings claim to be on.
# Requests to it go through the fault server acting as a proxy (see :func:`proxy_env`), never further.
PUBLIC_HOST = "192.88.99.7"
PUBLIC_BASE = f"http://{PUBLIC_HOST}"
# The crawl settings every fault run uses: faults must resolve fast and within the fault server's bounds.
CRAWL = (
    "download_delay = 0\nconcurrent_requests_per_domain = 16\ndownload_timeout = 1\nmax_download_mb = 1\n"
    'retry_after_cap = 1\nretry_after_times = 1\nlog_level = "INFO"\n'
)


@dataclass
class Source:
    """One configured source: its listing on the fault server and the pages that listing links to."""

    id: str
    listing: str  # path of the feed or sitemap
    make: Callable[[str, list[str]], str]
    good: list[int] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # fault names; each gets a page number of its own
    sitemap: bool = False
    content_type: str = "application/xml"
    allowed_domains: list[str] = field(default_factory=list)
    readable: bool = True  # False: the listing is too broken to yield its links

    def fault_paths(self, first: int) -> list[str]:
        """Paths of this source's fault pages, numbered from ``first`` (so no two sources share a URL)."""
        return [f"/fault/{name}/{'a/' if name == 'loop' else ''}{first + i}.html"
                for i, name in enumerate(self.faults)]

    def good_paths(self) -> list[str]:
        return [f"/good/{n}.html" for n in self.good]


@dataclass
class Plan:
    """The sources of one crawl run, served on one fault server."""

    sources: list[Source]
    extra_paths: dict[str, list[str]] = field(default_factory=dict)  # source id → further linked paths

    def install(self, server: FaultServer, base: str | None = None) -> dict[str, str]:
        """Serve every listing; returns source id → listing URL. ``base`` is the host listings link to."""
        urls = {}
        for number, source in enumerate(self.sources):
            paths = [*source.good_paths(), *source.fault_paths(100 * (number + 1)),
                     *self.extra_paths.get(source.id, [])]
            urls[source.id] = server.add_feed(source.listing, source.make, paths, source.content_type, base=base)
        return urls

    def expected_good(self, base: str) -> set[str]:
        """Canonical URLs of every good page the plan links to."""
        return {f"{base}{p}" for s in self.sources if s.readable for p in s.good_paths()}


def write_config(folder: Path, plan: Plan, urls: dict[str, str], *, private: bool = True,
                 crawl: str = CRAWL, database: str = "crawl.db") -> Path:
    """A config.toml for ``plan`` in ``folder``; returns its path."""
    lines = [f'[storage]\ndatabase = "{folder / database}"\n',
             f"[crawl]\nallow_private_addresses = {str(private).lower()}\n{crawl}"]
    for source in plan.sources:
        key = "sitemaps" if source.sitemap else "feeds"
        lines.append(f'[[sources]]\nid = "{source.id}"\nspider = "news"\n{key} = ["{urls[source.id]}"]\n'
                     f"allowed_domains = {json.dumps(source.allowed_domains)}\n")
    path = folder / "config.toml"
    path.write_text("\n".join(lines))
    return path


class RunRow(TypedDict):
    """One ``crawl_runs`` row as the tests read it."""

    status: str
    requests: int
    responses: dict[str, int]
    new: int
    updated: int
    unchanged: int
    failed: int
    error: str | None


def crawl_runs(database: Path) -> dict[str, RunRow]:
    """The latest crawl run of each source: status, requests, responses by status, counts, error."""
    db = sqlite3.connect(database)
    try:
        rows = db.execute("select source_id, status, requests, responses, new, updated, unchanged, failed, error "
                          "from crawl_runs order by id").fetchall()
    finally:
        db.close()
    runs: dict[str, RunRow] = {}
    for source_id, status, requests, responses, new, updated, unchanged, failed, error in rows:
        runs[source_id] = {"status": status, "requests": requests, "responses": json.loads(responses or "{}"),
                           "new": new, "updated": updated, "unchanged": unchanged, "failed": failed,
                           "error": error}
    return runs


def stored(database: Path) -> dict[str, dict[str, str]]:
    """Stored documents by canonical URL: source, title and text."""
    db = sqlite3.connect(database)
    try:
        rows = db.execute("select canonical_url, source_id, title, text from documents").fetchall()
    finally:
        db.close()
    return {r[0]: {"source_id": r[1], "title": r[2], "text": r[3]} for r in rows}


def main_plan() -> Plan:
    """The mixed run: every page fault, hostile page and listing fault, next to good pages."""
    return Plan([
        Source("http-errors", "/feeds/errors.rss", corpus.rss, good=[1, 2],
               faults=["500", "502", "503", "429", "429-retry-after"]),
        Source("wire", "/feeds/wire.rss", corpus.rss, good=[3, 4], faults=["slow", "reset", "truncated"]),
        Source("size", "/feeds/size.atom", corpus.atom, good=[5],
               faults=["too-large", "gzip-bomb", "loop", "chain", "binary"]),
        Source("content", "/feeds/content.atom", corpus.atom, good=[6], faults=["hostile", "malformed-html"]),
        Source("charsets", "/feeds/charsets.json", corpus.json_feed, good=[7, 8],
               faults=["charset-wrong", "charset-missing", "charset-bogus", "hostile"],
               content_type="application/feed+json"),
        Source("bad-rss", "/feeds/bad.rss", corpus.malformed_rss, good=[9]),
        Source("bad-atom", "/feeds/bad.atom", corpus.malformed_atom, good=[10], readable=False),
        Source("bad-json", "/feeds/bad.json", corpus.malformed_json_feed, good=[11],
               content_type="application/feed+json", readable=False),
        Source("xxe-rss", "/feeds/xxe.rss", corpus.xxe_rss, good=[12]),
        Source("laughs-rss", "/feeds/laughs.rss", corpus.laughs_rss, good=[13]),
        Source("xxe-sitemap", "/sitemaps/xxe.xml", corpus.xxe_sitemap, good=[14], sitemap=True),
        Source("laughs-sitemap", "/sitemaps/laughs.xml", corpus.laughs_sitemap, good=[15], sitemap=True),
    ], extra_paths={"wire": ["/disallowed/1.html"]})


def private_plan() -> Plan:
    """A listing on a public address whose pages redirect to private, loopback and link-local ones.

    Every redirect target is an allowed domain, so nothing but the private-address check stands between
    the crawler and the target.
    """
    targets = ["10.0.0.1", "169.254.169.254", "127.0.0.1", "localhost", "2130706433", "::1", "::ffff:127.0.0.1",
               "0.0.0.0", "192.168.1.1"]
    return Plan([Source("redirects", "/feeds/private.rss", corpus.rss, good=[1, 2], faults=list(PRIVATE_FAULTS),
                        allowed_domains=[PUBLIC_HOST, *targets])])


def proxy_env(server: FaultServer) -> dict[str, str]:
    """Environment sending every http:// request of a crawl through the fault server."""
    return {"http_proxy": server.base, "HTTP_PROXY": server.base, "no_proxy": "", "NO_PROXY": ""}


def frwatch_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment ``frwatch`` subprocesses run in: no inherited config, no warnings noise."""
    env = {k: v for k, v in os.environ.items() if k not in ("FRWATCH_CONFIG", "http_proxy", "HTTP_PROXY")}
    env.update({"PYTHONWARNINGS": "ignore", **(extra or {})})
    return env


def start(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``frwatch --config CONFIG ARGS`` (default: ``crawl``) in the config's folder."""
    return subprocess.Popen([sys.executable, "-m", "frwatch", "--config", str(config), *(args or ("crawl",))],
                            cwd=config.parent, env=frwatch_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Wait for a process from :func:`start`; killed (and reported) if it outlives ``timeout``."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        stderr += f"\n[fault harness] killed after {timeout} s"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
