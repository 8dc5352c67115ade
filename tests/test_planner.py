"""The crawl planner's rules, table-driven: what a card calls for, when the listing
stops, which articles are re-checked, when removal checks are due."""

from __future__ import annotations

from datetime import date

import pytest

from newsroom_archive.hashing import card_hash
from newsroom_archive.items import KnownArticle, ListingCard
from newsroom_archive.planner import CrawlPlanner, CrawlPolicy

START = "https://news.example.org/news/"
URL = "https://news.example.org/news/one/"
REQUIRED = ("title", "date_text")


def card(url: str = URL, **shown: str) -> ListingCard:
    fields = {"title": "A title", "date_text": "March 3, 2020", **shown}
    return ListingCard(url=url, position=1, **fields)  # type: ignore[arg-type]


def known(
    shown: ListingCard | None = None,
    *,
    etag: str | None = None,
    modified: str | None = None,
    published: str | None = None,
) -> KnownArticle:
    shown = shown or card()
    return KnownArticle(
        url=URL,
        card_hash=card_hash(shown),
        etag=etag,
        last_modified=modified,
        published_date=published,
        card=shown,
    )


def planner(
    mode: str = "full", archived: KnownArticle | None = None, **policy: int
) -> CrawlPlanner:
    return CrawlPlanner(
        CrawlPolicy(START, mode, **policy),  # type: ignore[arg-type]
        {URL: archived} if archived else {},
        REQUIRED,
    )


# (case, mode, archived, the card, outcome, fetch, headers)
CARD_CASES = [
    ("new article, full", "full", None, card(), "fetched", True, {}),
    ("new article, incremental", "incremental", None, card(), "fetched", True, {}),
    (
        "same card, incremental: sighting only",
        "incremental",
        known(),
        card(),
        "unchanged",
        False,
        {},
    ),
    (
        "same card, full: conditional request",
        "full",
        known(etag='"v1"', modified="Tue, 03 Mar 2020 10:00:00 GMT"),
        card(),
        "fetched",
        True,
        {"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 03 Mar 2020 10:00:00 GMT"},
    ),
    ("same card, full, no validators", "full", known(), card(), "fetched", True, {}),
    (
        "changed card, incremental: fetched without validators",
        "incremental",
        known(etag='"v1"'),
        card(teaser="A new teaser"),
        "fetched",
        True,
        {},
    ),
    (
        "changed card, full: unconditional",
        "full",
        known(etag='"v1"'),
        card(title="A new title"),
        "fetched",
        True,
        {},
    ),
    (
        "a tracking parameter is the same article and card",
        "incremental",
        known(),
        card(url=URL + "?utm_source=feed"),
        "unchanged",
        False,
        {},
    ),
]


@pytest.mark.parametrize(
    ("mode", "archived", "shown", "outcome", "fetch", "headers"),
    [case[1:] for case in CARD_CASES],
    ids=[case[0] for case in CARD_CASES],
)
def test_what_a_card_calls_for(
    mode: str,
    archived: KnownArticle | None,
    shown: ListingCard,
    outcome: str,
    fetch: bool,
    headers: dict[str, str],
) -> None:
    decision = planner(mode, archived).card(shown)
    assert (decision.url, decision.outcome, decision.fetch, dict(decision.headers)) == (
        URL,
        outcome,
        fetch,
        headers,
    )
    assert decision.problem is None


@pytest.mark.parametrize(
    ("shown", "missing"),
    [
        (card(title=""), "title"),
        (card(date_text=""), "date_text"),
        (card(title="", date_text=""), "title, date_text"),
    ],
)
def test_a_card_without_required_fields_is_a_sighting_with_the_reason(
    shown: ListingCard, missing: str
) -> None:
    plan = planner("full", known(etag='"v1"'))
    decision = plan.card(shown)
    assert (decision.outcome, decision.fetch, dict(decision.headers)) == ("incomplete", False, {})
    assert decision.problem == f"card lacks {missing} (has the listing markup changed?)"
    assert plan.incomplete_cards == 1
    assert plan.requested == set()


def test_a_card_seen_again_later_in_the_listing_is_only_a_sighting() -> None:
    plan = planner("full")
    first = plan.card(card())
    again = plan.card(card(url=URL + "#comments"))
    assert (first.fetch, first.outcome) == (True, "fetched")
    assert (again.fetch, again.outcome, again.url) == (False, "repeated", URL)
    assert plan.requested == {URL}


@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_a_card_seen_again_is_repeated_whatever_it_first_called_for(mode: str) -> None:
    # Unchanged (incremental) or incomplete the first time: the second sighting
    # decides nothing again, and an incomplete card is not counted twice.
    plan = planner(mode, known())
    assert plan.card(card()).outcome == ("unchanged" if mode == "incremental" else "fetched")
    assert plan.card(card()).outcome == "repeated"
    other = "https://news.example.org/news/two/"
    assert plan.card(card(url=other, title="")).outcome == "incomplete"
    assert plan.card(card(url=other, title="")).outcome == "repeated"
    assert plan.incomplete_cards == 1


