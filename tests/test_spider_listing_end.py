"""How the spider counts a listing page without cards: one page past the end of a
page-number listing is the listing's end; any other is a sign the markup changed."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsroom_archive import stats as keys
from newsroom_archive.planner import CrawlPlanner
from newsroom_archive.sites import get_site
from spiders.loader import spider_class

EMPTY = b"<html><body><div class='view-presse'><div class='view-content'></div></div></body></html>"
ONE_CARD = (
    b"<html><body><div class='view-presse'><div class='view-content'><div class='views-row'>"
    b"<div class='views-field-title'><a href='/presse/a'>A</a></div>"
    b"<div class='views-field-created'><time datetime='2021-11-02T10:00:00Z'>2.11.</time></div>"
    b"</div></div></div></body></html>"
)


@pytest.mark.parametrize(
    ("page", "body", "past_end", "without_cards"),
    [
        (2, EMPTY, 1, None),  # ?page=2 of a two-page listing: the end
        (1, EMPTY, None, 1),  # the first page empty: the markup changed
        (2, ONE_CARD, None, None),
    ],
)
def test_an_empty_page_after_the_first_ends_a_page_number_listing(
    page: int, body: bytes, past_end: int | None, without_cards: int | None
) -> None:
    cls = spider_class(get_site("sample-presse"))
    crawler = get_crawler(cls)
    spider = cls.from_crawler(crawler, start_url="http://127.0.0.1:9/presse/")
    spider.planner = CrawlPlanner(spider.policy, {}, ())
    url = f"http://127.0.0.1:9/presse/?page={page - 1}"
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))
    list(spider.parse_listing(response, page=page))
    assert crawler.stats is not None
    assert crawler.stats.get_value(keys.LISTING_PAGES_PAST_END) == past_end
    assert crawler.stats.get_value(keys.LISTING_PAGES_WITHOUT_CARDS) == without_cards
    assert crawler.stats.get_value(keys.LISTING_PAGES) == 1
