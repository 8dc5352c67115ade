"""One timeline: observations written at their own time (a Wayback capture's) are placed
among an article's versions by observation time, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from newsroom_archive.archive import Archive
from newsroom_archive.archive.export import rows
from newsroom_archive.archive.models import Article, Change, Sighting, Version
from newsroom_archive.archive.query import coverage
from newsroom_archive.items import ArticleRecord, Fetch, ListingCard, NormalisedArticle
from newsroom_archive.items import Sighting as SightingItem

URL = "https://news.example.org/press-releases/one/"
LISTING = "https://news.example.org/news/"
LIVE_FETCH = "2026-03-02T10:00:00.000000Z"


def observed(
    title: str, when: str | None, origin: str = "wayback", *, card: bool = True
) -> NormalisedArticle:
    record = ArticleRecord(source="example", url=URL, title=title, body="Body")
    fetched = LIVE_FETCH if when is None else None
    sighting = (
        SightingItem(
            LISTING, 1, 1, ListingCard(url=URL, position=1, title=title), None, when, origin
        )
        if card
        else None
    )
    return NormalisedArticle(
        record=dataclasses.replace(record),
        sighting=sighting,
        fetch=Fetch(URL, 200, fetched_at=fetched, observed_at=when, origin=origin),
    )


def _versions(archive: Archive) -> list[tuple[Any, ...]]:
    with archive.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    Version.version, Version.title, Version.observed_at, Version.origin
                ).order_by(Version.version)
            )
        ]


def _changes(archive: Archive) -> list[tuple[Any, ...]]:
    with archive.engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    Change.detected_at,
                    Change.change,
                    Change.field,
                    Change.old_value,
                    Change.new_value,
                    Version.title,
                ).outerjoin(Version, Version.id == Change.version_id)
            )
        )


def _write(archive: Archive, *items: NormalisedArticle) -> None:
    run = archive.start_run("example", "example", "backfill")
    for one in items:
        archive.add(run, one)
    archive.finish_run(run, "finished", apply_removals=False)


def test_out_of_order_observations_make_one_timeline(archive_url: str) -> None:
    archive = Archive(archive_url)
    _write(archive, observed("C", None, "live", card=False))
    # A live crawl's version is observed at its fetch.
    assert _versions(archive) == [(1, "C", LIVE_FETCH, "live")]

    _write(archive, observed("A", "2020-01-15T08:00:00Z"))
    _write(archive, observed("B", "20210601120000"))  # a Wayback timestamp
    a, b, c = "2020-01-15T08:00:00.000000Z", "2021-06-01T12:00:00.000000Z", LIVE_FETCH
    assert _versions(archive) == [
        (1, "A", a, "wayback"),
        (2, "B", b, "wayback"),
        (3, "C", c, "live"),
    ]
    assert _changes(archive) == sorted(
        [
            (a, "new", None, None, None, "A"),
            (b, "changed", "title", "A", "B", "B"),
            (c, "changed", "title", "B", "C", "C"),
        ]
    )

    # Equal to its predecessor: nothing new (a sighting only).
    _write(archive, observed("A", "2020-05-01T00:00:00Z"))
    # Equal to its successor: the successor moves back to the earlier observation.
    b_earlier = "2021-01-01T00:00:00.000000Z"
    _write(archive, observed("B", "2021-01-01T00:00:00Z"))
    assert _versions(archive) == [
        (1, "A", a, "wayback"),
        (2, "B", b_earlier, "wayback"),
        (3, "C", c, "live"),
    ]
    assert _changes(archive) == sorted(
        [
            (a, "new", None, None, None, "A"),
            (b_earlier, "changed", "title", "A", "B", "B"),
            (c, "changed", "title", "B", "C", "C"),
        ]
    )

    with archive.engine.connect() as conn:
        article = conn.execute(select(Article.__table__)).one()
        current = conn.execute(
            select(Version.title).where(Version.id == article.current_version_id)
        ).scalar_one()
        sightings = conn.execute(
            select(Sighting.observed_at, Sighting.origin, Sighting.title).order_by(
                Sighting.observed_at
            )
        ).all()
    assert (current, article.version_count, article.first_seen_at) == ("C", 3, a)
    assert [tuple(s) for s in sightings] == [
        (a, "wayback", "A"),
        ("2020-05-01T00:00:00.000000Z", "wayback", "A"),
        (b_earlier, "wayback", "B"),
        (b, "wayback", "B"),
    ]

    readonly = Archive(archive_url, readonly=True)
    titles = {
        moment: [r["title"] for r in rows(readonly, "articles", as_of=moment)]
        for moment in ("2019-12-31", "2020-12-31", "2021-03-01", "2026-03-01", "2026-03-03")
    }
    assert titles == {
        "2019-12-31": [],
        "2020-12-31": ["A"],
        "2021-03-01": ["B"],
        "2026-03-01": ["B"],
        "2026-03-03": ["C"],
    }
    assert [r["title"] for r in rows(readonly, "articles")] == ["C"]

    table = coverage(readonly)
    assert len(table) == 12 * 6 + 3  # 2020-01 to 2026-03, every month
    shown = {r["month"]: r for r in table if r["observations"]}
    assert shown == {
        "2020-01": _row("2020-01", versions_wayback=1, sightings_wayback=1),
        "2020-05": _row("2020-05", sightings_wayback=1),
        "2021-01": _row("2021-01", versions_wayback=1, sightings_wayback=1),
        "2021-06": _row("2021-06", sightings_wayback=1),
        "2026-03": _row("2026-03", versions_live=1),
    }
    assert table[1] == _row("2020-02")
    assert coverage(readonly, "other") == []


def _row(month: str, **counts: int) -> dict[str, Any]:
    names = ("versions_live", "sightings_live", "versions_wayback", "sightings_wayback")
    row: dict[str, Any] = {"source": "example", "month": month, "observations": 0}
    row |= {n: counts.get(n, 0) for n in names}
    row["observations"] = sum(counts.values())
    return row
