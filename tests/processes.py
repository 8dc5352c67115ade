"""Crawls as background processes, for tests that interrupt, kill or race them."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from newsroom_archive.crawl import crawl_command, crawl_environment


def start_crawl(
    db: Path, start_url: str, settings: Mapping[str, str], **popen: object
) -> subprocess.Popen[str]:
    """`scrapy crawl amnestyusa` into the SQLite file `db`, not waited for."""
    return subprocess.Popen(
        crawl_command(
            "amnestyusa",
            archive_url=f"sqlite:///{db}",
            spider_args={"start_url": start_url},
            settings=settings,
        ),
        env=crawl_environment(),
        text=True,
        **popen,  # type: ignore[call-overload]
    )


def count(db: Path, sql: str) -> int:
    """A count from the archive, read-only (never creates the file)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


def wait_for(
    db: Path, sql: str, at_least: int, crawl: subprocess.Popen[str], seconds: float = 60
) -> int:
    """Poll until the count reaches `at_least` while the crawl runs; returns the count."""
    deadline = time.monotonic() + seconds
    found = 0
    while time.monotonic() < deadline and crawl.poll() is None:
        try:
            found = count(db, sql)
        except sqlite3.OperationalError:  # not created yet, or its schema not yet
            found = 0
        if found >= at_least:
            break
        time.sleep(0.02)
    return found
