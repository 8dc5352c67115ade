"""Bad input to `scrapy crawl` and `newsroom-archive db unlock`, table-driven: each case
is refused with one line on stderr and its exit status (before any request reaches the
newsroom), and the archive is unchanged."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsroom_archive.archive import Archive
from newsroom_archive.crawl import LOOPBACK_SETTINGS, crawl_command, crawl_environment
from newsroom_archive.sample_site import SampleNewsroom
from newsroom_archive.sites import sites
from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged, run_cli

KNOWN = "known: start_url, mode, max_pages, recheck_days, replay"
SPIDERS = ", ".join(sorted(sites()))
"""Every newsroom is a spider: the profiles and the generic extractor."""


@dataclass(frozen=True)
class Process:
    """A finished process, in the shape `assert_one_line_error` reads."""

    exit_code: int
    stderr: str
    output: str
    exception: None = None


def scrapy(words: list[str]) -> Process:
    done = subprocess.run(
        words, env=crawl_environment(), capture_output=True, text=True, timeout=120, check=False
    )
    return Process(done.returncode, done.stderr, done.stdout + done.stderr)


@pytest.fixture(scope="module")
def site() -> Iterator[SampleNewsroom]:
    with SampleNewsroom("base") as newsroom:
        yield newsroom


def lock(db: Path, pid: int, host: str) -> None:
    archive = Archive(f"sqlite:///{db}")
    with archive.engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into crawl_locks (name, pid, hostname, acquired_at) values (?, ?, ?, ?)",
            ("crawl:amnestyusa", pid, host, "2026-01-01T00:00:00Z"),
        )
    archive.close()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An empty archive, its schema created."""
    db = tmp_path / "archive.sqlite"
    Archive(f"sqlite:///{db}").close()
    return db


def command(site: SampleNewsroom, db: Path, spider: str = "amnestyusa", **args: str) -> list[str]:
    return crawl_command(
        spider,
        archive_url=f"sqlite:///{db}",
        spider_args={"start_url": f"{site.base_url}/news/", **args},
        settings=LOOPBACK_SETTINGS,
    )


# (case, spider arguments, the line's expected text)
BAD_ARGUMENTS = [
    ("unknown argument", {"nosucharg": "1"}, f"unknown spider argument 'nosucharg'; {KNOWN}"),
    (
        "max_page for max_pages",
        {"max_page": "3"},
        f"unknown spider argument 'max_page' (did you mean max_pages?); {KNOWN}",
    ),
    (
        "start_utl for start_url",
        {"start_utl": "http://127.0.0.1:9/news/"},
        f"unknown spider argument 'start_utl' (did you mean start_url?); {KNOWN}",
    ),
    ("mode", {"mode": "sometimes"}, "mode must be one of full, incremental, got 'sometimes'"),
    ("max_pages", {"max_pages": "three"}, "max_pages must be a whole number, got 'three'"),
    ("max_pages zero", {"max_pages": "0"}, "max_pages must be at least 1, got 0"),
    ("recheck_days", {"recheck_days": "-1"}, "recheck_days must not be negative, got -1"),
    ("start_url", {"start_url": "ftp://x/"}, "start_url must be an http(s) URL, got 'ftp://x/'"),
    (
        "replay of nothing",
        {"replay": "/nonexistent/warc/"},
        "replay must name a WARC file, a folder of WARC files or a WACZ file; "
        "'/nonexistent/warc/' does not exist",
    ),
]


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("arguments", "expected"),
    [case[1:] for case in BAD_ARGUMENTS],
    ids=[case[0] for case in BAD_ARGUMENTS],
)
def test_a_bad_spider_argument_is_refused_before_any_request(
    site: SampleNewsroom, archive: Path, arguments: dict[str, str], expected: str
) -> None:
    before = FileState.of(archive)
    site.reset_requests()
    result = scrapy(command(site, archive, **arguments))
    assert_one_line_error(result, f"scrapy: error: {expected}", exit_code=2)
    assert site.requests == []
    assert_unchanged(archive, before)


