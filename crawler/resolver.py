"""The reactor's DNS resolver, refusing non-public answers at connect time (DNS rebinding).

:class:`crawler.middlewares.PrivateAddressMiddleware` checks a request's host before it is scheduled,
but the connection resolves the name again: a name that answers with a public address the first time
and a private one the second would slip through. This resolver sits on that second lookup, the one the
connection really uses, and refuses private, loopback and link-local answers unless
``[crawl] allow_private_addresses`` is true.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.middlewares import forbidden_address


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, with every answer checked before a connection may use it."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PublicOnlyResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("FRWATCH_ALLOW_PRIVATE_ADDRESSES")
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted API)
        answer = super().getHostByName(name, timeout)
        if not self.allow_private:
            answer.addCallback(self._public_only, name)
        return answer

    @staticmethod
    def _public_only(address: str, name: str) -> str:
        # An address written as such cannot be rebound: as a target the middleware has judged it already,
        # and as the host of a configured HTTP proxy it is the operator's choice.
        if name == address:
            return address
        if forbidden_address(address):
            raise DNSLookupError(f"{name} resolved to non-public address {address} at connect time; refused")
        return address
