"""The generic newsroom on real pages of newsrooms without a profile, and on the bundled
sample newsroom end to end.

The pages live beside the repository in ``../shared/`` (``newsrooms/`` and
``real-pages/``; they are not copied here). Every expected value below was read off the
page itself: the headline, the date line, the caption and credit, the feed's items.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.items import ScrapedArticle
from newsroom_archive.normalise import build_record
from newsroom_archive.sample_site import SampleNewsroom, article_url, expected_articles
from newsroom_archive.sites import get_site
from newsroom_archive.sites.generic import (
    NEWSROOM,
    RULES,
    announced_feeds,
    is_listing,
    parse_article,
    parse_listing,
)
from tests.helpers.expectations import expected_row
from tests.helpers.exports import export

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWSROOMS = SHARED / "newsrooms"
REAL_PAGES = SHARED / "real-pages"

needs_shared = pytest.mark.skipif(
    not NEWSROOMS.is_dir() or not REAL_PAGES.is_dir(),
    reason=f"saved newsroom pages not found at {SHARED} (they are kept beside the repository)",
)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def record(path: Path, url: str) -> dict[str, Any]:
    """The record the generic newsroom makes of a saved article page."""
    page = parse_article(read(path), url)
    assert page.extractor == "generic"
    item = ScrapedArticle(source="generic", url=url, page=page)
    return vars(build_record(item, RULES))


# (page, its URL, the fields its record must have), each value read off the page.
ARTICLES = [
    (
        # No metadata at all: the headline is the <h2> that <title> names (the <h1> says
        # "News Releases"), the date a bare <p>2/11/2026</p> under it.
        "ag-ohio/detail_000_human_trafficking_guilty.html",
        "https://www.ohioattorneygeneral.gov/Media/News-Releases/February-2026/"
        "Eight-People-Plead-Guilty-in-Mahoning-Valley-Human",
        {
            "title": "Eight People Plead Guilty in Mahoning Valley Human Trafficking Case",
            "published_date": "2026-02-11",
            "published_at": None,
            "date_source": "time-element",
            "updated_at": None,
            "caption": None,
            "photo_credit": None,
            "attachments": [],
        },
    ),
    (
        "ag-california/detail_000_settlement_dollar.html",
        "https://oag.ca.gov/news/press-releases/"
        "attorney-general-bonta-combats-medi-cal-fraud-securing-10-million-settlement",
        {
            "title": "Attorney General Bonta Combats Medi-Cal Fraud, Securing a $10 Million "
            "Settlement Against Southern California Provider",
            "published_date": "2025-01-02",
            "published_at": "2025-01-02T10:51:00-08:00",
            "date_source": "meta",
            "updated_at": "2025-01-02T12:15:53-08:00",
            "caption": None,
            "photo_credit": None,
            "attachments": [
                "https://oag.ca.gov/system/files/attachments/press-docs/FINAL%20EXECUTED%20"
                "SCMC-UDL-USA-CA%20Settlement%20Agreement%2012.17.24.pdf"
            ],
        },
    ),
    (
        # The credit ends the caption's span; og:title carries " | News | European
        # Parliament", the <h1> does not.
        "europarl-press/press-release_20221014IPR43206.html",
        "https://www.europarl.europa.eu/news/en/press-room/20221014IPR43206/"
        "car-recharging-stations-should-be-available-every-60-km-say-meps",
        {
            "title": "Car-recharging stations should be available every 60 km, say MEPs",
            "published_date": "2022-10-19",
            "published_at": None,  # <time datetime="2022-10-19T13:14:00"> has no offset
            "date_source": "time-element",
            "caption": "MEPs want car-recharging stations every 60 km",
            "photo_credit": "© Tapui / Adobe Stock",
        },
    ),
    (
        # parsely-pub-date gives the time; og:updated_time the update; the keywords
        # and parsely-tags the tags; the credit has its own element.
        "nasa-image-article/nasas-wallops-c-130-plays-vital-role-in-successful-parachute-"
        "airdrop-test.html",
        "https://www.nasa.gov/image-article/"
        "nasas-wallops-c-130-plays-vital-role-in-successful-parachute-airdrop-test/",
        {
            "title": "NASA’s Wallops C-130 Plays Vital Role in Successful Parachute Airdrop Test",
            "published_date": "2024-01-12",
            "published_at": "2024-01-12T19:16:28+00:00",
            "date_source": "meta",
            "updated_at": "2024-01-12T14:22:18-05:00",
            "caption": "NASA’s C-130 cargo aircraft releases a dart-shaped test vehicle above "
            "the U.S. Army’s Yuma Proving Ground on Jan. 9 to begin the testing sequence for "
            "a Boeing Starliner parachute system.",
            "photo_credit": "Credit: U.S. Army Yuma Proving Ground",
        },
    ),
    (
        # The first <time datetime> elements (2024-05-31 …) are the "Recent News" sidebar;
        # the article's own date is the div.news-date "September 8, 2020".
        "noaa-nesdis-news/120-years-ago-today-the-great-galveston-hurricane-made-landfall.html",
        "https://www.nesdis.noaa.gov/news/"
        "120-years-ago-today-the-great-galveston-hurricane-made-landfall",
        {
            "title": "120 Years Ago Today, the Great Galveston Hurricane Made Landfall",
            "published_date": "2020-09-08",
            "date_source": "time-element",
            "caption": "An image of Galveston, TX, captured by the GOES-East satellite on "
            "Sept. 4, 2020.",
            "photo_credit": None,
        },
    ),
    (
        # "Posted On: 09 AUG 2026 12:45PM by PIB Delhi"; a script's date 2025-11-20 is
        # what htmldate alone would say.
        "pib-india/detail_2296750_vice_president.html",
        "https://www.pib.gov.in/Pressreleaseshare.aspx?PRID=2296750",
        {
            "title": "Vice-President Shri C. P. Radhakrishnan launches ‘Har Ghar Tiranga "
            "Abhiyan’ in Andaman & Nicobar Islands",
            "published_date": "2026-08-09",
            "published_at": None,  # no zone is shown
            "date_source": "time-element",
        },
    ),
    (
        # "Published: 15 July 2013", "Updated: 4 August 2014"; the <h1> that <title> names
        # (the first <h1> is a survey banner).
        "govuk-publications/publication_csv_2014.html",
        "https://www.gov.uk/government/statistics/"
        "community-interest-companies-new-cics-registered-in-october-2013",
        {
            "title": "Community interest companies: new CICs registered in July 2014",
            "published_date": "2013-07-15",
            "date_source": "time-element",
            "updated_at": "2014-08-04",
            "attachments": [
                "https://www.gov.uk/government/uploads/system/uploads/attachment_data/file/"
                "340641/companyListMonthly_July.csv"
            ],
        },
    ),
    (
        # twitter:title is the site's name on every page; the JSON-LD headline and
        # <title> are the release's. The page shows no date.
        "ag-virginia/detail_001_big_polluters.html",
        "https://www.oag.state.va.us/media-center/news-releases/"
        "2958-attorney-general-jones-moves-to-hold-big-polluters-accountable",
        {
            "title": "Attorney General Jones Moves To Hold Big Polluters Accountable",
            "published_date": None,
            "date_source": None,
        },
    ),
]


@needs_shared
@pytest.mark.parametrize(("name", "url", "expected"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_article_fields(name: str, url: str, expected: dict[str, Any]) -> None:
    got = record(NEWSROOMS / name, url)
    assert {key: got[key] for key in expected} == expected
    assert got["extractor"] == "generic"
    assert got["body"] is not None and len(got["body"]) > 200


@needs_shared
def test_article_body_starts_with_the_text_not_the_date_line() -> None:
    name, url, _ = ARTICLES[0]
    body = record(NEWSROOMS / name, url)["body"]
    assert body.startswith(
        "(WARREN, Ohio) — Eight people have pleaded guilty in connection with a Mahoning "
        "Valley human trafficking sex ring, Ohio Attorney General Dave Yost and Mahoning "
        "County Sheriff Jerry Greene announced today."
    )


@needs_shared
def test_tags_from_keywords_and_categories() -> None:
    name, url, _ = ARTICLES[3]
    # <meta name="keywords">, article:section and parsely-tags, each tag once.
    assert record(NEWSROOMS / name, url)["tags"] == [
        "Commercial Crew",
        "Commercial Space",
        "NASA Aircraft",
        "Wallops Flight Facility",
        "NASA Centers & Facilities",
    ]


@needs_shared
def test_real_page_with_json_ld_and_a_credit_in_parentheses() -> None:
    got = record(
        REAL_PAGES / "aclu.org__blog_county-criminalized-students-bad-grades.html",
        "https://www.aclu.org/blog/juvenile-justice/school-prison-pipeline/"
        "county-criminalized-students-bad-grades-until-now",
    )
    assert {
        key: got[key]
        for key in ("title", "published_date", "date_source", "caption", "photo_credit")
    } == {
        "title": "This County Criminalized Students for Bad Grades – Until Now",
        "published_date": "2019-07-25",
        "date_source": "jsonld",
        "caption": "A student erasing answers from a test",
        "photo_credit": "(smolaw11/iStock)",
    }
    assert (got["photographers"], got["photo_agencies"]) == (["smolaw11"], ["iStock"])


# --- listings ------------------------------------------------------------------------


@needs_shared
def test_rss_feed_items_are_cards() -> None:
    listing = parse_listing(read(NEWSROOMS / "congress-ruiz/ruiz_rss.xml"), RUIZ)
    assert listing.extractor == "generic"
    assert len(listing.cards) == 10
    first, last = listing.cards[0], listing.cards[-1]
    assert (first.position, first.url, first.title, first.date_text) == (
        1,
        "http://ruiz.house.gov/media-center/press-releases/"
        "dr-ruiz-highlights-first-100-days-in-congress",
        "Dr. Ruiz Highlights First 100 Days in Congress",
        "Monday, April 15, 2013 - 2:23pm",
    )
    # The description's markup was escaped twice (&amp;nbsp;): the teaser is plain text.
    assert first.teaser is not None
    assert first.teaser.startswith("Washington, DC – Last Friday marked the first 100 days")
    assert (last.position, last.url, last.title) == (
        10,
        "http://ruiz.house.gov/media-center/press-releases/"
        "rep-ruiz-statement-on-the-president-s-state-of-the-union-address",
        "Rep. Ruiz Statement on the President’s State of the Union Address",
    )
    assert listing.next_url is None


RUIZ = "http://ruiz.house.gov/rss.xml"


@needs_shared
def test_rss_092_feed_without_dates() -> None:
    text = read(NEWSROOMS / "congress-culberson/culberson_rss.xml")
    assert is_listing(text)
    listing = parse_listing(text, "http://culberson.house.gov/feed/rss/")
    assert len(listing.cards) == 10
    first = listing.cards[0]
    assert (first.url, first.title, first.date_text) == (
        "http://culberson.house.gov/culberson-statement-on-the-real-space-act/",
        "Culberson Statement on The REAL Space Act",
        None,
    )
    assert listing.cards[1].title == "President Obama’s Budget: More of the Same Failed Policies"
    assert listing.cards[-1].url == (
        "http://culberson.house.gov/rep-culberson-to-chair-hearing-with-joint-chiefs-of-staff/"
    )


@needs_shared
def test_feed_items_through_the_newsroom_are_generic_records() -> None:
    text = read(NEWSROOMS / "congress-ruiz/ruiz_rss.xml")
    items = get_site("generic").read_page(text, RUIZ)
    assert len(items) == 10
    records = [build_record(item, RULES) for item in items]
    assert {r.extractor for r in records} == {"generic"}
    assert (records[0].published_date, records[0].date_source) == ("2013-04-15", "listing")


@needs_shared
def test_html_listing_of_repeated_cards() -> None:
    html = read(NEWSROOMS / "ag-ohio/listing_page_0.html")
    url = "https://www.ohioattorneygeneral.gov/Media/News-Releases"
    assert is_listing(html)
    listing = parse_listing(html, url)
    assert listing.extractor == "generic"
    assert len(listing.cards) == 10  # ten div.ohio-news
    first, last = listing.cards[0], listing.cards[-1]
    assert (first.url, first.title, first.date_text) == (
        "https://www.ohioattorneygeneral.gov/Media/News-Releases/February-2026/"
        "Eight-People-Plead-Guilty-in-Mahoning-Valley-Human",
        "Eight People Plead Guilty in Mahoning Valley Human Trafficking Case",
        "2/11/2026",
    )
    assert first.teaser == (
        "Eight people have pleaded guilty in connection with a Mahoning Valley human "
        "trafficking sex ring, Ohio Attorney General Dave Yost and Mahoning County Sheriff "
        "Jerry Greene announced today."
    )
    assert (last.url, last.title) == (
        "https://www.ohioattorneygeneral.gov/Media/News-Releases/January-2026/"
        "AG-Yost-Sues-Solar-Company-for-Allegedly-Deceiving",
        "AG Yost Sues Solar Company for Allegedly Deceiving Ohio Consumers",
    )
    # The pager's ">" link.
    assert listing.next_url == "https://www.ohioattorneygeneral.gov/Media/News-Releases?page=2"


@needs_shared
def test_table_listing_with_rows_of_two_classes() -> None:
    # house.gov's rows alternate cat-list-row0 / cat-list-row1: one listing of 445.
    html = read(REAL_PAGES / "house.gov__perlmutter_press-releases-listing_2015.html")
    listing = parse_listing(
        html, "http://perlmutter.house.gov/index.php/media-center/press-releases-86821"
    )
    assert len(listing.cards) == 445
    first = listing.cards[0]
    assert (first.title, first.date_text) == (
        "Polis, Perlmutter Host Fed Reserve Chief for Roundtable with Cannabis Businesses",
        "April 10, 2015",
    )
    assert listing.cards[-1].date_text == "September 17, 2009"


@needs_shared
def test_announced_feeds_and_the_next_page() -> None:
    html = read(NEWSROOMS / "ag-pennsylvania/listing_page_0.html")
    url = "https://www.attorneygeneral.gov/taking-action/"
    assert announced_feeds(html, url) == [
        "https://www.attorneygeneral.gov/feed/",
        "https://www.attorneygeneral.gov/taking-action/feed/",
    ]
    assert (
        parse_listing(html, url).next_url == "https://www.attorneygeneral.gov/taking-action/page/2/"
    )


@needs_shared
@pytest.mark.parametrize(
    "name",
    [
        "ag-ohio/detail_000_human_trafficking_guilty.html",
        "ag-california/detail_004_statute_citation.html",
        "noaa-nesdis-news/cyclone-yaas-makes-landfall-northeastern-india.html",
        "europarl-press/press-release_20190712IPR56948.html",
    ],
)
def test_an_article_with_a_box_of_related_links_is_no_listing(name: str) -> None:
    assert not is_listing(read(NEWSROOMS / name))


@needs_shared
@pytest.mark.parametrize(
    "name",
    [
        "ag-california/listing_page_0.html",
        "congress-vitter/vitter_press.html",
        "govuk-publications/publication_index_2014.html",
        "congress-burr/richard_burr.xml",
    ],
)
def test_listing_pages_are_listings(name: str) -> None:
    assert is_listing(read(NEWSROOMS / name))


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.org/press/one</loc><lastmod>2024-03-01</lastmod></url>
  <url>
    <loc>https://news.example.org/press/two</loc>
    <news:news><news:title>Second release</news:title>
    <news:publication_date>2024-03-02T09:00:00+01:00</news:publication_date></news:news>
  </url>
  <url><loc>/press/three</loc></url>
</urlset>
"""