NEXT = "https://news.example.org/news/page/2/"

# (case, mode, max_pages, page number, outcomes, next link, next_url, stop reason, complete)
PAGE_CASES = [
    ("full, more pages", "full", None, 1, ["fetched"], NEXT, NEXT, None, False),
    (
        "full, last page",
        "full",
        None,
        4,
        ["fetched", "unchanged"],
        None,
        None,
        "listing ended on page 4",
        True,
    ),
    (
        "full, every card unchanged still reads on",
        "full",
        None,
        1,
        ["unchanged", "unchanged"],
        NEXT,
        NEXT,
        None,
        False,
    ),
    (
        "incremental, every card unchanged",
        "incremental",
        None,
        2,
        ["unchanged", "unchanged"],
        NEXT,
        None,
        "page 2: every card already archived, unchanged",
        False,
    ),
    (
        "incremental, one card fetched",
        "incremental",
        None,
        1,
        ["unchanged", "fetched"],
        NEXT,
        NEXT,
        None,
        False,
    ),
    (
        "incremental, an incomplete card is not unchanged",
        "incremental",
        None,
        1,
        ["unchanged", "incomplete"],
        NEXT,
        NEXT,
        None,
        False,
    ),
    (
        "incremental, a page without cards reads on",
        "incremental",
        None,
        1,
        [],
        NEXT,
        NEXT,
        None,
        False,
    ),
    ("max_pages reached", "full", 3, 3, ["fetched"], NEXT, None, "max_pages=3 reached", False),
    ("below max_pages", "full", 3, 2, ["fetched"], NEXT, NEXT, None, False),
    (
        "last page before max_pages: complete",
        "full",
        3,
        3,
        ["fetched"],
        None,
        None,
        "listing ended on page 3",
        True,
    ),
    (
        "full, a page of earlier cards ends the listing",
        "full",
        None,
        4,
        ["repeated", "repeated"],
        NEXT,
        None,
        "listing ended on page 3 (page 4 repeats earlier cards)",
        True,
    ),
    (
        "incremental, a page of earlier cards ends the listing",
        "incremental",
        None,
        3,
        ["repeated"],
        NEXT,
        None,
        "listing ended on page 2 (page 3 repeats earlier cards)",
        True,
    ),
    (
        "full, one new card among earlier ones reads on",
        "full",
        None,
        2,
        ["repeated", "fetched"],
        NEXT,
        NEXT,
        None,
        False,
    ),
    (
        "incremental, unchanged and earlier cards stop",
        "incremental",
        None,
        2,
        ["repeated", "unchanged"],
        NEXT,
        None,
        "page 2: every card already archived, unchanged",
        False,
    ),
    (
        "incremental stop comes before the end of the listing",
        "incremental",
        None,
        5,
        ["unchanged"],
        None,
        None,
        "page 5: every card already archived, unchanged",
        False,
    ),
]


@pytest.mark.parametrize(
    ("mode", "max_pages", "number", "outcomes", "link", "next_url", "reason", "complete"),
    [case[1:] for case in PAGE_CASES],
    ids=[case[0] for case in PAGE_CASES],
)
def test_when_the_listing_stops(
    mode: str,
    max_pages: int | None,
    number: int,
    outcomes: list[str],
    link: str | None,
    next_url: str | None,
    reason: str | None,
    complete: bool,
) -> None:
    plan = planner(mode, max_pages=max_pages)  # type: ignore[arg-type]
    decision = plan.page(number, outcomes, link)  # type: ignore[arg-type]
    assert (decision.next_url, decision.stop_reason, plan.listing_complete) == (
        next_url,
        reason,
        complete,
    )


TODAY = date(2026, 11, 30)

# (case, mode, recheck_days, published, already requested, rechecked)
RECHECK_CASES = [
    ("recent, incremental", "incremental", 7, "2026-11-25", False, True),
    ("on the boundary", "incremental", 7, "2026-11-23", False, True),
    ("older than the window", "incremental", 7, "2026-11-22", False, False),
    ("no date", "incremental", 7, None, False, False),
    ("already fetched in this run", "incremental", 7, "2026-11-29", True, False),
    ("full mode never rechecks", "full", 7, "2026-11-29", False, False),
    ("no recheck_days", "incremental", None, "2026-11-29", False, False),
    ("recheck_days=0 is today only", "incremental", 0, "2026-11-30", False, True),
]


@pytest.mark.parametrize(
    ("mode", "days", "published", "requested", "rechecked"),
    [case[1:] for case in RECHECK_CASES],
    ids=[case[0] for case in RECHECK_CASES],
)
def test_which_articles_are_rechecked(
    mode: str, days: int | None, published: str | None, requested: bool, rechecked: bool
) -> None:
    plan = planner(mode, known(published=published), recheck_days=days)  # type: ignore[arg-type]
    if requested:
        plan.card(card(teaser="changed, so fetched"))
    due = plan.rechecks(TODAY)
    assert [(r.url, r.card) for r in due] == ([(URL, card())] if rechecked else [])
    assert plan.rechecks(TODAY) == []  # once per crawl
    assert (URL in plan.requested) == (rechecked or requested)


