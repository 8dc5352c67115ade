"""The crawl policy as pure decisions: what a card calls for, when to stop paginating,
which articles to re-check. No Scrapy and no database here.

The spider asks the planner and turns its answers into requests and items; the archive
extension supplies what the archive knows (``KnownArticle`` per URL) and asks the planner
whether a removal check is due. Every rule is tested table-driven in
``tests/test_planner.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from difflib import get_close_matches
from typing import Any, Literal
from urllib.parse import urlsplit

from newsroom_archive.hashing import card_hash
from newsroom_archive.items import KnownArticle, ListingCard
from newsroom_archive.sites.common import canonical_url

MODES = ("full", "incremental")
ARGUMENTS = ("start_url", "mode", "max_pages", "recheck_days", "replay")
"""The spider arguments, as ``scrapy crawl NAME -a name=value`` takes them."""
RUNNER_PREFIX = "_"
"""Arguments a job runner adds for itself (Scrapyd's ``_job`` and ``_version``): accepted,
and no concern of the crawl."""


@dataclass(frozen=True)
class CrawlPolicy:
    """What a crawl was asked to do (the spider arguments, checked)."""

    start_url: str
    mode: str = "full"
    max_pages: int | None = None
    recheck_days: int | None = None
    replay: str | None = None
    """Answer every request from the WARC captures at this path, never the network (the
    spider checks that the path holds captures: the planner touches no files)."""

    @classmethod
    def from_arguments(
        cls,
        default_start_url: str,
        start_url: str | None = None,
        mode: str = "full",
        max_pages: str | int | None = None,
        recheck_days: str | int | None = None,
        replay: str | None = None,
        **others: object,
    ) -> CrawlPolicy:
        """Check the spider arguments; a bad one raises ValueError with a one-line reason.

        An unknown argument is refused too: a typo (``max_page``) would otherwise be
        ignored and start a crawl of the whole live site."""
        unknown = sorted(name for name in others if not name.startswith(RUNNER_PREFIX))
        if unknown:
            raise ValueError(unknown_argument(unknown[0]))
        url = start_url or default_start_url
        if not url:
            raise ValueError(
                "start_url is required: this newsroom has no start URL of its own "
                "(-a start_url=URL)"
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start_url must be an http(s) URL, got {url!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        pages = _whole_number("max_pages", max_pages)
        if pages is not None and pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {pages}")
        days = _whole_number("recheck_days", recheck_days)
        if days is not None and days < 0:
            raise ValueError(f"recheck_days must not be negative, got {days}")
        if replay is not None and not replay.strip():
            raise ValueError(
                "replay must name a WARC file, a folder of WARC files or a WACZ file, "
                f"got {replay!r}"
            )
        return cls(start_url=url, mode=mode, max_pages=pages, recheck_days=days, replay=replay)

    def as_arguments(self) -> dict[str, Any]:
        """The arguments as recorded with the run."""
        return asdict(self)

    @property
    def host(self) -> str:
        return urlsplit(self.start_url).hostname or ""

    @property
    def site_prefix(self) -> str:
        """Articles below this prefix are the ones this crawl can judge (a mirror's own)."""
        parts = urlsplit(self.start_url)
        return f"{parts.scheme}://{parts.netloc}/"


def unknown_argument(name: str) -> str:
    """The one line refusing an unknown spider argument, with the closest known one."""
    close = get_close_matches(name, ARGUMENTS, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown spider argument {name!r}{hint}; known: {', '.join(ARGUMENTS)}"


def _whole_number(name: str, value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


Outcome = Literal["unchanged", "incomplete", "fetched", "repeated"]
"""What a card called for, as the stop rule sees it: ``repeated`` is a card an earlier
page of this crawl already showed."""


@dataclass(frozen=True)
class CardDecision:
    """What one listing card calls for.

    ``fetch``: request the article page (with ``headers`` as conditional validators);
    otherwise the card is kept as a sighting only. ``outcome`` feeds the stop rule.
    """

    url: str
    """The article's canonical URL."""
    outcome: Outcome
    fetch: bool
    headers: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None
    """Why the card cannot stand for the article (its markup lacks required fields)."""


@dataclass(frozen=True)
class PageDecision:
    """After a listing page: follow ``next_url``, or stop for ``stop_reason``."""

    next_url: str | None = None
    stop_reason: str | None = None
    repeats: bool = False
    """The page showed only cards of earlier pages (a pager past its end): its
    sightings say nothing about where the articles are listed."""


@dataclass(frozen=True)
class Recheck:
    """An article page to fetch again although its card did not call for it."""

    url: str
    card: ListingCard
    """The card as last seen, standing in for the listing that was not read."""


class CrawlPlanner:
    """The decisions of one crawl, and the little it must remember between them."""

    def __init__(
        self,
        policy: CrawlPolicy,
        known: Mapping[str, KnownArticle],
        required_card_fields: tuple[str, ...] = (),
        *,
        listings: int = 1,
        canonical: Callable[[str], str] = canonical_url,
    ) -> None:
        self.policy = policy
        self.known = known
        self.required_card_fields = required_card_fields
        self.canonical = canonical
        self.requested: set[str] = set()
        self.listed: set[str] = set()
        """Every article a card of this crawl's listing pages named so far."""
        self.listings_open = listings
        """Listings (start URLs) not yet read to their end."""
        self.listing_complete = False
        self.incomplete_cards = 0
        self._rechecked = False
        self._removals_checked = False

    def card(self, card: ListingCard) -> CardDecision:
        url = self.canonical(card.url)
        if url in self.listed:
            # Seen on an earlier page (the listing shifted while we read it, or the pager
            # answered past its end with its last page): whatever the card called for is
            # decided already, so only this sighting is new.
            return CardDecision(url, "repeated", fetch=False)
        self.listed.add(url)
        missing = [name for name in self.required_card_fields if not getattr(card, name)]
        if missing:
            # The site always shows these: without them the markup has changed under us,
            # and what we read is a broken parse, not an edit. Keep the sighting only.
            self.incomplete_cards += 1
            problem = f"card lacks {', '.join(missing)} (has the listing markup changed?)"
            return CardDecision(url, "incomplete", fetch=False, problem=problem)
        known = self.known.get(url)
        same_card = known is not None and known.card_hash == card_hash(card)
        if same_card and self.policy.mode == "incremental":
            return CardDecision(url, "unchanged", fetch=False)
        self.requested.add(url)
        headers: dict[str, str] = {}
        if same_card and known is not None:
            # Only when the card is unchanged: a 304 then means nothing changed at all.
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return CardDecision(url, "fetched", fetch=True, headers=headers)

    def page(self, number: int, outcomes: list[Outcome], next_url: str | None) -> PageDecision:
        """Whether to read the next listing page, given what this one's cards called for."""
        if outcomes and all(o == "repeated" for o in outcomes):
            # A pager asked for a page past its last answers with the last page again
            # (Drupal's views do), and a listing read by a URL template never runs out of
            # next URLs: a page of nothing but earlier cards is the listing's end.
            self.listings_open -= 1
            self.listing_complete = self.listings_open <= 0
            return PageDecision(
                stop_reason=(
                    f"listing ended on page {number - 1} (page {number} repeats earlier cards)"
                ),
                repeats=True,
            )
        if (
            self.policy.mode == "incremental"
            and "unchanged" in outcomes
            and all(o in ("unchanged", "repeated") for o in outcomes)
        ):
            return PageDecision(
                stop_reason=f"page {number}: every card already archived, unchanged"
            )
        if next_url is None:
            # Only every listing read to its end is the whole newsroom.
            self.listings_open -= 1
            self.listing_complete = self.listings_open <= 0
            return PageDecision(stop_reason=f"listing ended on page {number}")
        if self.policy.max_pages is not None and number >= self.policy.max_pages:
            return PageDecision(stop_reason=f"max_pages={self.policy.max_pages} reached")
        return PageDecision(next_url=next_url)

    def rechecks(self, today: date) -> list[Recheck]:
        """Once, when the listing stops: recent articles not fetched yet (stealth edits
        come early), in an incremental run with ``recheck_days``."""
        days = self.policy.recheck_days
        if days is None or self.policy.mode != "incremental" or self._rechecked:
            return []
        self._rechecked = True
        since = (today - timedelta(days=days)).isoformat()
        due: list[Recheck] = []
        for url, known in sorted(self.known.items()):
            if url in self.requested or known.card is None:
                continue
            if known.published_date is None or known.published_date < since:
                continue
            self.requested.add(url)
            due.append(Recheck(url, known.card))
        return due

    def removal_checks_due(self) -> bool:
        """Once, when the crawl would end: only a full crawl that read the whole listing,
        every card of it readable, is evidence that an unseen article may be gone."""
        if self._removals_checked or self.policy.mode != "full" or not self.listing_complete:
            return False
        if self.incomplete_cards:
            return False  # a listing we could not read is no evidence that anything is gone
        self._removals_checked = True
        return True
