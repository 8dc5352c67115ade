"""The profile engine's own behaviour, beside the per-newsroom fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parsel import Selector

from newsroom_archive.profiles.fixtures import run_fixture
from newsroom_archive.profiles.reader import paragraphs_at_blank_lines
from newsroom_archive.sites import get_site
from newsroom_archive.sites.common import block_text

_ARTICLE = """<html><head><meta property="og:title" content="Detention visits"></head>
<body><div class="content-wrapper"><article><div class="wp-block-post-content">
<p>First paragraph.</p></div></article></div></body></html>"""
_URL = "https://www.amnestyusa.org/press-releases/detention-visits/"


def _fixture(tmp_path: Path, record: dict[str, object]) -> Path:
    (tmp_path / "page.html").write_text(_ARTICLE, encoding="utf-8")
    path = tmp_path / "page.fixture.json"
    path.write_text(json.dumps({"page": "page.html", "url": _URL, "records": [record]}))
    return path


_RECORD = {
    "url": _URL,
    "title": "Detention visits",
    "kind": "press-release",
    "body": "First paragraph.",
    "extractor": "profile:amnestyusa/block-theme",
}


def test_a_list_field_left_out_is_expected_empty(tmp_path: Path) -> None:
    # photographers, photo_agencies, tags and attachments are lists: left out of a
    # fixture they mean [], as a left-out text field means None.
    result = run_fixture(get_site("amnestyusa"), _fixture(tmp_path, _RECORD))
    assert result.differences == []
    assert (result.fields_right, result.fields_expected) == (5, 5)


def test_a_list_field_the_page_lacks_is_reported(tmp_path: Path) -> None:
    fixture = _fixture(tmp_path, {**_RECORD, "tags": ["Refugees"]})
    result = run_fixture(get_site("amnestyusa"), fixture)
    assert [(d.field, d.expected, d.got) for d in result.differences] == [
        ("tags", ["Refugees"], [])
    ]
    assert (result.fields_right, result.fields_expected) == (5, 6)


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
        # List items are not split.
        ("<ul><li>x<br><br>y</li></ul>", "x y"),
    ],
)
def test_a_blank_line_of_line_breaks_separates_paragraphs(body: str, expected: str) -> None:
    page = get_site("amnestyusa").parse_article(_BODY_PAGE.format(body), _URL)
    assert page.body == expected


def test_a_chosen_paragraph_is_split_too() -> None:
    node = Selector(text="<p>A<br><br>B</p><p>C</p>").css("p")[0]
    assert block_text(paragraphs_at_blank_lines(node)) == "A\n\nB"
    # The page's own tree is left whole for the other fields.
    assert node.css("br")


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
