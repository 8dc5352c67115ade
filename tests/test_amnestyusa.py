"""Parsing of Amnesty International USA pages against saved fixture pages.

Expected values were written from the seed text of a real March 2020 listing page,
independently of the parser; every field of every card is compared.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from newsroom_archive.sites import get_site, sites

# Through the registry, as the spider loader and `extract` find it.
amnestyusa = get_site("amnestyusa")

FIXTURES = Path(__file__).parent / "fixtures" / "amnestyusa"


def _load(name: str) -> tuple[str, dict]:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return html, expected


@pytest.mark.parametrize("name", ["listing-current-2020-03", "listing-2020-03"])
def test_listing_every_card_every_field(name: str) -> None:
    html, expected = _load(name)
    page = amnestyusa.parse_listing(html, expected["url"])
    assert page.next_url == expected["next_url"]
    assert page.page_number == expected["page_number"]
    got = [dataclasses.asdict(card) for card in page.cards]
    assert len(got) == len(expected["cards"]) == 12
    for card, want in zip(got, expected["cards"], strict=True):
        assert card == want


@pytest.mark.parametrize(
    "name", ["article-syria-prisoners", "article-russia-report", "article-detention-visits"]
)
def test_article_every_field(name: str) -> None:
    html, expected = _load(name)
    page = amnestyusa.parse_article(html, expected["url"])
    assert dataclasses.asdict(page) == expected


def test_listing_detection() -> None:
    listing, _ = _load("listing-current-2020-03")
    article, _ = _load("article-syria-prisoners")
    assert amnestyusa.is_listing(listing)
    assert not amnestyusa.is_listing(article)


@pytest.mark.parametrize(
    ("tag_line", "expected"),
    [
        ("December 3, 2021 • Press Release", ("December 3, 2021", "Press Release")),
        ("March 31, 2020", ("March 31, 2020", None)),
        ("April 5, 2018 | 6:00 PM", ("April 5, 2018 | 6:00 PM", None)),
        (None, (None, None)),
    ],
)
def test_the_tag_line_splits_by_position(
    tag_line: str | None, expected: tuple[str | None, str | None]
) -> None:
    shown = f'<p class="card-md--tag--hocus">{tag_line}</p>' if tag_line else ""
    html = (
        '<div class="card-md h-full relative"><h3 class="utility-md">'
        f'<a class="hocus-headline" href="/news/x/">X</a></h3>{shown}</div>'
    )
    (card,) = amnestyusa.parse_listing(html, "https://www.amnestyusa.org/news/").cards
    assert (card.date_text, card.type_label) == expected
    assert card.tag_line == tag_line


def test_page_without_cards_yields_empty_listing() -> None:
    page = amnestyusa.parse_listing(
        "<html><body><p>Maintenance</p></body></html>", "https://x/news/"
    )
    assert page.cards == [] and page.next_url is None and page.page_number == 1


def test_the_registry_knows_the_newsroom_and_scrapy_has_its_spider() -> None:
    from scrapy.settings import Settings

    from newsroom_archive import settings as project_settings
    from spiders.base import NewsroomSpider
    from spiders.loader import NewsroomSpiderLoader

    # As the registry has it now: tests of operators' profiles rebuild the registry.
    amnestyusa = get_site("amnestyusa")
    assert (amnestyusa.name, amnestyusa.start_url) == (
        "amnestyusa",
        "https://www.amnestyusa.org/news/",
    )
    assert amnestyusa.required_card_fields == ("title", "date_text")
    settings = Settings()
    settings.setmodule(project_settings)
    loader = NewsroomSpiderLoader.from_settings(settings)
    # Every newsroom is a spider: each profile, and the modules defining one.
    assert sorted(loader.list()) == sorted(sites())
    assert "amnestyusa" in loader.list()
    spider = loader.load("amnestyusa")
    assert issubclass(spider, NewsroomSpider)
    assert (spider.name, spider.site) == ("amnestyusa", amnestyusa)
