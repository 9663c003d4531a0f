"""429/503 with Retry-After: the crawler waits as asked, slows the site, retries, and stores the page."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import store
from crawler.retry_after import retry_after_seconds
from tests.conftest import FIXTURES, run_frwatch

ARTICLE = (FIXTURES / "article.html").read_bytes()


class Site(BaseHTTPRequestHandler):
    hits: ClassVar[list[tuple[str, int, float]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        first_feed = self.path == "/feed.xml" and not any(p == "/feed.xml" for p, _, _ in self.hits)
        if first_feed:
            status, body, headers = 429, b"slow down", {"Retry-After": "1"}
        elif self.path == "/feed.xml":
            item = f"<item><title>Board pauses pilot</title><link>{base}/a.html</link></item>"
            status, body = 200, f'<rss version="2.0"><channel><title>T</title>{item}</channel></rss>'.encode()
            headers = {"Content-Type": "application/rss+xml"}
        elif self.path == "/a.html":
            status, body, headers = 200, ARTICLE, {"Content-Type": "text/html; charset=utf-8"}
        else:
            status, body, headers = 404, b"", {}
        self.hits.append((self.path, status, time.monotonic()))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_retry_after_values():
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Thu, 26 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_429_is_waited_out_and_the_crawl_completes(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\ndatabase = "{tmp_path / "r.db"}"\n[crawl]\nallow_private_addresses = true\n'
            f'download_delay = 0\nlog_level = "ERROR"\n[[sources]]\nid = "slow"\nspider = "news"\n'
            f'feeds = ["{base}/feed.xml"]\n'
        )
        result = run_frwatch("--config", str(config), "crawl", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
    feed = [(status, at) for path, status, at in Site.hits if path == "/feed.xml"]
    assert [s for s, _ in feed] == [429, 200]
    assert feed[1][1] - feed[0][1] >= 0.99, "the retry waited the whole Retry-After"
    db = store.open_store(tmp_path / "r.db")
    assert db.execute("select count(*) from documents").fetchone()[0] == 1
    [run] = store.last_crawl_runs(db)
    assert run["responses"].get("429") == 1 and run["new"] == 1 and run["failed"] == 0