def test_sitemap_urls_are_cards() -> None:
    assert is_listing(SITEMAP)
    listing = parse_listing(SITEMAP, "https://news.example.org/sitemap.xml")
    assert [(c.position, c.url, c.title, c.date_text) for c in listing.cards] == [
        (1, "https://news.example.org/press/one", None, "2024-03-01"),
        (2, "https://news.example.org/press/two", "Second release", "2024-03-02T09:00:00+01:00"),
        (3, "https://news.example.org/press/three", None, None),
    ]
    assert (listing.next_url, listing.extractor) == (None, "generic")


def test_a_page_without_cards_points_to_its_feed() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.atom">'
        "</head><body><h1>News</h1><p>Our news is in the feed.</p></body></html>"
    )
    listing = parse_listing(html, "https://news.example.org/news/")
    assert (listing.cards, listing.next_url) == ([], "https://news.example.org/feed.atom")


def test_the_newsroom_is_registered_without_a_start_url() -> None:
    assert get_site("generic") is NEWSROOM
    assert (NEWSROOM.name, NEWSROOM.start_url, NEWSROOM.required_card_fields) == (
        "generic",
        "",
        (),
    )


# --- end to end ----------------------------------------------------------------------


@pytest.mark.crawl
def test_crawl_of_the_sample_newsroom(tmp_path: Path) -> None:
    """`scrapy crawl generic -a start_url=…` archives the sample newsroom as its own
    profile does: every field of the answer key, every row marked generic."""
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom() as site:
        site.start()
        result = run_crawl(
            "generic",
            archive_url=f"sqlite:///{db}",
            spider_args={"start_url": f"{site.base_url}/news/"},
            settings=LOOPBACK_SETTINGS,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        rows = {row["url"]: row for row in export(db)}
        specs = expected_articles("base")
        assert set(rows) == {article_url(site.base_url, spec) for spec in specs}
        for spec in specs:
            want = {**expected_row(site.base_url, spec), "source": "generic"}
            row = rows[want["url"]]
            assert {key: row[key] for key in want} == want, spec.slug
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        extractors = conn.execute("select distinct extractor from versions").fetchall()
        sightings = conn.execute("select count(*) from sightings").fetchone()[0]
    assert extractors == [("generic",)]
    assert sightings == len(specs)
