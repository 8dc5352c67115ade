"""Scheduled crawls against the sample newsroom, counting the requests it receives:
incremental runs, conditional requests, re-checks, layout drift, the lock, resumption."""

from __future__ import annotations

import datetime as dt
import json
import signal
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_archive.archive import Archive
from newsroom_archive.crawl import LOOPBACK_SETTINGS
from newsroom_archive.sample_site import (
    EDITS,
    NEW_ARTICLE,
    SampleNewsroom,
    article_url,
    expected_articles,
)
from tests.helpers.crawling import run_site_crawl, start_crawl, wait_for
from tests.helpers.expectations import expected_changes
from tests.helpers.exports import changes_of_run

pytestmark = pytest.mark.crawl


def run(site: SampleNewsroom, db: Path, **args: Any) -> subprocess.CompletedProcess[str]:
    return run_site_crawl(site, db, **args)


def requested(site: SampleNewsroom) -> list[str]:
    return sorted(r.path for r in site.requests if r.path != "/robots.txt")


def last_run(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("select * from crawl_runs order by id desc limit 1").fetchone()
    return dict(row)


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[SampleNewsroom, Path]]:
    """The sample newsroom, already archived by one full crawl of `base`."""
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.start()
        assert run(site, db).returncode == 0
        site.reset_requests()
        yield site, db


