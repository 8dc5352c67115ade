"""What a crawl's log says: a quiet incremental run in a few lines ending with its summary,
progress lines during a long crawl, and no port opened for listening."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from newsroom_archive.crawl import LOOPBACK_SETTINGS
from newsroom_archive.sample_site import SampleNewsroom
from tests.helpers.crawling import run_site_crawl, start_crawl

pytestmark = pytest.mark.crawl

NOISE = ("Context impl", "transactional DDL", "Enabled ", "Overridden settings", "Versions")


def messages(log: str) -> list[str]:
    """The log's lines without their time stamps."""
    return [re.sub(r"^\S+ \S+ ", "", line) for line in log.splitlines()]


def test_a_quiet_incremental_run_logs_a_few_lines_ending_with_its_summary(
    tmp_path: Path,
) -> None:
    db = tmp_path / "archive.sqlite"
    with SampleNewsroom("base") as site:
        full = run_site_crawl(site, db)
        quiet = run_site_crawl(site, db, mode="incremental")
    assert full.returncode == quiet.returncode == 0, quiet.stderr[-2000:]
    assert messages(full.stderr)[-2] == (
        "[amnestyusa] INFO: run 1 finished: 37 pages, 32 cards; 32 new, 0 changed, "
        "0 unchanged, 0 removed, 0 quarantined; 0 errors, 0 article pages not fetched, "
        "health ok"
    )
    lines = messages(quiet.stderr)
    assert lines == [
        "[scrapy.utils.log] INFO: Scrapy 2.19.0 started (bot: newsroom_archive)",
        "[scrapy.core.engine] INFO: Spider opened",
        f"[amnestyusa] INFO: archive {db}, run 2, WARC in {tmp_path / 'warc'}",
        "[scrapy.core.engine] INFO: Closing spider (finished)",
        lines[4],
        "[amnestyusa] INFO: run 2 finished: 2 pages, 10 cards; 0 new, 0 changed, 0 unchanged, "
        "0 removed, 0 quarantined; 0 errors, 0 article pages not fetched, health ok",
        "[scrapy.core.engine] INFO: Spider closed (finished)",
    ]
    assert lines[4].startswith("[newsroom_archive.health] INFO: health check: run 2 ")
    assert not [line for line in lines if any(noise in line for noise in NOISE)]


def test_the_start_up_listing_is_back_at_debug(tmp_path: Path) -> None:
    with SampleNewsroom("base") as site:
        result = run_site_crawl(
            site, tmp_path / "archive.sqlite", {"LOG_LEVEL": "DEBUG"}, max_pages="1"
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Enabled downloader middlewares" in result.stderr
    assert "Context impl SQLiteImpl" in result.stderr


def listening_sockets(pid: int) -> set[str]:
    """The TCP sockets process `pid` listens on (from /proc), as local addresses."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.add(fields[1])
    return found


def test_a_long_crawl_logs_progress_and_listens_on_no_port(tmp_path: Path) -> None:
    db = tmp_path / "archive.sqlite"
    slow = {
        **LOOPBACK_SETTINGS,
        "CONCURRENT_REQUESTS": "1",
        "DOWNLOAD_DELAY": "0.05",
        "LOGSTATS_INTERVAL": "0.5",
    }
    with SampleNewsroom("base") as site:
        process = start_crawl(db, f"{site.base_url}/news/", slow, stderr=subprocess.PIPE)
        listening: set[str] = set()
        while process.poll() is None:
            try:
                listening |= listening_sockets(process.pid)
            except (FileNotFoundError, ProcessLookupError):
                break  # it has just ended
            time.sleep(0.05)
        _, log = process.communicate(timeout=120)
    assert process.returncode == 0, log[-2000:]
    assert listening == set()
    progress = [line for line in messages(log) if "progress:" in line]
    assert progress, log[-2000:]
    assert re.fullmatch(
        r"\[newsroom_archive\.crawl_log\] INFO: progress: \d+ pages fetched \(\d+/min\), "
        r"\d+ items scraped \(\d+/min\); archived so far: \d+ new, \d+ changed, \d+ unchanged",
        progress[0],
    ), progress[0]
