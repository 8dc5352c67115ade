"""The cost of WARC capture: crawl throughput with capture against the same crawl without.

Each round crawls the bundled sample newsroom (32 articles, four listing pages) into a
fresh archive twice, with capture and without, in alternating order; throughput is pages
per second of the run itself (its recorded start to finish, so process start-up is not
counted). Then the bytes on disk: WARC per article of a first crawl, and per quiet
re-crawl of the unchanged newsroom (full: revisits and 304s; incremental, as an hourly
schedule runs it: robots.txt and the first listing page, both revisits).
Run: .venv/bin/python benchmarks/bench_capture.py [ROUNDS]   (default 5)
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
from newsroom_archive.sample_site import SampleNewsroom


def _crawl(site: SampleNewsroom, db: Path, capture: bool, mode: str = "full") -> float:
    settings = {**LOOPBACK_SETTINGS, "WARC_ENABLED": str(capture)}
    result = run_crawl(
        "amnestyusa",
        archive_url=f"sqlite:///{db}",
        spider_args={"start_url": site.start_url, "mode": mode},
        settings=settings,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    with sqlite3.connect(db) as conn:
        started, finished, pages = conn.execute(
            "select started_at, finished_at, pages_fetched from crawl_runs order by id desc"
        ).fetchone()
    seconds = (
        datetime.fromisoformat(finished.rstrip("Z")) - datetime.fromisoformat(started.rstrip("Z"))
    ).total_seconds()
    return float(pages) / seconds


def _warc_bytes(folder: Path, run: int) -> int:
    return sum(p.stat().st_size for p in folder.glob(f"*-{run:06d}-*.warc.gz"))


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, SampleNewsroom("base") as site:
        site.start()
        rates: dict[bool, list[float]] = {True: [], False: []}
        for n in range(rounds):
            for capture in (True, False) if n % 2 == 0 else (False, True):
                db = Path(tmp) / f"r{n}-{capture}" / "archive.sqlite"
                db.parent.mkdir()
                rates[capture].append(_crawl(site, db, capture))
        quiet = Path(tmp) / "quiet" / "archive.sqlite"
        quiet.parent.mkdir()
        _crawl(site, quiet, True)
        _crawl(site, quiet, True)
        _crawl(site, quiet, True, mode="incremental")
        folder = quiet.parent / "warc"
        first, again = _warc_bytes(folder, 1), _warc_bytes(folder, 2)
        hourly = _warc_bytes(folder, 3)
    without = statistics.median(rates[False])
    with_capture = statistics.median(rates[True])
    print(f"rounds: {rounds}; pages per second of the run, median")
    print("| crawl | pages/s | × without capture |")
    print("|---|---:|---:|")
    print(f"| without capture (baseline) | {without:.1f} | 1.00× |")
    print(f"| with capture | {with_capture:.1f} | {with_capture / without:.2f}× |")
    print(f"\nWARC bytes, first crawl: {first:,} ({first / 32:,.0f} per article, 37 responses)")
    print(f"WARC bytes, quiet full re-crawl: {again:,} ({again / first:.1%} of the first)")
    print(f"WARC bytes, quiet incremental re-crawl: {hourly:,} ({hourly / first:.1%} of the first)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
