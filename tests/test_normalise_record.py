"""build_record: merging card and page; validate: what keeps a record out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from newsroom_archive.items import ArticlePage, ArticleRecord, ListingCard, ScrapedArticle
from newsroom_archive.normalise import SourceRules, build_record, validate

RULES = SourceRules(
    name="amnestyusa",
    title_suffixes=(" | Amnesty International USA", " - Amnesty International USA"),
)
URL = "https://www.amnestyusa.org/press-releases/prisoners-in-syria-should-be-released/"
CAPTION = (
    "DAMASCUS, March 30, 2020 . A worker disinfects streets in Damascus, Syria, on March 30, "
    "2020. (Photo by Ammar Safarjalani/Xinhua via Getty) "
    "(Xinhua/Ammar Safarjalani via Getty Images)"
)


def card(**changes: Any) -> ListingCard:
    base = ListingCard(
        url=URL,
        position=3,
        title="Prisoners in Syria Should be Released to Prevent Spread of COVID-19",
        tag_line="March 31, 2020 • Press Release",
        teaser="The Syrian authorities must cooperate fully with UN agencies…",
        image_url="/wp-content/uploads/2020/03/damascus-300x200.jpg",
        image_alt="A worker disinfects streets in Damascus",
        caption=CAPTION,
    )
    return dataclasses.replace(base, **changes)


def page(**changes: Any) -> ArticlePage:
    base = ArticlePage(
        url=URL,
        canonical_url=URL,
        title="Prisoners in Syria Should be Released to Prevent Spread of COVID-19",
        html_title="Prisoners in Syria Should be Released | Amnesty International USA",
        description="The Syrian authorities must cooperate fully with UN agencies.",
        type_label=None,
        date_published="2020-03-31T22:30:00-04:00",
        date_modified="2020-04-01T09:00:00-04:00",
        date_source="jsonld",
        body="<p>The Syrian authorities&nbsp;must cooperate.</p><p>Second paragraph.</p>",
        image_url="https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus.jpg",
        image_alt="A worker disinfects streets in Damascus",
        caption=CAPTION,
        og_image="https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus-og.jpg",
    )
    return dataclasses.replace(base, **changes)


def item(card_: ListingCard | None, page_: ArticlePage | None, url: str = URL) -> ScrapedArticle:
    return ScrapedArticle(source="amnestyusa", url=url, card=card_, page=page_)


def test_card_and_page_merge() -> None:
    record = build_record(item(card(), page()), RULES)
    assert record == ArticleRecord(
        source="amnestyusa",
        url=URL,
        title="Prisoners in Syria Should be Released to Prevent Spread of COVID-19",
        kind="press-release",
        type_label="Press Release",
        # The publisher's day: 22:30 at -04:00 is already 1 April in UTC.
        published_date="2020-03-31",
        published_at="2020-03-31T22:30:00-04:00",
        date_source="jsonld",
        updated_at="2020-04-01T09:00:00-04:00",
        teaser="The Syrian authorities must cooperate fully with UN agencies",
        teaser_truncated=True,
        body="The Syrian authorities must cooperate.\n\nSecond paragraph.",
        image_url="https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus.jpg",
        image_alt="A worker disinfects streets in Damascus",
        caption=(
            "DAMASCUS, March 30, 2020 . A worker disinfects streets in Damascus, Syria, on "
            "March 30, 2020."
        ),
        photo_credit=(
            "(Photo by Ammar Safarjalani/Xinhua via Getty) "
            "(Xinhua/Ammar Safarjalani via Getty Images)"
        ),
        photographers=["Ammar Safarjalani"],
        photo_agencies=["Xinhua", "Getty Images"],
        caption_place="Damascus",
        caption_date="2020-03-30",
    )
    assert validate(record) == []


def test_card_only() -> None:
    only = card(
        tag_line=None,
        date_text="March 31, 2020",
        type_label="Sheet of paper Report",
        caption="Photo by Alex Wong/Getty Images",
    )
    record = build_record(item(only, None), RULES)
    assert record.title == "Prisoners in Syria Should be Released to Prevent Spread of COVID-19"
    assert (record.type_label, record.kind) == ("Report", "report")
    assert (record.published_date, record.published_at, record.date_source) == (
        "2020-03-31",
        None,
        "listing",
    )
    assert record.updated_at is None
    assert record.image_url == (
        "https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus-300x200.jpg"
    )
    assert (record.caption, record.photo_credit) == (None, "Photo by Alex Wong/Getty Images")
    assert (record.photographers, record.photo_agencies) == (["Alex Wong"], ["Getty Images"])
    assert record.body is None


def test_page_only_kind_from_folder_and_teaser_from_description() -> None:
    url = "https://www.amnestyusa.org/reports/russia-prisons/"
    record = build_record(item(None, page(url=url, caption=None), url=url), RULES)
    assert (record.type_label, record.kind) == (None, "report")
    assert (record.teaser, record.teaser_truncated) == (
        "The Syrian authorities must cooperate fully with UN agencies.",
        False,
    )
    assert record.caption is None
    assert record.photo_credit is None


def test_title_prefix_and_suffix_and_html_title_fallback() -> None:
    record = build_record(item(card(title=None), page(title=None)), RULES)
    assert record.title == "Prisoners in Syria Should be Released"
    prefixed = build_record(
        item(None, page(title="Press Release: Hope - Amnesty International USA")), RULES
    )
    assert prefixed.title == "Hope"


def test_type_label_card_before_page() -> None:
    record = build_record(
        item(card(tag_line=None, type_label="Update"), page(type_label="News")), RULES
    )
    assert (record.type_label, record.kind) == ("Update", "update")
    record = build_record(item(card(tag_line=None), page(type_label="Statement")), RULES)
    assert (record.type_label, record.kind) == ("Statement", "statement")


def test_unparseable_page_date_falls_back_to_listing() -> None:
    record = build_record(item(card(), page(date_published="soon", date_source="meta")), RULES)
    assert (record.published_date, record.date_source) == ("2020-03-31", "listing")
    assert validate(record, item(card(), page(date_published="soon"))) == []


def test_url_date_is_the_last_resort() -> None:
    url = "https://www.example.org/2020/04/08/hope/"
    record = build_record(item(None, page(url=url, date_published=None), url=url), RULES)
    assert (record.published_date, record.published_at, record.date_source) == (
        "2020-04-08",
        None,
        "url",
    )


def test_listing_time_with_source_timezone() -> None:
    rules = dataclasses.replace(RULES, timezone="America/New_York")
    record = build_record(item(card(tag_line="April 5, 2018 | 6:00 PM"), None), rules)
    assert (record.published_date, record.published_at) == (
        "2018-04-05",
        "2018-04-05T18:00:00-04:00",
    )
    assert (
        build_record(item(card(tag_line="April 5, 2018 | 6:00 PM"), None), RULES).published_at
        is None
    )


def test_image_preference() -> None:
    placeholder = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    record = build_record(item(card(), page(image_url=placeholder)), RULES)
    assert record.image_url == (
        "https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus-og.jpg"
    )
    record = build_record(item(card(), page(image_url=None, og_image=None)), RULES)
    assert record.image_url == (
        "https://www.amnestyusa.org/wp-content/uploads/2020/03/damascus-300x200.jpg"
    )


def test_caption_sources() -> None:
    # The card's caption when the page has none; the page's separate credit joins it.
    record = build_record(
        item(
            card(caption="Hands touch despite bars in between"),
            page(caption=None, photo_credit="Photo by Jane Doe/Amnesty International"),
        ),
        RULES,
    )
    assert record.caption == "Hands touch despite bars in between"
    assert record.photo_credit == "Photo by Jane Doe/Amnesty International"
    assert (record.photographers, record.photo_agencies) == (
        ["Jane Doe"],
        ["Amnesty International"],
    )
    # A credit given only as an attribute.
    record = build_record(
        item(
            card(caption=None),
            page(caption=None, photo_credit="BRENDAN SMIALOWSKI/AFP/Getty Images"),
        ),
        RULES,
    )
    assert (record.caption, record.photographers, record.photo_agencies) == (
        None,
        ["Brendan Smialowski"],
        ["AFP", "Getty Images"],
    )
    # The page figcaption wins over the card caption.
    record = build_record(
        item(card(), page(caption="Streets in Damascus (Photo by X Y/Getty Images)")), RULES
    )
    assert record.caption == "Streets in Damascus"


def test_caption_year_from_publication() -> None:
    record = build_record(
        item(
            card(caption="KYIV, UKRAINE - DECEMBER 30: People shop. (Photo by A B/Getty Images)"),
            page(caption=None, date_published="2021-01-04T10:00:00+02:00"),
        ),
        RULES,
    )
    assert (record.caption_place, record.caption_date) == ("Kyiv, Ukraine", "2020-12-30")


def test_nothing_but_a_url() -> None:
    record = build_record(item(None, None), RULES)
    assert record == ArticleRecord(source="amnestyusa", url=URL, kind="press-release")
    assert validate(record) == ["title missing"]


def _record(**changes: Any) -> ArticleRecord:
    return dataclasses.replace(ArticleRecord(source="amnestyusa", url=URL, title="Hope"), **changes)


@pytest.mark.parametrize(
    ("record", "problems"),
    [
        (_record(), []),
        (_record(kind="other"), []),
        (_record(url=""), ["url missing"]),
        (_record(url="/press-releases/hope/"), ["url not absolute"]),
        (_record(url="ftp://example.org/hope"), ["url not absolute"]),
        (_record(title=None), ["title missing"]),
        (_record(url="", title=None), ["url missing", "title missing"]),
        (_record(date_source="html"), ["date_source unknown: 'html'"]),
        (_record(kind="press release"), ["kind not in vocabulary: 'press release'"]),
        (_record(image_url="/a.jpg"), ["image_url not absolute"]),
    ],
)
def test_validate(record: ArticleRecord, problems: list[str]) -> None:
    assert validate(record) == problems


def test_validate_reports_unparseable_raw_dates() -> None:
    scraped = item(card(tag_line=None, date_text="xyz"), page(date_published="soon"))
    record = build_record(scraped, RULES)
    assert record.published_date is None
    assert validate(record, scraped) == [
        "published_date unparseable: 'soon'",
        "published_date unparseable: 'xyz'",
    ]
    # Without the item, validate cannot know there was a raw value.
    assert validate(record) == []
    # No raw date at all is not a problem: some pages have none.
    bare = item(card(tag_line=None), page(date_published=None))
    assert validate(build_record(bare, RULES), bare) == []
