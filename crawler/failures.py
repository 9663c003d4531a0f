"""What a request that finally failed failed of, for the spiders' errbacks: one count and one log line
per page, after Scrapy's retries (its own per-attempt exception counts would count a page three times).
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


def describe_failure(failure: Failure) -> tuple[str, str, str] | None:
    """``(stat name, url, reason)`` for a failed request, or None when nothing failed.

    Not failures: a 304 (counted as not modified), and requests refused on purpose — robots.txt, a
    private address, an off-site link, a body over the size cap — which their own middlewares count.
    """
    exc = failure.value
    request = getattr(failure, "request", None)
    url = request.url if request is not None else ""
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status == 304:
            return None
        return f"http_{status}", exc.response.url, f"answered {status} (after retries)"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "redirect" in message:  # Scrapy's RedirectMiddleware: "max redirections reached"
            return "redirects", url, f"{message} (a redirect loop or an endless chain)"
        return None
    return "network", url, f"{type(exc).__name__}: {exc}".strip()
