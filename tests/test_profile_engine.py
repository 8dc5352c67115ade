"""The profile machinery on small profiles written here: the schema's errors, field
sources, layouts by date, feeds and sitemaps, URL rules, politeness and the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from parsel import Selector

from newsroom_archive.cli import main
from newsroom_archive.items import ListingCard
from newsroom_archive.planner import CrawlPlanner, CrawlPolicy
from newsroom_archive.profiles import PROFILES_ENV, ProfileError, load_profile
from newsroom_archive.profiles.fields import paragraphs
from newsroom_archive.profiles.hooks import zero_based_page
from newsroom_archive.profiles.reader import newsroom
from newsroom_archive.sites import get_site

BASE = """
name = "{name}"
organisation = "Example Org"
start_urls = ["https://news.example.org/press/"]
"""

LISTING = """
[[layouts]]
name = "views"

[layouts.listing]
format = "html"
cards = "css:div.views-row"
page_template = "https://news.example.org/press/?page={page}"
first_page = 0

[layouts.listing.fields]
url = "css:h3 a::attr(href)"
title = "css:h3"
tag_line = "css:p.meta"
date_text = { from = "tag_line", split = "|", part = -1 }
type_label = { from = "tag_line", pattern = "^(\\\\w+) by" }
teaser = { source = "css:p.teaser", exclude = ".more" }
"""


def _write(tmp_path: Path, text: str, name: str = "example") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(BASE.format(name=name) + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "example.toml: (top level): 'layouts' is a required property"),
        (
            '[[layouts]]\nname = "a"\n[layouts.listing]\nformat = "html"\n',
            "example.toml: layouts[0].listing: 'cards' is a required property",
        ),
        (
            '[[layouts]]\nname = "a"\n[layouts.article]\ntitle = "h1"\n',
            "example.toml: layouts[0].article.title: 'h1' is not a source: write css:…, xpath:…,",
        ),
        (
            'language = "English"\n[[layouts]]\nname = "a"\n[layouts.article]\n',
            "example.toml: language: 'English' does not match",
        ),
        (
            'timezone = "Mars/Olympus"\n[[layouts]]\nname = "a"\n[layouts.article]\n',
            "example.toml: timezone: 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            '[kinds]\n"Presse" = "presse"\n[[layouts]]\nname = "a"\n[layouts.article]\n',
            "example.toml: kinds.Presse: 'presse' is not a kind of the codebook",
        ),
        (
            '[[layouts]]\nname = "a"\nvalid_from = "2021-02-30"\n[layouts.article]\n',
            "example.toml: layouts[0].valid_from: '2021-02-30' is not a date",
        ),
        (
            '[[layouts]]\nname = "a"\n[layouts.article]\ntitle = { source = "css:h1",'
            ' hook = "nope" }\n',
            "example.toml: layouts.a.article.title: unknown hook 'nope' (known: none: set `hooks`)",
        ),
        ('[[layouts]]\nname = "a"\n', "example.toml: layouts[0]: a layout reads listing pages"),
        (
            '[[layouts]]\nname = "a"\n[layouts.article]\nbody = "css:main"\nfigure = 3\n',
            "example.toml: layouts[0].article.figure: 3 is not of type 'string'",
        ),
        ("[[layouts]\n", "example.toml: not TOML: "),
        (
            'hooks = "nosuch"\n[[layouts]]\nname = "a"\n[layouts.article]\n',
            "example.toml: hooks: no hooks module 'nosuch'",
        ),
    ],
)
def test_a_bad_profile_names_the_file_the_key_and_the_reason(
    tmp_path: Path, text: str, error: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(_write(tmp_path, text))
    message = str(caught.value)
    assert message.startswith(error), message
    assert "\n" not in message


def test_the_name_is_the_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, LISTING)
    path.rename(tmp_path / "other.toml")
    with pytest.raises(ProfileError, match=r"^other.toml: name: 'example' must be the file's"):
        load_profile(tmp_path / "other.toml")


LISTING_PAGE = """
<div class="views-row"><h3><a href="/press/one">One</a></h3>
  <p class="meta">Statement by the director | 16.02.2022</p>
  <p class="teaser">First teaser <a class="more">Read more</a> ends.</p></div>
