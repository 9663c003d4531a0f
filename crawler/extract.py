"""Article extraction: main text and metadata (title, author, published date in UTC, language) from HTML.

trafilatura finds the main text; metadata is read first from what publishers declare for machines
(JSON-LD ``NewsArticle``, Open Graph and ``article:`` meta tags, ``<link rel=canonical>``) because those
carry a full timestamp where trafilatura's date is a day, and falls back to trafilatura's guesses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC

import lxml.etree
import lxml.html
import trafilatura
import trafilatura.settings
from dateutil import parser as dateparser
from htmldate import find_date
from trafilatura.utils import load_html

from crawler.encoding import decode_html

# Fewer words than this is navigation or an error page, not an article (the shortest real item in the
# demo's news and blog posts is over 150 words; wire briefs run 40 and more).
MIN_WORDS = 12
# trafilatura without its fallback extractors: on the 181-page extraction benchmark F1 0.966 against
# 0.965 with them, 21 ms against 30 ms a page (`make real`, 2026-11-26).
FAST = True
# A few very frequent English function words: a page whose text is mostly these is English. Used only
# when the page does not declare its language.
_ENGLISH = {"the", "and", "of", "to", "a", "in", "is", "that", "for", "it", "on", "was", "with", "as", "by"}


# Zone abbreviations publishers print in visible datelines ("10:05 a.m. EST"); dateutil knows only UTC/GMT.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200,
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}


@dataclass(frozen=True)
class Extracted:
    """What :func:`extract` found on a page."""

    title: str
    author: str | None
    published: str | None
    text: str
    language: str | None
    canonical_url: str | None
    categories: tuple[str, ...] = ()
    # True when ``published`` is htmldate's reading of the page rather than a date the publisher declared.
    published_guessed: bool = False


def to_utc(value: str | None) -> str | None:
    """Normalise a date or timestamp string to ISO 8601 UTC (``2019-05-22T14:05:00Z``), or a bare day.

    :param value: anything a publisher might write; unparseable values give None
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    try:
        stamp = dateparser.parse(value, tzinfos=_ZONES)
    except (ValueError, OverflowError):
        return None
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _jsonld_articles(tree: lxml.html.HtmlElement) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if "@graph" in node and isinstance(node["@graph"], list):
                    stack.extend(node["@graph"])
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(str(k).endswith(("Article", "BlogPosting", "Report")) for k in kinds):
                    found.append(node)
    return found


