"""Downloader middleware that refuses private, loopback and link-local addresses.

A crawler fed URLs by the open web must not be turned against the machine it runs on or its network
(SSRF). Every request, redirects included (Scrapy re-schedules a redirect as a new request, so it passes
here again), is checked against the addresses its host resolves to, before any connection is made;
:mod:`crawler.resolver` checks the answer the connection itself gets (DNS rebinding).
``[crawl] allow_private_addresses = true`` lifts the check for the demo and the tests.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


def forbidden_address(address: str) -> bool:
    """Whether an IP address is private, loopback, link-local, reserved, multicast or unspecified."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified
    )


@lru_cache(maxsize=4096)
def private_host(host: str) -> str | None:
    """The first private/loopback/link-local address ``host`` resolves to, or None if all are public.

    A host that does not resolve is not refused here: the download then fails with a DNS error.
    """
    try:
        return host if forbidden_address(host) else None
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    for info in infos:
        address = str(info[4][0])
        if forbidden_address(address):
            return address
    return None


class PrivateAddressMiddleware:
    """Refuse requests to non-public addresses unless the configuration allows them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow = crawler.settings.getbool("FRWATCH_ALLOW_PRIVATE_ADDRESSES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.allow:
            return None
        host = urlsplit(request.url).hostname or ""
        address = private_host(host)
        if address is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("frwatch/refused_private_address")
            logger.warning(
                "refused %s: %s resolves to non-public address %s "
                "(set [crawl] allow_private_addresses = true only for local testing)",
                request.url, host, address,
            )
            raise IgnoreRequest(f"non-public address {address} for {host}")
        return None
