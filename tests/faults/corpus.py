"""The hostile corpus: good articles, hostile and malformed pages, feeds in three formats, hostile XML.

Everything here was written for frwatch's fault tests. Good articles read like local news about face
recognition and policing, so the tagger marks them and they reach the digest; hostile pages carry the
same kind of story wrapped in script, event-handler and ``javascript:`` payloads, each payload tagged with
:data:`MARKER` so a test can find where it ended up. XML payloads point their external entities at
:func:`canary_url` on the fault server itself: a parser that resolves them leaves a hit there.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

# Put into every payload; a test looks for it in stored rows and rendered pages.
MARKER = "frwxss"
CANARY_PATH = "/canary/xxe"


@dataclass(frozen=True)
class Story:
    """One good article: its path on the fault server, headline and paragraphs."""

    path: str
    title: str
    paragraphs: tuple[str, ...]


_PLACES = ["Harbor City", "Millbrook County", "Eastvale", "Port Sable", "Granite Falls", "Lakeside Township",
           "North Ridge", "Cedar Bend", "Old Mill", "Brightwater", "Stone Harbor", "Juniper Flats"]
_ACTIONS = ["paused its face recognition pilot", "approved a contract for face matching software",
            "held a hearing on police use of facial recognition", "banned real-time face surveillance",
            "asked its auditor to review the facial recognition searches", "published the vendor contract"]


def story(n: int) -> Story:
    """A distinct, plausible local story number ``n`` about face recognition and the police."""
    place = _PLACES[n % len(_PLACES)]
    action = _ACTIONS[n % len(_ACTIONS)]
    return Story(
        path=f"/good/{n}.html",
        title=f"{place} {action} (report {n})",
        paragraphs=(
            f"The {place} police department said on Tuesday that it {action}, after residents asked how often "
            f"officers had compared photos from traffic cameras with the county's booking database.",
            f"Civil liberties groups told the council in meeting {n} that the software misidentified people "
            "of color at higher rates, and that nobody arrested on a face match had been told about the search.",
            f"A department spokesperson said a written policy on facial recognition would be published within "
            f"{20 + n} days and that every search would be logged and audited by the city.",
        ),
    )


def article_page(title: str, paragraphs: tuple[str, ...] | list[str], *, head: str = "", extra: str = "") -> str:
    """An article page in ordinary news markup; ``title`` and paragraphs are escaped as a CMS would."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}'
        f"<title>{html.escape(title)}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/police/">Police</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>{body}{extra}</article>"
        "<footer>The Fault Line Gazette</footer></body></html>"
    )


# Payloads a hostile page carries as *text* (escaped in its markup, so they survive extraction as literal
# characters and must be escaped again wherever they are shown).
TEXT_PAYLOADS = (
    f'<script>alert("{MARKER}-text")</script>',
    f'<img src=x onerror=alert("{MARKER}-img")>',
    f'<a href="javascript:alert(\'{MARKER}-link\')">read more</a>',
    f'"><svg onload=alert("{MARKER}-svg")>',
)
HOSTILE_TITLE = f'<script>alert("{MARKER}-title")</script>Sheriff buys face recognition <b>quietly</b>'


def hostile_page() -> str:
    """A real story about face recognition with script payloads in its title, text and markup."""
    paragraphs = (
        "The county sheriff signed a contract for facial recognition software last spring without a public "
        f"vote, records show. {TEXT_PAYLOADS[0]} Deputies ran more than two thousand face searches.",
        f"Critics said the police tool misidentified Black residents {TEXT_PAYLOADS[1]} and asked the board "
        "to suspend the face matching contract until an audit of civil rights impacts was finished.",
        f"The sheriff's office said every search was reviewed by an analyst {TEXT_PAYLOADS[2]} before any "
        f"arrest, and that the facial recognition system was never the only evidence {TEXT_PAYLOADS[3]}.",
    )
    live = (  # markup that executes in a browser and must never survive extraction
        f'<script>document.title = "{MARKER}-live-script"; fetch("/steal?c=" + document.cookie)</script>'
        f'<img src="/x.png" onerror="alert(\'{MARKER}-live-img\')">'
        f'<iframe src="javascript:alert(\'{MARKER}-live-iframe\')"></iframe>'
        f'<p><a href="javascript:alert(\'{MARKER}-live-href\')">Full contract</a></p>'
        '<style>body { background: url("javascript:alert(1)") }</style>'
    )
    head = f'<link rel="canonical" href="javascript:alert(\'{MARKER}-canonical\')">'
    return article_page(HOSTILE_TITLE, paragraphs, head=head, extra=live)


def malformed_page() -> bytes:
    """Broken HTML around a readable story: unclosed tags, stray bytes and NULs, a tag soup tail."""
    good = story(99)
    text = " ".join(good.paragraphs)
    return (
        b"<html><head><title>Tag soup edition of the face recognition hearing</title><body><div><p>"
        + text.encode() + b"<p><b><i>unclosed\x00 \xff\xfe bytes <table><tr><td>cell<div></span></p></td>"
        + b"<p>" + text.encode() + b"<!-- never closed comment <script>alert(1)"
    )


def charset_page(n: int) -> bytes:
    """A story whose non-ASCII characters are windows-1252 bytes (curly quotes, an accented name)."""
    text = (
        f"Caf\u00e9 owner Ren\u00e9e Dupr\u00e9 told the council in session {n} that \u201cnobody asked\u201d "
        "before the police installed face recognition cameras on the main street, and that the civil rights "
        "commission should review the facial recognition searches \u2014 all of them."
    )
    page = article_page(f"Caf\u00e9 owners question face recognition cameras ({n})", (text, text))
    # Declared utf-8 in the <meta> tag above; the bytes are windows-1252.
    return page.encode("cp1252")


