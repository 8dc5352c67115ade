"""Bad input to `newsroom-archive demo` and `python -m newsroom_archive.sample_site`:
one line, a non-zero exit, and no archive touched.

The demo replaces only an archive it made itself (every run started at a loopback URL);
anything else, and a busy port, is refused before a file is touched.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsroom_archive.archive import Archive
from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged, run_cli


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def archive_with_runs(path: Path, *start_urls: str | None) -> None:
    archive = Archive(f"sqlite:///{path}")
    for start in start_urls:
        args = {"start_url": start} if start else {}
        archive.finish_run(archive.start_run("amnestyusa", "amnestyusa", "full", args), "finished")
    archive.close()


def live_archive(path: Path) -> None:
    archive_with_runs(path, None)


def mixed_archive(path: Path) -> None:
    archive_with_runs(path, "http://127.0.0.1:8765/news/", "https://www.amnestyusa.org/news/")


def lookalike_archive(path: Path) -> None:
    # A host that merely starts like a loopback address is a real host.
    archive_with_runs(path, "http://127.0.0.1.example.org/news/")


def demo_archive(path: Path) -> None:
    archive_with_runs(path, "http://127.0.0.1:8765/news/", "http://[::1]:8765/news/")


def other_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (text)")
        conn.execute("insert into notes values ('mine')")
    conn.close()


def text_file(path: Path) -> None:
    path.write_text("my field notes\n")


DEMO_CASES: list[tuple[str, Callable[[Path], None], list[str], str, int]] = [
    ("archive of a live crawl", live_archive, [], "holds crawl runs of a live newsroom", 1),
    (
        "archive with one live run among demo runs",
        mixed_archive,
        [],
        "holds crawl runs of https://www.amnestyusa.org/news/",
        1,
    ),
    (
        "archive whose host only looks like loopback",
        lookalike_archive,
        [],
        "holds crawl runs of http://127.0.0.1.example.org/news/",
        1,
    ),
    ("SQLite file that is not an archive", other_database, [], "is not a newsroom archive", 1),
    ("file that is not SQLite", text_file, [], "cannot be read as an archive", 1),
    ("port out of range", demo_archive, ["--port", "70000"], "Invalid value for '--port'", 2),
    ("unknown option", demo_archive, ["--forse"], "No such option '--forse'", 2),
]


@pytest.mark.parametrize(
    ("make", "extra", "expected", "code"),
    [case[1:] for case in DEMO_CASES],
    ids=[case[0] for case in DEMO_CASES],
)
def test_demo_refuses_before_touching_the_archive(
    tmp_path: Path,
    make: Callable[[Path], None],
    extra: list[str],
    expected: str,
    code: int,
) -> None:
    path = tmp_path / "archive.sqlite"
    make(path)
    before = FileState.of(path)
    result = run_cli(["demo", "--db-file", str(path), *extra])
    assert_one_line_error(result, expected, exit_code=code)
    assert_unchanged(path, before)
    if code == 1:
        assert "--force" in result.stderr


def test_demo_on_a_busy_port_keeps_its_own_archive(tmp_path: Path, busy_port: int) -> None:
    path = tmp_path / "demo.sqlite"
    demo_archive(path)
    before = FileState.of(path)
    result = run_cli(["demo", "--db-file", str(path), "--port", str(busy_port)])
    assert_one_line_error(
        result, f"cannot listen on 127.0.0.1:{busy_port}: Address already in use", exit_code=1
    )
    assert_unchanged(path, before)


def test_demo_on_a_busy_port_creates_nothing(tmp_path: Path, busy_port: int) -> None:
    path = tmp_path / "data" / "demo.sqlite"
    result = run_cli(["demo", "--db-file", str(path), "--port", str(busy_port)])
    assert_one_line_error(result, "Address already in use", exit_code=1)
    assert not path.parent.exists()


def sample_site(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsroom_archive.sample_site", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )


# A host that is not loopback: tests/test_sample_site.py.
SAMPLE_SITE_CASES = [
    ("unknown state", ["--state", "nosuch"], "argument --state: invalid choice: 'nosuch'", 2),
    ("port not a number", ["--port", "abc"], "argument --port: 'abc' is not a port number", 2),
    ("port out of range", ["--port", "70000"], "argument --port: 70000 is not in 0..65535", 2),
    ("unknown option", ["--sate", "base"], "unrecognized arguments: --sate base", 2),
]


@pytest.mark.parametrize(
    ("args", "expected", "code"),
    [case[1:] for case in SAMPLE_SITE_CASES],
    ids=[case[0] for case in SAMPLE_SITE_CASES],
)
def test_sample_site_refuses_bad_arguments(args: list[str], expected: str, code: int) -> None:
    assert_process_error(sample_site(*args), expected, code)


def test_sample_site_on_a_busy_port(busy_port: int) -> None:
    result = sample_site("--port", str(busy_port))
    assert_process_error(
        result, f"cannot listen on 127.0.0.1:{busy_port}: Address already in use", 1
    )


def test_sample_site_cannot_write_into_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = sample_site("--write", str(blocker / "site"))
    assert_process_error(result, f"cannot write {blocker / 'site'}: ", 1)


def assert_process_error(
    result: subprocess.CompletedProcess[str], expected: str, code: int
) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("python -m newsroom_archive.sample_site: error: "), lines[0]
    assert expected in lines[0], (expected, lines[0])