def test_an_article_never_seen_on_a_listing_is_not_rechecked() -> None:
    archived = KnownArticle(url=URL, card_hash=None, published_date="2026-11-29", card=None)
    assert planner("incremental", archived, recheck_days=7).rechecks(TODAY) == []


# (case, mode, listing read to the end, incomplete cards, due)
REMOVAL_CASES = [
    ("complete full crawl", "full", True, 0, True),
    ("listing not read to the end", "full", False, 0, False),
    ("incremental crawl", "incremental", True, 0, False),
    ("a card could not be read", "full", True, 1, False),
]


@pytest.mark.parametrize(
    ("mode", "complete", "incomplete", "due"),
    [case[1:] for case in REMOVAL_CASES],
    ids=[case[0] for case in REMOVAL_CASES],
)
def test_when_removal_checks_are_due(mode: str, complete: bool, incomplete: int, due: bool) -> None:
    plan = planner(mode)
    for _ in range(incomplete):
        plan.card(card(title=""))
    if complete:
        plan.page(1, ["fetched"], None)
    assert plan.removal_checks_due() is due
    assert plan.removal_checks_due() is False  # asked once, answered once


# (arguments, the error)
BAD_ARGUMENTS = [
    (
        {"start_url": "ftp://news.example.org/"},
        "start_url must be an http(s) URL, got 'ftp://news.example.org/'",
    ),
    ({"start_url": "news.example.org"}, "start_url must be an http(s) URL, got 'news.example.org'"),
    ({"mode": "sometimes"}, "mode must be one of full, incremental, got 'sometimes'"),
    ({"max_pages": "three"}, "max_pages must be a whole number, got 'three'"),
    ({"max_pages": "0"}, "max_pages must be at least 1, got 0"),
    ({"recheck_days": "1.5"}, "recheck_days must be a whole number, got '1.5'"),
    ({"recheck_days": "-1"}, "recheck_days must not be negative, got -1"),
    (
        {"replay": ""},
        "replay must name a WARC file, a folder of WARC files or a WACZ file, got ''",
    ),
    (
        {"replay_path": "data/warc"},
        "unknown spider argument 'replay_path' (did you mean replay?); "
        "known: start_url, mode, max_pages, recheck_days, replay",
    ),
    (
        {"max_page": "3"},
        "unknown spider argument 'max_page' (did you mean max_pages?); "
        "known: start_url, mode, max_pages, recheck_days, replay",
    ),
    (
        {"start_utl": START},
        "unknown spider argument 'start_utl' (did you mean start_url?); "
        "known: start_url, mode, max_pages, recheck_days, replay",
    ),
    (
        {"nosucharg": "1"},
        "unknown spider argument 'nosucharg'; "
        "known: start_url, mode, max_pages, recheck_days, replay",
    ),
    (
        {"mode": "incremental", "recheckdays": "7", "_job": "abc"},
        "unknown spider argument 'recheckdays' (did you mean recheck_days?); "
        "known: start_url, mode, max_pages, recheck_days, replay",
    ),
]


@pytest.mark.parametrize(("arguments", "error"), BAD_ARGUMENTS)
def test_bad_arguments_are_refused_with_one_line(arguments: dict[str, str], error: str) -> None:
    with pytest.raises(ValueError) as raised:
        CrawlPolicy.from_arguments(START, **arguments)
    assert str(raised.value) == error


def test_a_newsroom_without_a_start_url_needs_one() -> None:
    with pytest.raises(ValueError) as raised:
        CrawlPolicy.from_arguments("", mode="full")
    assert str(raised.value) == (
        "start_url is required: this newsroom has no start URL of its own (-a start_url=URL)"
    )
    given = CrawlPolicy.from_arguments("", start_url="http://127.0.0.1:8765/news/")
    assert given.start_url == "http://127.0.0.1:8765/news/"


def test_arguments_are_checked_and_recorded() -> None:
    policy = CrawlPolicy.from_arguments(
        START, start_url="http://127.0.0.1:8765/news/", max_pages="3", recheck_days=""
    )
    assert policy.as_arguments() == {
        "start_url": "http://127.0.0.1:8765/news/",
        "mode": "full",
        "max_pages": 3,
        "recheck_days": None,
        "replay": None,
    }
    assert (policy.host, policy.site_prefix) == ("127.0.0.1", "http://127.0.0.1:8765/")
    assert CrawlPolicy.from_arguments(START).start_url == START


def test_a_job_runners_own_arguments_are_accepted() -> None:
    # Scrapyd adds _job (and _version) to every crawl it schedules.
    policy = CrawlPolicy.from_arguments(START, mode="incremental", _job="4f1c", _version="1")
    assert policy.as_arguments() == {
        "start_url": START,
        "mode": "incremental",
        "max_pages": None,
        "recheck_days": None,
        "replay": None,
    }
