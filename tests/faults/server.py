"""A fault-injection HTTP server on 127.0.0.1, bounded in requests and wall-clock time.

Paths under ``/fault/<name>/<n>`` answer with the fault ``name`` (see :data:`FAULTS`); ``/good/<n>.html``
are ordinary articles; anything else is looked up in routes the test adds (feeds, sitemaps). The server
also acts as a plain HTTP proxy: a request line carrying an absolute URL (``GET http://host/path``) is
answered as if this server were ``host``, and the host is recorded. Pointing ``http_proxy`` at it lets a
crawl that refuses loopback addresses still talk only to loopback, and shows which hosts it tried.

Bounds, so a runaway crawl cannot hang a test: after ``max_requests`` requests every answer is a 503 and
the connection is closed; after ``max_seconds`` the server stops serving. Slow answers never sleep past
the wall-clock bound.
"""

from __future__ import annotations

import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.faults import corpus

# How long a "slow" answer waits before sending anything; tests set [crawl] download_timeout below it.
SLOW_SECONDS = 4.0
# Decompressed size of the gzip bomb: 128 MiB of zeros compress to about 130 KB.
BOMB_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class Hit:
    """One request the server answered."""

    host: str
    path: str
    query: str
    fault: str
    at: float


@dataclass
class Route:
    """A fixed answer for one path."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@functools.cache
def gzip_bomb() -> bytes:
    """A gzip stream of :data:`BOMB_BYTES` zeros, built once per process."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip header and trailer
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(BOMB_BYTES >> 20)]
    return b"".join([*parts, compressor.flush()])


def private_targets(port: int) -> dict[str, str]:
    """Where the ``private-*`` faults redirect: non-public addresses, spelled in the ways SSRF uses."""
    return {
        "private-10": "http://10.0.0.1/admin",
        "private-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "private-loopback": f"http://127.0.0.1:{port}/good/1.html",
        "private-localhost": f"http://localhost:{port}/good/1.html",  # a DNS answer, not a literal
        "private-decimal": f"http://2130706433:{port}/good/1.html",  # 127.0.0.1 as one number
        "private-ipv6": f"http://[::1]:{port}/good/1.html",
        "private-mapped": f"http://[::ffff:127.0.0.1]:{port}/good/1.html",
        "private-zero": f"http://0.0.0.0:{port}/good/1.html",
        "private-192": "http://192.168.1.1/",
    }


PRIVATE_FAULTS = tuple(private_targets(0))
# Faults whose pages must fail (nothing stored), and faults whose pages must still be stored.
FAILING_FAULTS = ("500", "502", "503", "429", "429-retry-after", "slow", "reset", "truncated", "too-large",
                  "gzip-bomb", "loop", "chain", "binary")