def _names(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Every ``<meta>`` tag's content by its lower-cased ``property``, ``name`` or ``itemprop``, in one walk."""
    found: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        content = (node.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = node.get(attribute)
            if key:
                found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    return next((meta[key][0] for key in keys if key in meta), None)


# Where bylines live in article markup when no metadata names the author: schema.org microdata, rel=author
# links, and elements whose class says byline or author name. (trafilatura's own author search found a few
# more on the extraction benchmark but cost 12 ms on each page it ran on, more than the rest together.)
_BYLINE = lxml.etree.XPath(
    '//*[@itemprop="author"]//*[@itemprop="name"] | //*[@itemprop="author" and not(.//*[@itemprop="name"])]'
    ' | //a[@rel="author"] | //*[@class and (contains(concat(" ", normalize-space(@class), " "), " byline ")'
    ' or contains(@class, "author-name") or contains(@class, "byline__name"))]'
)


# A weekday, a month followed by a day number, or any digit ends a name (months alone do not: April Ryan).
_DATELINE = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|\d",
    re.I,
)


def _byline(tree: lxml.html.HtmlElement) -> str | None:
    names: list[str] = []
    for node in _BYLINE(tree):
        text = re.sub(r"\s+", " ", node.text_content()).strip()
        text = re.sub(r"^by\s+", "", text, flags=re.I)
        # Bylines often run on into the dateline ("Jane DoeMonday, November 18"): names carry no dates.
        text = _DATELINE.split(text, maxsplit=1)[0].strip(" ,;|-\u2013\u2014")
        # A byline is a few words; a longer text is a bio or a teaser that happens to sit in the element.
        if text and len(text.split()) <= 6 and text not in names:
            names.append(text)
    return ", ".join(names[:4]) or None


def _visible_title(tree: lxml.html.HtmlElement) -> str:
    """The page's one ``<h1>``, else its ``<title>`` without a trailing " | Site name"."""
    headings = [h.text_content().strip() for h in tree.iter("h1")]
    headings = [h for h in headings if h]
    if len(headings) == 1:
        return headings[0]
    title = next((t.text_content().strip() for t in tree.iter("title")), "")
    return re.split(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]+$", title)[0] if title else ""


def _guess_language(declared: str, text: str) -> str | None:
    if declared:
        return declared.split("-")[0].lower()
    words = re.findall(r"[a-z]+", text.lower()[:3000])
    if len(words) >= 20 and sum(w in _ENGLISH for w in words) / len(words) > 0.15:
        return "en"
    return None


# Script types that carry data the metadata readers and trafilatura's JSON-LD rescue read; every other
# script is code, which trafilatura deletes anyway, but only after copying and walking it.
_DATA_SCRIPTS = {"application/ld+json", "application/settings+json"}


def _drop_code(tree: lxml.html.HtmlElement) -> None:
    # Navigation, <noscript> fallbacks and form controls are furniture trafilatura discards too, after
    # copying and pruning them; dropping them first left F1 at 0.966 and took the time from 0.76x to
    # 0.67x of trafilatura's default (benchmarks/extract_speed.py, 2026-11-26). <form> is kept: some sites
    # wrap the whole page in one (dropping it cost 0.011 F1).
    doomed = [
        el for el in tree.iter("script", "style", "svg", "aside", "footer", "nav", "noscript", "button", "select")
        if el.tag != "script" or (el.get("type") or "").strip().lower() not in _DATA_SCRIPTS
    ]
    for el in doomed:
        el.drop_tree()


def extract(html: bytes | str, url: str | None = None) -> Extracted | None:
    """Extract the article from one page.

    :param html: the page, bytes (encoding detected) or text
    :param url: where it came from, for relative links and trafilatura's heuristics
    :returns: None when the page has no main text
    """
    if (isinstance(html, bytes) and not html.strip()) or (isinstance(html, str) and not html.strip()):
        return None
    if isinstance(html, bytes):
        # Declared charsets first (trafilatura's own loader only tries UTF-8, then guesses).
        html = decode_html(html)
    # One parse serves both: trafilatura's loader, then our metadata reads, then trafilatura's extraction
    # on a copy of the same tree.
    tree = load_html(html)
    if tree is None:
        return None
    _drop_code(tree)
    articles = _jsonld_articles(tree)
    ld = articles[0] if articles else {}
    meta = _meta_tags(tree)
    title = _names(ld.get("headline")) or _first(meta, "og:title", "twitter:title")
    author = _names(ld.get("author")) or _first(meta, "author", "article:author", "byl", "dc.creator")
    stamp = _names(ld.get("datePublished")) or _first(
        meta, "article:published_time", "datepublished", "pubdate", "publishdate", "dc.date"
    )
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), None)
    categories = tuple(dict.fromkeys([*meta.get("article:tag", []), *meta.get("article:section", [])]))
    declared_language = tree.get("lang") or ""
    # trafilatura's own metadata search (title, author, sitename, htmldate's extensive date search) took a
    # quarter of the extraction time on the benchmark; the few fields it would add are read below instead.
    # trafilatura works on a copy of the tree, so ours is still whole afterwards.
    result = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True, fast=FAST
    )
    if not isinstance(result, trafilatura.settings.Document) or len((result.text or "").split()) < MIN_WORDS:
        return None
    title = (title or _visible_title(tree)).strip()
    guessed = not stamp
    if not stamp:
        # htmldate's quick search (markup, URL). Its extensive search of the text is left out: on pages
        # that print other dates it returns one of those, and a listing's own date is better (see
        # ``published_guessed``).
        stamp = find_date(tree, extensive_search=False, original_date=True, url=url)
    if not author:
        author = _byline(tree)
    if author:
        author = re.sub(r"^by\s+", "", author.strip(), flags=re.I) or None
    published = to_utc(stamp)
    text = (result.text or "").strip()
    # trafilatura keeps the headline as the first line of the text; the title is stored apart.
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()
    return Extracted(
        title=title,
        author=author,
        published=published,
        text=text,
        language=_guess_language(declared_language, text),
        canonical_url=str(canonical) if canonical else None,
        categories=categories,
        published_guessed=guessed and published is not None,
    )
