"""Every listing format a source can name, crawled for real from a local site: RSS 0.91, RSS 1.0, paged
Atom, paged JSON Feed, a sitemap index with a gzip child, a news sitemap, robots.txt sitemap discovery;
links off the allowed domains and paths robots.txt disallows are never fetched."""

from __future__ import annotations

import gzip
import json

import pytest

import store
from crawler.feeds import ListingError, parse_feed, parse_sitemap, robots_sitemaps
from tests.conftest import run_frwatch
from tests.news_site import Route, article, config, news_site, story

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML = "application/xml; charset=utf-8"


def page(n: int) -> Route:
    return Route(article(*story(n)).encode())


def build(site) -> dict[str, list[str]]:
    """Routes for every listing format; returns the article paths each source should reach."""
    b, routes = site.base, site.routes
    expected: dict[str, list[str]] = {}
    n = 0

    def articles(source: str, count: int) -> list[str]:
        nonlocal n
        paths = []
        for _ in range(count):
            n += 1
            paths.append(f"/{source}/story-{n}.html")
            routes[paths[-1]] = page(n)
        expected[source] = paths
        return paths

    a = articles("rss091", 2)
    items = "".join(f"<item><title>Item {i}</title><link>{b}{p}</link><description>d</description></item>"
                    for i, p in enumerate(a))
    routes["/rss091.xml"] = Route(
        f'<?xml version="1.0"?><rss version="0.91"><channel><title>Ledger</title><link>{b}/</link>'
        f"<description>Local news</description><language>en-us</language>{items}</channel></rss>".encode(),
        "application/rss+xml")

    a = articles("rdf", 2)
    seq = "".join(f'<rdf:li rdf:resource="{b}{p}"/>' for p in a)
    items = "".join(f'<item rdf:about="{b}{p}"><title>Item</title><link>{b}{p}</link>'
                    "<dc:date>2020-06-12T09:00:00-04:00</dc:date><dc:creator>Marta Quill</dc:creator></item>"
                    for p in a)
    routes["/rdf.xml"] = Route(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{b}/rdf.xml"><title>Ledger</title><link>{b}/</link><description>x</description>'
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{items}</rdf:RDF>".encode(), "application/rdf+xml")

    a = articles("atom", 3)
    for number, (chunk, nxt) in enumerate([(a[:2], "/atom.xml?page=2"), (a[2:], None)], start=1):
        entries = "".join(f'<entry><title>T</title><id>{b}{p}</id><link rel="alternate" href="{b}{p}"/>'
                          "<updated>2020-06-12T13:00:00Z</updated></entry>" for p in chunk)
        link = f'<link rel="next" href="{b}{nxt}"/>' if nxt else ""
        path = "/atom.xml" if number == 1 else "/atom.xml?page=2"
        routes[path] = Route(
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title>'
            f"<id>{b}/</id><updated>2020-06-12T13:00:00Z</updated>{link}{entries}</feed>".encode(),
            "application/atom+xml")

    a = articles("json", 3)
    for number, (chunk, nxt) in enumerate([(a[:1], "/feed.json?page=2"), (a[1:], None)], start=1):
        feed: dict[str, object] = {
            "version": "https://jsonfeed.org/version/1.1", "title": "Ledger", "home_page_url": f"{b}/",
            "items": [{"id": p, "url": f"{b}{p}", "title": "T", "date_published": "2020-06-12T09:00:00-04:00",
                       "authors": [{"name": "Ruth Okafor"}], "tags": ["surveillance"]} for p in chunk],
        }
        if nxt:
            feed["next_url"] = f"{b}{nxt}"
        routes["/feed.json" if number == 1 else "/feed.json?page=2"] = Route(
            json.dumps(feed).encode(), "application/feed+json")

    a = articles("index", 2)
    urlset = "".join(f"<url><loc>{b}{p}</loc></url>" for p in a)
    routes["/sitemaps/part-1.xml.gz"] = Route(
        gzip.compress(f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">{urlset}</urlset>'.encode()),
        "application/x-gzip")
    routes["/sitemap-index.xml"] = Route(
        f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">'
        f"<sitemap><loc>{b}/sitemaps/part-1.xml.gz</loc></sitemap>"
        # Off the allowed domain (same server, other host name): never fetched.
        f"<sitemap><loc>http://localhost:{site.port}/offsite/sitemap.xml</loc></sitemap></sitemapindex>".encode(),
        XML)

    a = articles("newsmap", 1)
    routes["/news-sitemap.xml"] = Route(
        f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}"><url><loc>{b}{a[0]}</loc>'
        "<news:news><news:publication><news:name>The Ledger</news:name><news:language>en</news:language>"
        "</news:publication><news:publication_date>2020-06-12T10:15:00+02:00</news:publication_date>"
        "<news:title>Kiosk hearing</news:title><news:keywords>privacy, schools</news:keywords></news:news>"
        "</url></urlset>".encode(), XML)

    a = articles("robots", 1)
    routes["/robots-sitemap.xml"] = Route(
        f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}"><url><loc>{b}{a[0]}</loc></url></urlset>'.encode(), XML)
    routes["/robots.txt"] = Route(
        f"User-agent: *\nDisallow: /private/\n\nSitemap: {b}/robots-sitemap.xml\n".encode(), "text/plain")

    a = articles("rss2", 1)
    routes["/private/hidden.html"] = page(99)
    routes["/offsite/elsewhere.html"] = page(98)
    links = [f"{b}{a[0]}", f"{b}/private/hidden.html", f"http://localhost:{site.port}/offsite/elsewhere.html"]
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
    routes["/rss2.xml"] = Route(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>L</title>{items}</channel></rss>'.encode(),
        "application/rss+xml")
    return expected


SOURCES = {
    "rss091": 'feeds = ["{b}/rss091.xml"]', "rdf": 'feeds = ["{b}/rdf.xml"]', "atom": 'feeds = ["{b}/atom.xml"]',
    "json": 'feeds = ["{b}/feed.json"]', "index": 'sitemaps = ["{b}/sitemap-index.xml"]',
    "newsmap": 'sitemaps = ["{b}/news-sitemap.xml"]', "robots": 'sitemaps = ["{b}/robots.txt"]',
    "rss2": 'feeds = ["{b}/rss2.xml"]',
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feeds")
    with news_site() as site:
        expected = build(site)
        sources = "".join(
            f'[[sources]]\nid = "{name}"\nspider = "news"\n{line.format(b=site.base)}\n'
            f'allowed_domains = ["127.0.0.1"]\n' for name, line in SOURCES.items()
        )
        result = run_frwatch("--config", str(config(folder, sources)), "crawl", cwd=folder)
        assert result.returncode == 0, result.stderr
        db = store.open_store(folder / "crawl.db")
        yield site, expected, db


def test_every_listing_format_reaches_all_its_articles(crawl):
    site, expected, db = crawl
    for source, paths in expected.items():
        rows = db.execute("select url from documents where source_id = ?", [source]).fetchall()
        assert sorted(r[0] for r in rows) == sorted(site.base + p for p in paths), source
    runs = {r["source_id"]: r for r in store.last_crawl_runs(db, limit=20)}
    assert all(r["status"] == "finished" and r["failed"] == 0 for r in runs.values())
    assert runs["atom"]["requests"] >= 2 + 3 and runs["json"]["requests"] >= 2 + 3  # both pages of each


def test_listing_metadata_fills_what_the_page_lacks(crawl):
    _, _, db = crawl
    rdf = db.execute("select author from documents where source_id = 'rdf'").fetchall()
    assert {r[0] for r in rdf} == {"Marta Quill"}
    jf = db.execute("select author, categories from documents where source_id = 'json'").fetchall()
    assert {r[0] for r in jf} == {"Ruth Okafor"} and all("surveillance" in r[1] for r in jf)
    [news] = db.execute("select published, categories from documents where source_id = 'newsmap'").fetchall()
    assert news[0] == "2020-06-12T08:15:00Z" and json.loads(news[1]) == ["privacy", "schools"]


def test_offsite_links_and_disallowed_paths_are_never_fetched(crawl):
    site, _, _ = crawl
    paths = site.paths()
    assert "/private/hidden.html" not in paths, "robots.txt disallows /private/"
    assert not any(p.startswith("/offsite/") for p in paths), "localhost is not an allowed domain"
    assert "/robots-sitemap.xml" in paths and "/sitemaps/part-1.xml.gz" in paths


def test_parsers_on_bytes():
    entries, nxt = parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": '
                              b'[{"id": "1", "url": "https://x.example/a", "author": {"name": "A. Writer"}}]}',
                              "https://x.example/feed.json")
    assert [(e.link, e.author) for e in entries] == [("https://x.example/a", "A. Writer")] and nxt is None
    with pytest.raises(ListingError):
        parse_sitemap(b"<html><body>not a sitemap</body></html>")
    with pytest.raises(ListingError):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "https://x.example/f")
    hostile = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url></urlset>')
    assert all("root:" not in e.link for e in parse_sitemap(hostile)[1])
    assert robots_sitemaps(b"User-agent: *\nsitemap: https://x.example/s.xml\n# Sitemap: no\n") == [
        "https://x.example/s.xml"]


