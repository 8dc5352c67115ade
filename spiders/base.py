"""What every newsroom spider shares: turning the planner's decisions into requests.

A spider parses nothing itself (its newsroom's ``parse_listing`` / ``parse_article``
do) and decides nothing itself (the ``CrawlPlanner`` does); it schedules requests,
counts what it saw and hands items to the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsroom_archive import __version__
from newsroom_archive import stats as keys
from newsroom_archive.extension import ArchiveExtension
from newsroom_archive.items import (
    ArticlePage,
    Fetch,
    ListingCard,
    RemovalCheck,
    ScrapedArticle,
    Sighting,
)
from newsroom_archive.planner import ARGUMENTS, CrawlPlanner, CrawlPolicy, Outcome
from newsroom_archive.redirects import PageUnreachable
from newsroom_archive.sites import Newsroom
from newsroom_archive.warc.middleware import RECORD_META
from newsroom_archive.warc.replay import keep_replay_on, replay_source, was_captured


class NewsroomSpider(scrapy.Spider):
    site: Newsroom
    planner: CrawlPlanner
    """The crawl's decisions, made when the crawl starts (``start``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Every argument is checked, so that one mistyped is refused before any request.
        self.policy = self.parse_arguments(**kwargs)
        super().__init__(*args, **{k: v for k, v in kwargs.items() if k not in ARGUMENTS})
        # A start URL given to the crawl replaces the newsroom's listings (a mirror, a
        # test server); either way the crawl stays on the listings' hosts.
        given = kwargs.get("start_url")
        self.listing_urls = (
            (self.policy.start_url,) if given else self.site.start_urls or (self.policy.start_url,)
        )
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in self.listing_urls})

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsroomSpider:
        spider: NewsroomSpider = super().from_crawler(crawler, *args, **kwargs)
        if spider.policy.replay is not None:
            keep_replay_on(crawler)  # before the settings freeze
        return spider

    @classmethod
    def parse_arguments(
        cls,
        start_url: str | None = None,
        mode: str = "full",
        max_pages: str | int | None = None,
        recheck_days: str | int | None = None,
        replay: str | None = None,
        **others: Any,
    ) -> CrawlPolicy:
        """Check the spider arguments; a bad or unknown one raises UsageError with a
        one-line reason (a job runner's own, ``_job``, are accepted). A replay source is
        checked last, and recorded with the run as an absolute path."""
        try:
            policy = CrawlPolicy.from_arguments(
                cls.site.start_url, start_url, mode, max_pages, recheck_days, replay, **others
            )
            if policy.replay is not None:
                policy = replace(policy, replay=str(replay_source(policy.replay)))
            return policy
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # What the archive knows decides what to fetch; without an archive, everything.
        archive = self.crawler.get_extension(ArchiveExtension)
        known = archive.known_articles(self.name) if archive is not None else {}
        self.planner = CrawlPlanner(
            self.policy,
            known,
            self.site.required_card_fields,
            listings=len(self.listing_urls),
            canonical=self.site.canonicalise,
        )
        for url in self.listing_urls:
            yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        stats = self._stats()
        stats.inc_value(keys.LISTING_PAGES)
        try:
            listing = self.site.parse_listing(_selector(response), response.url)
        except Exception as exc:  # a broken page must not stop the crawl
            self.logger.error("cannot parse listing %s: %s", response.url, exc)
            stats.inc_value(keys.LISTING_PARSE_ERRORS)
            return
        if not listing.cards and page > 1 and listing.next_url is None:
            # A page-number listing asked one page past its end (Drupal's mini pager
            # answers with an empty page): the listing ended, the markup did not change.
            self.logger.info("listing page %s is empty: the listing ends there", response.url)
            stats.inc_value(keys.LISTING_PAGES_PAST_END)
        elif not listing.cards:
            self.logger.warning("no cards on listing page %s", response.url)
            stats.inc_value(keys.LISTING_PAGES_WITHOUT_CARDS)
        outcomes: list[Outcome] = []
        produced: list[Any] = []
        for card in listing.cards:
            stats.inc_value(keys.LISTING_CARDS)
            followed = self.follow_card(response, card, page, listing.extractor)
            outcomes.append(_collect(followed, produced))
        decision = self.planner.page(page, outcomes, listing.next_url)
        if not decision.repeats:
            # A page past the listing's end shows earlier cards again: no sightings.
            yield from produced
        if decision.next_url is not None:
            yield response.follow(
                decision.next_url, callback=self.parse_listing, cb_kwargs={"page": page + 1}
            )
            return
        # Why the listing was not read further; then the re-checks it leaves due.
        stats.set_value(keys.STOP_REASON, decision.stop_reason)
        for recheck in self.planner.rechecks(datetime.now(UTC).date()):
            stats.inc_value(keys.ARTICLE_RECHECKS)
            yield self.article_request(recheck.url, recheck.card, None)

    def follow_card(
        self, response: Response, card: ListingCard, page: int, extractor: str | None = None
    ) -> Generator[Any, None, Outcome]:
        """Yield what a card calls for; return the decision's outcome for the stop rule.
        ``extractor`` read the card; it stands for the record while no page says who read
        that."""
        decision = self.planner.card(card)
        sighting = Sighting(
            listing_url=response.url,
            page_number=page,
            position=card.position,
            card=card,
            warc_record_id=response.meta.get(RECORD_META),
        )
        if decision.outcome == "incomplete":
            self._stats().inc_value(keys.LISTING_CARDS_INCOMPLETE)
        elif decision.outcome == "unchanged":
            self._stats().inc_value(keys.LISTING_CARDS_UNCHANGED)
        if not decision.fetch:
            errors = [decision.problem] if decision.problem else []
            yield ScrapedArticle(
                source=self.name,
                url=decision.url,
                card=card,
                sighting=sighting,
                parse_errors=errors,
                extractor=extractor,
            )
            return decision.outcome
        yield self.article_request(decision.url, card, sighting, dict(decision.headers), extractor)
        return decision.outcome

    def article_request(
        self,
        url: str,
        card: ListingCard,
        sighting: Sighting | None,
        headers: dict[str, str] | None = None,
        extractor: str | None = None,
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            # The planner requests each article once; Scrapy's duplicate filter would
            # only drop, without an errback, a redirect to a page fetched already.
            dont_filter=True,
            headers=headers or None,
            meta={"handle_httpstatus_list": [304]},
            cb_kwargs={"card": card, "sighting": sighting, "extractor": extractor},
        )

    def removal_check(self, url: str) -> scrapy.Request:
        """Ask the newsroom whether an archived article it did not list still exists."""
        return scrapy.Request(
            url,
            callback=self.parse_check,
            errback=self.check_failed,
            dont_filter=True,
            meta={"handle_httpstatus_list": [404, 410]},
            cb_kwargs={"url": url},
        )

    def parse_article(
        self,
        response: Response,
        card: ListingCard,
        sighting: Sighting | None,
        extractor: str | None = None,
    ) -> Iterator[ScrapedArticle]:
        url = self.site.canonicalise(card.url)
        item = ScrapedArticle(
            source=self.name,
            url=url,
            card=card,
            sighting=sighting,
            fetch=_fetch(response),
            extractor=extractor,
        )
        if response.status == 304:
            self._stats().inc_value(keys.ARTICLE_NOT_MODIFIED)
            yield item
            return
        content_type = _content_type(response)
        if content_type and content_type not in _HTML_TYPES:
            # A card may link a document (a report's PDF): the card is all we can read.
            self.logger.info("article %s is a %s document", response.url, content_type)
            self._stats().inc_value(keys.ARTICLE_DOCUMENTS)
            item.page = ArticlePage(url=response.url)
            yield item
            return
        try:
            item.page = self.site.parse_article(_selector(response), response.url)
        except Exception as exc:  # keep the card; the page's failure is recorded
            self.logger.error("cannot parse article %s: %s", response.url, exc)
            self._stats().inc_value(keys.ARTICLE_PARSE_ERRORS)
            item.parse_errors.append(f"article page unparseable: {exc}")
        self._record_reading(item)
        yield item

    def _record_reading(self, item: ScrapedArticle) -> None:
        """What the parser read, as a WARC metadata record beside the response's."""
        archive = self.crawler.get_extension(ArchiveExtension)
        record_id = item.fetch.warc_record_id if item.fetch is not None else None
        if archive is None or archive.capture is None or record_id is None:
            return
        archive.capture.metadata(
            record_id,
            item.url,
            {
                "parser_version": __version__,
                "extractor": item.page.extractor if item.page else None,
                "page": asdict(item.page) if item.page else None,
                "parse_errors": item.parse_errors,
            },
        )

    def article_failed(self, failure: Failure) -> Iterator[ScrapedArticle]:
        """The page could not be had: the card is kept, and why is counted and logged."""
        request = failure.request  # type: ignore[attr-defined]
        card: ListingCard = request.cb_kwargs["card"]
        response = getattr(failure.value, "response", None)
        stat, reason = not_fetched(failure, response)
        stats = self._stats()
        stats.inc_value(keys.ARTICLE_NOT_FETCHED)
        stats.inc_value(keys.ARTICLE_NOT_FETCHED_BY + stat)
        self.logger.warning("article page %s not fetched: %s", card.url, reason)
        yield ScrapedArticle(
            source=self.name,
            url=self.site.canonicalise(card.url),
            card=card,
            sighting=request.cb_kwargs["sighting"],
            fetch=_fetch(response) if response is not None else Fetch(request.url, 0),
            parse_errors=[f"article page not fetched: {reason}"],
            extractor=request.cb_kwargs.get("extractor"),
        )

    def parse_check(self, response: Response, url: str) -> Iterator[RemovalCheck]:
        # A replay without a capture of the page has no answer: no evidence of removal.
        status = response.status if was_captured(response) else 0
        yield RemovalCheck(
            source=self.name,
            url=url,
            status=status,
            warc_record_id=response.meta.get(RECORD_META),
        )

    def check_failed(self, failure: Failure) -> Iterator[RemovalCheck]:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        self.logger.warning("could not check %s: %s", request.url, failure.getErrorMessage())
        # Status 0 means "no answer": never a reason to call an article removed.
        status = response.status if response is not None else 0
        yield RemovalCheck(
            source=self.name,
            url=request.cb_kwargs["url"],
            status=status,
            warc_record_id=request.meta.get(RECORD_META) if response is not None else None,
        )

    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats


