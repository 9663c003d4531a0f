"""Politeness on the wire: a source's own delay and concurrency hold even with AutoThrottle on, every host of
one site shares one download slot, and every request carries the configured User-Agent."""

from __future__ import annotations

from itertools import pairwise

import store
from crawler import SourceSettings
from crawler.politeness import slot_for, source_slots
from tests.conftest import run_frwatch
from tests.news_site import Route, article, config, news_site, story

AGENT = "frwatch-test/1.0 (+mailto:desk@example.org)"


def test_source_delay_holds_under_autothrottle(tmp_path):
    with news_site() as site:
        links = []
        for n in range(4):
            site.routes[f"/slow/{n}.html"] = Route(article(*story(n)).encode())
            links.append(f"<item><title>{n}</title><link>{site.base}/slow/{n}.html</link></item>")
        site.routes["/feed.xml"] = Route(
            f'<rss version="2.0"><channel><title>S</title>{"".join(links)}</channel></rss>'.encode(),
            "application/rss+xml")
        site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow:\n", "text/plain")
        sources = (f'[[sources]]\nid = "slow"\nspider = "news"\nfeeds = ["{site.base}/feed.xml"]\n'
                   "concurrency = 1\ndelay = 0.4\n")
        # A global delay above 0 switches AutoThrottle on; on a fast local site, Scrapy's own AutoThrottle
        # would halve the slot's delay with every response.
        cfg = config(tmp_path, sources, crawl=f'user_agent = "{AGENT}"').read_text()
        cfg = cfg.replace("download_delay = 0\n", "download_delay = 0.05\n")
        (tmp_path / "config.toml").write_text(cfg)
        result = run_frwatch("--config", str(tmp_path / "config.toml"), "crawl", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        hits = list(site.hits)
    assert len(hits) == 6  # robots.txt, the feed, four articles
    gaps = [b.at - a.at for a, b in pairwise(hits)]
    # Scrapy varies each wait between 0.5 and 1.5 times the delay; Scrapy's own AutoThrottle would have
    # brought the mean down towards the global 0.05 s.
    assert min(gaps) >= 0.15 and sum(gaps) / len(gaps) >= 0.35, gaps
    assert {hit.headers.get("User-Agent") for hit in hits} == {AGENT}
    db = store.open_store(tmp_path / "crawl.db")
    assert db.execute("select count(*) from documents").fetchone()[0] == 4


def test_slots_group_hosts_of_one_site():
    domains = ["example.com", "news.example.com", "other.org"]
    assert slot_for("https://www.example.com/a", domains) == "example.com"
    assert slot_for("https://feeds.news.example.com/rss", domains) == "news.example.com"
    assert slot_for("https://example.com.evil.net/", domains) is None
    source = SourceSettings(id="s", spider="news", feeds=["https://feeds.example.com/rss"],
                            allowed_domains=["Example.com"], concurrency=1, delay=5)
    assert source_slots(source) == {"example.com": {"concurrency": 1, "delay": 5}}
    assert source_slots(SourceSettings(id="t", spider="news", feeds=["https://x.org/f"])) == {}