def test_incremental_on_an_unchanged_newsroom(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    result = run(site, db, mode="incremental")
    assert result.returncode == 0, result.stderr[-2000:]
    assert requested(site) == ["/news/"]
    assert last_run(db)["stop_reason"] == "page 1: every card already archived, unchanged"
    assert (last_run(db)["new"], last_run(db)["changed"], last_run(db)["unchanged"]) == (0, 0, 0)
    assert changes_of_run(db, 2) == set()


def test_incremental_with_one_new_article(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    site.set_state("added")
    result = run(site, db, mode="incremental")
    assert result.returncode == 0, result.stderr[-2000:]
    # Page 1 (new card on top), the new article, and page 2, whose cards all moved but
    # none changed.
    assert requested(site) == sorted(["/news/", NEW_ARTICLE.path, "/news/page/2/"])
    assert last_run(db)["stop_reason"] == "page 2: every card already archived, unchanged"
    assert changes_of_run(db, 2) == {("new", "", article_url(site.base_url, NEW_ARTICLE), "", "")}


def test_incremental_with_an_edited_teaser_on_page_1(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    site.set_state("teaser-page1")
    (edit,) = EDITS["teaser-page1"]
    spec = next(s for s in expected_articles("base") if s.slug == edit.slug)
    assert spec.page == 1
    assert run(site, db, mode="incremental").returncode == 0
    assert requested(site) == sorted(["/news/", spec.path, "/news/page/2/"])
    assert changes_of_run(db, 2) == expected_changes(site.base_url, "base", "teaser-page1")


def test_an_edit_on_page_3_is_seen_by_full_not_incremental(
    newsroom: tuple[SampleNewsroom, Path],
) -> None:
    site, db = newsroom
    site.set_state("edit-page3")
    assert run(site, db, mode="incremental").returncode == 0
    assert requested(site) == ["/news/"]
    assert changes_of_run(db, 2) == set()

    site.reset_requests()
    assert run(site, db, mode="full").returncode == 0
    assert changes_of_run(db, 3) == expected_changes(site.base_url, "base", "edit-page3")
    assert changes_of_run(db, 3)  # the body edit and its dateModified


def test_full_recrawl_uses_validators_and_304s(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    with sqlite3.connect(db) as conn:
        validators = conn.execute("select url, etag, last_modified from articles").fetchall()
    assert len(validators) == 32
    assert all(etag and etag.startswith('"') and modified for _, etag, modified in validators)

    assert run(site, db, mode="full").returncode == 0
    articles = [r for r in site.requests if r.path not in ("/robots.txt",) and r.path != "/news/"]
    pages = [r for r in articles if not r.path.startswith("/news/page/")]
    assert len(pages) == 32
    assert all(r.if_none_match and r.if_modified_since for r in pages)
    assert {r.status for r in pages} == {304}
    latest = last_run(db)
    assert (latest["new"], latest["changed"], latest["unchanged"], latest["status"]) == (
        0,
        0,
        32,
        "finished",
    )
    assert changes_of_run(db, 2) == set()

    # An edited page answers 200 to the same validators, and is parsed again.
    site.set_state("edit-page3")
    site.reset_requests()
    assert run(site, db, mode="full").returncode == 0
    statuses = {r.path: r.status for r in site.requests}
    (edit,) = EDITS["edit-page3"]
    edited = next(s for s in expected_articles("base") if s.slug == edit.slug)
    assert statuses[edited.path] == 200
    assert sorted(p for p, s in statuses.items() if s == 304) == sorted(
        s.path for s in expected_articles("base") if s.slug != edit.slug
    )
    assert changes_of_run(db, 3) == expected_changes(site.base_url, "base", "edit-page3")


def test_recheck_days_revisits_recent_articles(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    site.set_state("edit-page3")
    (edit,) = EDITS["edit-page3"]
    edited = next(s for s in expected_articles("base") if s.slug == edit.slug)
    days = (dt.date.today() - edited.published.date()).days
    assert run(site, db, mode="incremental", recheck_days=days).returncode == 0
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).date().isoformat()
    recent = sorted(s.path for s in expected_articles("base") if s.published_date >= since)
    assert edited.path in recent
    assert requested(site) == sorted(["/news/", *recent])
    assert changes_of_run(db, 2) == expected_changes(site.base_url, "base", "edit-page3")


def test_layout_drift_is_not_an_edit(newsroom: tuple[SampleNewsroom, Path]) -> None:
    site, db = newsroom
    site.set_state("drift")
    result = run(site, db, mode="full")
    assert result.returncode == 1
    latest = last_run(db)
    assert latest["health_ok"] == 0
    assert (latest["changed"], latest["removed"]) == (0, 0)
    assert changes_of_run(db, 2) == set()
    # The stats are stored with the run (the log no longer dumps them).
    assert json.loads(latest["stats"])["listing/cards_incomplete"] == 32
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles where status = 'active'").fetchone() == (
            32,
        )


def test_a_second_crawl_is_refused_and_a_stale_lock_taken_over(
    newsroom: tuple[SampleNewsroom, Path],
) -> None:
    site, db = newsroom
    archive = Archive(f"sqlite:///{db}")
    live = subprocess.Popen(["sleep", "60"])
    try:
        with archive.engine.begin() as conn:
            conn.exec_driver_sql(
                "insert into crawl_locks (name, pid, hostname, acquired_at) values (?, ?, ?, ?)",
                ("crawl:amnestyusa", live.pid, socket.gethostname(), "2026-01-01T00:00:00Z"),
            )
        refused = run(site, db)
        assert refused.returncode == 75  # EX_TEMPFAIL
        assert refused.stderr.strip().splitlines()[-1] == (
            f"scrapy crawl amnestyusa: refused: another crawl (crawl:amnestyusa) is running "
            f"on {db}: pid {live.pid} on {socket.gethostname()} since 2026-01-01T00:00:00Z"
        )
        assert requested(site) == []
    finally:
        live.kill()
        live.wait()
    taken = run(site, db)
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert f"took over the lock left by pid {live.pid} (taken 2026-01-01T00:00:00Z)" in taken.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from crawl_locks").fetchone() == (0,)


def test_jobdir_resumes_an_interrupted_crawl(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    jobdir = tmp_path / "job"
    slow = {
        **LOOPBACK_SETTINGS,
        "CONCURRENT_REQUESTS": "1",
        "DOWNLOAD_DELAY": "0.15",
        "ARCHIVE_BATCH_SIZE": "2",
        "JOBDIR": str(jobdir),
    }
    with SampleNewsroom("base") as site:
        base = site.start()
        first = start_crawl(db, f"{base}/news/", slow, stderr=subprocess.PIPE)
        wait_for(db, "select count(*) from versions", 6, first)
        first.send_signal(signal.SIGINT)  # what Ctrl-C or a polite `kill` sends
        _, first_err = first.communicate(timeout=60)
        assert first.returncode == 1, first_err[-2000:]
        with sqlite3.connect(db) as conn:
            done = conn.execute("select count(*) from articles").fetchone()[0]
        assert 6 <= done < 32
        site.reset_requests()
        second = start_crawl(db, f"{base}/news/", slow, stderr=subprocess.PIPE)
        _, second_err = second.communicate(timeout=120)
        assert second.returncode == 0, second_err[-2000:]
        fetched_again = [
            r.path
            for r in site.requests
            if r.path.count("/") == 3 and not r.path.startswith("/news/page/")
        ]
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "select id, status, resumed_from from crawl_runs order by id"
        ).fetchall()
        assert conn.execute("select count(*) from articles").fetchone() == (32,)
        removed = conn.execute("select count(*) from changes where change != 'new'").fetchone()
    assert runs == [(1, "interrupted", None), (2, "finished", 1)]
    assert removed == (0,)
    # The second part fetched only what the first had not.
    assert len(fetched_again) <= 32 - done + 1
