"""A small configurable news site on 127.0.0.1 for crawl tests: fixed routes, conditional GET, a log of hits.

Each test module builds the routes it needs (feeds of one format, sitemaps, robots.txt, pages in odd
encodings) and runs the real ``frwatch crawl`` against it.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Route:
    """One answer of the site."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    validators: bool = True  # send an ETag (and honour If-None-Match)


@dataclass(frozen=True)
class Hit:
    """One request the site answered."""

    path: str
    status: int
    at: float
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        status = route.status if route else 404
        etag = ('"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                if route and status == 200 and route.validators else None)
        if etag and self.headers.get("If-None-Match") == etag:
            status = 304
        self.server.hits.append(Hit(self.path, status, time.monotonic(), dict(self.headers.items())))
        self.send_response(status)
        if route is None or status == 304:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_header("Content-Type", route.content_type)
        if etag:
            self.send_header("ETag", etag)
        for key, value in route.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []


class NewsSite:
    """The running site: add routes, read hits."""

    def __init__(self, server: _Site) -> None:
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self.port = server.server_address[1]

    @property
    def routes(self) -> dict[str, Route]:
        return self._server.routes

    @property
    def hits(self) -> list[Hit]:
        return self._server.hits

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        return [hit.path for hit in self.hits]


@contextmanager
def news_site() -> Iterator[NewsSite]:
    """Serve a :class:`NewsSite` for the duration of the block."""
    server = _Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield NewsSite(server)
    finally:
        server.shutdown()
        server.server_close()


def article(title: str, *paragraphs: str, head: str = "", lang: str = "en") -> str:
    """An article page in the usual news markup: header furniture, the story, a footer."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{head}<title>{html.escape(title)} | The Ledger</title></head>'
        '<body><nav><a href="/">Home</a> <a href="/local/">Local</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>{body}</article>"
        "<footer>Copyright The Ledger. All rights reserved.</footer></body></html>"
    )


def story(n: int) -> tuple[str, str, str]:
    """Title and two paragraphs of a distinct, plausible local-news story number ``n``."""
    topics = ["the sheriff's camera contract", "the transit police budget", "the school district's visitor kiosks",
              "the airport's boarding gates", "the housing authority's door cameras", "the library's privacy policy"]
    topic = topics[n % len(topics)]
    return (
        f"Council hearing {n} on {topic}",
        f"Residents packed hearing number {n} on Tuesday evening to question officials about {topic} and whether "
        "face matching software had been switched on without a public vote.",
        f"Officials said a written report on {topic} would follow within thirty days, and that no images had been "
        f"shared with outside agencies since the pilot began in year {2010 + n}.",
    )


def config(tmp_path: Path, sources: str, crawl: str = "") -> Path:
    """A config.toml for the site: private addresses allowed, no delay, the given sources."""
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\ndatabase = "{tmp_path / "crawl.db"}"\n'
        f'[crawl]\nallow_private_addresses = true\ndownload_delay = 0\nconcurrent_requests_per_domain = 4\n'
        f'log_level = "WARNING"\n{crawl}\n{sources}'
    )
    return path
