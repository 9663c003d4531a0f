"""Charsets and transfer encodings on the wire: pages in windows-1252 with and without honest headers, UTF-8
without any declaration, brotli/gzip/deflate bodies, and bodies over the download size cap (skipped, logged,
counted in crawl_runs)."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

import store
from crawler.encoding import decode_html, detect_charset
from tests.conftest import run_frwatch
from tests.news_site import Route, article, config, news_site

# Characters that come out wrong whenever windows-1252 and UTF-8 are confused.
SAMPLE = ("The café owner said the “pilot” ended in March — and that the naïve assumption of privacy at "
          "the counter was gone for good, according to minutes of the meeting.")
TITLE = "Café owners testify on door cameras"
META_1252 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'


def page(head: str = "") -> str:
    return article(TITLE, SAMPLE, "Council members asked the vendor to explain how long images were kept.",
                   head=head)


PAGES = {
    # windows-1252 bytes, declared only in a meta tag (the header has no charset)
    "meta1252": Route(page(META_1252).encode("cp1252"), "text/html"),
    # windows-1252 bytes under a header that claims UTF-8, and no meta tag: the bytes decide
    "wrongheader": Route(page().encode("cp1252"), "text/html; charset=utf-8"),
    # UTF-8 bytes under the common server default of ISO-8859-1
    "latinheader": Route(page().encode("utf-8"), "text/html; charset=ISO-8859-1"),
    # UTF-8 without any declaration at all
    "bareutf8": Route(page().encode("utf-8"), "text/html"),
    "brotli": Route(brotli.compress(page().encode()), headers={"Content-Encoding": "br"}),
    "gzip": Route(gzip.compress(page().encode()), headers={"Content-Encoding": "gzip"}),
    "deflate": Route(zlib.compress(page().encode()), headers={"Content-Encoding": "deflate"}),
    # 60 kB on the wire against a 20 kB cap
    "big": Route(article(TITLE, *[SAMPLE] * 400).encode()),
    # 5 kB on the wire that inflate to 60 kB
    "bomb": Route(gzip.compress(article(TITLE, *[SAMPLE] * 400).encode()), headers={"Content-Encoding": "gzip"}),
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("encodings")
    with news_site() as site:
        sources = []
        for name, route in PAGES.items():
            site.routes[f"/{name}/story.html"] = route
            item = f"<item><title>{name}</title><link>{site.base}/{name}/story.html</link></item>"
            site.routes[f"/{name}/feed.xml"] = Route(
                f'<rss version="2.0"><channel><title>{name}</title>{item}</channel></rss>'.encode(),
                "application/rss+xml")
            sources.append(f'[[sources]]\nid = "{name}"\nspider = "news"\nfeeds = ["{site.base}/{name}/feed.xml"]\n')
        cfg = config(folder, "".join(sources), crawl="max_download_mb = 0.02")
        result = run_frwatch("--config", str(cfg), "crawl", cwd=folder)
        assert result.returncode == 0, result.stderr
        db = store.open_store(folder / "crawl.db")
        runs = {r["source_id"]: r for r in store.last_crawl_runs(db, limit=20)}
        yield db, runs, result.stderr


@pytest.mark.parametrize("source", ["meta1252", "wrongheader", "latinheader", "bareutf8", "brotli", "gzip", "deflate"])
def test_page_text_decoded_right(crawl, source):
    db, runs, _ = crawl
    [(title, text)] = db.execute("select title, text from documents where source_id = ?", [source]).fetchall()
    assert title == TITLE
    assert SAMPLE in text
    assert runs[source]["failed"] == 0


@pytest.mark.parametrize("source", ["big", "bomb"])
def test_oversized_bodies_are_skipped_and_counted(crawl, source):
    db, runs, stderr = crawl
    assert db.execute("select count(*) from documents where source_id = ?", [source]).fetchone()[0] == 0
    assert runs[source]["status"] == "finished" and runs[source]["failed"] == 1
    story = f"/{source}/story.html"
    assert any(story in line and ("download size cap" in line or "DOWNLOAD_MAXSIZE" in line)
               for line in stderr.splitlines())


def test_charset_choices():
    text = SAMPLE.encode("cp1252")
    assert detect_charset(text, "text/html; charset=windows-1252") == "cp1252"
    assert detect_charset(text) == "cp1252"  # detection; ties between Western code pages go to windows-1252
    assert detect_charset(SAMPLE.encode("utf-8"), "text/html; charset=iso-8859-1") == "utf-8"
    assert detect_charset(b"\xef\xbb\xbf<p>x</p>", "text/html; charset=cp1252") == "utf-8-sig"
    assert detect_charset(b'<meta charset="bogus-charset"><p>plain</p>') == "utf-8"
    assert decode_html('<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r")).endswith("Привет</p>")
