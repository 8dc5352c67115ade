"""Crashes, concurrent writers and schema migrations, with real processes and files."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from newsroom_archive.archive.database import head_revision, make_engine, upgrade
from newsroom_archive.cli import main
from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.sample_site import SampleNewsroom, expected_articles
from tests.helpers.crawling import start_crawl, wait_for


@pytest.mark.crawl
def test_sigkill_mid_crawl_leaves_a_consistent_archive(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    url = f"sqlite:///{db}"
    slow = {
        **LOOPBACK_SETTINGS,
        "CONCURRENT_REQUESTS": "1",
        "DOWNLOAD_DELAY": "0.1",
        "ARCHIVE_BATCH_SIZE": "3",
    }
    with SampleNewsroom() as site:
        base = site.start()
        proc = start_crawl(
            db, f"{base}/news/", slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        committed = wait_for(db, "select count(*) from versions", 9, proc)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()

        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
            assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
            articles, versions, news = conn.execute(
                "select (select count(*) from articles), (select count(*) from versions), "
                "(select count(*) from changes where change = 'new')"
            ).fetchone()
            status = conn.execute("select status from crawl_runs").fetchall()
        # Every committed item is whole: an article, its version and its `new` event.
        assert committed <= articles == versions == news < 32
        assert status == [("running",)]

        result = run_crawl(
            "amnestyusa",
            archive_url=url,
            spider_args={"start_url": f"{base}/news/"},
            settings=LOOPBACK_SETTINGS,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        runs = conn.execute("select status, new, unchanged from crawl_runs order by id").fetchall()
        assert conn.execute("select count(*) from articles").fetchone() == (32,)
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert runs == [("interrupted", 0, 0), ("finished", 32 - articles, articles)]


@pytest.mark.crawl
def test_a_second_crawl_into_the_same_archive_stops_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    url = f"sqlite:///{db}"
    slow = {**LOOPBACK_SETTINGS, "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.2"}
    with SampleNewsroom() as one, SampleNewsroom("added") as two:
        first = start_crawl(
            db, f"{one.start()}/news/", slow, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        # The run is recorded once the crawl holds the lock and has started.
        wait_for(db, "select count(*) from crawl_runs", 1, first)
        assert first.poll() is None, "the first crawl ended before the second started"
        second = run_crawl(
            "amnestyusa",
            archive_url=url,
            spider_args={"start_url": f"{two.start()}/news/"},
            settings=LOOPBACK_SETTINGS,
        )
        _, first_err = first.communicate(timeout=120)
        assert two.requests == []
    assert first.returncode == 0, first_err[-2000:]
    assert second.returncode == 75  # EX_TEMPFAIL: an overlap, not a failure
    last = second.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"scrapy crawl amnestyusa: refused: another crawl (crawl:amnestyusa) is running on {db}: "
        f"pid {first.pid} on "
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("select status from crawl_runs").fetchall() == [("finished",)]
        assert conn.execute("select count(*) from articles").fetchone() == (
            len(expected_articles("base")),
        )


def test_upgrade_from_the_first_schema_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0001")
    rows = {
        "sources": [{"id": 1, "name": "amnestyusa", "created_at": "2024-01-01T00:00:00Z"}],
        "crawl_runs": [
            {
                "id": 1,
                "source_id": 1,
                "spider": "amnestyusa",
                "mode": "full",
                "args": "{}",
                "started_at": "2024-01-01T00:00:00Z",
                "status": "finished",
                "pages_fetched": 5,
                "items_seen": 2,
                "new": 2,
                "changed": 0,
                "unchanged": 0,
                "removed": 0,
                "quarantined": 0,
                "errors": 0,
                "stats": json.dumps({"item_scraped_count": 2}),
            }
        ],
        "articles": [
            {
                "id": n,
                "source_id": 1,
                "url": f"https://www.amnestyusa.org/press-releases/a{n}/",
                "status": "active",
                "first_seen_at": "2024-01-01T00:00:00Z",
                "last_seen_at": "2024-01-01T00:00:00Z",
                "content_hash": f"{n:064x}",
                "version_count": 1,
                "current_version_id": n,
                "last_run_id": 1,
            }
            for n in (1, 2)
        ],
        "versions": [
            {
                "id": n,
                "article_id": n,
                "version": 1,
                "run_id": 1,
                "seen_at": "2024-01-01T00:00:00Z",
                "content_hash": f"{n:064x}",
                "title": f"Title {n}",
                "teaser_truncated": False,
                "photographers": '["Alex Wong"]',
                "photo_agencies": '["Getty Images"]',
            }
            for n in (1, 2)
        ],
        "changes": [
            {
                "id": n,
                "article_id": n,
                "run_id": 1,
                "version_id": n,
                "detected_at": "x",
                "change": "new",
            }
            for n in (1, 2)
        ],
        "sightings": [
            {
                "id": 1,
                "run_id": 1,
                "article_id": 1,
                "seen_at": "2024-01-01T00:00:00Z",
                "listing_url": "https://www.amnestyusa.org/news/",
                "page_number": 1,
                "position": 1,
                "card_hash": "0" * 64,
            }
        ],
        "quarantine": [
            {
                "id": 1,
                "run_id": 1,
                "source_id": 1,
                "url": None,
                "reason": "title missing",
                "raw": "{}",
                "created_at": "x",
            }
        ],
    }
    with engine.begin() as conn:
        for table, values in rows.items():
            for value in values:
                columns = ", ".join(value)
                params = ", ".join(f":{c}" for c in value)
                conn.execute(text(f"insert into {table} ({columns}) values ({params})"), value)
    engine.dispose()

    result = CliRunner().invoke(main, ["--db", f"sqlite:///{db}", "export", "articles"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: archive {db} has schema 0001, this version needs {head_revision()}: "
        "run `newsroom-archive db upgrade`"
    )

    result = CliRunner().invoke(main, ["--db", f"sqlite:///{db}", "db", "upgrade"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"archive upgraded from schema 0001 to {head_revision()}"

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        for table, values in rows.items():
            stored = [dict(r) for r in conn.execute(f"select * from {table} order by id")]
            assert len(stored) == len(values), table
            for got, want in zip(stored, values, strict=True):
                assert {k: got[k] for k in want} == {
                    k: (int(v) if isinstance(v, bool) else v) for k, v in want.items()
                }, table
        listed = conn.execute("select listed, unlisted_at from articles").fetchall()
    assert [tuple(r) for r in listed] == [(1, None), (1, None)]


def test_models_and_migrations_agree(archive_url: str) -> None:
    """A new archive built by the migrations has exactly the schema the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from newsroom_archive.archive.models import Base, include_object

    engine = make_engine(archive_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
