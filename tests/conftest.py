"""Shared fixtures: temporary archives on SQLite and, where configured, PostgreSQL; the
sample newsroom crawled once for the whole session; the `crawl` mark of the slow lane."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.crawling import CrawledArchive, crawl_states

PG_ENV = "NEWSROOM_ARCHIVE_TEST_PG_URL"
REAL_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "real-pages"
# Tests that use these fixtures, even through other fixtures, start crawl processes
# without a mark of their own; they are marked `crawl` here.
CRAWLING_FIXTURES = {"base_then_edited"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CRAWLING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.crawl)


def _postgres_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set in CI")
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    name = f"na_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {base} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {base} is not reachable: {exc}")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, on each backend the archive supports."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite'}"


@pytest.fixture(scope="session")
def base_then_edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """The sample newsroom crawled in state `base`, then `edited`, into a SQLite file:
    two crawl processes for the whole session. Tests that only read it share it; a test
    that writes to it, or needs it in a folder of its own, takes a `copy_to` its place."""
    path = tmp_path_factory.mktemp("base-then-edited") / "archive.sqlite"
    archive = CrawledArchive(path, crawl_states(path, "base", "edited"))
    # The crawls checkpointed on close, so the file alone is the archive and copies are whole.
    assert not Path(f"{path}-wal").exists()
    crawled = hashlib.sha256(path.read_bytes()).hexdigest()
    yield archive
    assert hashlib.sha256(path.read_bytes()).hexdigest() == crawled, "a test wrote to it"
