"""The archive's write path, through its public API, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from newsroom_archive.archive import Archive
from newsroom_archive.archive.export import article_rows
from newsroom_archive.archive.models import Article, Change, CrawlRun, Sighting, Version
from newsroom_archive.items import ArticleRecord, ListingCard, NormalisedArticle
from newsroom_archive.items import Sighting as SightingItem

URL = "https://news.example.org/press-releases/one/"


def item(url: str = URL, position: int = 1, **fields: object) -> NormalisedArticle:
    record = ArticleRecord(
        source="example",
        url=url,
        title="A title",
        kind="press-release",
        type_label="Press Release",
        published_date="2020-03-31",
        teaser="Teaser",
        body="Body text",
        photographers=["Alex Wong"],
        photo_agencies=["Getty Images"],
    )
    record = dataclasses.replace(record, **fields)  # type: ignore[arg-type]
    card = ListingCard(url=url, position=position, title=record.title)
    return NormalisedArticle(
        record=record,
        sighting=SightingItem("https://news.example.org/news/", 1, position, card),
    )


def test_new_unchanged_changed(archive_url: str) -> None:
    archive = Archive(archive_url)
    run1 = archive.start_run("example", "example", "full")
    archive.add(run1, item())
    archive.add(run1, item("https://news.example.org/press-releases/two/", 2, title="Two"))
    archive.finish_run(run1, "finished")

    run2 = archive.start_run("example", "example", "full")
    archive.add(run2, item(position=2))  # moved on the listing: not an edit
    archive.add(run2, item("https://news.example.org/press-releases/two/", 1, title="Two, edited"))
    archive.finish_run(run2, "finished")

    with archive.engine.connect() as conn:
        runs = conn.execute(
            select(
                CrawlRun.id, CrawlRun.status, CrawlRun.new, CrawlRun.changed, CrawlRun.unchanged
            ).order_by(CrawlRun.id)
        ).all()
        changes = conn.execute(
            select(
                Change.run_id, Change.change, Change.field, Change.old_value, Change.new_value
            ).order_by(Change.id)
        ).all()
        versions = conn.execute(select(Version.article_id, Version.version, Version.title)).all()
        sightings = conn.execute(select(Sighting.run_id, Sighting.position, Sighting.title)).all()
    assert [tuple(r) for r in runs] == [(run1, "finished", 2, 0, 0), (run2, "finished", 0, 1, 1)]
    assert [tuple(c) for c in changes] == [
        (run1, "new", None, None, None),
        (run1, "new", None, None, None),
        (run2, "changed", "title", "Two", "Two, edited"),
    ]
    assert sorted(v[1:] for v in versions) == [(1, "A title"), (1, "Two"), (2, "Two, edited")]
    assert sorted(tuple(s) for s in sightings) == [
        (run1, 1, "A title"),
        (run1, 2, "Two"),
        (run2, 1, "Two, edited"),
        (run2, 2, "A title"),
    ]
    rows = {row["url"]: row for row in article_rows(Archive(archive_url, readonly=True))}
    assert rows[URL]["version_count"] == 1
    assert rows[URL]["photographers"] == ["Alex Wong"]
    assert rows["https://news.example.org/press-releases/two/"]["version_count"] == 2
    assert rows["https://news.example.org/press-releases/two/"]["title"] == "Two, edited"


def test_card_only_item_never_makes_a_version(archive_url: str) -> None:
    archive = Archive(archive_url)
    run1 = archive.start_run("example", "example", "full")
    archive.add(run1, item())
    archive.finish_run(run1, "finished")
    run2 = archive.start_run("example", "example", "full")
    partial = item(body=None, title="Only the card")
    partial.complete = False
    archive.add(run2, partial)
    orphan = item("https://news.example.org/press-releases/never-fetched/")
    orphan.complete = False
    orphan.problems = ["article page not fetched: HTTP 500"]
    archive.add(run2, orphan)
    archive.finish_run(run2, "finished")
    rows = list(article_rows(Archive(archive_url, readonly=True)))
    assert [(r["url"], r["title"], r["version_count"]) for r in rows] == [(URL, "A title", 1)]
    with archive.engine.connect() as conn:
        quarantined = conn.execute(select(CrawlRun.quarantined).where(CrawlRun.id == run2)).scalar()
        reason = conn.exec_driver_sql("select url, reason from quarantine").all()
        sightings = conn.execute(select(Sighting.run_id, Sighting.title)).all()
    assert quarantined == 1
    assert [tuple(r) for r in reason] == [
        (
            "https://news.example.org/press-releases/never-fetched/",
            "article page not fetched: HTTP 500",
        )
    ]
    assert sorted(tuple(s) for s in sightings) == [(run1, "A title"), (run2, "Only the card")]


def _changes(archive: Archive) -> list[tuple[object, ...]]:
    with archive.engine.connect() as conn:
        rows = conn.execute(
            select(Change.run_id, Change.change, Change.field, Change.new_value).order_by(Change.id)
        ).all()
    return [tuple(r) for r in rows]


def _article_state(archive: Archive, url: str) -> tuple[object, ...]:
    with archive.engine.connect() as conn:
        row = conn.execute(
            select(Article.status, Article.removed_at, Article.listed, Article.unlisted_at).where(
                Article.url == url
            )
        ).one()
    return (row.status, row.removed_at is not None, bool(row.listed), row.unlisted_at is not None)


TWO = "https://news.example.org/press-releases/two/"


def test_removed_unlisted_reappeared_relisted(archive_url: str) -> None:
    archive = Archive(archive_url)
    run1 = archive.start_run("example", "example", "full")
    archive.add(run1, item())
    archive.add(run1, item(TWO, 2, title="Two"))
    archive.finish_run(run1, "finished")

    # A full, clean crawl that saw neither: one page is gone, the other still answers.
    run2 = archive.start_run("example", "example", "full")
    assert archive.unseen_articles("example", run2) == [URL, TWO]
    archive.record_check(run2, URL, 404)
    archive.record_check(run2, TWO, 200)
    archive.finish_run(run2, "finished")
    assert _article_state(archive, URL) == ("removed", True, True, False)
    assert _article_state(archive, TWO) == ("active", False, False, True)

    # Both come back on the listing.
    run3 = archive.start_run("example", "example", "full")
    archive.add(run3, item())
    archive.add(run3, item(TWO, 2, title="Two"))
    archive.finish_run(run3, "finished")
    assert _article_state(archive, URL) == ("active", False, True, False)
    assert _article_state(archive, TWO) == ("active", False, True, False)
    assert _changes(archive) == [
        (run1, "new", None, None),
        (run1, "new", None, None),
        (run2, "removed", "http_status", "404"),
        (run2, "unlisted", "http_status", "200"),
        (run3, "reappeared", None, None),
        (run3, "relisted", None, None),
    ]
    with archive.engine.connect() as conn:
        counts = conn.execute(
            select(CrawlRun.removed, CrawlRun.new, CrawlRun.unchanged).order_by(CrawlRun.id)
        ).all()
    assert [tuple(c) for c in counts] == [(0, 2, 0), (1, 0, 0), (0, 0, 2)]


def test_incremental_or_failed_runs_never_remove(archive_url: str) -> None:
    archive = Archive(archive_url)
    run1 = archive.start_run("example", "example", "full")
    archive.add(run1, item())
    archive.finish_run(run1, "finished")
    for mode, status in (("incremental", "finished"), ("full", "failed"), ("full", "interrupted")):
        run = archive.start_run("example", "example", mode)
        archive.record_check(run, URL, 404)
        archive.finish_run(run, status)
    assert _article_state(archive, URL) == ("active", False, True, False)
    assert [c[1] for c in _changes(archive)] == ["new"]


def test_runs_of_dead_processes_are_marked_interrupted(sqlite_url: str) -> None:
    archive = Archive(sqlite_url)
    run1 = archive.start_run("example", "example", "full")
    with archive.engine.begin() as conn:
        # A pid that cannot exist on Linux (above pid_max).
        conn.execute(CrawlRun.__table__.update().values(pid=2**22 + 1))
    run2 = archive.start_run("example", "example", "full")
    with archive.engine.connect() as conn:
        statuses = conn.execute(select(CrawlRun.id, CrawlRun.status).order_by(CrawlRun.id)).all()
    assert [tuple(s) for s in statuses] == [(run1, "interrupted"), (run2, "running")]
