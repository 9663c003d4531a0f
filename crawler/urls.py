"""Canonical URLs: one article is one row whatever tracking parameters or fragments its links carry."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters added by feeds, newsletters and social shares that never change the page.
TRACKING_PREFIXES = ("utm_", "mc_", "pk_")
TRACKING_NAMES = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "ref", "ref_src", "cmpid", "ito", "ncid"}


def canonicalize(url: str, base: str | None = None) -> str:
    """Lower-case scheme and host, drop the fragment, default ports and tracking parameters.

    :param url: an absolute URL, or one relative to ``base``
    :param base: the page the URL was found on
    """
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_NAMES
    ]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def host_allowed(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of ``domains`` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)
