"""Article pages a crawl cannot have (a redirect loop, a redirect off the site, a 403, a
503 given up on): each card is kept, the run counts the page under its reason, and the log
says so at WARNING. Real crawls of the sample newsroom with pages broken on purpose."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsroom_archive.sample_site import SampleNewsroom, expected_articles
from tests.helpers.crawling import run_site_crawl

pytestmark = pytest.mark.crawl

BASE = expected_articles("base")
LOOP, OFFSITE, FORBIDDEN, UNAVAILABLE = BASE[0], BASE[1], BASE[2], BASE[3]


def crawl(site: SampleNewsroom, db: Path, **settings: str) -> tuple[int, str]:
    result = run_site_crawl(site, db, settings)
    return result.returncode, result.stderr


def last_run(db: Path) -> tuple[dict[str, object], dict[str, object]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    return row, json.loads(str(row["stats"]))


def quarantined(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select url, reason from quarantine").fetchall())


def not_fetched(stats: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in stats.items() if k.startswith("article/not_fetched")}


def test_new_articles_whose_pages_cannot_be_had_are_quarantined_with_the_reason(
    tmp_path: Path,
) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        site.break_page(LOOP.path, "redirect-loop")
        site.break_page(OFFSITE.path, "offsite-redirect")
        site.break_page(FORBIDDEN.path, "forbidden")
        status, log = crawl(site, db)
        base = site.base_url
        hosts = {r.headers.get("host") for r in site.requests}
        loop_requests = [r.path for r in site.requests if r.path.rstrip("/") == LOOP.path[:-1]]
    assert status == 0, log[-3000:]
    url = {spec.slug: f"{base}{spec.path}" for spec in (LOOP, OFFSITE, FORBIDDEN)}
    offsite_target = f"http://localhost:{base.rsplit(':', 1)[1]}{OFFSITE.path}"
    loop_chain = f"{url[LOOP.slug]} -> {url[LOOP.slug][:-1]} -> {url[LOOP.slug]}"
    assert quarantined(db) == {
        url[LOOP.slug]: f"article page not fetched: redirect loop: {loop_chain}",
        url[OFFSITE.slug]: (
            f"article page not fetched: redirected off site: {url[OFFSITE.slug]} -> "
            f"{offsite_target}"
        ),
        url[FORBIDDEN.slug]: "article page not fetched: HTTP 403",
    }
    run, stats = last_run(db)
    assert (run["status"], run["new"], run["quarantined"]) == ("finished", 29, 3)
    assert not_fetched(stats) == {
        "article/not_fetched": 3,
        "article/not_fetched/redirect_loop": 1,
        "article/not_fetched/offsite_redirect": 1,
        "article/not_fetched/http_403": 1,
    }
    warnings = [line for line in log.splitlines() if "WARNING: article page" in line]
    assert len(warnings) == 3, warnings
    assert any(f"{url[LOOP.slug]} not fetched: redirect loop" in w for w in warnings)
    # The loop was given up at its first repetition, and the other host never asked.
    assert loop_requests == [LOOP.path, LOOP.path[:-1]]
    assert hosts == {base.removeprefix("http://")}


def test_an_archived_article_whose_page_fails_keeps_its_sighting_and_is_not_removed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        assert crawl(site, db)[0] == 0
        site.break_page(UNAVAILABLE.path, "unavailable")
        site.break_page(FORBIDDEN.path, "forbidden")
        status, log = crawl(site, db, RETRY_TIMES="1")
        base = site.base_url
    # Scrapy logs giving up on a 503 as an error: the run failed, and says why.
    assert status == 1
    assert f"{base}{UNAVAILABLE.path} not fetched: HTTP 503 after 1 retries" in log
    run, stats = last_run(db)
    assert (run["status"], run["quarantined"], run["removed"]) == ("failed", 0, 0)
    assert not_fetched(stats) == {
        "article/not_fetched": 2,
        "article/not_fetched/http_503": 1,
        "article/not_fetched/http_403": 1,
    }
    with sqlite3.connect(db) as conn:
        kept = conn.execute(
            "select a.url, a.status from articles a join sightings s on s.article_id = a.id "
            "where s.run_id = ? and a.url in (?, ?) order by a.url",
            (run["id"], f"{base}{UNAVAILABLE.path}", f"{base}{FORBIDDEN.path}"),
        ).fetchall()
    assert kept == sorted(
        [(f"{base}{UNAVAILABLE.path}", "active"), (f"{base}{FORBIDDEN.path}", "active")]
    )
