"""End to end: a real `scrapy crawl amnestyusa` over HTTP against the bundled sample
newsroom on 127.0.0.1, into a temporary SQLite file, then the CSV export.

Expected values come from the sample newsroom's answer key (`ArticleSpec`), never from
the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom_archive.archive.export import ARTICLE_COLUMNS
from newsroom_archive.cli import main
from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.sample_site import SampleNewsroom, article_url, expected_articles
from tests.helpers.crawling import crawl
from tests.helpers.expectations import expected_row
from tests.helpers.exports import export


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SampleNewsroom, Path]]:
    db = tmp_path_factory.mktemp("crawl") / "archive.sqlite"
    with SampleNewsroom() as site:
        site.start()
        crawl(site, db)
        yield site, db


@pytest.mark.crawl
def test_every_article_every_field(crawled: tuple[SampleNewsroom, Path]) -> None:
    site, db = crawled
    rows = export(db)
    specs = expected_articles("base")
    assert len(rows) == len(specs) == 32
    by_url = {row["url"]: row for row in rows}
    assert set(by_url) == {article_url(site.base_url, spec) for spec in specs}
    for spec in specs:
        row = by_url[article_url(site.base_url, spec)]
        want = expected_row(site.base_url, spec)
        got = {key: row[key] for key in want}
        assert got == want, spec.slug
        assert re.fullmatch(r"[0-9a-f]{64}", row["content_hash"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", row["first_seen_at"])
        assert row["last_seen_at"] == row["first_seen_at"]


@pytest.mark.crawl
def test_csv_is_rfc4180_with_the_documented_header(crawled: tuple[SampleNewsroom, Path]) -> None:
    _, db = crawled
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{db}", "export", "articles"])
    # click's runner folds \r\n in .stdout; the bytes are what a file receives.
    text = result.stdout_bytes.decode("utf-8")
    assert text.split("\r\n", 1)[0] == ",".join(ARTICLE_COLUMNS)
    assert text.endswith("\r\n")
    body_rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(len(r) == len(ARTICLE_COLUMNS) for r in body_rows)
    # Multi-paragraph bodies survive quoting.
    assert any("\n\n" in r[ARTICLE_COLUMNS.index("body")] for r in body_rows[1:])


@pytest.mark.crawl
def test_run_record_and_sightings(crawled: tuple[SampleNewsroom, Path]) -> None:
    site, db = crawled
    specs = expected_articles("base")
    with sqlite3.connect(db) as conn:
        run = conn.execute(
            "select spider, mode, status, finish_reason, pages_fetched, items_seen, new, "
            "changed, unchanged, removed, quarantined, errors from crawl_runs"
        ).fetchall()
        sightings = conn.execute(
            "select a.url, s.listing_url, s.page_number, s.position, s.title "
            "from sightings s join articles a on a.id = s.article_id"
        ).fetchall()
        quarantined = conn.execute("select count(*) from quarantine").fetchone()[0]
        stats = json.loads(conn.execute("select stats from crawl_runs").fetchone()[0])
    # robots.txt, 4 listing pages and 32 article pages
    assert run == [("amnestyusa", "full", "finished", "finished", 37, 32, 32, 0, 0, 0, 0, 0)]
    assert quarantined == 0
    assert stats["item_scraped_count"] == 32
    assert stats["downloader/response_status_count/200"] == 37
    assert stats["listing/cards"] == 32
    listing = {1: f"{site.base_url}/news/"} | {
        n: f"{site.base_url}/news/page/{n}/" for n in (2, 3, 4)
    }
    assert sorted(sightings) == sorted(
        (article_url(site.base_url, s), listing[s.page or 0], s.page, s.position, s.title)
        for s in specs
    )


@pytest.mark.crawl
def test_same_article_through_two_urls_is_one_article(tmp_path: Path) -> None:
    """`edited` links one card with utm_ parameters; the archive still holds one row."""
    db = tmp_path / "a.sqlite"
    with SampleNewsroom("edited") as site:
        site.start()
        crawl(site, db)
        rows = export(db)
        requested = [r.path for r in site.requests]
    urls = [row["url"] for row in rows]
    assert len(urls) == len(set(urls)) == len(expected_articles("edited"))
    assert not any("utm_" in url for url in urls)
    assert not any("utm_" in path for path in requested if not path.startswith("/news/"))


@pytest.mark.crawl
def test_max_pages_limits_the_listing(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with SampleNewsroom() as site:
        base = site.start()
        crawl(site, db, max_pages=2)
        listing_requests = sorted(
            r.path for r in site.requests if re.fullmatch(r"/news/(page/\d+/)?", r.path)
        )
    rows = export(db)
    assert listing_requests == ["/news/", "/news/page/2/"]
    assert sorted(r["url"] for r in rows) == sorted(
        article_url(base, s) for s in expected_articles("base") if (s.page or 0) <= 2
    )


@pytest.mark.crawl
def test_bad_spider_argument_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_crawl(
        "amnestyusa",
        archive_url=f"sqlite:///{tmp_path / 'a.sqlite'}",
        spider_args={"mode": "sometimes"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "scrapy: error: mode must be one of full, incremental, got 'sometimes'"
    )
    assert not (tmp_path / "a.sqlite").exists()


@pytest.mark.crawl
def test_demo_crawls_twice_and_reports_changes(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    result = CliRunner().invoke(main, ["demo", "--db-file", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "crawl of the newsroom as first seen: "
        "32 new, 0 changed, 0 unchanged, 0 removed, 0 quarantined (finished)"
    )
    assert lines[2] == (
        "crawl of the same newsroom a day later: "
        "1 new, 4 changed, 27 unchanged, 1 removed, 0 quarantined (finished)"
    )
    assert f"33 articles archived in {db}; the newest:" in lines
    assert len(export(db)) == 33


@pytest.mark.crawl
def test_demo_run_twice_replaces_its_own_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `make demo` does on a fresh checkout and again: no data/ folder at first.
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    db = Path("data") / "demo.sqlite"
    assert db.exists()
    assert len(export(db, "runs")) == 2
    assert len(export(db)) == 33
    # Its WARC files are its own: the second demo's two runs, none left of the first's,
    # and nothing in the folder a live archive in data/ would use.
    warc = sorted(p.name.split("-")[1] for p in (Path("data") / "demo-warc").iterdir())
    assert warc == ["000001", "000002"]
    assert not (Path("data") / "warc").exists()


@pytest.mark.crawl
def test_demo_replaces_another_archive_only_with_force(tmp_path: Path) -> None:
    db = tmp_path / "real.sqlite"
    with SampleNewsroom() as site:
        # A run whose start URL is the live newsroom's, as a real crawl records it.
        result = run_crawl(
            "amnestyusa",
            archive_url=f"sqlite:///{db}",
            spider_args={"start_url": f"{site.start()}/news/", "max_pages": 1},
            settings=LOOPBACK_SETTINGS,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        conn.execute("update crawl_runs set args = '{}'")
    conn.close()
    refused = CliRunner().invoke(main, ["demo", "--db-file", str(db)])
    assert refused.exit_code == 1
    assert "holds crawl runs of a live newsroom" in refused.stderr
    assert len(export(db, "runs")) == 1
    forced = CliRunner().invoke(main, ["demo", "--db-file", str(db), "--force"])
    assert forced.exit_code == 0, forced.output
    assert len(export(db, "runs")) == 2
    assert len(export(db)) == 33


@pytest.mark.crawl
def test_archive_location_setting_then_environment_then_default(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_ARCHIVE_URL"}
    with SampleNewsroom() as site:
        base = site.start()
        args = {"start_url": f"{base}/news/", "max_pages": 1}
        from_env = tmp_path / "from-env.sqlite"
        setting = tmp_path / "setting.sqlite"
        for archive_url, extra in (
            (None, {}),
            (None, {"NEWSROOM_ARCHIVE_URL": f"sqlite:///{from_env}"}),
            (f"sqlite:///{setting}", {"NEWSROOM_ARCHIVE_URL": f"sqlite:///{from_env}"}),
        ):
            result = run_crawl(
                "amnestyusa",
                archive_url=archive_url,
                spider_args=args,
                settings=LOOPBACK_SETTINGS,
                cwd=tmp_path,
                env={**env, **extra},
            )
            assert result.returncode == 0, result.stderr[-2000:]
    default = tmp_path / "data" / "newsroom.sqlite"
    counts = [len(export(path, "runs")) for path in (default, from_env, setting)]
    assert counts == [1, 1, 1]


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsroom_archive", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: newsroom-archive [OPTIONS] COMMAND [ARGS]...")
    for command in ("demo", "export", "extract", "history", "quarantine", "db"):
        assert f"  {command} " in result.stdout