SURVIVING_FAULTS = ("charset-wrong", "charset-missing", "charset-bogus", "hostile", "malformed-html")
FAULTS = FAILING_FAULTS + SURVIVING_FAULTS + PRIVATE_FAULTS


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = parts.netloc or (self.headers.get("Host") or "")
        path, query = parts.path or "/", parts.query
        fault = path.split("/")[2] if path.startswith("/fault/") and path.count("/") >= 2 else ""
        server = self.server
        with server.lock:
            server.count += 1
            over = server.count > server.max_requests or time.monotonic() > server.deadline
            server.hits.append(Hit(host, path, query, fault, time.monotonic()))
        if over:
            server.exhausted = True
            self._send(503, b"fault server bound reached", "text/plain", close=True)
            return
        if fault:
            self._fault(fault, path)
            return
        if path.startswith("/good/"):
            number = int(path.rsplit("/", 1)[-1].split(".")[0])
            good = corpus.story(number)
            time.sleep(min(server.good_delay, max(0.0, server.deadline - time.monotonic())))
            self._send(200, corpus.article_page(good.title, good.paragraphs).encode(), "text/html; charset=utf-8")
            return
        route = server.routes.get(path)
        if route is None:
            self._send(404, b"not found", "text/plain")
            return
        self._send(route.status, route.body, route.content_type, route.headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              *, close: bool = False, length: int | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (a timeout test) or was reset
            self.close_connection = True

    def _fault(self, fault: str, path: str) -> None:
        server = self.server
        number = int(path.rstrip("/").rsplit("/", 1)[-1].split(".")[0] or 0) if path.count("/") >= 3 else 0
        page = corpus.story(1000 + number)
        article = corpus.article_page(page.title, page.paragraphs).encode()
        if fault in ("500", "502", "503"):
            self._send(int(fault), b"<h1>Server error</h1>", "text/html")
        elif fault == "429":
            self._send(429, b"Too many requests", "text/plain")
        elif fault == "429-retry-after":
            self._send(429, b"Too many requests", "text/plain", {"Retry-After": "1"})
        elif fault == "slow":
            time.sleep(max(0.0, min(SLOW_SECONDS, server.deadline - time.monotonic())))
            self._send(200, article, "text/html; charset=utf-8")
        elif fault == "reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault == "truncated":
            self._send(200, article[: len(article) // 3], "text/html; charset=utf-8", length=len(article) * 4,
                       close=True)
        elif fault == "too-large":
            filler = b"<p>" + b"surveillance camera contract " * 40 + b"</p>\n"
            body = article.replace(b"</article>", filler * (server.big_bytes // len(filler) + 1) + b"</article>")
            self._send(200, body, "text/html; charset=utf-8")
        elif fault == "gzip-bomb":
            self._send(200, gzip_bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif fault == "loop":
            other = path.replace("/loop/a/", "/loop/b/") if "/loop/a/" in path else path.replace("/loop/b/", "/loop/a/")
            self._send(302, b"", "text/html", {"Location": other})
        elif fault == "chain":  # an endless chain of distinct URLs: only a redirect limit ends it
            hop = int(parse_qs(urlsplit(self.path).query).get("hop", ["0"])[0]) + 1
            self._send(302, b"", "text/html", {"Location": f"{path}?hop={hop}"})
        elif fault == "binary":
            self._send(200, bytes(range(256)) * 64, "text/html")
        elif fault.startswith("charset-"):
            content_type = {"charset-wrong": "text/html; charset=utf-8", "charset-missing": "text/html",
                            "charset-bogus": "text/html; charset=x-frwatch-no-such-charset"}[fault]
            self._send(200, corpus.charset_page(number), content_type)
        elif fault == "hostile":
            self._send(200, corpus.hostile_page().encode(), "text/html; charset=utf-8")
        elif fault == "malformed-html":
            self._send(200, corpus.malformed_page(), "text/html")
        elif fault in PRIVATE_FAULTS:
            self._send(302, b"", "text/html", {"Location": private_targets(server.server_address[1])[fault]})
        else:
            self._send(404, b"no such fault", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # a crawl opens many connections at once; a short backlog drops SYNs

    def __init__(self, max_requests: int, max_seconds: float, big_bytes: int, good_delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.good_delay = good_delay
        self.lock = threading.Lock()
        self.count = 0
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.big_bytes = big_bytes
        self.exhausted = False
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients resetting or timing out are the point of this server, not errors to print


class FaultServer:
    """The running server; use as a context manager.

    :param max_requests: requests answered before every answer becomes a 503
    :param max_seconds: wall-clock life of the server
    :param big_bytes: size of the ``too-large`` body (set it above the crawl's size cap)
    :param good_delay: seconds each good article waits before it is sent (stretches a crawl for kill tests)
    """

    def __init__(self, max_requests: int = 3000, max_seconds: float = 180.0, big_bytes: int = 3 << 20,
                 good_delay: float = 0.0) -> None:
        self._server = _Server(max_requests, max_seconds, big_bytes, good_delay)
        self.port = int(self._server.server_address[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._timer = threading.Timer(max_seconds, self._server.shutdown)
        self._timer.daemon = True

    def __enter__(self) -> FaultServer:
        gzip_bomb()  # built before serving: building it inside a request would stall every other answer
        self._thread.start()
        self._timer.start()
        self.add("/robots.txt", b"User-agent: *\nDisallow: /disallowed/\n", "text/plain")
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    def add(self, path: str, body: str | bytes, content_type: str = "application/xml", **headers: str) -> str:
        """Serve ``body`` at ``path``; returns the full URL."""
        data = body.encode() if isinstance(body, str) else body
        self._server.routes[path] = Route(data, content_type, headers=dict(headers))
        return self.base + path

    def add_feed(self, path: str, make: Callable[[str, list[str]], str], paths: list[str],
                 content_type: str = "application/xml", *, base: str | None = None) -> str:
        """Serve the feed ``make(base, paths)`` at ``path``; returns its URL on ``base`` (default: this server)."""
        base = base or self.base
        self.add(path, make(base, paths), content_type)
        return base + path

    def add_gzip(self, path: str, body: bytes) -> str:
        """Serve ``body`` gzip-compressed as a file (a ``.xml.gz`` sitemap), not as a transfer encoding."""
        return self.add(path, gzip.compress(body), "application/gzip")

    @property
    def hits(self) -> list[Hit]:
        """Requests answered so far, in order."""
        with self._server.lock:
            return list(self._server.hits)

    @property
    def exhausted(self) -> bool:
        """Whether a bound (requests or time) was reached: the test's crawl ran away."""
        return self._server.exhausted

    def requested(self, prefix: str) -> list[Hit]:
        """Hits whose path starts with ``prefix``."""
        return [h for h in self.hits if h.path.startswith(prefix)]

    def canary_hits(self) -> list[Hit]:
        """Requests to the XXE canary: a parser resolved an external entity."""
        return self.requested(corpus.CANARY_PATH)
