"""Change detection end to end: real crawls of the sample newsroom's successive states.

The expected change rows are derived from the sample newsroom's answer key: for every
article, the content a correct crawl archives in one state is compared with the next
(`expected_changes` in tests/helpers/expectations.py).
Runs on SQLite and, where configured, PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom_archive.cli import main
from newsroom_archive.sample_site import (
    EDITS,
    NEW_ARTICLE,
    SampleNewsroom,
    article_url,
    expected_articles,
    unlisted_articles,
)
from tests.helpers.crawling import CrawledArchive, crawl
from tests.helpers.expectations import EDITED_FIELDS, expected_changes
from tests.helpers.exports import changes_of_run, export

pytestmark = pytest.mark.crawl


def test_edits_removals_and_an_unchanged_recrawl(archive_url: str) -> None:
    with SampleNewsroom("base") as site:
        base = site.start()
        crawl(site, archive_url)
        site.set_state("edited")
        crawl(site, archive_url)
        site.set_state("edited")
        crawl(site, archive_url)

    want = expected_changes(base, "base", "edited")
    # The answer key's own account of the edit: guards the derivation above.
    assert {(c, f) for c, f, *_ in want} == EDITED_FIELDS
    assert ("new", "", article_url(base, NEW_ARTICLE), "", "") in want
    assert changes_of_run(archive_url, 2) == want
    assert changes_of_run(archive_url, 3) == set()

    runs = {r["run_id"]: r for r in export(archive_url, "runs")}
    assert [
        (r["status"], r["new"], r["changed"], r["unchanged"], r["removed"]) for r in runs.values()
    ] == [
        ("finished", "32", "0", "0", "0"),
        ("finished", "1", "4", "27", "1"),
        ("finished", "0", "0", "32", "0"),
    ]
    articles = {r["url"]: r for r in export(archive_url)}
    edited_urls = {url for _, _, url, _, _ in want if _ != ""} - {article_url(base, NEW_ARTICLE)}
    for url, row in articles.items():
        removed = ("removed", "http_status", url, "", "404") in want
        assert row["status"] == ("removed" if removed else "active"), url
        assert bool(row["removed_at"]) == removed
        assert row["version_count"] == ("2" if url in edited_urls and not removed else "1"), url

    versions = export(archive_url, "versions")
    assert len(versions) == 32 + 1 + 4


def test_removed_article_reappears_and_unlisted_article_is_recorded(archive_url: str) -> None:
    with SampleNewsroom("base") as site:
        base = site.start()
        crawl(site, archive_url)
        site.set_state("edited")
        crawl(site, archive_url)
        site.set_state("base")
        crawl(site, archive_url)
        site.set_state("removed-listed")
        crawl(site, archive_url)

    deleted = {url for c, _, url, *_ in expected_changes(base, "base", "edited") if c == "removed"}
    (gone,) = deleted
    back = changes_of_run(archive_url, 3)
    # The deleted article is back (not new), the reverted edits are edits again, and
    # the article only `edited` had is gone.
    assert back == (expected_changes(base, "edited", "base") - {("new", "", gone, "", "")}) | {
        ("reappeared", "", gone, "", "")
    }

    (hidden,) = unlisted_articles("removed-listed")
    assert changes_of_run(archive_url, 4) == {
        ("unlisted", "http_status", article_url(base, hidden), "", "200")
    }
    row = {r["url"]: r for r in export(archive_url)}[article_url(base, hidden)]
    assert row["status"] == "active"


def test_cards_moving_down_the_listing_are_sightings_not_edits(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with SampleNewsroom("base") as site:
        base = site.start()
        crawl(site, db)
        site.set_state("added")
        crawl(site, db)
    assert changes_of_run(db, 2) == {("new", "", article_url(base, NEW_ARTICLE), "", "")}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select a.url, s.run_id, s.page_number, s.position from sightings s "
            "join articles a on a.id = s.article_id"
        ).fetchall()
    seen = {(url, run): (page, pos) for url, run, page, pos in rows}
    for run, state in ((1, "base"), (2, "added")):
        for spec in expected_articles(state):
            assert seen[(article_url(base, spec), run)] == (spec.page, spec.position)
    crossed = [s for s in expected_articles("base") if s.page == 1 and s.position == 10]
    assert seen[(article_url(base, crossed[0]), 2)] == (2, 1)


def test_history_shows_every_version_with_a_word_diff(base_then_edited: CrawledArchive) -> None:
    db, base = base_then_edited.path, base_then_edited.base_url
    title_edit = next(m for m in EDITS["edited"] if m.field == "title")
    spec = next(s for s in expected_articles("edited") if s.slug == title_edit.slug)
    url = article_url(base, spec)
    result = CliRunner().invoke(
        main, ["--db", f"sqlite:///{db}", "history", url + "?utm_source=newsletter"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{url}  (amnestyusa, 2 versions)"
    assert lines[2].startswith("version 1  seen ")
    assert f"  title: {title_edit.old}" in lines
    second = lines.index(next(line for line in lines if line.startswith("version 2  seen ")))
    added = title_edit.new.removeprefix(title_edit.old)  # the edit appended words
    assert lines[second + 1 :] == [
        f"  title: {title_edit.old}{{+{added}+}}",
        f"  updated_at: [-{spec_base_modified(title_edit.slug)}-]{{+{spec.modified.isoformat()}+}}",
        "",
    ]

    missing = CliRunner().invoke(main, ["--db", f"sqlite:///{db}", "history", f"{base}/nope/"])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: no article with URL {base}/nope/ in the archive"


def spec_base_modified(slug: str) -> str:
    spec = next(s for s in expected_articles("base") if s.slug == slug)
    return spec.modified.isoformat()