<div class="views-row"><h3><a href="https://news.example.org/press/two?utm_source=x">Two</a></h3>
  <p class="meta">Report by staff | 02. November 2021</p></div>
<div class="views-row"><p>no link</p></div>
"""


def test_cards_fields_from_other_fields_and_page_numbers(tmp_path: Path) -> None:
    site = newsroom(load_profile(_write(tmp_path, LISTING)))
    page = site.parse_listing(LISTING_PAGE, "http://127.0.0.1:8000/press/?page=2")
    assert [(c.url, c.title, c.date_text, c.type_label, c.teaser) for c in page.cards] == [
        (
            "http://127.0.0.1:8000/press/one",
            "One",
            "16.02.2022",
            "Statement",
            "First teaser ends.",
        ),
        (
            "https://news.example.org/press/two?utm_source=x",
            "Two",
            "02. November 2021",
            "Report",
            None,
        ),
    ]
    assert page.cards[0].tag_line == "Statement by the director | 16.02.2022"
    # ?page=2 is the third page when the first is ?page=0; the next stays on the host read.
    assert page.page_number == 3
    assert page.next_url == "http://127.0.0.1:8000/press/?page=3"
    assert page.extractor == "profile:example/views"
    assert site.parse_listing("<p>nothing</p>", "https://news.example.org/press/").next_url is None
    items = site.read_page(LISTING_PAGE, "https://news.example.org/press/")
    assert [i.url for i in items] == [
        "https://news.example.org/press/one",
        "https://news.example.org/press/two",
    ]
    assert {i.extractor for i in items} == {"profile:example/views"}


NEXT_BY_HOOK = """
hooks = "pager_hooks"
[[layouts]]
name = "pager"
[layouts.listing]
format = "html"
cards = "css:div.views-row"
next = { source = "css:a.next::attr(data-page)", hook = "page_link" }
page_number = { source = 'url:[?&]page=(\\d+)', hook = "one_based" }
[layouts.listing.fields]
url = "css:h3 a::attr(href)"
"""


def test_next_and_page_number_use_the_profiles_hooks(tmp_path: Path) -> None:
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "pager_hooks.py").write_text(
        "HOOKS = {\n"
        '    "page_link": lambda v: f"/press/?page={v}" if v else v,\n'
        '    "one_based": lambda v: str(int(v) + 1) if v else v,\n'
        "}\n",
        encoding="utf-8",
    )
    site = newsroom(load_profile(_write(tmp_path, NEXT_BY_HOOK)))
    html = LISTING_PAGE + '<a class="next" data-page="3">next</a>'
    page = site.parse_listing(html, "https://news.example.org/press/?page=2")
    assert (page.page_number, page.next_url) == (3, "https://news.example.org/press/?page=3")
    assert site.parse_listing(LISTING_PAGE, "https://news.example.org/press/").page_number == 1
    assert site.is_listing('<a class="next" data-page="1">next</a>')
    # A hook the pager names must exist, like a field's.
    (tmp_path / "hooks" / "pager_hooks.py").write_text("HOOKS = {}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"layouts.pager.listing.next: unknown hook"):
        load_profile(_write(tmp_path, NEXT_BY_HOOK))


@pytest.mark.parametrize(
    ("found", "number"), [("1", "2"), ("0", "1"), ("12", "13"), (None, None), ("x", "x")]
)
def test_a_pager_counting_from_zero_gives_page_numbers_from_one(
    found: str | None, number: str | None
) -> None:
    assert zero_based_page(found) == number


LAYOUTS = """
[[layouts]]
name = "new"
valid_from = "2022-01-01"
[layouts.article]
detect = "css:main.new"
title = "css:h1.new"

