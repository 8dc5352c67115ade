"""The sample newsroom, exercised over real HTTP on 127.0.0.1."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from newsroom_archive.sample_site import (
    ARTICLES,
    CARDS_PER_PAGE,
    EDITS,
    NEW_ARTICLE,
    STATES,
    ArticleSpec,
    SampleNewsroom,
    article_url,
    expected_articles,
    render_site,
    unlisted_articles,
)
from newsroom_archive.sample_site.__main__ import main
from newsroom_archive.sample_site.content import TEASER_CUT_WORDS, UTM_QUERY, ny_time
from tests.helpers.http import fetch

SUFFIX = " | Amnesty International USA"
CARDS = (
    "//div[contains(@class, 'wp-block-post-content')]"
    "//div[contains(@class, 'ts-grid-col-3-outline')]"
    "/div[@class='card-md h-full relative']"
)
BY_SLUG = {a.slug: a for a in ARTICLES}
LISTING = re.compile(r"/news/(page/\d+/)?")


def squash(parts: list[str] | str) -> str:
    return " ".join(("".join(parts) if isinstance(parts, list) else parts).split())


def cf_decode(hexed: str) -> str:
    data = bytes.fromhex(hexed)
    return bytes(b ^ data[0] for b in data[1:]).decode()


def cards_of(body: bytes) -> list[Selector]:
    return Selector(text=body.decode()).xpath(CARDS)


def listing(site: SampleNewsroom) -> list[tuple[str, list[Selector]]]:
    """Follow the pagination chain from /news/; (path, cards) per page."""
    pages, url = [], site.url("/news/")
    while url:
        status, _, body = fetch(url)
        assert status == 200
        pages.append((urlsplit(url).path, cards_of(body)))
        nxt = Selector(text=body.decode()).css("div.next > a.next::attr(href)").get()
        url = urljoin(url, nxt) if nxt else ""
    return pages


def card_urls(site: SampleNewsroom) -> list[str]:
    return [
        urljoin(site.url(path), card.css("a.hocus-headline::attr(href)").get() or "")
        for path, cards in listing(site)
        for card in cards
    ]


@pytest.fixture(scope="module")
def server():
    with SampleNewsroom() as newsroom:
        yield newsroom


@pytest.fixture
def site(server: SampleNewsroom) -> SampleNewsroom:
    server.set_state("base")
    server.reset_requests()
    return server


# --- content ---------------------------------------------------------------------------


def test_content_covers_the_variants_of_the_site_notes():
    assert len(ARTICLES) == 32
    assert len({a.slug for a in ARTICLES}) == 32
    assert [a.published for a in ARTICLES] == sorted((a.published for a in ARTICLES), reverse=True)
    assert {a.published.year for a in ARTICLES} == {2020, 2021}
    assert Counter(a.folder for a in ARTICLES) == {
        "press-releases": 17,
        "reports": 5,
        "updates": 6,
        "news": 4,
    }
    assert Counter(a.type_label for a in ARTICLES) == {
        "Press Release": 17,
        "Report": 5,
        "Update": 6,
        None: 4,
    }
    assert sum(a.image is None for a in ARTICLES) == 4
    assert sum(bool(a.image and a.image_alt is None) for a in ARTICLES) == 2
    assert sum(bool(a.image and not a.caption and not a.credit) for a in ARTICLES) == 2
    assert sum(a.teaser_cut for a in ARTICLES) == 7
    assert sum(a.lazy for a in ARTICLES) == 15
    assert [a.slug for a in ARTICLES if not a.hero and a.image] == [
        "senate-must-pass-bill-to-limit-solitary-confinement"
    ]
    assert Counter(a.date_source for a in ARTICLES) == {"jsonld": 30, "meta": 1, "time-element": 1}
    assert Counter(a.credit_in for a in ARTICLES if a.credit) == {
        "caption": 21,
        "span": 2,
        "data-credit": 2,
    }
    assert {a.credit_shape for a in ARTICLES} == {
        "pool-afp-twice",
        "reuters-slash-name",
        "alt-only",
        "photo-by-chain-via-getty",
        "no-image",
        "span-credit",
        "xinhua-agency-first",
        "ap-photo",
        "copyright-name-org",
        "whole-caption-photo-by",
        "caps-name-afp-getty",
        "at-sign-via-getty",
        "data-credit-attribute",
        "tass-twice-mangled",
        "parentheses-not-a-credit",
        "agency-via-getty",
        "photo-colon-for-outlet",
        "credit-colon-org",
        "photo-by-name-getty-short",
        "afp-twice",
        "epa-caps-name",
        "photo-by-getty-in-parentheses",
    }
    datelines = {a.slug: (a.caption_place, a.caption_date) for a in ARTICLES if a.caption_place}
    assert datelines == {
        "geneva-talks-must-agree-limits-on-autonomous-weapons": (
            "Geneva, Switzerland",
            "2021-12-02",
        ),
        "californias-wildfire-evacuation-plans-leave-farmworkers-behind": (
            "Napa, CA",
            "2021-09-12",
        ),
        "tunisia-release-activists-arrested-after-water-protests": ("Tunis", "2021-06-13"),
        "belarus-must-free-peaceful-protesters-on-human-rights-day": (
            "Minsk, Belarus",
            "2020-12-09",
        ),
        "chile-eye-injuries-from-police-projectiles-demand-accountability": (
            "Santiago",
            "2020-11-08",
        ),
        "police-must-not-target-journalists-covering-protests-in-portland": (
            "Portland, OR",
            "2020-08-26",
        ),
        "curfews-must-not-be-used-to-silence-peaceful-protest": ("Denver, CO", "2020-06-02"),
        "execution-scheduled-despite-evidence-of-intellectual-disability": (
            "Huntsville, TX",
            "2020-02-19",
        ),
    }
    for a in ARTICLES:
        if a.credit and a.credit_in == "caption":
            assert a.caption and a.caption.endswith(a.credit), a.slug
        if a.caption_place:
            assert a.caption and a.caption.upper().startswith(a.caption_place.upper()), a.slug
        if a.teaser_cut:
            assert len(a.teaser_full.split()) > TEASER_CUT_WORDS
            assert a.listing_teaser.endswith("…")
            assert a.teaser_full.startswith(a.listing_teaser[:-1])
        assert bool(a.photographers or a.photo_agencies) == bool(a.credit), a.slug
        if a.email:
            assert sum(a.email in p for p in a.body) == 1
        assert a.modified >= a.published


def test_titles_carry_typographic_quotes_and_an_ampersand():
    titles = [a.title for a in ARTICLES]
    assert sum("’" in t for t in titles) == 3
    assert [t for t in titles if "“" in t] == [
        "“Nowhere to Go”: Eviction Wave Hits Families in Temporary Shelters"
    ]
    assert [t for t in titles if "&" in t] == [
        "Land & Livelihoods: Mining Concessions Threaten Indigenous Communities in Colombia"
    ]


def test_new_york_offsets():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        new_york = zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    for a in (*ARTICLES, NEW_ARTICLE):
        for moment in (a.published, a.modified):
            assert moment.utcoffset() == moment.replace(tzinfo=new_york).utcoffset()
    assert ny_time("2021-03-13 12:00").isoformat() == "2021-03-13T12:00:00-05:00"
    assert ny_time("2021-03-14 12:00").isoformat() == "2021-03-14T12:00:00-04:00"
    late = BY_SLUG["governors-must-release-medically-vulnerable-people-from-jails"]
    assert late.published.isoformat() == "2020-04-08T22:30:00-04:00"
    assert late.published.astimezone(UTC).date().isoformat() == "2020-04-09"
    assert late.published_date == "2020-04-08"


def test_expected_articles_place_cards_on_pages():
    base = expected_articles("base")
    assert [(a.page, a.position) for a in base[:2]] == [(1, 1), (1, 2)]
    assert [(a.page, a.position) for a in base[-3:]] == [(3, 10), (4, 1), (4, 2)]
    assert [a.slug for a in base] == [a.slug for a in ARTICLES]
    assert expected_articles("1") == base
    edited = expected_articles("2")
    assert edited[0].slug == NEW_ARTICLE.slug
    assert (edited[10].slug, edited[10].page, edited[10].position) == (base[9].slug, 2, 1)
    assert len(edited) == 32
    assert unlisted_articles("removed-listed")[0].slug == (
        "students-in-nairobi-launch-climate-petition"
    )
    base[0].photographers.append("mutated by a caller")
    assert expected_articles("base")[0].photographers == ["Martin Kessler"]


def test_edits_describe_the_state_changes():
    assert {name: [(m.action, m.slug, m.field) for m in ms] for name, ms in EDITS.items()} == {
        "base": [],
        "edited": [
            ("add", NEW_ARTICLE.slug, None),
            ("edit", "new-administration-must-close-immigration-detention-centers", "title"),
            ("edit", "police-must-stop-firing-rubber-bullets-at-protesters", "credit"),
            ("edit", "hong-kong-security-law-threatens-free-expression", "body"),
            ("edit", "letter-writing-marathon-reaches-record-number-of-schools", "teaser_full"),
            ("delete", "petition-delivered-to-department-of-homeland-security", None),
            ("cosmetic", "californias-wildfire-evacuation-plans-leave-farmworkers-behind", None),
        ],
        "added": [("add", NEW_ARTICLE.slug, None)],
        "teaser-page1": [
            ("edit", "letter-writing-marathon-reaches-record-number-of-schools", "teaser_full")
        ],
        "edit-page3": [("edit", "hong-kong-security-law-threatens-free-expression", "body")],
        "drift": [("redesign", None, None)],
        "removed-listed": [("unlist", "students-in-nairobi-launch-climate-petition", None)],
    }
    for name, mutations in EDITS.items():
        after = {a.slug: a for a in expected_articles(name) + unlisted_articles(name)}
        for m in mutations:
            if m.action != "edit" or not m.slug or not m.field:
                continue
            value = getattr(BY_SLUG[m.slug], m.field)
            assert ("\n\n".join(value) if m.field == "body" else value) == m.old
            value = getattr(after[m.slug], m.field)
            assert ("\n\n".join(value) if m.field == "body" else value) == m.new
            assert after[m.slug].modified > BY_SLUG[m.slug].modified
    credit = EDITS["edited"][2]
    assert (credit.old, credit.new) == (
        "Photo by Jon Bradley/Getty Images",
        "Photo by Jonathan Bradley/Getty Images",
    )
    assert credit.sets["photographers"] == ["Jonathan Bradley"]


# --- listing pages ----------------------------------------------------------------------


def test_listing_pages_chain_and_card_counts(site: SampleNewsroom):
    pages = listing(site)
    assert [(path, len(cards)) for path, cards in pages] == [
        ("/news/", 10),
        ("/news/page/2/", 10),
        ("/news/page/3/", 10),
        ("/news/page/4/", 2),
    ]
    assert card_urls(site) == [article_url(site.base_url, a) for a in expected_articles("base")]
    _, _, last = fetch(site.url("/news/page/4/"))
    assert b'class="next"' not in last
    assert b'<div class="prev"><a class="prev" href="/news/page/3/">Previous</a></div>' in last


def test_cards_show_their_spec(site: SampleNewsroom):
    specs = iter(expected_articles("base"))
    for _, cards in listing(site):
        for card in cards:
            spec = next(specs)
            assert squash(card.css("h3.utility-md ::text").getall()) == spec.title
            tag = card.css("p.card-md--tag--hocus.utility-2xs.mt-xs.text-gray-300")
            assert squash(tag.css("::text").getall()) == spec.tag_line
            icon = tag.css("img::attr(alt)").get()
            assert icon == ("Sheet of paper" if spec.type_label == "Report" else None)
            assert squash(card.css("p.body-xs.mt-xs::text").get() or "") == spec.listing_teaser
            img = card.css("img")
            if not spec.image:
                assert img == []
                continue
            url = site.base_url + spec.image
            if spec.lazy:
                assert img.attrib["src"].startswith("data:image/gif;base64,")
                assert img.attrib["data-src"] == url
                widths = [w.split()[1] for w in img.attrib["srcset"].split(", ")]
                assert widths == ["480w", "1024w", "1600w"]
            else:
                assert img.attrib["src"] == url
            assert img.attrib["alt"] == (spec.image_alt or "")
            caption = squash(card.css("figcaption::text").getall()) or None
            assert caption == spec.caption
            credit = card.css("figcaption span.credit::text").get()
            assert credit == (spec.credit if spec.credit_in == "span" else None)
            data_credit = img.attrib.get("data-credit")
            assert data_credit == (spec.credit if spec.credit_in == "data-credit" else None)
    assert next(specs, None) is None


def test_first_card_and_report_card_markup(site: SampleNewsroom):
    _, _, body = fetch(site.url("/news/"))
    page = body.decode()
    assert (
        '<p class="card-md--tag--hocus utility-2xs mt-xs text-gray-300">'
        "December 3, 2021 • Press Release</p>"
    ) in page
    assert '<h3 class="utility-md">Land &#038; Livelihoods: Mining Concessions' in page
    assert (
        'April 22, 2021 • <img class="icon inline-block" '
        'src="/wp-content/themes/aiusa/assets/icons/report.svg" alt="Sheet of paper"'
    ) in page
    hrefs = [c.css("a.hocus-headline::attr(href)").get() for c in cards_of(body)]
    assert hrefs[:2] == [
        site.url("/press-releases/geneva-talks-must-agree-limits-on-autonomous-weapons/"),
        "/reports/surveillance-exports-to-border-agencies-put-asylum-seekers-at-risk/",
    ]
    decoy = Selector(text=page).css("div.card-md.h-full.relative")
    assert len(decoy) == 11


def test_listing_intro_hides_the_press_address(site: SampleNewsroom):
    _, _, body = fetch(site.url("/news/"))
    sel = Selector(text=body.decode())
    link = sel.css("div.wp-block-post-content a.__cf_email__")
    assert link.attrib["href"] == "/cdn-cgi/l/email-protection"
    assert link.css("::text").get() == "[email\xa0protected]"
    assert cf_decode(link.attrib["data-cfemail"]) == "press@aiusa.example"


# --- article pages ----------------------------------------------------------------------


def check_article(base_url: str, spec: ArticleSpec, body: bytes) -> None:
    sel = Selector(text=body.decode())
    url = article_url(base_url, spec)
    meta = {m.attrib["property"]: m.attrib["content"] for m in sel.css("meta[property]")}
    assert sel.css("title::text").get() == spec.title + SUFFIX
    assert meta["og:title"] == spec.title
    assert meta["og:description"] == spec.teaser_full
    assert meta["og:url"] == url
    assert sel.css("link[rel=canonical]::attr(href)").get() == url
    assert meta.get("og:image") == (base_url + spec.image if spec.image else None)
    paragraphs = sel.css("div.content-wrapper > article > div.wp-block-post-content > p")
    hidden = "[email\xa0protected]"
    shown = [squash(p.replace(spec.email, hidden) if spec.email else p) for p in spec.body]
    assert [squash(p.css("::text").getall()) for p in paragraphs] == shown
    emails = [cf_decode(h) for h in paragraphs.css("a.__cf_email__::attr(data-cfemail)").getall()]
    assert emails == ([spec.email] if spec.email else [])
    graphs = [json.loads(s) for s in sel.css("script[type='application/ld+json']::text").getall()]
    if spec.date_source == "jsonld":
        (node,) = [n for n in graphs[0]["@graph"] if n["@type"] in ("Article", "NewsArticle")]
        assert node["headline"] == spec.title
        assert node["datePublished"] == spec.published.isoformat()
        assert node["dateModified"] == spec.modified.isoformat()
        assert meta["article:published_time"] == spec.published.isoformat()
    else:
        assert graphs == []
        assert "article:modified_time" not in meta
    if spec.date_source == "meta":
        assert meta["article:published_time"] == spec.published.isoformat()
    if spec.date_source == "time-element":
        assert "article:published_time" not in meta
        assert sel.css("time::attr(datetime)").get() == spec.published.isoformat()
        assert sel.css("time::text").get() == spec.listing_date
    figure = sel.css("figure.relative")
    if not (spec.image and spec.hero):
        assert figure == []
        return
    img = figure.css("img")
    assert img.attrib["data-src"] == base_url + spec.image
    assert img.attrib["src"].startswith("data:")
    assert img.attrib["alt"] == (spec.image_alt or "")
    assert (squash(figure.css("figcaption::text").getall()) or None) == spec.caption
    assert figure.css("span.credit::text").get() == (
        spec.credit if spec.credit_in == "span" else None
    )
    assert figure.attrib.get("data-credit") == (
        spec.credit if spec.credit_in == "data-credit" else None
    )


def test_every_article_page_shows_its_spec(site: SampleNewsroom):
    for spec in expected_articles("base"):
        status, headers, body = fetch(article_url(site.base_url, spec))
        assert status == 200, spec.slug
        assert headers["Content-Type"] == "text/html; charset=UTF-8"
        assert headers["Last-Modified"] == format_datetime(
            spec.modified.astimezone(UTC), usegmt=True
        )
        check_article(site.base_url, spec, body)


def test_cf_email_encoding_decodes_back_to_the_address(site: SampleNewsroom):
    spec = BY_SLUG["californias-wildfire-evacuation-plans-leave-farmworkers-behind"]
    _, _, body = fetch(article_url(site.base_url, spec))
    (hexed,) = re.findall(rb'class="__cf_email__" data-cfemail="([0-9a-f]+)"', body)
    assert cf_decode(hexed.decode()) == "mediateam@aiusa.example"
    assert hexed[:2] != b"00"
    assert b"mediateam@aiusa.example" not in body


# --- HTTP behaviour ---------------------------------------------------------------------


def test_conditional_requests(site: SampleNewsroom):
    url = site.url("/press-releases/senate-must-pass-bill-to-limit-solitary-confinement/")
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert modified == "Tue, 30 Mar 2021 21:00:00 GMT"

    status, headers, body = fetch(url, headers={"If-None-Match": etag})
    assert (status, body, headers["ETag"]) == (304, b"", etag)
    assert fetch(url, headers={"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert fetch(url, headers={"If-None-Match": "*"})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": modified})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": "Wed, 31 Mar 2021 00:00:00 GMT"})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": "Tue, 30 Mar 2021 20:59:59 GMT"})[0] == 200
    assert fetch(url, headers={"If-Modified-Since": "not a date"})[0] == 200
    # A stale ETag wins over a fresh date: If-None-Match takes precedence.
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    assert fetch(url, headers=stale)[0] == 200

    status, headers, body = fetch(url, method="HEAD")
    assert (status, body, headers["ETag"]) == (200, b"", etag)
    assert int(headers["Content-Length"]) == len(fetch(url)[2])
    assert fetch(url, method="HEAD", headers={"If-None-Match": etag})[0] == 304


def test_routes(site: SampleNewsroom):
    status, headers, body = fetch(site.url("/robots.txt"))
    assert (status, body) == (200, b"User-agent: *\nDisallow:\n")
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"
    status, headers, _ = fetch(site.url("/news/page/1/"))
    assert (status, headers["Location"]) == (301, "/news/")
    status, headers, _ = fetch(site.url("/news"))
    assert (status, headers["Location"]) == (301, "/news/")
    assert fetch(site.url("/news/page/5/"))[0] == 404
    status, headers, body = fetch(site.url("/no/such/page/"))
    assert status == 404
    assert "ETag" not in headers
    assert b"<title>Page not found | Amnesty International USA</title>" in body
    plain = fetch(site.url("/news/"))[2]
    assert fetch(site.url("/news/?issue=refugee-migrant-rights"))[2] == plain
    spec = BY_SLUG["hong-kong-security-law-threatens-free-expression"]
    junk = "?id=ENGPRE011602010&lang=e&rss=recentnews"
    assert (
        fetch(article_url(site.base_url, spec) + junk)[2]
        == fetch(article_url(site.base_url, spec))[2]
    )


def test_request_log_records_paths_and_headers(site: SampleNewsroom):
    fetch(site.url("/news/?" + UTM_QUERY), headers={"User-Agent": "sample-test/1.0"})
    fetch(site.url("/news/"), headers={"If-None-Match": '"x"', "If-Modified-Since": "Mon"})
    fetch(site.url("/missing/"), method="HEAD")
    records = site.requests
    assert [(r.method, r.path, r.status) for r in records] == [
        ("GET", "/news/?" + UTM_QUERY, 200),
        ("GET", "/news/", 200),
        ("HEAD", "/missing/", 404),
    ]
    assert records[0].user_agent == "sample-test/1.0"
    assert records[0].if_none_match is None
    assert (records[1].if_none_match, records[1].if_modified_since) == ('"x"', "Mon")
    assert records[1].headers["host"] == urlsplit(site.base_url).netloc
    site.reset_requests()
    assert site.requests == []


def test_set_state_switches_what_is_served(site: SampleNewsroom):
    def first() -> str | None:
        return cards_of(fetch(site.url("/news/"))[2])[0].css("h3::text").get()

    assert first() == "States Meeting in Geneva Must Agree Limits on Autonomous Weapons"
    site.set_state("added")
    assert site.state == "added"
    assert first() == "Winter Shelters Must Admit Asylum-Seekers Without Checks"
    site.set_state("1")
    assert site.state == "base"
    assert first() == "States Meeting in Geneva Must Agree Limits on Autonomous Weapons"
    with pytest.raises(KeyError, match="unknown sample-site state 'nope'"):
        site.set_state("nope")


def test_break_page_makes_a_path_fail_until_restored(site: SampleNewsroom):
    path = expected_articles("base")[0].path
    port = site.base_url.rsplit(":", 1)[1]
    try:
        answers = {}
        for fault in ("redirect-loop", "offsite-redirect", "forbidden", "unavailable"):
            site.break_page(path, fault)  # type: ignore[arg-type]
            status, headers, _ = fetch(site.url(path))
            answers[fault] = (status, headers.get("Location"))
        # The loop's other half is the server's own slash redirect.
        assert fetch(site.url(path[:-1]))[0] == 301
        assert answers == {
            "redirect-loop": (301, path[:-1]),
            "offsite-redirect": (302, f"http://localhost:{port}{path}"),
            "forbidden": (403, None),
            "unavailable": (503, None),
        }
        with pytest.raises(ValueError, match="unknown fault 'gone' \\(known: redirect-loop, "):
            site.break_page(path, "gone")  # type: ignore[arg-type]
    finally:
        site.break_page(path, None)
    assert fetch(site.url(path))[0] == 200


def test_rendering_is_deterministic():
    one, two = (
        render_site("edited", "http://127.0.0.1:1"),
        render_site("edited", "http://127.0.0.1:1"),
    )
    assert {p: page.body for p, page in one.items()} == {p: page.body for p, page in two.items()}
    assert {p: page.etag for p, page in one.items()} == {p: page.etag for p, page in two.items()}
    assert render_site("1")["/news/"].body == render_site("base")["/news/"].body


# --- states -----------------------------------------------------------------------------


def visible_text(body: bytes) -> str:
    text = re.sub(r"<script\b.*?</script>", " ", body.decode(), flags=re.S)
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_edited_state(site: SampleNewsroom):
    base = {a.slug: a for a in expected_articles("base")}
    site.set_state("edited")
    urls = [u.removesuffix("?" + UTM_QUERY) for u in card_urls(site)]
    assert urls == [article_url(site.base_url, a) for a in expected_articles("edited")]
    pages = listing(site)
    assert [len(cards) for _, cards in pages] == [10, 10, 10, 2]
    assert squash(pages[1][1][0].css("h3::text").get() or "") == list(base.values())[9].title

    deleted = base["petition-delivered-to-department-of-homeland-security"]
    assert fetch(article_url(site.base_url, deleted))[0] == 404
    assert article_url(site.base_url, deleted) not in urls

    for spec in expected_articles("edited"):
        status, _, body = fetch(article_url(site.base_url, spec))
        assert status == 200
        check_article(site.base_url, spec, body)
    title = BY_SLUG["new-administration-must-close-immigration-detention-centers"]
    _, _, body = fetch(article_url(site.base_url, title))
    assert Selector(text=body.decode()).css("h1::text").get() == (
        "New Administration Must Close Immigration Detention Centers Within 100 Days"
    )
    _, headers, _ = fetch(article_url(site.base_url, title))
    assert headers["Last-Modified"] == "Mon, 10 Jan 2022 14:00:00 GMT"


def test_cosmetic_article_has_the_same_content(site: SampleNewsroom):
    spec = BY_SLUG["californias-wildfire-evacuation-plans-leave-farmworkers-behind"]
    url = article_url(site.base_url, spec)
    _, before_headers, before = fetch(url)
    site.set_state("edited")
    _, after_headers, after = fetch(url)
    assert before != after
    assert before_headers["ETag"] != after_headers["ETag"]
    assert before_headers["Last-Modified"] == after_headers["Last-Modified"]
    assert b"&#8217;" in after and "’".encode() not in after
    assert visible_text(after) == visible_text(before)

    def facts(body: bytes) -> tuple[object, ...]:
        sel = Selector(text=body.decode())
        ld = [json.loads(s) for s in sel.css("script[type='application/ld+json']::text").getall()]
        meta = {m.attrib["property"]: m.attrib["content"] for m in sel.css("meta[property]")}
        links = [h.split("?")[0] for h in sel.css("article a::attr(href)").getall()]
        return ld, meta, links

    assert facts(after) == facts(before)
    links = Selector(text=after.decode()).css("div.wp-block-post-content a::attr(href)").getall()
    assert links[0] == (
        "/reports/surveillance-exports-to-border-agencies-put-asylum-seekers-at-risk/?" + UTM_QUERY
    )
    hrefs = [c.css("a::attr(href)").get() for c in cards_of(fetch(site.url("/news/"))[2])]
    assert url + "?" + UTM_QUERY in hrefs


def test_added_state(site: SampleNewsroom):
    site.set_state("added")
    pages = listing(site)
    assert [len(cards) for _, cards in pages] == [10, 10, 10, 3]
    assert card_urls(site)[0] == article_url(site.base_url, NEW_ARTICLE)
    assert card_urls(site)[1:] == [article_url(site.base_url, a) for a in ARTICLES]


def test_teaser_and_body_edits(site: SampleNewsroom):
    base_pages = render_site("base", site.base_url)
    teaser = render_site("teaser-page1", site.base_url)
    body = render_site("edit-page3", site.base_url)
    changed = {p for p in base_pages if teaser[p].body != base_pages[p].body}
    assert changed == {
        "/news/",
        "/updates/letter-writing-marathon-reaches-record-number-of-schools/",
    }
    changed = {p for p in base_pages if body[p].body != base_pages[p].body}
    assert changed == {"/reports/hong-kong-security-law-threatens-free-expression/"}
    edited = [a for a in expected_articles("edit-page3") if a.slug.startswith("hong-kong")]
    assert (edited[0].page, edited[0].position) == (3, 3)

    site.set_state("teaser-page1")
    card = cards_of(fetch(site.url("/news/"))[2])[2]
    assert card.css("p.body-xs::text").get() == (
        "More than 2,300 schools have signed up for this year’s letter-writing marathon, "
        "the highest number since the campaign began."
    )


def test_drift_state_breaks_the_card_markup(site: SampleNewsroom):
    site.set_state("drift")
    pages = listing(site)
    assert [len(cards) for _, cards in pages] == [10, 10, 10, 2]
    first = pages[0][1][0]
    assert first.css("h3.utility-md") == []
    assert first.css("p.card-md--tag--hocus") == []
    assert first.css("h2.card-title::text").get() == ARTICLES[0].title
    _, headers, _ = fetch(site.url("/news/"))
    assert headers["Last-Modified"] == "Tue, 01 Feb 2022 14:00:00 GMT"


def test_removed_listed_state(site: SampleNewsroom):
    site.set_state("removed-listed")
    spec = BY_SLUG["students-in-nairobi-launch-climate-petition"]
    urls = card_urls(site)
    assert len(urls) == 31
    assert article_url(site.base_url, spec) not in urls
    status, _, body = fetch(article_url(site.base_url, spec))
    assert status == 200
    check_article(site.base_url, spec, body)


def test_every_state_is_served():
    assert set(STATES) == {
        "base",
        "edited",
        "added",
        "teaser-page1",
        "edit-page3",
        "drift",
        "removed-listed",
    }
    cards = {name: len(expected_articles(name)) for name in STATES}
    assert cards == {
        "base": 32,
        "edited": 32,
        "added": 33,
        "teaser-page1": 32,
        "edit-page3": 32,
        "drift": 32,
        "removed-listed": 31,
    }
    for name in STATES:
        pages = render_site(name)
        listed = expected_articles(name)
        listings = [p for p, page in pages.items() if LISTING.fullmatch(p) and page.status == 200]
        assert len(listings) == -(-len(listed) // CARDS_PER_PAGE) == 4
        assert all(pages[a.path].status == 200 for a in listed + unlisted_articles(name))


# --- command line -----------------------------------------------------------------------


def test_command_refuses_a_non_loopback_host():
    result = subprocess.run(
        [sys.executable, "-m", "newsroom_archive.sample_site", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --host 0.0.0.0 is not a loopback address (use 127.0.0.1, ::1 or localhost)\n"
    )
    with pytest.raises(ValueError, match="loopback"):
        SampleNewsroom(host="0.0.0.0")


def test_command_writes_a_static_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--state", "edited", "--port", "9999", "--write", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "http://127.0.0.1:9999\n"
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 32 + 4 + 2
    assert {"404.html", "robots.txt", "news/index.html", "news/page/4/index.html"} <= set(files)
    assert "updates/petition-delivered-to-department-of-homeland-security/index.html" not in files
    page = (tmp_path / "news/page/2/index.html").read_bytes()
    assert page == render_site("edited", "http://127.0.0.1:9999")["/news/page/2/"].body
