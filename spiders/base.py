"""What every newsroom spider shares: arguments, listing pagination, article requests.

A spider schedules requests and hands responses to its site module's parsing
functions; it parses nothing itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from datetime import UTC, datetime, timedelta
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
from newsroom_archive.archive.hashing import card_hash
from newsroom_archive.items import (
    ArticlePage,
    Fetch,
    KnownArticle,
    ListingCard,
    RemovalCheck,
    ScrapedArticle,
    Sighting,
)
from newsroom_archive.sites import Newsroom
from newsroom_archive.sites.common import canonical_url

MODES = ("full", "incremental")
ARGUMENTS = ("start_url", "mode", "max_pages", "recheck_days")


class NewsroomSpider(scrapy.Spider):
    site: Newsroom

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        given = self.parse_arguments(**{k: kwargs.pop(k) for k in list(kwargs) if k in ARGUMENTS})
        super().__init__(*args, **kwargs)
        self.start_url: str = given["start_url"]
        self.mode: str = given["mode"]
        self.max_pages: int | None = given["max_pages"]
        self.recheck_days: int | None = given["recheck_days"]
        # Stay on the start URL's host, so a mirror or test server is crawled alone.
        self.allowed_domains = [urlsplit(self.start_url).hostname or ""]
        self.spider_args = given
        self.known: dict[str, KnownArticle] = {}
        self._requested: set[str] = set()
        self._listing_complete = False
        self._checks_scheduled = False
        self._rechecks_scheduled = False

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
        recheck_days: str | int | None = None,
        **_others: Any,
    ) -> dict[str, Any]:
        """Check the spider arguments; a bad one raises UsageError with a one-line reason."""
        url = start_url or cls.site.start_url
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
        try:
            days = int(recheck_days) if recheck_days not in (None, "") else None
        except (TypeError, ValueError):
            raise UsageError(f"recheck_days must be a whole number, got {recheck_days!r}") from None
        if days is not None and days < 0:
            raise UsageError(f"recheck_days must not be negative, got {days}")
        return {"start_url": url, "mode": mode, "max_pages": pages, "recheck_days": days}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        replies = self.crawler.signals.send_catch_log(
            signal=newsroom_signals.known_articles, spider=self
        )
        for _, reply in replies:
            if isinstance(reply, dict):
                self.known.update(reply)
        yield scrapy.Request(self.start_url, callback=self.parse_listing, cb_kwargs={"page": 1})

    def stop_listing(self, reason: str) -> Iterator[scrapy.Request]:
        """Record why the listing was not read further, then schedule re-checks."""
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newsroom/stop_reason", reason)
        yield from self.recheck_requests()

    def recheck_requests(self) -> Iterator[scrapy.Request]:
        """Article pages of recent articles not fetched yet (stealth edits come early)."""
        if self.recheck_days is None or self.mode != "incremental" or self._rechecks_scheduled:
            return
        self._rechecks_scheduled = True
        since = (datetime.now(UTC) - timedelta(days=self.recheck_days)).date().isoformat()
        for url, known in sorted(self.known.items()):
            if url in self._requested or known.card is None:
                continue
            if known.published_date is None or known.published_date < since:
                continue
            self._requested.add(url)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("article/rechecks")
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                # The card as last seen stands in for the listing, which was not read here.
                cb_kwargs={"card": known.card, "sighting": None},
            )

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
        unchanged = 0
        for card in listing.cards:
            stats.inc_value("listing/cards")
            outcome = yield from self.follow_card(response, card, page)
            unchanged += outcome == "unchanged"
        if self.mode == "incremental" and listing.cards and unchanged == len(listing.cards):
            yield from self.stop_listing(f"page {page}: every card already archived, unchanged")
        elif listing.next_url is None:
            self._listing_complete = True
            yield from self.stop_listing(f"listing ended on page {page}")
        elif self.max_pages is not None and page >= self.max_pages:
            yield from self.stop_listing(f"max_pages={self.max_pages} reached")
        else:
            yield response.follow(
                listing.next_url, callback=self.parse_listing, cb_kwargs={"page": page + 1}
            )

    def follow_card(
        self, response: Response, card: ListingCard, page: int
    ) -> Generator[Any, None, str]:
        """Yield what a card calls for; return "unchanged", "incomplete" or "fetched"."""
        url = canonical_url(card.url)
        sighting = Sighting(
            listing_url=response.url, page_number=page, position=card.position, card=card
        )
        stats = self.crawler.stats
        assert stats is not None
        missing = self.site.missing_card_fields(card)
        if missing:
            # The site always shows these: without them the markup has changed under us,
            # and what we read is a broken parse, not an edit. Keep the sighting only.
            stats.inc_value("listing/cards_incomplete")
            yield ScrapedArticle(
                source=self.name,
                url=url,
                card=card,
                sighting=sighting,
                parse_errors=[f"card lacks {', '.join(missing)} (has the listing markup changed?)"],
            )
            return "incomplete"
        if url in self._requested:
            # Seen again on a later page (the listing shifted while we read it): the
            # page is already on its way, so only this sighting is new.
            yield ScrapedArticle(source=self.name, url=url, card=card, sighting=sighting)
            return "fetched"
        known = self.known.get(url)
        same_card = known is not None and known.card_hash == card_hash(card)
        if same_card and self.mode == "incremental":
            stats.inc_value("listing/cards_unchanged")
            yield ScrapedArticle(source=self.name, url=url, card=card, sighting=sighting)
            return "unchanged"
        self._requested.add(url)
        headers: dict[str, str] = {}
        if same_card and known is not None:
            # Only when the card is unchanged: a 304 then means nothing changed at all.
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        yield scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            headers=headers or None,
            meta={"handle_httpstatus_list": [304]},
            cb_kwargs={"card": card, "sighting": sighting},
        )
        return "fetched"

    def parse_article(
        self, response: Response, card: ListingCard, sighting: Sighting | None
    ) -> Iterator[ScrapedArticle]:
        url = canonical_url(card.url)
        item = ScrapedArticle(
            source=self.name, url=url, card=card, sighting=sighting, fetch=_fetch(response)
        )
        if response.status == 304:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("article/not_modified")
            yield item
            return
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
        assert self.crawler.stats is not None
        if self.crawler.stats.get_value("listing/cards_incomplete"):
            return  # a listing we could not read is no evidence that anything is gone
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