[[layouts]]
name = "old"
valid_until = "2022-01-01"
[layouts.article]
detect = "css:div.old"
title = "css:h2.old"
"""

BOTH = (
    '<main class="new"><h1 class="new">New</h1></main>'
    '<div class="old"><h2 class="old">Old</h2></div>'
)


def test_a_page_is_read_with_the_layout_of_its_day(tmp_path: Path) -> None:
    site = newsroom(load_profile(_write(tmp_path, LAYOUTS)))
    url = "https://news.example.org/press/a"
    # A page both layouts recognise: the layout of its day wins; today's by default.
    assert site.parse_article(BOTH, url).extractor == "profile:example/new"
    old = site.on(dt.date(2020, 5, 1)).parse_article(BOTH, url)
    assert (old.title, old.extractor) == ("Old", "profile:example/old")
    # A page only the other layout recognises is still read with that one.
    only_old = '<div class="old"><h2 class="old">Old only</h2></div>'
    assert site.parse_article(only_old, url).title == "Old only"
    assert site.on(dt.date(2023, 1, 1)).parse_article(only_old, url).title == "Old only"


ARTICLE = """
hooks = "example_hooks"
[[layouts]]
name = "a"
[layouts.article]
scope = "css:article"
published = ["jsonld:datePublished", "css:span.date"]
type_label = { source = "css:span.kind", hook = "upper" }
body = "css:div.body"
body_exclude = [".share"]
figure = "css:figure"
image = "css:img"
caption = { source = "css:figcaption", exclude = ".credit" }
photo_credit = "css:figcaption .credit"
tags = { source = "css:ul.tags a", all = true }
attachments = { source = "css:a[href$='.pdf']::attr(href)", all = true }
"""

ARTICLE_PAGE = """<html><head><title>T</title>
<meta property="og:title" content="The title">
<link rel="canonical" href="/press/a"></head><body>
<figure><img src="/x.jpg" alt="Alt"></figure>
<article><h1>Heading</h1><span class="date">02. November 2021</span><span class="kind">news</span>
<div class="body"><p>First <b>paragraph</b>.</p><div class="share">Share this</div><p>Second.</p>
<p><a href="/files/r.pdf">Report</a></p></div>
<figure><img data-src="/lead.jpg" src="data:image/gif;base64,R0l" alt="Lead">
<figcaption>Protesters in Berlin. <span class="credit">© Oli Scarff/Getty Images</span></figcaption>
</figure><ul class="tags"><a>Arms</a><a>Drones</a></ul></article></body></html>"""


def test_article_fields_scope_figure_body_tags_and_hooks(tmp_path: Path) -> None:
    # An operator's hooks live beside their profile.
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "example_hooks.py").write_text(
        'HOOKS = {"upper": lambda v: v.upper() if v else v}\n', encoding="utf-8"
    )
    site = newsroom(load_profile(_write(tmp_path, ARTICLE)))
    page = site.parse_article(ARTICLE_PAGE, "https://news.example.org/press/a?x=1")
    assert page.title == "The title"
    assert page.canonical_url == "https://news.example.org/press/a"
    assert (page.date_published, page.date_source) == ("02. November 2021", "time-element")
    assert page.type_label == "NEWS"
    assert page.body == "First paragraph.\n\nSecond.\n\nReport"
    # The figure inside the article, not the one before it.
    assert (page.image_url, page.image_alt) == ("https://news.example.org/lead.jpg", "Lead")
    assert page.caption == "Protesters in Berlin."
    assert page.photo_credit == "© Oli Scarff/Getty Images"
    assert page.tags == ["Arms", "Drones"]
    assert page.attachments == ["https://news.example.org/files/r.pdf"]
    assert page.extractor == "profile:example/a"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Paragraphs written as lines with an empty line between (Drupal, Kentico).
        (
            "<p>One <b>said</b>.<br/>\n <br/>Two.<br>\xa0<br>Three,<br>still three.</p>",
            ["One said.", "Two.", "Three, still three."],
        ),
        # Text loose after a list (a <ul> closes the <p> around it) is not lost.
        (
            "<p>Charged:<ul><li>A: <ul><li>one count</li></ul></li><li>B</li></ul>"
            "Sentencing is in March.<br><br>MEDIA CONTACT:<br>Steve</p>",
            ["Charged:", "A:", "one count", "B", "Sentencing is in March.", "MEDIA CONTACT: Steve"],
        ),
        # A quotation holding paragraphs is read once; scripts are not text.
        (
            "<blockquote><p>Quoted.</p></blockquote><script>x()</script><h3>Head</h3>end",
            ["Quoted.", "Head", "end"],
        ),
        ("<table><tr><td>Ohio</td><td>$1</td></tr></table>", ["Ohio $1"]),
        ("plain <i>text</i>", ["plain text"]),
        ("", []),
    ],
)
def test_a_body_is_read_as_the_paragraphs_a_reader_sees(html: str, expected: list[str]) -> None:
    node = Selector(text=f"<html><body><div id='b'>{html}</div></body></html>").css("#b")[0]
    assert paragraphs(node) == expected


FEED = """
[[layouts]]
name = "rss"
[layouts.listing]
format = "feed"
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Press</title>
<item><title>First release</title><link>https://news.example.org/press/1</link>
<pubDate>Fri, 12 Apr 2013 10:00:00 -0400</pubDate>
<description>&lt;p&gt;Teaser one&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://news.example.org/press/2</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Press</title>
<entry><title>Atom one</title><link rel="alternate" href="https://news.example.org/a/1"/>
<updated>2024-05-01T09:00:00Z</updated><summary>Sum</summary></entry></feed>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.org/s/1</loc><news:news><news:title>S one</news:title>
<news:publication_date>2024-05-02</news:publication_date></news:news></url>
<url><loc>https://news.example.org/s/2</loc><lastmod>2024-05-03</lastmod></url></urlset>"""


