"""The German sample newsroom (`sample-presse`), served by the shared server over real HTTP
on 127.0.0.1: its states, the Drupal pager's routing, validators, and the saved fixture
pages staying what the newsroom renders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from parsel import Selector

from newsroom_archive.sample_site import SampleNewsroom, sample_site
from newsroom_archive.sample_site.__main__ import main
from newsroom_archive.sample_site.pages import http_date
from newsroom_archive.sample_site.presse_content import ARTICLES, NEW_ARTICLE, TIMELINE
from newsroom_archive.sample_site.presse_render import render_site
from newsroom_archive.sample_site.states import berlin_time
from tests.helpers.http import fetch

FIXTURES = Path(__file__).parent / "fixtures" / "sample-presse"
CARDS = "div.view-presse > div.view-content > div.views-row"


@pytest.fixture(scope="module")
def site() -> Iterator[SampleNewsroom]:
    with SampleNewsroom(site="sample-presse") as newsroom:
        yield newsroom


def titles(body: bytes) -> list[str]:
    return Selector(text=body.decode()).css(f"{CARDS} h3 a::text").getall()


def test_berlin_offsets_follow_summer_time() -> None:
    assert [
        berlin_time(stamp).isoformat()
        for stamp in (
            "2021-03-28 01:59",
            "2021-03-28 03:00",
            "2021-10-31 02:59",
            "2021-10-31 03:00",
        )
    ] == [
        "2021-03-28T01:59:00+01:00",
        "2021-03-28T03:00:00+02:00",
        "2021-10-31T02:59:00+02:00",
        "2021-10-31T03:00:00+01:00",
    ]


def test_states_list_the_answer_key() -> None:
    assert set(TIMELINE.states) == set(sample_site("amnestyusa").timeline.states)
    counts = {name: len(TIMELINE.expected(name)) for name in TIMELINE.states}
    assert counts == {
        "base": 20,
        "edited": 20,
        "added": 21,
        "teaser-page1": 20,
        "edit-page3": 20,
        "drift": 20,
        "removed-listed": 19,
    }
    assert [a.published for a in ARTICLES] == sorted((a.published for a in ARTICLES), reverse=True)
    assert {a.type_label for a in ARTICLES} == {"Pressemitteilung", "Stellungnahme", "Bericht"}
    pages = [(s.page, s.position) for s in TIMELINE.expected("base")]
    assert pages == [(p, n) for p, size in ((1, 8), (2, 8), (3, 4)) for n in range(1, size + 1)]
    (teaser,) = TIMELINE.edits["teaser-page1"]
    (body,) = TIMELINE.edits["edit-page3"]
    placed = {s.slug: s.page for s in TIMELINE.expected("base")}
    assert (placed[teaser.slug or ""], placed[body.slug or ""]) == (1, 3)


def test_the_pager_counts_from_zero_and_clamps_past_the_end(site: SampleNewsroom) -> None:
    first = fetch(site.url("/presse/"))[2]
    specs = TIMELINE.expected("base")
    assert titles(first) == [s.title for s in specs[:8]]
    assert fetch(site.url("/presse/?page=0"))[2] == first
    assert fetch(site.url("/presse/?page=abc"))[2] == first
    last = fetch(site.url("/presse/?page=2"))[2]
    assert titles(last) == [s.title for s in specs[16:]]
    # As Drupal's views pager does: any page past the last is the last.
    assert fetch(site.url("/presse/?page=3"))[2] == last
    assert fetch(site.url("/presse/?page=99"))[2] == last
    sel = Selector(text=fetch(site.url("/presse/?page=1"))[2].decode())
    assert sel.css("li.pager__item.is-active a::attr(href)").get() == "?page=1"
    assert sel.css("li.pager__item--next a::attr(href)").get() == "?page=2"
    # The sidebar's view has rows of its own, which are not cards.
    assert len(sel.css("div.views-row")) == 8 + 2
    status, headers, _ = fetch(site.url("/presse"))
    assert (status, headers["Location"]) == (301, "/presse/")
    status, _, body = fetch(site.url("/presse/2021/nichts"))
    assert status == 404
    assert "<title>Seite nicht gefunden | Beispiel-Menschenrechtsbüro</title>" in body.decode()


def test_article_pages_show_german_dates_and_answer_conditionally(site: SampleNewsroom) -> None:
    for spec in ARTICLES:
        status, headers, body = fetch(site.url(spec.path))
        assert status == 200
        sel = Selector(text=body.decode())
        assert sel.css(".node__meta").xpath("string()").get().split()[-3:] == (
            spec.german_date.split()
        )
        assert bool(sel.css(".node__meta time")) == (spec.date_shown == "time")
        assert headers["Last-Modified"] == http_date(spec.modified)
        assert fetch(site.url(spec.path), headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert ARTICLES[6].german_date == "02. November 2021"


def test_states_switch_what_is_served(site: SampleNewsroom) -> None:
    try:
        site.set_state("added")
        assert titles(fetch(site.url("/presse/"))[2])[0] == NEW_ARTICLE.title
        site.set_state("edited")
        (gone,) = [m for m in TIMELINE.edits["edited"] if m.action == "delete"]
        assert fetch(site.url(f"/presse/2021/{gone.slug}"))[0] == 404
        site.set_state("drift")
        sel = Selector(text=fetch(site.url("/presse/"))[2].decode())
        assert sel.css(f"{CARDS} h3") == [] and len(sel.css(f"{CARDS} h2")) == 8
    finally:
        site.set_state("base")


@pytest.mark.parametrize(
    ("fixture", "path"),
    [
        ("listing-page-1.html", "/presse/?page=1"),
        ("article-bericht-sammelunterkuenfte.html", f"/presse/2021/{ARTICLES[3].slug}"),
        ("article-polizeigewalt.html", f"/presse/2021/{ARTICLES[4].slug}"),
        ("article-stellungnahme-staatsangehoerigkeit.html", f"/presse/2021/{ARTICLES[7].slug}"),
    ],
)
def test_fixture_pages_are_what_the_newsroom_renders(fixture: str, path: str) -> None:
    # Saved with `--site sample-presse --port 8765 --write`; a change to the templates
    # shows here, and the fixtures' expected values are read again from the new page.
    assert (FIXTURES / fixture).read_bytes() == render_site("base", "http://127.0.0.1:8765")[
        path
    ].body


def test_command_writes_the_german_newsroom(tmp_path: Path) -> None:
    assert main(["--site", "sample-presse", "--port", "8765", "--write", str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 20 + 3 + 2
    assert {"presse/index.html", "presse/index.page=1.html", "presse/index.page=2.html"} <= set(
        written
    )
    assert (tmp_path / "presse/index.page=1.html").read_bytes() == (
        FIXTURES / "listing-page-1.html"
    ).read_bytes()