CHARSET_WORDS = ("Caf\u00e9", "Ren\u00e9e Dupr\u00e9", "\u201cnobody asked\u201d")


# --- feeds -------------------------------------------------------------------------------------------


def rss(base: str, paths: list[str], title: str = "Fault Line Gazette") -> str:
    """An RSS 2.0 feed linking ``paths`` on ``base``; item titles carry a CDATA script payload."""
    items = "".join(
        f"<item><title><![CDATA[<script>alert('{MARKER}-rss')</script>Item {i}]]></title>"
        f"<link>{base}{p}</link><guid>{base}{p}</guid><pubDate>Tue, 03 Nov 2026 10:0{i % 10}:00 GMT</pubDate></item>"
        for i, p in enumerate(paths)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link><description>Police technology desk</description>{items}</channel></rss>")


def atom(base: str, paths: list[str]) -> str:
    """An Atom feed linking ``paths`` on ``base``; entry titles are HTML with an event handler."""
    entries = "".join(
        f'<entry><title type="html">&lt;img src=x onerror=alert("{MARKER}-atom")&gt; Entry {i}</title>'
        f'<link href="{base}{p}"/><id>tag:faultline,2026:{i}</id><updated>2026-11-03T10:00:00Z</updated></entry>'
        for i, p in enumerate(paths)
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Fault Line Atom</title><id>tag:faultline,2026:feed</id>"
            f"<updated>2026-11-03T10:00:00Z</updated>{entries}</feed>")


def json_feed(base: str, paths: list[str]) -> str:
    """A JSON Feed 1.1 linking ``paths`` on ``base``; titles carry script payloads."""
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Fault Line JSON",
        "items": [{"id": str(i), "url": f"{base}{p}", "title": f"<script>alert('{MARKER}-json')</script>{i}",
                   "date_published": "2026-11-03T10:00:00Z"} for i, p in enumerate(paths)],
    })


def malformed_rss(base: str, paths: list[str]) -> str:
    """RSS cut off mid-element, with an undeclared entity and a bare ampersand."""
    return rss(base, paths)[:-60].replace("Police technology desk", "Police &nbsp; tech & desk &bogus;")


def malformed_atom(base: str, paths: list[str]) -> str:
    """Atom with mismatched end tags."""
    return atom(base, paths).replace("</title>", "</titel>", 2)


def malformed_json_feed(base: str, paths: list[str]) -> str:
    """A JSON Feed with a trailing comma and a cut-off end."""
    return json_feed(base, paths)[:-3] + ",]"


def xxe_rss(base: str, paths: list[str]) -> str:
    """RSS whose entities point at a local file and at the server's canary (never to be resolved)."""
    doctype = (
        '<!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/passwd">'
        f'<!ENTITY remote SYSTEM "{base}{CANARY_PATH}?from=rss">'
        f'<!ENTITY % param SYSTEM "{base}{CANARY_PATH}?from=rss-param"> %param;]>'
    )
    body = rss(base, paths).replace('<?xml version="1.0" encoding="utf-8"?>', "")
    body = body.replace("<description>Police technology desk</description>",
                        "<description>&file;&remote;</description>")
    return f'<?xml version="1.0" encoding="utf-8"?>{doctype}{body}'


def laughs_doctype(root: str, levels: int = 10) -> str:
    """The billion-laughs DOCTYPE: each entity is ten of the one before, ``10**levels`` copies in all."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, levels + 1)
    ]
    return f"<!DOCTYPE {root} [{''.join(entities)}]>"


def laughs_rss(base: str, paths: list[str]) -> str:
    """RSS whose channel title expands to 10**10 'lol's."""
    body = rss(base, paths).replace('<?xml version="1.0" encoding="utf-8"?>', "")
    body = body.replace("<title>Fault Line Gazette</title>", "<title>&lol10;</title>")
    return f'<?xml version="1.0" encoding="utf-8"?>{laughs_doctype("rss")}{body}'


def sitemap(base: str, paths: list[str]) -> str:
    """A sitemap ``urlset`` of ``paths``."""
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def xxe_sitemap(base: str, paths: list[str]) -> str:
    """A sitemap with an external entity inside a ``<loc>``, plus an ordinary entry."""
    doctype = f'<!DOCTYPE urlset [<!ENTITY remote SYSTEM "{base}{CANARY_PATH}?from=sitemap">]>'
    body = sitemap(base, paths).replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    body = body.replace("</urlset>", "<url><loc>&remote;</loc></url></urlset>")
    return f'<?xml version="1.0" encoding="UTF-8"?>{doctype}{body}'


def laughs_sitemap(base: str, paths: list[str]) -> str:
    """A sitemap with the billion-laughs entity inside a ``<loc>``, plus ordinary entries."""
    body = sitemap(base, paths).replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    body = body.replace("</urlset>", f"<url><loc>{base}/&lol10;</loc></url></urlset>")
    return f'<?xml version="1.0" encoding="UTF-8"?>{laughs_doctype("urlset")}{body}'


def live_payloads(page: str) -> list[str]:
    """Payloads carrying :data:`MARKER` that a browser would run on ``page``, described one per string.

    Looks for script elements, event-handler attributes and ``javascript:`` URLs mentioning the marker;
    escaped text (``&lt;script&gt;…``) is not live and is not reported.
    """
    import lxml.html

    if MARKER not in page:
        return []
    tree = lxml.html.document_fromstring(page)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "svg", "object", "embed") and MARKER in lxml.html.tostring(
                element, encoding="unicode"):
            found.append(f"<{element.tag}> element")
        for name, value in element.attrib.items():
            if MARKER in value and (name.lower().startswith("on") or value.strip().lower().startswith("javascript:")):
                found.append(f"<{element.tag} {name}=...>")
    return found
