"""What every newsroom spider shares: arguments, listing pagination, article requests.

A spider schedules requests and hands responses to its site module's parsing
functions; it parses nothing itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, UsageError
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsroom_archive import signals as newsroom_signals
from newsroom_archive.items import (
    ArticlePage,
    Fetch,
    ListingCard,
    RemovalCheck,
    ScrapedArticle,
    Sighting,
)
from newsroom_archive.sites.common import canonical_url

MODES = ("full", "incremental")


class NewsroomSpider(scrapy.Spider):
    site: ModuleType

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        known = self.parse_arguments(
            **{k: kwargs.pop(k) for k in list(kwargs) if k in ("start_url", "mode", "max_pages")}
        )
        super().__init__(*args, **kwargs)
        self.start_url: str = known["start_url"]
        self.mode: str = known["mode"]
        self.max_pages: int | None = known["max_pages"]
        # Stay on the start URL's host, so a mirror or test server is crawled alone.
        self.allowed_domains = [urlsplit(self.start_url).hostname or ""]
        self.spider_args = known
        self._requested: set[str] = set()
        self._listing_complete = False
        self._checks_scheduled = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.check_unseen, signal=signals.spider_idle)
        return spider

    @classmethod
    def parse_arguments(
        cls,
        start_url: str | None = None,
        mode: str = "full",
        max_pages: str | int | None = None,
        **_others: Any,
    ) -> dict[str, Any]:
        """Check the spider arguments; a bad one raises UsageError with a one-line reason."""
        url = start_url or cls.site.START_URL
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"start_url must be an http(s) URL, got {url!r}")
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        try:
            pages = int(max_pages) if max_pages not in (None, "") else None
        except (TypeError, ValueError):
            raise UsageError(f"max_pages must be a whole number, got {max_pages!r}") from None
        if pages is not None and pages < 1:
            raise UsageError(f"max_pages must be at least 1, got {pages}")
        return {"start_url": url, "mode": mode, "max_pages": pages}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("listing/pages")
        try:
            listing = self.site.parse_listing(_selector(response), response.url)
        except Exception as exc:  # a broken page must not stop the crawl
            self.logger.error("cannot parse listing %s: %s", response.url, exc)
            stats.inc_value("listing/parse_errors")
            return
        if not listing.cards:
            self.logger.warning("no cards on listing page %s", response.url)
            stats.inc_value("listing/pages_without_cards")
        for card in listing.cards:
            stats.inc_value("listing/cards")
            yield from self.follow_card(response, card, page)
        if listing.next_url is None:
            self._listing_complete = True
        elif self.max_pages is None or page < self.max_pages:
            yield response.follow(
                listing.next_url, callback=self.parse_listing, cb_kwargs={"page": page + 1}
            )

    def follow_card(self, response: Response, card: ListingCard, page: int) -> Iterator[Any]:
        url = canonical_url(card.url)
        sighting = Sighting(
            listing_url=response.url, page_number=page, position=card.position, card=card
        )
        if url in self._requested:
            # Seen again on a later page (the listing shifted while we read it): the
            # page is already on its way, so only this sighting is new.
            yield ScrapedArticle(source=self.name, url=url, card=card, sighting=sighting)
            return
        self._requested.add(url)
        yield scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"card": card, "sighting": sighting},
        )

    def parse_article(
        self, response: Response, card: ListingCard, sighting: Sighting
    ) -> Iterator[ScrapedArticle]:
        url = canonical_url(card.url)
        item = ScrapedArticle(
            source=self.name, url=url, card=card, sighting=sighting, fetch=_fetch(response)
        )
        content_type = _content_type(response)
        if content_type and content_type not in _HTML_TYPES:
            # A card may link a document (a report's PDF): the card is all we can read.
            self.logger.info("article %s is a %s document", response.url, content_type)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("article/documents")
            item.page = ArticlePage(url=response.url)
            yield item
            return
        try:
            item.page = self.site.parse_article(_selector(response), response.url)
        except Exception as exc:  # keep the card; the page's failure is recorded
            self.logger.error("cannot parse article %s: %s", response.url, exc)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("article/parse_errors")
            item.parse_errors.append(f"article page unparseable: {exc}")
        yield item

    def article_failed(self, failure: Failure) -> Iterator[ScrapedArticle]:
        request = failure.request  # type: ignore[attr-defined]
        card: ListingCard = request.cb_kwargs["card"]
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else 0
        reason = f"HTTP {status}" if status else failure.getErrorMessage()
        self.logger.warning("article page %s failed: %s", request.url, reason)
        yield ScrapedArticle(
            source=self.name,
            url=canonical_url(card.url),
            card=card,
            sighting=request.cb_kwargs["sighting"],
            fetch=_fetch(response) if response is not None else Fetch(request.url, 0),
            parse_errors=[f"article page not fetched: {reason}"],
        )

    def check_unseen(self) -> None:
        """After a complete full crawl, ask for each archived article it did not see.

        The archive decides what the answers mean (404/410: removed; 200: dropped from
        the listing) and only for a run that finished cleanly.
        """
        if self._checks_scheduled or self.mode != "full" or not self._listing_complete:
            return
        self._checks_scheduled = True
        replies = self.crawler.signals.send_catch_log(
            signal=newsroom_signals.removal_candidates, spider=self
        )
        urls = sorted({url for _, reply in replies if isinstance(reply, list) for url in reply})
        if not urls:
            return
        self.logger.info("checking %d archived articles not seen on the listing", len(urls))
        assert self.crawler.engine is not None
        for url in urls:
            self.crawler.engine.crawl(
                scrapy.Request(
                    url,
                    callback=self.parse_check,
                    errback=self.check_failed,
                    dont_filter=True,
                    meta={"handle_httpstatus_list": [404, 410]},
                    cb_kwargs={"url": url},
                )
            )
        raise DontCloseSpider

    def parse_check(self, response: Response, url: str) -> Iterator[RemovalCheck]:
        yield RemovalCheck(source=self.name, url=url, status=response.status)

    def check_failed(self, failure: Failure) -> Iterator[RemovalCheck]:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        self.logger.warning("could not check %s: %s", request.url, failure.getErrorMessage())
        # Status 0 means "no answer": never a reason to call an article removed.
        status = response.status if response is not None else 0
        yield RemovalCheck(source=self.name, url=request.cb_kwargs["url"], status=status)


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _content_type(response: Response) -> str:
    raw = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return raw.split(";", 1)[0].strip().lower()


def _selector(response: Response) -> Selector:
    if not isinstance(response, TextResponse):
        raise ValueError(f"not a text page (Content-Type {_content_type(response) or 'missing'})")
    return response.selector


def _fetch(response: Response) -> Fetch:
    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    return Fetch(
        url=response.url,
        status=response.status,
        etag=header("ETag"),
        last_modified=header("Last-Modified"),
        fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