def _collect(followed: Generator[Any, None, Outcome], into: list[Any]) -> Outcome:
    """Run ``follow_card`` to its end: what it yields goes to ``into``, its outcome back."""
    while True:
        try:
            into.append(next(followed))
        except StopIteration as stop:
            return stop.value


def not_fetched(failure: Failure, response: Response | None) -> tuple[str, str]:
    """Why a request failed: the stats name (``stats.ARTICLE_NOT_FETCHED_BY``) and a
    reason for the log and the quarantine."""
    error = failure.value
    retries = failure.request.meta.get("retry_times", 0)  # type: ignore[attr-defined]
    after = f" after {retries} retries" if retries else ""
    if isinstance(error, PageUnreachable):
        return error.stat, str(error)
    if response is not None and not was_captured(response):
        return "not_captured", "not in the replayed capture"
    if response is not None:
        return f"http_{response.status}", f"HTTP {response.status}{after}"
    if isinstance(error, IgnoreRequest):
        # Scrapy's own: "max redirections reached" is the one an article request meets.
        stat = "too_many_redirects" if "redirections" in str(error) else "ignored"
        return stat, str(error) or type(error).__name__
    return "gave_up", f"{failure.getErrorMessage() or type(error).__name__}{after}"


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
        fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        warc_record_id=response.meta.get(RECORD_META),
    )