def test_every_part_of_a_list_written_in_one_string(tmp_path: Path) -> None:
    text = (
        '[[layouts]]\nname = "a"\n[layouts.article]\n'
        'tags = { source = "meta:keywords", split = ",", all = true }\n'
    )
    site = newsroom(load_profile(_write(tmp_path, text)))
    page = site.parse_article(
        '<meta name="keywords" content="Moon, Artemis , ,Orion">', "https://news.example.org/a"
    )
    assert page.tags == ["Moon", "Artemis", "Orion"]


def test_feeds_and_sitemaps_are_listings(tmp_path: Path) -> None:
    feed = newsroom(load_profile(_write(tmp_path, FEED)))
    assert feed.is_listing(RSS) and feed.is_listing(ATOM)
    assert not feed.is_listing("<html><body><p>x</p></body></html>")
    cards = feed.parse_listing(RSS, "https://news.example.org/rss").cards
    assert [(c.url, c.title, c.date_text, c.teaser) for c in cards] == [
        (
            "https://news.example.org/press/1",
            "First release",
            "Fri, 12 Apr 2013 10:00:00 -0400",
            "<p>Teaser one</p>",
        ),
        ("https://news.example.org/press/2", "Second", None, None),
    ]
    (atom,) = feed.parse_listing(ATOM, "https://news.example.org/atom").cards
    assert (atom.url, atom.title, atom.date_text, atom.teaser) == (
        "https://news.example.org/a/1",
        "Atom one",
        "2024-05-01T09:00:00Z",
        "Sum",
    )
    sitemap = newsroom(load_profile(_write(tmp_path, FEED.replace('"feed"', '"sitemap"'))))
    cards = sitemap.parse_listing(SITEMAP, "https://news.example.org/sitemap.xml").cards
    assert [(c.url, c.title, c.date_text) for c in cards] == [
        ("https://news.example.org/s/1", "S one", "2024-05-02"),
        ("https://news.example.org/s/2", None, None),
    ]


RULES = """
[canonical]
keep_query = ["PRID"]
https = true
trailing_slash = "add"

[politeness]
download_delay = 3.5
concurrency = 1
obey_robots = true

[[layouts]]
name = "a"
[layouts.article]
"""


