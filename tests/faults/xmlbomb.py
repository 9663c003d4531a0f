"""Measure what frwatch's own listing parsers spend on hostile XML: time, memory, and what they return.

Run as ``python -m tests.faults.xmlbomb [PADDING]`` it measures every document (the billion-laughs feed
last, so the process's peak memory growth is that parse's) and prints one JSON object; tests run it in a
subprocess of its own. Time is CPU time, so a busy machine does not change it much. ``PADDING`` bytes
of comment are added to each document: expat's amplification limit is a ratio to the input size, so a
larger hostile document is allowed to expand further.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable

from tests.faults import corpus

BASE = "http://127.0.0.1:9"
DOCUMENTS: dict[str, Callable[[str, list[str]], str]] = {
    "xxe-rss": corpus.xxe_rss,
    "laughs-sitemap": corpus.laughs_sitemap,
    "xxe-sitemap": corpus.xxe_sitemap,
    "laughs-rss": corpus.laughs_rss,
}


def measure(name: str, padding: int = 0) -> dict[str, object]:
    """Parse document ``name`` with frwatch's parser for its kind: CPU seconds, peak memory growth, outcome."""
    from crawler.feeds import parse_feed, parse_sitemap

    text = DOCUMENTS[name](BASE, ["/good/1.html"])
    if padding:
        text = text.replace("<channel>", f"<channel><!--{'x' * padding}-->", 1).replace(
            "<url>", f"<!--{'x' * padding}--><url>", 1)
    body = text.encode()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    try:
        if name.endswith("sitemap"):
            _, entries = parse_sitemap(body)
            titles: list[str] = []
        else:
            entries, _ = parse_feed(body, BASE + "/feed")
            titles = [e.title or "" for e in entries]
        outcome = "parsed"
    except ValueError as exc:
        entries, titles, outcome = [], [], f"refused: {exc}"
    seconds = time.process_time() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "name": name, "input_bytes": len(body), "cpu_seconds": round(seconds, 3),
        "rss_growth_mb": round((after - before) / 1024, 1),
        "outcome": outcome, "links": [e.link for e in entries], "longest_title": max(map(len, titles), default=0),
    }


def measure_all(padding: int = 0) -> dict[str, dict[str, object]]:
    """:func:`measure` for every document, the billion-laughs feed last."""
    import crawler.feeds  # noqa: F401  imported first, so its import does not count as a parse's memory

    return {name: measure(name, padding) for name in DOCUMENTS}


if __name__ == "__main__":
    print(json.dumps(measure_all(int(sys.argv[1]) if len(sys.argv) > 1 else 0)))