# (case, what replaces the spider name and its arguments, the line's expected text, status)
BAD_COMMANDS = [
    (
        "mistyped spider",
        ["amnestyus"],
        f"scrapy: error: unknown spider 'amnestyus' (did you mean amnestyusa?); known: {SPIDERS}",
        2,
    ),
    ("no spider", [], f"scrapy: error: give one spider name (known: {SPIDERS})", 2),
    (
        "two spiders",
        ["amnestyusa", "amnestyusa"],
        f"scrapy: error: give one spider name (known: {SPIDERS})",
        2,
    ),
    (
        "argument without a value",
        ["amnestyusa", "-a", "max_pages"],
        "scrapy: error: Invalid -a value, use -a NAME=VALUE",
        2,
    ),
]


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("words", "expected", "status"),
    [case[1:] for case in BAD_COMMANDS],
    ids=[case[0] for case in BAD_COMMANDS],
)
def test_a_bad_crawl_command_is_refused_with_one_line(
    site: SampleNewsroom, archive: Path, words: list[str], expected: str, status: int
) -> None:
    before = FileState.of(archive)
    site.reset_requests()
    base = command(site, archive)
    at = base.index("amnestyusa")
    result = scrapy([*base[:at], *words, *base[at + 1 :]])
    assert_one_line_error(result, expected, exit_code=status)
    assert site.requests == []
    assert_unchanged(archive, before)


@pytest.mark.crawl
def test_a_crawl_refused_by_the_lock_exits_75_with_one_line(
    site: SampleNewsroom, archive: Path
) -> None:
    holder = subprocess.Popen(["sleep", "60"])
    try:
        lock(archive, holder.pid, socket.gethostname())
        before = FileState.of(archive)
        site.reset_requests()
        result = scrapy(command(site, archive))
    finally:
        holder.kill()
        holder.wait()
    assert_one_line_error(
        result,
        f"scrapy crawl amnestyusa: refused: another crawl (crawl:amnestyusa) is running on "
        f"{archive}: pid {holder.pid} on {socket.gethostname()} since 2026-01-01T00:00:00Z",
        exit_code=75,
    )
    assert site.requests == []
    assert_unchanged(archive, before)


@pytest.mark.crawl
def test_scrapyds_own_arguments_are_accepted(site: SampleNewsroom, archive: Path) -> None:
    site.reset_requests()
    result = scrapy(command(site, archive, max_pages="1", _job="4f1c2d", _version="1"))
    assert result.exit_code == 0, result.stderr[-2000:]
    assert any(r.path == "/news/" for r in site.requests)


def test_db_unlock_removes_a_lock_left_on_another_host(archive: Path) -> None:
    lock(archive, 4242, "crawler-2.example.org")
    result = run_cli(["db", "unlock", "amnestyusa"], archive)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "removed the crawl lock of amnestyusa, held by pid 4242 on crawler-2.example.org "
        "since 2026-01-01T00:00:00Z\n"
    )
    with Archive(f"sqlite:///{archive}").engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from crawl_locks").scalar() == 0


def test_db_unlock_refuses_bad_input(tmp_path: Path, archive: Path) -> None:
    holder = subprocess.Popen(["sleep", "60"])
    try:
        live = tmp_path / "live.sqlite"
        Archive(f"sqlite:///{live}").close()
        lock(live, holder.pid, socket.gethostname())
        missing = tmp_path / "missing.sqlite"
        # (case, archive, the line's expected text)
        cases = [
            ("no lock", archive, f"Error: no lock crawl:amnestyusa in {archive}"),
            (
                "a live crawl of this host",
                live,
                f"Error: lock crawl:amnestyusa is held by pid {holder.pid} on this host, "
                "which is running: stop that crawl instead",
            ),
            # The wording is the read side's; what matters here: refused, nothing created.
            ("no archive", missing, "Error: "),
        ]
        for _case, db, expected in cases:
            before = FileState.of(db)
            result = run_cli(["db", "unlock", "amnestyusa"], db)
            assert_one_line_error(result, expected, exit_code=1)
            assert_unchanged(db, before)
    finally:
        holder.kill()
        holder.wait()
    assert not missing.exists()


@pytest.mark.crawl
def test_the_generic_newsroom_needs_a_start_url(site: SampleNewsroom, archive: Path) -> None:
    # It has no start URL of its own: without one there is nothing to crawl.
    before = FileState.of(archive)
    site.reset_requests()
    words = crawl_command("generic", archive_url=f"sqlite:///{archive}", settings=LOOPBACK_SETTINGS)
    result = scrapy(words)
    assert_one_line_error(
        result,
        "scrapy: error: start_url is required: this newsroom has no start URL of its own "
        "(-a start_url=URL)",
        exit_code=2,
    )
    assert site.requests == []
    assert_unchanged(archive, before)
