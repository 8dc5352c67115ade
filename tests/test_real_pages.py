"""The generic extractor on real pages of other sites, against what a reader sees.

The pages live beside the repository in ``../shared/real-pages`` (they belong to other
projects' test suites and are not copied here). Every expected value below was read
off the page itself: the visible caption, credit line and date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from newsroom_archive.normalise import (
    SourceRules,
    clean_teaser,
    clean_text,
    kind_from_label,
    parse_caption,
    parse_credit,
)
from newsroom_archive.sites.generic import (
    extract_dates,
    extract_figures,
    extract_listing_dates,
    extract_title,
)

REAL_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "real-pages"

pytestmark = pytest.mark.skipif(
    not REAL_PAGES.is_dir(),
    reason=f"real pages not found at {REAL_PAGES} (they are kept beside the repository)",
)

ACLU = (
    "aclu.org__blog_county-criminalized-students-bad-grades.html",
    "https://www.aclu.org/blog/juvenile-justice/school-prison-pipeline/"
    "county-criminalized-students-bad-grades-until-now",
)
AMNESTY_DE = (
    "amnesty.de__pressemitteilung_autonome-waffensysteme_2021.html",
    "https://www.amnesty.de/allgemein/pressemitteilung/autonome-waffensysteme-gefahr-menschenrechte",
)
EUROPARL = (
    "europarl__press-release_20241212IPR25960.html",
    "https://www.europarl.europa.eu/news/en/press-room/20241212IPR25960/"
    "ep-paves-way-for-the-use-of-eu-funds-to-finance-natural-disaster-recovery",
)
INTERCEPT = (
    "theintercept.com__2024-02-28_aaron-bushnell.html",
    "https://theintercept.com/2024/02/28/aaron-bushnell-reddit-fire-protest-israel-palestine/",
)
NATION = (
    "thenation.com__2024-01-11_chris-christie-exit.html",
    "https://www.thenation.com/article/politics/chris-christie-exit-trump-soul-republican-party/",
)
GREENPEACE = "greenpeace.org__campaign-forests-indonesia_latest-updates_2017.html"
HOUSE = "house.gov__perlmutter_press-releases-listing_2015.html"


def read(name: str) -> str:
    return (REAL_PAGES / name).read_text(encoding="utf-8")


# --- ACLU: credit in trailing parentheses of a figcaption, JSON-LD date --------------


def test_aclu_figure() -> None:
    name, url = ACLU
    assert extract_figures(read(name), url) == [
        {
            "image_url": "https://www.aclu.org/sites/default/files/styles/blog_main_wide_580x384/"
            "public/field_image/web19-student-taking-test-smolaw11-istock-blogimage-1160x768.jpg"
            "?itok=j2MpyMad",
            "alt": "A student erasing answers from a test",
            "caption": "A student erasing answers from a test",
            "credit": "(smolaw11/iStock)",
            "photographers": ["smolaw11"],
            "agencies": ["iStock"],
            "caption_place": None,
            "caption_date": None,
        }
    ]


def test_aclu_dates_and_title() -> None:
    name, url = ACLU
    html = read(name)
    assert extract_dates(html, url) == {
        "published_date": "2019-07-25",
        "published_at": None,  # "2019-07-25T11:15" has no offset
        "date_source": "jsonld",
        "updated_at": "2019-07-25",
        "raw": "2019-07-25T11:15",
    }
    assert (
        extract_title(html, url) == "This County Criminalized Students for Bad Grades – Until Now"
    )
    # The visible date line agrees on the day.
    visible = Selector(text=html).css("div.updated-date::text").getall()
    assert extract_listing_dates(visible) == [
        {
            "date_text": "July 25, 2019 | 11:15 PM",
            "type_label": None,
            "published_date": "2019-07-25",
            "published_at": None,
        }
    ]


# --- Amnesty Germany: description + copyright paragraphs, German dates ---------------


def test_amnesty_de_figure() -> None:
    name, url = AMNESTY_DE
    figures = extract_figures(read(name), url)
    assert [(f["caption"], f["credit"], f["photographers"], f["agencies"]) for f in figures] == [
        (
            'Protestaktion der Kampagne "Stop Killer Robots" in London (Archivaufnahme)',
            "© Oli Scarff/Getty Images",
            ["Oli Scarff"],
            ["Getty Images"],
        )
    ]
    assert figures[0]["alt"] == 'Ein metallener Roboter steht vor dem Londoner Uhrturm "Big Ben"'


def test_amnesty_de_article_date_and_label() -> None:
    name, url = AMNESTY_DE
    html = read(name)
    assert extract_dates(html, url) == {
        "published_date": "2021-11-02",
        "published_at": None,
        "date_source": "time-element",
        "updated_at": None,
        "raw": "02. November 2021",
    }
    labels = Selector(text=html).css("div.headline-info:not(.teaser) span.headline-category::text")
    assert [kind_from_label(label) for label in labels.getall()] == ["press-release", "news"]


def test_amnesty_de_teaser_cards() -> None:
    name, _url = AMNESTY_DE
    cards = Selector(text=read(name)).css("article.node--view-mode-teaser")
    dates = extract_listing_dates(cards.css("span.headline-date::text").getall())
    assert [d["published_date"] for d in dates] == [
        "2022-02-16",
        "2022-02-16",
        "2022-02-15",
        "2022-02-14",
        "2022-02-10",
        "2022-02-08",
        "2022-02-07",
        "2022-02-04",
        "2022-02-03",
    ]
    first_labels = [card.css("span.headline-category::text").get() for card in cards]
    assert [kind_from_label(label) for label in first_labels] == [
        "press-release",
        "press-release",
        "news",
        "press-release",
        "press-release",
        "news",
        "news",
        "news",
        "press-release",
    ]


# --- European Parliament: credit at the end of the caption span, <time> date ---------


def test_europarl() -> None:
    name, url = EUROPARL
    html = read(name)
    figures = extract_figures(html, url)
    assert [(f["caption"], f["credit"], f["photographers"], f["agencies"]) for f in figures] == [
        (
            "Quick EU funding of recovery measures following natural disasters",
            "© JOSE JORDAN / AFP",
            ["Jose Jordan"],
            ["AFP"],
        )
    ]
    assert extract_dates(html, url) == {
        "published_date": "2024-12-17",
        "published_at": None,  # the <time> element gives no offset
        "date_source": "time-element",
        "updated_at": None,
        "raw": "2024-12-17T13:17:00",
    }
    rules = SourceRules(name="europarl", title_suffixes=("European Parliament", "News"))
    assert extract_title(html, url, rules=rules) == (
        "EP paves way for the use of EU funds to finance natural disaster recovery"
    )
    # With the Parliament's zone the visible "17-12-2024 - 13:17" becomes a timestamp.
    brussels = SourceRules(name="europarl", timezone="Europe/Brussels")
    assert extract_dates(html, url, rules=brussels)["published_at"] == "2024-12-17T13:17:00+01:00"


# --- The Intercept: caption and credit in separate spans; answer key of another project


def test_intercept_against_answer_key() -> None:
    name, url = INTERCEPT
    html = read(name)
    key: dict[str, Any] = json.loads(
        (REAL_PAGES / "theintercept.com__fundus-expected.json").read_text(encoding="utf-8")
    )["V1_1"]
    image = key["images"][0]

    assert extract_title(html, url) == key["title"]
    dates = extract_dates(html, url)
    assert dates["published_at"] is not None
    assert dt.datetime.fromisoformat(dates["published_at"]) == dt.datetime.fromisoformat(
        key["publishing_date"]
    )
    assert dates == {
        "published_date": "2024-02-28",
        "published_at": "2024-02-28T14:54:09+00:00",
        "date_source": "jsonld",
        "updated_at": "2024-02-28T14:54:15+00:00",
        "raw": "2024-02-28T14:54:09Z",
    }

    figures = extract_figures(html, url)
    assert len(figures) == 1  # the caption is in the page twice (desktop and mobile)
    figure = figures[0]
    assert figure["caption"] == image["caption"]
    assert figure["credit"] == "Photo: " + image["authors"][0]
    assert figure["alt"] == image["description"]
    assert figure["image_url"] == image["versions"][0]["url"]
    assert figure["photographers"] == ["Tom Brenner"]
    assert figure["agencies"] == ["The Washington Post", "Getty Images"]


def test_intercept_getty_caption_in_alt() -> None:
    name, url = INTERCEPT
    alt = extract_figures(read(name), url)[0]["alt"]
    parts = parse_caption(alt, published=dt.date(2024, 2, 28))
    assert parts.photo_credit == "(Photo by Tom Brenner for The Washington Post via Getty Images)"
    assert parts.caption is not None
    assert parts.caption.startswith("WASHINGTON - FEBRUARY 26: Pro-Palestine demonstrators")
    assert parts.caption.endswith("in protest against the Israel-Hamas war.")
    assert (parts.photographers, parts.photo_agencies) == (
        ["Tom Brenner"],
        ["The Washington Post", "Getty Images"],
    )
    assert (parts.caption_place, parts.caption_date) == ("Washington", "2024-02-26")


# --- The Nation: WordPress block figure with span.credits ----------------------------


def test_nation_figure() -> None:
    name, url = NATION
    html = read(name)
    assert extract_figures(html, url) == [
        {
            "image_url": "https://www.thenation.com/wp-content/uploads/2024/01/AP24010820434600.jpg",
            "alt": "Republican presidential candidate former New Jersey Gov. Chris Christie "
            "announces he is dropping out of the race during a town hall campaign event "
            "Wednesday, Jan. 10, 2024, in Windham, N.H. (AP Photo/Robert F. Bukaty)",
            "caption": "Chris Christie announces he is dropping out of the race during a town "
            "hall campaign event Wednesday, January 10, 2024, in Windham, N.H.",
            "credit": "(Robert F. Bukaty / AP)",
            "photographers": ["Robert F. Bukaty"],
            "agencies": ["AP"],
            "caption_place": None,
            "caption_date": None,
        }
    ]
    # The alt text carries the agency's own form of the same credit.
    alt_credit = parse_credit("(AP Photo/Robert F. Bukaty)")
    assert (alt_credit.photographers, alt_credit.agencies) == (("Robert F. Bukaty",), ("AP",))


def test_nation_dates() -> None:
    name, url = NATION
    assert extract_dates(read(name), url) == {
        "published_date": "2024-01-11",
        "published_at": "2024-01-11T16:10:50+00:00",
        "date_source": "jsonld",
        "updated_at": "2024-01-11T16:27:52+00:00",
        "raw": "2024-01-11T16:10:50+00:00",
    }
    assert extract_title(read(name), url) == (
        "Chris Christie’s Exit Marks the End of the Fight for the Soul of the GOP"
    )


# --- Greenpeace listing: type, author and date packed into span.date -----------------


def test_greenpeace_listing() -> None:
    sel = Selector(text=read(GREENPEACE))
    cards = sel.css("div.news")
    assert len(cards) == 5
    titles = [clean_text(" ".join(card.css("h3 a ::text").getall())) for card in cards]
    assert titles == [
        "Major palm oil company promises to protect forests",
        "HSBC promises to cut ties with forest-trashing palm oil companies",
        "I've seen the forest fires HSBC is helping to fund",
        "Revealed: HSBC is funding forest destruction",
        "Dirty Bankers",
    ]
    dates = extract_listing_dates(cards.css("span.date::text").getall())
    assert [(d["date_text"], d["type_label"], d["published_date"]) for d in dates] == [
        ("28 April, 2017", "Blog entry", "2017-04-28"),
        ("21 February, 2017", "Blog entry", "2017-02-21"),
        ("13 February, 2017", "Blog entry", "2017-02-13"),
        ("17 January, 2017", "Blog entry", "2017-01-17"),
        ("17 January, 2017 at 1:00", "Publication", "2017-01-17"),
    ]
    assert [kind_from_label(d["type_label"]) for d in dates] == ["blog"] * 4 + ["publication"]
    # A time without a zone gives no timestamp, unless the source's zone is configured.
    assert dates[4]["published_at"] is None
    amsterdam = SourceRules(name="greenpeace", timezone="Europe/Amsterdam")
    zoned = extract_listing_dates(["Publication | 17 January, 2017 at 1:00"], rules=amsterdam)
    assert zoned[0]["published_at"] == "2017-01-17T01:00:00+01:00"
    teasers = [clean_teaser(" ".join(card.css("div > p ::text").getall())) for card in cards]
    assert [truncated for _text, truncated in teasers] == [True] * 5
    assert teasers[0][0] == (
        "There's been a major development in our campaign to protect Indonesia's forests. "
        "IOI, one of the largest palm oil traders in the world, has just made a significant "
        "commitment to protect rainforests . If put into practice, this"
    )


# --- House.gov listing: a table of press releases, dates padded with white space ------


def test_house_listing() -> None:
    sel = Selector(text=read(HOUSE))
    rows = sel.css("tr[class^='cat-list-row']")
    assert len(rows) == 445
    dates = extract_listing_dates(rows.css("td.list-date::text").getall())
    assert [d for d in dates if d["published_date"] is None] == []
    published = [str(d["published_date"]) for d in dates]
    assert published[:3] == ["2015-04-10", "2015-04-06", "2015-03-26"]
    assert published[-2:] == ["2010-01-05", "2009-09-17"]
    assert dates[0]["date_text"] == "April 10, 2015"
    # The listing is newest first, so a misread date would show as a step backwards.
    assert published == sorted(published, reverse=True)
    first = clean_text(rows[0].css("td.list-title a::text").get())
    assert (
        first == "Polis, Perlmutter Host Fed Reserve Chief for Roundtable with Cannabis Businesses"
    )
