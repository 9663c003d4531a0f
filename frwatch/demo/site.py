"""Rendering the demo site from its content files: article pages, feeds, sitemaps and EDGAR responses.

Content lives in ``content/`` (JSON written for frwatch) and page markup in ``templates/`` (one Jinja2
template per outlet). Feeds and EDGAR JSON are generated here so their URLs carry the server's port.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).parent
CONTENT = HERE / "content"


@dataclass(frozen=True)
class Page:
    """A response body with its content type."""

    body: bytes
    content_type: str


def _rfc822(stamp: str) -> str:
    return format_datetime(datetime.fromisoformat(stamp.replace("Z", "+00:00")))


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


class DemoSite:
    """Everything the demo server can answer, rendered for one base URL."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"])
        )

    # -- news -------------------------------------------------------------------------------------

    @cached_property
    def outlets(self) -> list[dict[str, Any]]:
        return list(json.loads((CONTENT / "news" / "outlets.json").read_text()))

    @cached_property
    def articles(self) -> dict[str, list[dict[str, Any]]]:
        found = {}
        for outlet in self.outlets:
            path = CONTENT / "news" / f"{outlet['id']}.jsonl"
            rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            found[outlet["id"]] = sorted(rows, key=lambda a: a["published"], reverse=True)
        return found

    def outlet_home(self, outlet_id: str) -> str:
        return f"{self.base}/news/{outlet_id}/"

    def article_url(self, outlet_id: str, article: dict[str, Any]) -> str:
        return f"{self.base}/news/{outlet_id}/{article['section']}/{article['slug']}.html"

    def feed_url(self, outlet: dict[str, Any]) -> str:
        name = {"rss": "rss.xml", "atom": "atom.xml", "sitemap": "sitemap.xml"}[outlet["feed"]]
        return f"{self.base}/news/{outlet['id']}/{name}"

    def article_page(self, outlet_id: str, section: str, slug: str) -> Page | None:
        outlet = next((o for o in self.outlets if o["id"] == outlet_id), None)
        if outlet is None:
            return None
        rows = self.articles[outlet_id]
        article = next((a for a in rows if a["slug"] == slug and a["section"] == section), None)
        if article is None:
            return None
        related = [
            {"title": a["title"], "url": self.article_url(outlet_id, a)} for a in rows if a is not article
        ][:5]
        html = self.env.get_template(f"news/{outlet_id}.html.j2").render(
            outlet=outlet, article=article, url=self.article_url(outlet_id, article),
            home=self.outlet_home(outlet_id), related=related,
        )
        return Page(html.encode(), "text/html; charset=utf-8")

    def outlet_index(self, outlet_id: str) -> Page | None:
        if outlet_id not in self.articles:
            return None
        items = "".join(
            f'<li><a href="{self.article_url(outlet_id, a)}">{html.escape(a["title"])}</a></li>'
            for a in self.articles[outlet_id]
        )
        return Page(f"<html><body><ul>{items}</ul></body></html>".encode(), "text/html; charset=utf-8")

    def rss(self, outlet_id: str) -> Page:
        outlet = next(o for o in self.outlets if o["id"] == outlet_id)
        rss = ET.Element("rss", version="2.0")
        channel = ET.SubElement(rss, "channel")
        ET.SubElement(channel, "title").text = outlet["name"]
        ET.SubElement(channel, "link").text = self.outlet_home(outlet_id)
        ET.SubElement(channel, "description").text = outlet["tagline"]
        for article in self.articles[outlet_id]:
            item = ET.SubElement(channel, "item")
            ET.SubElement(item, "title").text = article["title"]
            # Feed links carry campaign parameters, as real feeds do; the crawler must strip them.
            ET.SubElement(item, "link").text = self.article_url(outlet_id, article) + "?utm_source=rss&utm_medium=feed"
            ET.SubElement(item, "guid", isPermaLink="false").text = f"{outlet_id}:{article['slug']}"
            ET.SubElement(item, "pubDate").text = _rfc822(article["published"])
            ET.SubElement(item, "description").text = article["summary"]
            for tag in article.get("tags", []):
                ET.SubElement(item, "category").text = tag
        return Page(_xml(rss), "application/rss+xml; charset=utf-8")

    def atom(self, outlet_id: str) -> Page:
        outlet = next(o for o in self.outlets if o["id"] == outlet_id)
        ns = "http://www.w3.org/2005/Atom"
        feed = ET.Element("feed", xmlns=ns)
        ET.SubElement(feed, "title").text = outlet["name"]
        ET.SubElement(feed, "id").text = self.outlet_home(outlet_id)
        ET.SubElement(feed, "updated").text = self.articles[outlet_id][0]["published"]
        ET.SubElement(feed, "link", href=self.outlet_home(outlet_id))
        for article in self.articles[outlet_id]:
            entry = ET.SubElement(feed, "entry")
            ET.SubElement(entry, "title").text = article["title"]
            ET.SubElement(entry, "id").text = self.article_url(outlet_id, article)
            ET.SubElement(entry, "link", href=self.article_url(outlet_id, article), rel="alternate")
            ET.SubElement(entry, "published").text = article["published"]
            ET.SubElement(entry, "updated").text = article["published"]
            if article.get("author"):
                ET.SubElement(ET.SubElement(entry, "author"), "name").text = article["author"]
            ET.SubElement(entry, "summary").text = article["summary"]
        return Page(_xml(feed), "application/atom+xml; charset=utf-8")

    def sitemap(self, outlet_id: str) -> Page:
        urlset = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
        for article in self.articles[outlet_id]:
            url = ET.SubElement(urlset, "url")
            ET.SubElement(url, "loc").text = self.article_url(outlet_id, article)
            ET.SubElement(url, "lastmod").text = article["published"]
        return Page(_xml(urlset), "application/xml; charset=utf-8")

    # -- AWS blog ---------------------------------------------------------------------------------

    @cached_property
    def posts(self) -> list[dict[str, Any]]:
        path = CONTENT / "aws" / "posts.jsonl"
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return sorted(rows, key=lambda p: p["published"], reverse=True)

    def blogs(self) -> list[str]:
        return sorted({p["blog"] for p in self.posts})

    def post_url(self, post: dict[str, Any]) -> str:
        return f"{self.base}/aws/blogs/{post['blog']}/{post['slug']}/"

    def blog_feed_url(self, blog: str) -> str:
        return f"{self.base}/aws/blogs/{blog}/feed/"

    def blog_feed(self, blog: str) -> Page | None:
        posts = [p for p in self.posts if p["blog"] == blog]
        if not posts:
            return None
        rss = ET.Element("rss", version="2.0")
        channel = ET.SubElement(rss, "channel")
        ET.SubElement(channel, "title").text = f"AWS {blog.replace('-', ' ').title()} Blog"
        ET.SubElement(channel, "link").text = f"{self.base}/aws/blogs/{blog}/"
        ET.SubElement(channel, "description").text = "Demo blog feed"
        for post in posts:
            item = ET.SubElement(channel, "item")
            ET.SubElement(item, "title").text = post["title"]
            ET.SubElement(item, "link").text = self.post_url(post)
            ET.SubElement(item, "guid", isPermaLink="false").text = post["slug"]
            ET.SubElement(item, "pubDate").text = _rfc822(post["published"])
            ET.SubElement(item, "{http://purl.org/dc/elements/1.1/}creator").text = ", ".join(post["authors"])
            for category in post.get("categories", []):
                ET.SubElement(item, "category").text = category
            ET.SubElement(item, "description").text = post["summary"]
        return Page(_xml(rss), "application/rss+xml; charset=utf-8")

    def post_page(self, blog: str, slug: str) -> Page | None:
        post = next((p for p in self.posts if p["blog"] == blog and p["slug"] == slug), None)
        if post is None:
            return None
        html = self.env.get_template("aws/post.html.j2").render(
            post=post, url=self.post_url(post), home=f"{self.base}/aws/blogs/{blog}/"
        )
        return Page(html.encode(), "text/html; charset=utf-8")

    # -- EDGAR ------------------------------------------------------------------------------------

    @cached_property
    def companies(self) -> list[dict[str, Any]]:
        return list(json.loads((CONTENT / "edgar" / "companies.json").read_text()))

    def submissions(self, cik: int) -> Page | None:
        company = next((c for c in self.companies if int(c["cik"]) == cik), None)
        if company is None:
            return None
        filings = sorted(company["filings"], key=lambda f: f["filingDate"], reverse=True)
        columns = ["accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form",
                   "fileNumber", "filmNumber", "items", "size", "isXBRL", "isInlineXBRL",
                   "primaryDocument", "primaryDocDescription"]
        recent: dict[str, list[Any]] = {name: [] for name in columns}
        for filing in filings:
            for name in columns:
                value = filing.get(name, "")
                if name == "size":
                    value = len(self.filing_path(filing).read_bytes())
                recent[name].append(value)
        data = {
            "cik": str(company["cik"]), "entityType": "operating", "sic": company.get("sic", ""),
            "sicDescription": company.get("sicDescription", ""), "name": company["name"],
            "tickers": company.get("tickers", []), "exchanges": company.get("exchanges", []),
            "fiscalYearEnd": company.get("fiscalYearEnd", ""),
            "stateOfIncorporation": company.get("stateOfIncorporation", ""),
            "filings": {"recent": recent, "files": []},
        }
        return Page(json.dumps(data).encode(), "application/json")

    def filing_path(self, filing: dict[str, Any]) -> Path:
        return CONTENT / "edgar" / "docs" / filing["file"]

    def _filing(self, cik: int, folder: str) -> dict[str, Any] | None:
        for company in self.companies:
            if int(company["cik"]) == cik:
                for filing in company["filings"]:
                    if filing["accessionNumber"].replace("-", "") == folder:
                        return dict(filing)
        return None

    def filing_folder(self, cik: int, folder: str, as_json: bool) -> Page | None:
        """A filing's folder listing, as EDGAR serves it (HTML, or ``index.json``)."""
        filing = self._filing(cik, folder)
        if filing is None:
            return None
        name, size = filing["primaryDocument"], len(self.filing_path(filing).read_bytes())
        base = f"/Archives/edgar/data/{cik}/{folder}"
        if as_json:
            listing = {"directory": {"name": base, "parent-dir": f"/Archives/edgar/data/{cik}",
                                     "item": [{"name": name, "type": "text.gif", "size": str(size),
                                               "last-modified": f"{filing['filingDate']} 16:00:00"}]}}
            return Page(json.dumps(listing).encode(), "application/json")
        rows = f'<tr><td><a href="{self.base}/sec{base}/{name}">{html.escape(name)}</a></td><td>{size}</td></tr>'
        listing_page = f"<html><head><title>Index of {base}</title></head><body><table>{rows}</table></body></html>"
        return Page(listing_page.encode(), "text/html; charset=utf-8")

    def filing_document(self, cik: int, folder: str, name: str) -> Page | None:
        """A filing's primary document."""
        filing = self._filing(cik, folder)
        if filing is None or filing["primaryDocument"] != name:
            return None
        kind = "text/plain" if name.endswith(".txt") else "text/html"
        return Page(self.filing_path(filing).read_bytes(), kind)
