"""The demo's HTTP server: the demo site on 127.0.0.1, a free port, in a background thread.

It answers conditional requests (ETag / If-None-Match) like a well-behaved news site, so the crawler's
frugality can be exercised offline.
"""

from __future__ import annotations

import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler import SourceSettings
from frwatch.demo.site import DemoSite, Page

ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^/robots\.txt$"), "robots"),
    (re.compile(r"^/news/(?P<outlet>[\w-]+)/$"), "outlet_index"),
    (re.compile(r"^/news/(?P<outlet>[\w-]+)/rss\.xml$"), "rss"),
    (re.compile(r"^/news/(?P<outlet>[\w-]+)/atom\.xml$"), "atom"),
    (re.compile(r"^/news/(?P<outlet>[\w-]+)/sitemap\.xml$"), "sitemap"),
    (re.compile(r"^/news/(?P<outlet>[\w-]+)/(?P<section>[\w-]+)/(?P<slug>[\w-]+)\.html$"), "article"),
    (re.compile(r"^/aws/blogs/(?P<blog>[\w-]+)/feed/$"), "blog_feed"),
    (re.compile(r"^/aws/blogs/(?P<blog>[\w-]+)/(?P<slug>[\w-]+)/$"), "post"),
    (re.compile(r"^/sec-data/submissions/CIK(?P<cik>\d{10})\.json$"), "submissions"),
    (re.compile(r"^/sec/Archives/edgar/data/(?P<cik>\d+)/(?P<folder>\d{18})/(?P<name>index\.json)?$"), "folder"),
    (re.compile(r"^/sec/Archives/edgar/data/(?P<cik>\d+)/(?P<folder>\d{18})/(?P<name>[\w.-]+)$"), "filing"),
]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        self.server.requests += 1

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        page = self.server.resolve(path)
        if page is None:
            self.send_error(404, "Not Found")
            return
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(page.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site_factory: Any) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site: DemoSite = site_factory(f"http://127.0.0.1:{self.server_address[1]}")
        self.requests = 0

    def resolve(self, path: str) -> Page | None:
        for pattern, name in ROUTES:
            match = pattern.match(path)
            if match:
                return _answer(self.site, name, match.groupdict())
        return None


def _answer(site: DemoSite, name: str, args: dict[str, str]) -> Page | None:
    outlets = {o["id"]: o for o in site.outlets}
    if name == "robots":
        lines = ["User-agent: *", "Disallow: /private/", ""]
        lines += [f"Sitemap: {site.feed_url(o)}" for o in site.outlets if o["feed"] == "sitemap"]
        return Page("\n".join(lines).encode(), "text/plain")
    if name in ("rss", "atom", "sitemap"):
        outlet = outlets.get(args["outlet"])
        if outlet is None or outlet["feed"] != name:
            return None
        return {"rss": site.rss, "atom": site.atom, "sitemap": site.sitemap}[name](outlet["id"])
    if name == "outlet_index":
        return site.outlet_index(args["outlet"])
    if name == "article":
        return site.article_page(args["outlet"], args["section"], args["slug"])
    if name == "blog_feed":
        return site.blog_feed(args["blog"])
    if name == "post":
        return site.post_page(args["blog"], args["slug"])
    if name == "submissions":
        return site.submissions(int(args["cik"]))
    if name == "folder":
        return site.filing_folder(int(args["cik"]), args["folder"], as_json=bool(args.get("name")))
    if name == "filing":
        return site.filing_document(int(args["cik"]), args["folder"], args["name"])
    return None


class DemoServer:
    """The demo site served on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(self) -> None:
        self._server = _Server(DemoSite)
        self._thread = threading.Thread(target=self._server.serve_forever, name="frwatch-demo", daemon=True)

    @property
    def site(self) -> DemoSite:
        return self._server.site

    @property
    def base_url(self) -> str:
        return self._server.site.base

    @property
    def requests(self) -> int:
        """Requests answered so far."""
        return self._server.requests

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def demo_sources(site: DemoSite) -> list[SourceSettings]:
    """The sources that crawl the demo: one per outlet, the AWS-like blogs, and EDGAR-like companies."""
    host = "127.0.0.1"
    sources = []
    for outlet in site.outlets:
        url = site.feed_url(outlet)
        sources.append(
            SourceSettings(
                id=outlet["id"], spider="news", name=outlet["name"], allowed_domains=[host],
                feeds=[url] if outlet["feed"] != "sitemap" else [],
                sitemaps=[url] if outlet["feed"] == "sitemap" else [],
            )
        )
    sources.append(
        SourceSettings(
            id="aws-blogs", spider="aws_blog", name="AWS blogs (demo)", allowed_domains=[host],
            feeds=[site.blog_feed_url(blog) for blog in site.blogs()],
        )
    )
    sources.append(
        SourceSettings(
            id="sec-edgar", spider="sec", name="SEC EDGAR (demo)",
            companies=[int(c["cik"]) for c in site.companies],
            submissions_base=f"{site.base}/sec-data", archives_base=f"{site.base}/sec",
        )
    )
    return sources
