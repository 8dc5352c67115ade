"""Real `scrapy crawl` processes against a bundled sample newsroom, by the newsroom that
reads it (`amnestyusa` unless the server says otherwise): run to the end, or started in
the background for tests that interrupt, kill or race them."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroom_archive.crawl import LOOPBACK_SETTINGS, crawl_command, crawl_environment, run_crawl
from newsroom_archive.sample_site import DEFAULT_SITE, SampleNewsroom

# The WARC files of crawls into PostgreSQL archives, which have no file to sit beside:
# a folder of the test session's, never data/warc of the checkout.
_SERVER_WARC = tempfile.TemporaryDirectory(prefix="newsroom-test-warc-")


def crawl(site: SampleNewsroom, db: Path | str, **args: Any) -> None:
    """A full crawl of `site` into `db` (a SQLite file or a database URL), which succeeds."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    settings = dict(LOOPBACK_SETTINGS)
    if not url.startswith("sqlite"):
        settings["WARC_DIR"] = _SERVER_WARC.name
    result = run_crawl(
        site.site.name,
        archive_url=url,
        spider_args={"start_url": site.start_url, **args},
        settings=settings,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def run_site_crawl(
    site: SampleNewsroom,
    db: Path,
    settings: Mapping[str, str] | None = None,
    **args: Any,
) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl` of `site` into the SQLite file `db`, whatever its outcome;
    `settings` on top of the loopback ones."""
    return run_crawl(
        site.site.name,
        archive_url=f"sqlite:///{db}",
        spider_args={"start_url": site.start_url, **args},
        settings={**LOOPBACK_SETTINGS, **(settings or {})},
    )


def crawl_states(db: Path | str, *states: str, site_name: str = DEFAULT_SITE) -> str:
    """Crawl a sample newsroom in each state in turn into `db`; returns its base URL."""
    with SampleNewsroom(states[0], site=site_name) as site:
        base = site.start()
        for state in states:
            site.set_state(state)
            crawl(site, db)
    return base


@dataclass(frozen=True)
class CrawledArchive:
    """A SQLite archive of finished crawls of the sample newsroom, whose server has stopped;
    `base_url` is where it was served, as the archived URLs name it."""

    path: Path
    base_url: str

    def copy_to(self, destination: Path) -> Path:
        """A byte copy of the archive at `destination`, for a test that writes to it or needs
        it in a folder of its own."""
        # Pages still in a -wal file would be missing from the copy. Crawls checkpoint it
        # when they close the archive; read-only readers may leave an empty one behind.
        wal = Path(f"{self.path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0, f"{wal} holds uncheckpointed pages"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path, destination)
        return destination


def start_crawl(
    db: Path,
    start_url: str,
    settings: Mapping[str, str],
    spider: str = DEFAULT_SITE,
    **popen: object,
) -> subprocess.Popen[str]:
    """`scrapy crawl SPIDER` (`amnestyusa` by default) into the SQLite file `db`, not
    waited for."""
    return subprocess.Popen(
        crawl_command(
            spider,
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
