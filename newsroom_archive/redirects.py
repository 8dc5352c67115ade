"""Downloader middlewares that make a request which cannot reach its page fail, with the
reason, instead of vanishing.

Left to Scrapy, a redirect loop's repeated URL is dropped by the duplicate filter and a
redirect to another host by the offsite filter, each with at most a DEBUG line and no
errback: the listing card that asked for the page would be lost without a word. Here
both raise an ``IgnoreRequest`` subclass naming what happened, which Scrapy hands to the
request's errback (the spider keeps the card and counts the reason).

``RedirectGuard`` sits just before Scrapy's ``RedirectMiddleware`` in the response path
(a higher number in ``DOWNLOADER_MIDDLEWARES``), so it sees every redirect before it is
followed; ``OffsiteGuard`` just after Scrapy's offsite filter in the request path.
"""

from __future__ import annotations

from typing import Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class PageUnreachable(IgnoreRequest):
    """The page cannot be had by following the site's own links; ``stat`` names why."""

    stat = "unreachable"


class RedirectLoop(PageUnreachable):
    stat = "redirect_loop"


class OffsiteRedirect(PageUnreachable):
    stat = "offsite_redirect"


class Offsite(PageUnreachable):
    stat = "offsite"


class _Guard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _on_site(self, url: str) -> bool:
        offsite = self.crawler.get_downloader_middleware(OffsiteMiddleware)
        spider = self.crawler.spider
        if offsite is None or spider is None:
            return True  # no offsite policy in force: every host is the site's
        return offsite.should_follow(Request(url), spider)


class OffsiteGuard(_Guard):
    """Scrapy's offsite filter lets through requests that skip the duplicate filter
    (``dont_filter``, as article pages do, so that a redirect to a page fetched already
    is followed): those are checked here, before robots.txt is asked for their host."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        checked = request.dont_filter and not request.meta.get("allow_offsite")
        if checked and not self._on_site(request.url):
            raise Offsite(f"off site: {request.url}")


class RedirectGuard(_Guard):
    """A redirect that loops or leaves the site fails its request, before Scrapy's
    ``RedirectMiddleware`` would follow it."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        location = response.headers.get("Location")
        if (
            response.status not in _REDIRECTS
            or not location
            or request.meta.get("dont_redirect")
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return response
        target = urljoin(request.url, safe_url_string(location))
        if urlsplit(target).scheme not in ("http", "https"):
            return response  # Scrapy does not follow it either
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        if not request.meta.get("allow_offsite") and not self._on_site(target):
            raise OffsiteRedirect(f"redirected off site: {request.url} -> {target}")
        return response
