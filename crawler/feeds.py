"""Reading listings: feeds (RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1), sitemaps
(``urlset``, ``sitemapindex``, Google News ``news:`` fields, gzip-compressed files) and the ``Sitemap:``
lines of robots.txt.

Nothing here fetches: every function gets the bytes Scrapy downloaded. Sitemaps are parsed by lxml with
entity resolution and network access off, so a hostile sitemap cannot read files or reach other hosts.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from dataclasses import dataclass
from time import struct_time
from typing import Any

import feedparser
from lxml import etree

from crawler.extract import to_utc

# The sitemaps protocol caps a sitemap at 50 MB uncompressed; a gzip file inflating past that is refused.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


# An internal DTD subset with entity declarations sits in the prolog, before the root element.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def _without_entity_declarations(body: bytes) -> bytes:
    """The feed with its DTD internal subset removed.

    feedparser's expat expands internal entities up to its amplification limit (100x the input): a 1 MB
    "billion laughs" feed cost ~15 s and ~700 MB on the reactor thread (tests/faults), and an external
    entity is a file or URL read waiting to happen. Real feeds declare no entities; without the
    declarations a reference is just an undefined entity, which feedparser's tolerant parse survives.

    :raises ListingError: when declarations remain (a subset this cannot cut out cleanly)
    """
    prolog = body[:_PROLOG_BYTES]
    if not _ENTITY_DECLARATION.search(prolog):
        return body
    cleaned = _DOCTYPE_SUBSET.sub(b"", prolog, count=1)
    if _ENTITY_DECLARATION.search(cleaned):
        raise ListingError("the feed declares XML entities in a way that cannot be removed safely; refused")
    return cleaned + body[_PROLOG_BYTES:]


class ListingError(ValueError):
    """A feed or sitemap that cannot be read (the message says why)."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed or sitemap: where the article is and what the listing says about it."""

    link: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()


def _stamp(value: struct_time | None) -> str | None:
    if not value:
        return None
    year, month, day, hour, minute, second = value[:6]
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def is_json_feed(body: bytes) -> bool:
    """Whether the bytes look like a JSON Feed (an object naming the jsonfeed.org version)."""
    head = body[:4096].lstrip()
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def _json_feed(body: bytes) -> tuple[list[FeedEntry], str | None]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ListingError(f"JSON Feed is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise ListingError("JSON Feed has no items list")
    entries = []
    for item in data.get("items", []):
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link:
            continue
        # Version 1.1 has an ``authors`` list; 1.0 had one ``author`` object.
        people: list[Any] = item.get("authors") or data.get("authors") or [item.get("author") or data.get("author")]
        names = [str(p["name"]) for p in people if isinstance(p, dict) and isinstance(p.get("name"), str)]
        tags: list[Any] = item["tags"] if isinstance(item.get("tags"), list) else []
        entries.append(
            FeedEntry(
                link=link,
                title=item.get("title") if isinstance(item.get("title"), str) else None,
                published=to_utc(str(item.get("date_published") or item.get("date_modified") or "")),
                author=", ".join(names) or None,
                categories=tuple(str(t) for t in tags if str(t).strip()),
            )
        )
    next_url = data.get("next_url")
    return entries, next_url if isinstance(next_url, str) and next_url else None


def parse_feed(body: bytes, url: str) -> tuple[list[FeedEntry], str | None]:
    """Entries of a feed and the link to its next page, if the feed is paged.

    Paging is RFC 5005's ``<atom:link rel="next">`` (in Atom, or in RSS through the Atom namespace) and
    JSON Feed's ``next_url``.

    :param body: the downloaded feed
    :param url: its URL, to resolve relative links
    """
    if is_json_feed(body):
        return _json_feed(body)
    body = _without_entity_declarations(body)
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        entries.append(
            FeedEntry(
                link=link,
                title=entry.get("title"),
                published=_stamp(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=entry.get("author"),
                categories=tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
            )
        )
    next_page = next(
        (link.get("href") for link in parsed.feed.get("links", []) if link.get("rel") == "next"), None
    )
    return entries, next_page


def _gunzip(body: bytes, limit: int) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ListingError(f"gzip sitemap inflates past {limit} bytes")
    return data


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: Any, *path: str) -> str | None:
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None)
        if node is None:
            return None
    text = (node.text or "").strip()
    return text or None


def parse_sitemap(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> tuple[str, list[FeedEntry]]:
    """The kind of a sitemap (``urlset`` or ``sitemapindex``) and its entries.

    Entries of a Google News sitemap carry the story's title, publication date and keywords.

    :param body: the sitemap as downloaded, gzip-compressed or not
    :param limit: the largest uncompressed size accepted
    :raises ListingError: when it is not a sitemap
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, limit)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, remove_comments=True, huge_tree=False
    )
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"not XML: {exc}") from exc
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise ListingError("neither a urlset nor a sitemapindex")
    kind = _local(root.tag)
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        keywords = _child_text(node, "news", "keywords") or ""
        entries.append(
            FeedEntry(
                link=loc,
                title=_child_text(node, "news", "title"),
                published=to_utc(_child_text(node, "news", "publication_date")),
                categories=tuple(k.strip() for k in keywords.split(",") if k.strip()),
            )
        )
    return kind, entries


def robots_sitemaps(body: bytes) -> list[str]:
    """The sitemap URLs a robots.txt names in its ``Sitemap:`` lines."""
    text = body.decode("utf-8", errors="replace")
    return [m.group(1) for m in re.finditer(r"^\s*sitemap\s*:\s*(\S+)", text, re.I | re.M)]
