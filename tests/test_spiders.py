"""The real spiders against the demo site on loopback, through the real ``frwatch crawl`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import store
from tests.conftest import run_frwatch


def write_config(tmp_path: Path, server, *, private: bool = True, sec_agent: str = "Test Runner test@example.org",
                 only: str | None = None) -> Path:
    site = server.site
    lines = [
        f'[storage]\ndatabase = "{tmp_path / "crawl.db"}"\n',
        f"[crawl]\nallow_private_addresses = {str(private).lower()}\ndownload_delay = 0\n"
        "concurrent_requests_per_domain = 8\nlog_level = \"ERROR\"\n",
        f'[sec]\nuser_agent = "{sec_agent}"\nrequests_per_second = 10\n',
    ]
    for outlet in site.outlets:
        key = "sitemaps" if outlet["feed"] == "sitemap" else "feeds"
        lines.append(f'[[sources]]\nid = "{outlet["id"]}"\nspider = "news"\n{key} = ["{site.feed_url(outlet)}"]\n')
    feeds = ", ".join(f'"{site.blog_feed_url(b)}"' for b in site.blogs())
    lines.append(f'[[sources]]\nid = "aws"\nspider = "aws_blog"\nfeeds = [{feeds}]\n')
    ciks = ", ".join(str(c["cik"]) for c in site.companies)
    lines.append(
        f'[[sources]]\nid = "edgar"\nspider = "sec"\ncompanies = [{ciks}]\n'
        f'submissions_base = "{site.base}/sec-data"\narchives_base = "{site.base}/sec"\n'
    )
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines))
    return path


@pytest.fixture(scope="module")
def crawled(demo_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    config = write_config(folder, demo_server)
    first = run_frwatch("--config", str(config), "crawl", cwd=folder)
    assert first.returncode == 0, first.stderr
    db = store.open_store(folder / "crawl.db")
    snapshot = db.execute("select id, canonical_url, content_sha256, updated from documents order by id").fetchall()
    second = run_frwatch("--config", str(config), "crawl", cwd=folder)
    assert second.returncode == 0, second.stderr
    return db, snapshot, folder


def test_every_feed_kind_reaches_its_articles(crawled, demo_server):
    db, _, _ = crawled
    per_source = dict(db.execute("select source_id, count(*) from documents group by source_id").fetchall())
    for outlet in demo_server.site.outlets:  # two RSS, one Atom, one sitemap
        assert per_source[outlet["id"]] == len(demo_server.site.articles[outlet["id"]]), outlet["feed"]
    assert per_source["aws"] == len(demo_server.site.posts)


def test_news_documents_have_clean_canonical_urls_and_metadata(crawled):
    db, _, _ = crawled
    rows = db.execute("select canonical_url, title, author, published, text, language from documents "
                      "where kind = 'news'").fetchall()
    assert all("utm_" not in r[0] and r[0].endswith(".html") for r in rows)
    assert all(r[1] and r[4] and r[5] == "en" for r in rows)
    assert sum(1 for r in rows if r[2]) >= len(rows) - 4  # a few wire copies carry no byline
    assert all(r[3] and r[3].endswith("Z") for r in rows), "published is full UTC from page metadata"
    for banner in ("Advertisement", "cookie"):
        assert not any(banner in r[4] for r in rows), banner


def test_blog_posts_have_authors_and_categories(crawled):
    db, _, _ = crawled
    rows = db.execute("select title, author, categories from documents where kind = 'blog'").fetchall()
    assert all(r[1] for r in rows)
    rekognition = [r for r in rows if "Rekognition" in (r[2] or "")]
    assert len(rekognition) >= 3
    assert all(json.loads(r[2]) for r in rows)


def test_sec_filings_with_company_form_and_accession(crawled, demo_server):
    db, _, _ = crawled
    rows = db.execute("select f.cik, f.company, f.form, f.accession, f.filed, f.items, d.text from filings f "
                      "join documents d on d.id = f.document_id").fetchall()
    forms = {r[2] for r in rows}
    assert {"DEF 14A", "PX14A6G", "8-K"} <= forms
    assert all(r[5] and "5.07" in r[5] for r in rows if r[2] == "8-K"), "only 8-Ks with Item 5.07"
    listed = [f for c in demo_server.site.companies for f in c["filings"]]
    skipped_8k = [f for f in listed if f["form"] == "8-K" and "5.07" not in f.get("items", "")]
    assert skipped_8k and not {f["accessionNumber"] for f in skipped_8k} & {r[3] for r in rows}
    proxy = next(r for r in rows if r[2] == "DEF 14A" and r[0] == 1018724)
    assert "RESOLVED" in proxy[6] and "facial recognition" in proxy[6].lower()


def test_second_crawl_is_answered_304_and_changes_nothing(crawled, demo_server):
    db, snapshot, _ = crawled
    again = db.execute("select id, canonical_url, content_sha256, updated from documents order by id").fetchall()
    assert again == snapshot
    runs = store.last_crawl_runs(db, limit=50)
    latest = {r["source_id"]: r for r in reversed(runs)}
    assert all(r["status"] == "finished" and r["new"] == 0 and r["updated"] == 0 for r in latest.values())
    # Feeds, sitemaps and EDGAR JSON come back 304 Not Modified, so no article page is asked for again.
    assert all(r["responses"].get("304") and r["responses"].get("200", 0) <= 1 for r in latest.values())  # robots
    site = demo_server.site
    listings = len(site.outlets) + len(site.blogs()) + len(site.companies)
    assert sum(r["requests"] for r in latest.values()) == listings + len(latest)  # and robots.txt per source


def test_unchanged_articles_are_answered_304(crawled):
    db, snapshot, folder = crawled
    db.execute("delete from http_cache")  # forget the listings: feeds are fetched in full again
    result = run_frwatch("--config", str(folder / "config.toml"), "crawl", cwd=folder)
    assert result.returncode == 0, result.stderr
    latest = {r["source_id"]: r for r in reversed(store.last_crawl_runs(db, limit=50))}
    # A proxy's proposals are documents of their own (URL "#proposal-N") but are not fetched: their filing is.
    fetched = [row for row in snapshot if "#proposal-" not in row[1]]
    assert sum(r["unchanged"] for r in latest.values()) == len(fetched)
    assert sum(r["responses"].get("304", 0) for r in latest.values()) >= len(fetched)
    assert db.execute("select id, canonical_url, content_sha256, updated from documents order by id").fetchall() \
        == snapshot


def test_private_addresses_refused_by_default(demo_server, tmp_path):
    config = write_config(tmp_path, demo_server, private=False)
    result = run_frwatch("--config", str(config), "crawl", "harbor-ledger", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = store.open_store(tmp_path / "crawl.db")
    assert db.execute("select count(*) from documents").fetchone()[0] == 0
    [run] = store.last_crawl_runs(db)
    assert run["failed"] >= 1 and run["requests"] == 0


def test_sec_refuses_without_contact_email(demo_server, tmp_path):
    config = write_config(tmp_path, demo_server, sec_agent="frwatch")
    result = run_frwatch("--config", str(config), "crawl", "edgar", cwd=tmp_path)
    assert result.returncode == 2
    assert "contact e-mail" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_source_is_one_line(demo_server, tmp_path):
    config = write_config(tmp_path, demo_server)
    result = run_frwatch("--config", str(config), "crawl", "nope", cwd=tmp_path)
    assert result.returncode == 2 and "no source with id 'nope'" in result.stderr


def test_demo_edgar_has_filing_folders(demo_server):
    import urllib.request

    company = demo_server.site.companies[0]
    filing = company["filings"][0]
    accession = filing["accessionNumber"].replace("-", "")
    folder = f"{demo_server.base_url}/sec/Archives/edgar/data/{company['cik']}/{accession}/"
    listing = json.loads(urllib.request.urlopen(folder + "index.json").read())
    assert listing["directory"]["item"][0]["name"] == filing["primaryDocument"]
    assert filing["primaryDocument"] in urllib.request.urlopen(folder).read().decode()
