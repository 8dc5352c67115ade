"""End to end: real `scrapy crawl sample-presse` runs over HTTP against the German sample
newsroom on 127.0.0.1 (a Drupal views listing with ?page=N from 0), read by its profile,
into temporary SQLite files, through the states the change-detection tests use.

One full crawl of `base` is made for the module; each test continues from a copy of that
archive against the same server (the archived URLs name its port). Expected values come
from the newsroom's answer key (`presse_content`), never from the code under test.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_archive.sample_site import SampleNewsroom, article_url
from newsroom_archive.sample_site.presse_content import NEW_ARTICLE, TIMELINE
from tests.helpers.crawling import CrawledArchive, crawl, run_site_crawl
from tests.helpers.expectations import EDITED_FIELDS, expected_changes, expected_row
from tests.helpers.exports import changes_of_run, export

pytestmark = pytest.mark.crawl

SITE = "sample-presse"
BASE = {spec.slug: spec for spec in TIMELINE.expected("base")}
LISTING_PAGES = ["/presse/", "/presse/?page=1", "/presse/?page=2"]
# The pager answers a page past the last with the last page: the crawl asks for one.
PAST_THE_END = "/presse/?page=3"


def last_run(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())


def requested(site: SampleNewsroom) -> list[str]:
    return sorted(r.path for r in site.requests if r.path != "/robots.txt")


def urls(base: str, *slugs: str) -> list[str]:
    return [article_url(base, BASE[slug]) for slug in slugs]


@pytest.fixture(scope="module")
def newsroom(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SampleNewsroom, CrawledArchive, list[str]]]:
    """The server, an archive of one full crawl of `base`, and what that crawl requested."""
    db = tmp_path_factory.mktemp("presse") / "base.sqlite"
    with SampleNewsroom("base", site=SITE) as site:
        base = site.start()
        crawl(site, db)
        yield site, CrawledArchive(db, base), requested(site)


@pytest.fixture
def continued(
    newsroom: tuple[SampleNewsroom, CrawledArchive, list[str]], tmp_path: Path
) -> tuple[SampleNewsroom, Path]:
    """The server back in `base` with an empty request log, and a copy of the archive."""
    site, archive, _ = newsroom
    site.set_state("base")
    site.reset_requests()
    return site, archive.copy_to(tmp_path / "archive.sqlite")


def test_every_article_every_field(
    newsroom: tuple[SampleNewsroom, CrawledArchive, list[str]],
) -> None:
    _, archive, _ = newsroom
    rows = {row["url"]: row for row in export(archive.path)}
    specs = TIMELINE.expected("base")
    assert len(rows) == len(specs) == 20
    assert set(rows) == {article_url(archive.base_url, spec) for spec in specs}
    for spec in specs:
        row = rows[article_url(archive.base_url, spec)]
        want = expected_row(archive.base_url, spec)
        assert {key: row[key] for key in want} == want, spec.slug
        assert re.fullmatch(r"[0-9a-f]{64}", row["content_hash"])
    # The variants the answer key holds, so that the comparison above covers them.
    kinds = {row["kind"] for row in rows.values()}
    assert kinds == {"press-release", "statement", "report"}
    statements = [r for r in rows.values() if r["kind"] == "statement"]
    assert len(statements) == 4
    assert all(r["published_at"] == "" for r in statements)  # a German day, no time
    photo = rows[urls(archive.base_url, "polizeigewalt-unabhaengige-beschwerdestellen")[0]]
    assert (photo["photographers"], photo["photo_agencies"]) == (
        "Jens Büttner",
        "picture alliance; dpa",
    )


def test_the_listing_ends_where_the_pager_repeats_itself(
    newsroom: tuple[SampleNewsroom, CrawledArchive, list[str]],
) -> None:
    _, archive, paths = newsroom
    base = archive.base_url
    specs = TIMELINE.expected("base")
    # Every listing page, the one past the end, and every article once.
    assert paths == sorted([*LISTING_PAGES, PAST_THE_END, *(s.path for s in specs)])
    run = last_run(archive.path)
    assert (run["spider"], run["mode"], run["status"], run["health_ok"]) == (
        SITE,
        "full",
        "finished",
        1,
    )
    assert (run["pages_fetched"], run["items_seen"], run["new"], run["quarantined"]) == (
        25,  # robots.txt, 4 listing pages, 20 articles
        20,
        20,
        0,
    )
    assert run["stop_reason"] == "listing ended on page 3 (page 4 repeats earlier cards)"
    stats = json.loads(run["stats"])
    assert stats["listing/pages"] == 4
    assert stats["listing/cards"] == 24
    with sqlite3.connect(archive.path) as conn:
        sightings = conn.execute(
            "select a.url, s.listing_url, s.page_number, s.position, s.title "
            "from sightings s join articles a on a.id = s.article_id"
        ).fetchall()
    # The repeated page leaves no sightings: each card where the listing shows it.
    listing = {n + 1: base + path for n, path in enumerate(LISTING_PAGES)}
    assert sorted(sightings) == sorted(
        (article_url(base, s), listing[s.page or 0], s.page, s.position, s.title) for s in specs
    )
    assert [s.page for s in specs].count(3) == 4


def test_incremental_runs_stop_early_and_an_edit_is_one_new_version(
    continued: tuple[SampleNewsroom, Path],
) -> None:
    site, db = continued
    base = site.base_url
    crawl(site, db, mode="incremental")
    assert requested(site) == ["/presse/"]
    assert last_run(db)["stop_reason"] == "page 1: every card already archived, unchanged"
    assert changes_of_run(db, 2) == set()

    # The body of an article on page 3 changes: an incremental run does not get there.
    site.set_state("edit-page3")
    site.reset_requests()
    crawl(site, db, mode="incremental")
    assert requested(site) == ["/presse/"]
    assert changes_of_run(db, 3) == set()

    # A full run does, asking with the archived validators: one 200, the rest 304.
    site.reset_requests()
    crawl(site, db)
    (edit,) = TIMELINE.edits["edit-page3"]
    edited = BASE[edit.slug]
    assert (edited.page, edited.position) == (3, 2)
    statuses = {r.path: r.status for r in site.requests if r.path.startswith("/presse/2021/")}
    assert statuses == {s.path: 200 if s is edited else 304 for s in BASE.values()}
    (url,) = urls(base, edit.slug)
    new_body = "\n\n".join(
        [
            "Für Menschen mit Behinderungen und ältere Menschen sind viele Notunterkünfte "
            "nicht geeignet.",
            "Land und Bund müssen die Kommunen finanziell unterstützen, damit bis zum Winter "
            "barrierefreie Wohnungen bereitstehen.",
        ]
    )
    assert changes_of_run(db, 4) == {
        ("changed", "body", url, edited.body_text, new_body),
        ("changed", "updated_at", url, "2021-07-08T14:00:00+02:00", "2022-01-13T16:00:00+01:00"),
    }
    assert changes_of_run(db, 4) == expected_changes(base, "base", "edit-page3", SITE)
    versions = [v for v in export(db, "versions") if v["url"] == url]
    assert [v["body"] for v in versions] == [edited.body_text, new_body]
    assert len(export(db, "versions")) == 21
    runs = [(r["mode"], r["new"], r["changed"], r["unchanged"]) for r in export(db, "runs")]
    assert runs == [
        ("full", "20", "0", "0"),
        ("incremental", "0", "0", "0"),
        ("incremental", "0", "0", "0"),
        ("full", "0", "1", "19"),
    ]


def test_an_incremental_run_sees_a_teaser_edited_on_page_1(
    continued: tuple[SampleNewsroom, Path],
) -> None:
    site, db = continued
    base = site.base_url
    site.set_state("teaser-page1")
    crawl(site, db, mode="incremental")
    (edit,) = TIMELINE.edits["teaser-page1"]
    edited = BASE[edit.slug]
    assert (edited.page, edited.position) == (1, 5)
    # Page 1 (a changed card: its article fetched) and page 2, where nothing changed.
    assert requested(site) == sorted(["/presse/", edited.path, "/presse/?page=1"])
    (url,) = urls(base, edit.slug)
    assert changes_of_run(db, 2) == {
        (
            "changed",
            "teaser",
            url,
            "Nur wenige Bundesländer haben bislang eine unabhängige Stelle, an die sich "
            "Betroffene von Polizeigewalt wenden können.",
            "Erst fünf Bundesländer haben eine unabhängige Stelle, an die sich Betroffene von "
            "Polizeigewalt wenden können.",
        ),
        ("changed", "updated_at", url, "2021-11-18T10:00:00+01:00", "2022-01-10T12:00:00+01:00"),
    }
    assert changes_of_run(db, 2) == expected_changes(base, "base", "teaser-page1", SITE)


def test_edits_a_new_article_and_a_deletion(continued: tuple[SampleNewsroom, Path]) -> None:
    site, db = continued
    base = site.base_url
    site.set_state("edited")
    crawl(site, db)
    want = expected_changes(base, "base", "edited", SITE)
    # The answer key's own account of the edit: guards the derivation above.
    assert {(c, f) for c, f, *_ in want} == EDITED_FIELDS
    got = changes_of_run(db, 2)
    assert got == want
    (rescue,) = urls(base, "seenotrettung-kriminalisierung-beenden")
    (memorial,) = urls(base, "gedenken-9-november-antisemitische-straftaten")
    (gone,) = urls(base, "afghanistan-aufnahmeprogramm-fuer-frauenrechtlerinnen")
    assert {
        ("changed", "photographers", rescue, "Thomas Becker", "Tobias Becker"),
        ("changed", "photo_credit", rescue, "© Thomas Becker/epd", "© Tobias Becker/epd"),
        (
            "changed",
            "title",
            memorial,
            "Gedenken am 9. November: Antisemitische Straftaten konsequent verfolgen",
            "Gedenken am 9. November: Antisemitische Straftaten konsequent verfolgen und "
            "Betroffene schützen",
        ),
        ("removed", "http_status", gone, "", "404"),
        ("new", "", article_url(base, NEW_ARTICLE), "", ""),
    } <= got
    # The article re-rendered in other markup (entities, attribute order) is unchanged.
    (restyled,) = urls(base, "klimaklagen-rechte-kuenftiger-generationen")
    assert not [row for row in got if row[2] == restyled]

    edited = {article_url(base, s): s for s in TIMELINE.expected("edited")}
    rows = {row["url"]: row for row in export(db)}
    assert set(rows) == set(edited) | {gone}
    changed_urls = {url for change, _, url, *_ in want if change == "changed"}
    assert len(changed_urls) == 4
    for url, spec in edited.items():
        row = rows[url]
        want_row = expected_row(base, spec) | {"version_count": "2" if url in changed_urls else "1"}
        assert {key: row[key] for key in want_row} == want_row, spec.slug
    assert (rows[gone]["status"], bool(rows[gone]["removed_at"])) == ("removed", True)
    run = last_run(db)
    assert (run["new"], run["changed"], run["unchanged"], run["removed"]) == (1, 4, 15, 1)


def test_an_unlisted_article_and_a_new_one_by_an_incremental_run(
    continued: tuple[SampleNewsroom, Path],
) -> None:
    site, db = continued
    base = site.base_url
    site.set_state("removed-listed")
    crawl(site, db)
    (hidden,) = TIMELINE.unlisted("removed-listed")
    assert changes_of_run(db, 2) == {
        ("unlisted", "http_status", article_url(base, hidden), "", "200")
    }
    assert {row["url"]: row["status"] for row in export(db)}[article_url(base, hidden)] == "active"

    site.set_state("added")
    site.reset_requests()
    crawl(site, db, mode="incremental")
    # Page 1 (the new card on top) and page 2, whose cards all moved but none changed.
    assert requested(site) == sorted(["/presse/", NEW_ARTICLE.path, "/presse/?page=1"])
    assert last_run(db)["stop_reason"] == "page 2: every card already archived, unchanged"
    added = article_url(base, NEW_ARTICLE)
    assert changes_of_run(db, 3) == {("new", "", added, "", "")}
    (spec,) = [s for s in TIMELINE.expected("added") if s.slug == NEW_ARTICLE.slug]
    assert (spec.page, spec.position) == (1, 1)
    row = {r["url"]: r for r in export(db)}[added]
    want = expected_row(base, spec)
    assert {key: row[key] for key in want} == want
    assert (row["title"], row["photographers"], row["photo_agencies"]) == (
        "Kältehilfe: Notunterkünfte müssen allen offenstehen",
        "Paul Neumann",
        "dpa",
    )


def test_layout_drift_is_guarded_not_an_edit(continued: tuple[SampleNewsroom, Path]) -> None:
    site, db = continued
    site.set_state("drift")
    result = run_site_crawl(site, db)
    assert result.returncode == 1, result.stderr[-2000:]
    run = last_run(db)
    assert (run["health_ok"], run["changed"], run["removed"], run["new"]) == (0, 0, 0, 0)
    assert changes_of_run(db, 2) == set()
    stats = json.loads(run["stats"])
    # Every card lacks its title and date; the page past the end still ends the listing.
    assert stats["listing/cards_incomplete"] == 20
    assert run["stop_reason"] == "listing ended on page 3 (page 4 repeats earlier cards)"
    assert requested(site) == sorted([*LISTING_PAGES, PAST_THE_END])
    rows = export(db)
    assert [r["status"] for r in rows] == ["active"] * 20
    assert {r["url"]: r["title"] for r in rows} == {
        article_url(site.base_url, s): s.title for s in BASE.values()
    }