def test_url_rules_and_politeness(tmp_path: Path) -> None:
    site = newsroom(load_profile(_write(tmp_path, RULES)))
    assert site.canonicalise("http://news.example.org/Release?PRID=7&reg=3&lang=1") == (
        "https://news.example.org/Release/?PRID=7"
    )
    # A parameter the shared rules drop as tracking junk names the article here.
    joomla = newsroom(load_profile(_write(tmp_path, RULES.replace('["PRID"]', '["id", "Itemid"]'))))
    assert joomla.canonicalise("https://news.example.org/index.php?option=x&id=670&Itemid=81") == (
        "https://news.example.org/index.php/?Itemid=81&id=670"
    )
    # A default port names the same page; another port does not.
    assert site.canonicalise("https://news.example.org:443/a/") == "https://news.example.org/a/"
    assert site.canonicalise("http://news.example.org:80/a/") == "https://news.example.org/a/"
    assert site.canonicalise("https://news.example.org:8443/a/") == (
        "https://news.example.org:8443/a/"
    )
    assert site.settings == {
        "DOWNLOAD_DELAY": 3.5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "ROBOTSTXT_OBEY": True,
    }
    assert site.hosts == ("news.example.org",)


def test_a_crawl_of_several_listings_is_complete_only_when_all_ended() -> None:
    policy = CrawlPolicy.from_arguments("https://news.example.org/press/")
    planner = CrawlPlanner(policy, {}, listings=2)
    card = ListingCard(url="https://news.example.org/press/1", position=1, title="T")
    planner.card(card)
    assert planner.page(1, ["fetched"], None).stop_reason == "listing ended on page 1"
    assert not planner.listing_complete
    planner.page(1, ["fetched"], None)
    assert planner.listing_complete