def test_same_bytes_without_validators_are_not_extracted_again(tmp_path):
    """A server that sends no ETag or Last-Modified answers 200 every time; identical bytes count as
    unchanged without extraction, a changed page is stored again."""
    with news_site() as site:
        title, *paragraphs = story(3)
        routes = site.routes
        routes["/plain/a.html"] = Route(article(title, *paragraphs).encode(), validators=False)
        routes["/plain/b.html"] = Route(article(*story(4)).encode(), validators=False)
        items = "".join(f"<item><title>x</title><link>{site.base}/plain/{n}.html</link></item>" for n in "ab")
        routes["/plain.xml"] = Route(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{items}</channel></rss>'.encode(),
            "application/rss+xml", validators=False)
        cfg = config(tmp_path, f'[[sources]]\nid = "plain"\nspider = "news"\nfeeds = ["{site.base}/plain.xml"]\n')
        cfg.write_text(cfg.read_text().replace('log_level = "WARNING"', 'log_level = "INFO"'))  # stats dump
        assert run_frwatch("--config", str(cfg), "crawl", cwd=tmp_path).returncode == 0
        routes["/plain/b.html"] = Route(article(title, *paragraphs, "A correction was appended.").encode(),
                                        validators=False)
        second = run_frwatch("--config", str(cfg), "crawl", cwd=tmp_path)
        assert second.returncode == 0, second.stderr
    db = store.open_store(tmp_path / "crawl.db")
    last = store.last_crawl_runs(db, limit=1)[0]
    assert (last["new"], last["updated"], last["unchanged"]) == (0, 1, 1)
    assert "'frwatch/unchanged/same_bytes': 1" in second.stderr  # a.html was not extracted again