def test_the_commands_list_and_check_profiles(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["profiles"])
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if x.startswith("amnestyusa\t"))
    assert line.split("\t") == [
        "amnestyusa",
        "Amnesty International USA",
        "layouts: block-theme, news-card-2019",
        "hosts: www.amnestyusa.org",
        "fixtures: 5",
    ]
    checked = runner.invoke(main, ["profile", "check", "amnestyusa"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1] == (
        "amnestyusa: profile valid; 5 fixtures ran, 0 differ"
    )
    missing = runner.invoke(main, ["profile", "check", "nosuch"])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: unknown newsroom 'nosuch' (known: ")


def test_an_operator_profile_that_does_not_load_is_named_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_archive import sites

    _write(tmp_path, "", name="broken-one")
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    sites._profiles.cache_clear()
    sites.sites.cache_clear()
    try:
        runner = CliRunner()
        listed = runner.invoke(main, ["profiles"])
        assert listed.exit_code == 1
        assert listed.output.splitlines()[-1] == (
            "broken-one\tBROKEN: broken-one.toml: (top level): 'layouts' is a required property"
        )
        checked = runner.invoke(main, ["profile", "check", "broken-one"])
        assert checked.exit_code == 1
        assert checked.output == (
            "Error: broken-one.toml: (top level): 'layouts' is a required property\n"
        )
    finally:
        monkeypatch.delenv(PROFILES_ENV)
        sites._profiles.cache_clear()
        sites.sites.cache_clear()


def test_a_fixture_that_leaves_out_the_list_fields_expects_them_empty(tmp_path: Path) -> None:
    import json

    from newsroom_archive.profiles.fixtures import run_fixture

    site = newsroom(load_profile(_write(tmp_path, LISTING)))
    (tmp_path / "listing.html").write_text(LISTING_PAGE, encoding="utf-8")
    common = {"date_source": "listing", "extractor": "profile:example/views"}
    records = [
        {
            "url": "https://news.example.org/press/one",
            "title": "One",
            "kind": "statement",
            "type_label": "Statement",
            "published_date": "2022-02-16",
            "teaser": "First teaser ends.",
            **common,
        },
        {
            "url": "https://news.example.org/press/two",
            "title": "Two",
            "kind": "report",
            "type_label": "Report",
            "published_date": "2021-11-02",
            **common,
        },
    ]
    fixture = tmp_path / "listing.fixture.json"
    spec = {"page": "listing.html", "url": "https://news.example.org/press/", "records": records}
    fixture.write_text(json.dumps(spec), encoding="utf-8")
    # tags, attachments, photographers and photo_agencies are left out: empty lists.
    result = run_fixture(site, fixture)
    assert result.differences == []
    assert (result.fields_right, result.fields_expected) == (15, 15)
    # A list the page does not give is still a difference.
    records[1]["tags"] = ["Reports"]
    fixture.write_text(json.dumps(spec), encoding="utf-8")
    result = run_fixture(site, fixture)
    assert [(d.where, d.field, d.expected, d.got) for d in result.differences] == [
        ("record 2", "tags", ["Reports"], [])
    ]


_URL = "https://www.amnestyusa.org/press-releases/detention-visits/"

_BODY_PAGE = """<html><head><meta property="og:title" content="T"></head><body>
<div class="content-wrapper"><article><div class="wp-block-post-content">{}</div></article>
</div></body></html>"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A blank line of line breaks inside one <p> separates paragraphs …
        ("<p>One.<br><br>Two.</p>", "One.\n\nTwo."),
        ("<p>One.<br />\n<br />\nTwo.<br><br><br>Three.</p>", "One.\n\nTwo.\n\nThree."),
        # … also deep in the paragraph's inline markup, which each part keeps.
        (
            "<p><span><span>A <b>bold</b><br />\n<br />B</span> end</span></p>",
            "A bold\n\nB end",
        ),
        ("<p><strong>Head</strong><br><br><em>Text</em> after</p>", "Head\n\nText after"),
        # A single line break stays inside its paragraph.
        ("<p>Jane Doe<br>Press Office<br>+1 555</p>", "Jane Doe Press Office +1 555"),
        # Breaks with text between them are two line breaks, not a blank line.
        ("<p>a<br>b<br>c</p>", "a b c"),
        # A paragraph of line breaks only is no paragraph.
        ("<p><br /><br /></p><p>Next</p>", "Next"),
        # A blank line inside a list item reads as two paragraphs there too.
        ("<ul><li>x<br><br>y</li></ul>", "x\n\ny"),
    ],
)
def test_a_blank_line_of_line_breaks_separates_paragraphs(body: str, expected: str) -> None:
    page = get_site("amnestyusa").parse_article(_BODY_PAGE.format(body), _URL)
    assert page.body == expected


_BASE_LISTING = """<html><head>{base}</head><body>
<div class="card-md h-full relative"><a class="hocus-headline" href="press-releases/a/">
<h3 class="utility-md">A</h3></a></div>
<div class="next"><a class="next" href="news/page/2/">Next</a></div></body></html>"""
_BASE_ARTICLE = """<html><head>{base}<link rel="canonical" href="press-releases/a/">
<meta property="og:title" content="A"></head><body><div class="content-wrapper"><article>
<figure class="relative"><img src="img/a.jpg" alt="a"></figure>
<div class="wp-block-post-content"><p>Text.</p></div></article></div></body></html>"""


@pytest.mark.parametrize(
    ("base", "root"),
    [
        # Relative links resolve against the page's <base href> …
        ('<base href="/">', "https://www.amnestyusa.org/"),
        ('<base href="https://cdn.example.org/site/">', "https://cdn.example.org/site/"),
        # … itself relative to the page, and against the page without one.
        ('<base href="../">', "https://www.amnestyusa.org/"),
        ("", "https://www.amnestyusa.org/news/"),
    ],
)
def test_relative_links_resolve_against_the_base_of_the_page(base: str, root: str) -> None:
    site = get_site("amnestyusa")
    listing = site.parse_listing(
        _BASE_LISTING.format(base=base), "https://www.amnestyusa.org/news/"
    )
    assert [card.url for card in listing.cards] == [f"{root}press-releases/a/"]
    assert listing.next_url == f"{root}news/page/2/"
    page = site.parse_article(_BASE_ARTICLE.format(base=base), "https://www.amnestyusa.org/news/a")
    assert (page.canonical_url, page.image_url) == (f"{root}press-releases/a/", f"{root}img/a.jpg")
