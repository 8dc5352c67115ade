"""Opening the archive: read commands on a read-only copy never write to it, and every
command that takes --db answers a bad archive with one line and leaves it as it was.

Real parts only: copies of the session's crawled archive, real SQLite files and folders,
`newsroom-archive serve` as a process on loopback, a PostgreSQL URL to a closed port.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive import export as exports
from newsroom_archive.archive.database import resolve_url
from newsroom_archive.serve import archive_uri, build_metadata, check_archive
from tests.helpers.bad_input import FileState, assert_one_line_error, assert_unchanged, run_cli
from tests.helpers.crawling import CrawledArchive

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
NOBODY = 65534


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read with SQLite directly, never through the code under test, and never writing."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """The folder and its files without any write bit, restored afterwards for cleanup."""
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)


# -- read commands on a read-only copy -------------------------------------------------
#
# The tests run as root, for whom the kernel ignores file modes: a 0444 file in a 0555
# folder proves nothing by itself, since a read-write open would succeed and SQLite would
# happily create -wal and -shm files beside it. What proves the read commands read only:
# (1) the file's bytes and mtime are unchanged (a write through SQLite touches both);
# (2) nothing is created beside it: the code must see from the modes that the folder is
# read-only, and open the archive immutable instead of letting SQLite create its -shm;
# (3) test_read_only_copy_as_an_unprivileged_user runs the same commands as `nobody`,
# where the kernel refuses every write, which is the situation of a real user.


@pytest.fixture
def read_only_copy(base_then_edited: CrawledArchive, tmp_path: Path) -> Iterator[Path]:
    path = base_then_edited.copy_to(tmp_path / "handed-on" / "archive.sqlite")
    with _read_only(path.parent):
        yield path


def _article_url(path: Path) -> str:
    url: str = _query(path, "select url from articles order by id limit 1")[0][0]
    return url


# (arguments, exit status, text expected on stdout); {url} is an archived article's URL.
READ_COMMANDS: list[tuple[list[str], int, str]] = [
    *(
        (["export", table], 0, ",".join(exports.TABLES[table].columns))
        for table in sorted(exports.TABLES)
    ),
    (["export", "articles", "--format", "jsonl"], 0, '"url": "'),
    (["history", "{url}"], 0, "{url}  (amnestyusa, "),
    (["show", "{url}"], 0, "url: {url}"),
    (["search", "consultation"], 0, "consultation"),
    (["changes"], 0, "changed"),
    (["stats"], 0, "articles per source"),
    (["runs"], 0, "amnestyusa"),
    (["quarantine"], 0, "quarantined items"),
    (["check", "--no-record"], 0, "healthy"),
    # Without --no-record the verdict is not written to a read-only archive either.
    (["check"], 0, "healthy"),
]


def _run_read_command(path: Path, args: list[str], url: str) -> Result:
    return run_cli([a.replace("{url}", url) for a in args], path)


@pytest.mark.parametrize(
    ("args", "exit_code", "expected"), READ_COMMANDS, ids=[" ".join(c[0]) for c in READ_COMMANDS]
)
def test_every_read_command_reads_a_read_only_copy_without_writing(
    read_only_copy: Path, args: list[str], exit_code: int, expected: str
) -> None:
    url = _article_url(read_only_copy)
    before = FileState.of(read_only_copy)
    result = _run_read_command(read_only_copy, args, url)
    assert result.exit_code == exit_code, result.output
    assert expected.replace("{url}", url) in result.stdout, result.stdout[:2000]
    assert "readonly database" not in result.output
    assert_unchanged(read_only_copy, before)
    assert _listing(read_only_copy.parent) == ["archive.sqlite"]


def test_check_says_the_verdict_of_a_read_only_archive_was_not_recorded(
    read_only_copy: Path,
) -> None:
    result = run_cli(["check"], read_only_copy)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        f"warning: the verdict was not recorded: {read_only_copy} is read-only"
    )
    assert run_cli(["check", "--no-record"], read_only_copy).stderr == ""


def test_serve_builds_its_view_of_a_read_only_copy_without_writing(
    read_only_copy: Path,
) -> None:
    before = FileState.of(read_only_copy)
    assert check_archive(read_only_copy) == read_only_copy
    metadata = build_metadata(read_only_copy)
    assert "current_articles" in metadata["databases"]["archive"]["tables"]
    with _serving(read_only_copy) as database:
        runs = _served(database, "select id from crawl_runs order by id")
    assert runs == [{"id": 1}, {"id": 2}]
    assert_unchanged(read_only_copy, before)
    assert _listing(read_only_copy.parent) == ["archive.sqlite"]


def _as_nobody(job: Callable[[], Any]) -> Any:
    """``job()`` in a forked child running as `nobody`; its JSON-able result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        except PermissionError as exc:  # a container without CAP_SETUID
            payload = json.dumps({"skip": f"cannot become nobody: {exc}"})
        else:
            try:
                payload = json.dumps({"result": job()})
            except BaseException as exc:  # the parent reports it
                payload = json.dumps({"error": repr(exc)})
        with os.fdopen(write_end, "w") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        reply = json.loads(answer.read() or '{"error": "no answer"}')
    os.waitpid(pid, 0)
    if "skip" in reply:
        pytest.skip(reply["skip"])
    assert "error" not in reply, reply["error"]
    return reply["result"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="not root: the modes already apply to this user in the tests above",
)
def test_read_only_copy_as_an_unprivileged_user(base_then_edited: CrawledArchive) -> None:
    # pytest's temporary folders are private to root; nobody needs a path it may enter.
    top = Path(tempfile.mkdtemp(prefix="read-only-"))
    try:
        top.chmod(0o755)
        path = base_then_edited.copy_to(top / "handed-on" / "archive.sqlite")
        url = _article_url(path)
        with _read_only(path.parent):
            before = FileState.of(path)
            # Once as root first: the child can then import nothing new from the
            # virtualenv, which nobody may not read.
            for args, _, _ in READ_COMMANDS:
                _run_read_command(path, args, url)
            assert _listing(path.parent) == ["archive.sqlite"]

            def every_command() -> list[tuple[list[str], int, str, str]]:
                outcomes = []
                for args, _, _ in READ_COMMANDS:
                    result = _run_read_command(path, args, url)
                    outcomes.append((args, result.exit_code, result.stdout, result.stderr))
                return outcomes

            outcomes = _as_nobody(every_command)
            assert_unchanged(path, before)
            assert _listing(path.parent) == ["archive.sqlite"]
        for (args, exit_code, stdout, stderr), (_, want_code, expected) in zip(
            outcomes, READ_COMMANDS, strict=True
        ):
            assert exit_code == want_code, (args, stderr)
            assert expected.replace("{url}", url) in stdout, (args, stderr)
            assert "readonly database" not in stderr, (args, stderr)
    finally:
        shutil.rmtree(top)


def test_a_read_only_folder_with_unmerged_transactions_is_refused(
    base_then_edited: CrawledArchive, tmp_path: Path
) -> None:
    # Immutable readers would ignore the -wal file and show the archive without its last
    # transactions; without the -shm file and a folder to create it in, a locking reader
    # cannot read it either. The user is told what to do instead.
    path = base_then_edited.copy_to(tmp_path / "handed-on" / "archive.sqlite")
    _killed_writer(path, "from-the-wal")
    Path(f"{path}-shm").unlink()
    with _read_only(path.parent):
        before = FileState.of(path)
        for args in (["runs"], ["export", "runs"], ["check", "--no-record"], ["serve"]):
            result = run_cli(args, path)
            assert_one_line_error(result, "that only a writer can merge")
            assert_unchanged(path, before)
            assert _listing(path.parent) == ["archive.sqlite", "archive.sqlite-wal"]


def test_a_read_only_folder_with_a_writer_s_files_is_read_with_them(
    base_then_edited: CrawledArchive, tmp_path: Path
) -> None:
    # Another user's crawl writing to a folder we may only read: its -wal and -shm files
    # are there, and a read-only reader reads the transactions in the -wal through them.
    path = base_then_edited.copy_to(tmp_path / "shared" / "archive.sqlite")
    _killed_writer(path, "from-the-wal")
    with _read_only(path.parent):
        before = FileState.of(path)
        result = run_cli(["export", "runs", "--format", "jsonl"], path)
        assert result.exit_code == 0, result.output
        reasons = [json.loads(line)["finish_reason"] for line in result.stdout.splitlines()]
        assert "from-the-wal" in reasons
        assert_unchanged(path, before)


# -- serve after a killed crawl, and while one writes --------------------------------------


def _writer(path: Path, commands: Any, answers: Any) -> None:
    """A crawl's view of the archive: commit what it is told, never checkpoint."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    for line in commands:
        conn.execute("update crawl_runs set finish_reason = ? where id = 1", (line.strip(),))
        answers.write("done\n")
        answers.flush()


@contextmanager
def _live_writer(path: Path) -> Iterator[Callable[[str], None]]:
    """A child process writing to the archive, SIGKILLed at the end (as a crawl can be)."""
    commands_r, commands_w = os.pipe()
    answers_r, answers_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(commands_w)
        os.close(answers_r)
        try:
            _writer(path, os.fdopen(commands_r), os.fdopen(answers_w, "w"))
        finally:
            os._exit(0)
    os.close(commands_r)
    os.close(answers_w)
    commands, answers = os.fdopen(commands_w, "w"), os.fdopen(answers_r)

    def commit(reason: str) -> None:
        commands.write(reason + "\n")
        commands.flush()
        assert answers.readline() == "done\n"

    try:
        yield commit
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        commands.close()
        answers.close()


def _killed_writer(path: Path, reason: str) -> None:
    with _live_writer(path) as commit:
        commit(reason)
    assert Path(f"{path}-wal").stat().st_size > 0


@contextmanager
def _serving(path: Path) -> Iterator[str]:
    """`newsroom-archive serve --port 0` on the archive; yields the database's URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsroom_archive", "--db", str(path), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/\w+", line)
        assert found, f"no URL announced: {line!r}"
        deadline = time.monotonic() + 60
        while True:
            try:
                OPENER.open(found.group(0) + ".json", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "Datasette did not answer"
                time.sleep(0.2)
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


def _served(database: str, sql: str) -> Any:
    query = urllib.parse.urlencode({"sql": sql, "_shape": "array"})
    with OPENER.open(f"{database}.json?{query}", timeout=30) as response:
        return json.loads(response.read())


REASON_SQL = "select finish_reason from crawl_runs where id = 1"


def test_serve_after_a_killed_crawl_serves_what_it_committed(
    base_then_edited: CrawledArchive, tmp_path: Path
) -> None:
    path = base_then_edited.copy_to(tmp_path / "killed" / "archive.sqlite")
    _killed_writer(path, "committed before the kill")
    # What an immutable reader (the old serve) would show: the file without the -wal.
    assert _query(path, REASON_SQL) == [("finished",)]
    before = FileState.of(path)
    with _serving(path) as database:
        assert _served(database, REASON_SQL) == [{"finish_reason": "committed before the kill"}]
    assert_unchanged(path, before)


def test_serve_follows_a_crawl_that_writes_while_it_serves(
    base_then_edited: CrawledArchive, tmp_path: Path
) -> None:
    path = base_then_edited.copy_to(tmp_path / "live" / "archive.sqlite")
    with _live_writer(path) as commit:
        commit("first batch")
        with _serving(path) as database:
            assert _served(database, REASON_SQL) == [{"finish_reason": "first batch"}]
            commit("second batch")
            assert _served(database, REASON_SQL) == [{"finish_reason": "second batch"}]


def test_serve_opens_an_archive_without_a_wal_immutable(read_only_copy: Path) -> None:
    assert archive_uri(read_only_copy).endswith("?mode=ro&immutable=1")


# -- every command that takes --db, given a bad archive ------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _missing(folder: Path) -> str:
    return str(folder / "missing.sqlite")


def _folder(folder: Path) -> str:
    (folder / "folder.sqlite").mkdir()
    return str(folder / "folder.sqlite")


def _empty(folder: Path) -> str:
    (folder / "empty.sqlite").touch()
    return str(folder / "empty.sqlite")


def _text(folder: Path) -> str:
    (folder / "notes.sqlite").write_text("field notes, not a database\n")
    return str(folder / "notes.sqlite")


def _other_database(folder: Path) -> str:
    conn = sqlite3.connect(folder / "other.sqlite")
    conn.execute("create table t (x)")
    conn.close()
    return str(folder / "other.sqlite")


def _postgresql(_folder: Path) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/archive"


def _unknown_scheme(_folder: Path) -> str:
    return "nosuch://archive/x"


def _bad_port(_folder: Path) -> str:
    return "postgresql+psycopg://postgres@127.0.0.1:notaport/archive"


# name → (make it in a folder, the message of read commands, the message of serve)
BAD_ARCHIVES: dict[str, tuple[Callable[[Path], str], str, str]] = {
    "missing file": (_missing, "no archive at ", "no archive at "),
    "folder": (_folder, "it is a folder, not a file", "it is a folder, not a file"),
    "empty file": (_empty, "is empty, not an archive", "is empty, not an archive"),
    "text file": (_text, "it is not a SQLite database", "it is not a SQLite database"),
    "other SQLite database": (
        _other_database,
        "is not a newsroom archive",
        "is not a newsroom archive",
    ),
    "PostgreSQL, closed port": (_postgresql, "Connection refused", "serves SQLite archives"),
    "unknown scheme": (_unknown_scheme, "unknown database type 'nosuch'", "unknown database"),
    "port not a number": (_bad_port, "not a database URL", "not a database URL"),
}

# Every command that takes --db: (arguments, exit status of a refusal).
DB_COMMANDS: list[tuple[list[str], int]] = [
    (["export", "articles"], 1),
    (["export", "runs", "--format", "jsonl"], 1),
    (["search", "law"], 1),
    (["show", "https://www.amnestyusa.org/news/x/"], 1),
    (["history", "https://www.amnestyusa.org/news/x/"], 1),
    (["changes"], 1),
    (["stats"], 1),
    (["runs"], 1),
    (["quarantine"], 1),
    (["check"], 2),
    (["check", "--no-record"], 2),
    (["serve", "--port", "0"], 1),
    (["db", "upgrade"], 1),
]

# Where a bad archive is not an error: `db upgrade` makes an archive of a missing or empty
# file, as its help says. Its message for the other SQLite database: alembic finds no
# schema version and would add its tables to someone else's database, so it refuses.
UPGRADE_MAKES = {"missing file", "empty file"}
UPGRADE_MESSAGES = {"other SQLite database": "is not a newsroom archive"}

CASES = [(args, code, bad) for args, code in DB_COMMANDS for bad in BAD_ARCHIVES]


@pytest.mark.parametrize(
    ("args", "exit_code", "bad"), CASES, ids=[f"{' '.join(a)} / {b}" for a, c, b in CASES]
)
def test_a_bad_archive_is_one_line_and_left_as_it_was(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    exit_code: int,
    bad: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may appear here either (a data/ folder, say)
    make, read_message, serve_message = BAD_ARCHIVES[bad]
    db = make(tmp_path)
    plain = "://" not in db
    before = FileState.of(Path(db)) if plain and not Path(db).is_dir() else None
    listing = _listing(tmp_path)
    result = run_cli(args, db)
    if args == ["db", "upgrade"] and bad in UPGRADE_MAKES:
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "archive upgraded from schema none to 0007"
        assert _query(Path(db), "select version_num from alembic_version") == [("0007",)]
        return
    if args == ["db", "upgrade"]:
        read_message = UPGRADE_MESSAGES.get(bad, read_message)
    expected = serve_message if args[0] == "serve" else read_message
    assert_one_line_error(result, expected, exit_code=exit_code)
    assert result.stdout == ""
    if before is not None:
        assert_unchanged(Path(db), before)
    assert _listing(tmp_path) == listing


# -- the archive named by a plain path ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("sqlite:////srv/a.sqlite", "sqlite:////srv/a.sqlite"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("/srv/archive/x.sqlite", "sqlite:////srv/archive/x.sqlite"),
        ("data/x.sqlite", "sqlite:///data/x.sqlite"),
        ("x.sqlite", "sqlite:///x.sqlite"),
        ("~/x.sqlite", f"sqlite:///{Path.home()}/x.sqlite"),
    ],
)
def test_a_plain_path_names_a_sqlite_file(value: str, url: str) -> None:
    assert resolve_url(value) == url


def test_read_commands_take_a_plain_path(
    base_then_edited: CrawledArchive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base_then_edited.copy_to(tmp_path / "archive.sqlite")
    by_url = run_cli(["runs", "--json"], f"sqlite:///{path}")
    assert by_url.exit_code == 0, by_url.output
    assert run_cli(["runs", "--json"], str(path)).stdout == by_url.stdout
    monkeypatch.chdir(tmp_path)
    assert run_cli(["runs", "--json"], "archive.sqlite").stdout == by_url.stdout


# -- full-text queries the search syntax cannot read -------------------------------------

MALFORMED_QUERIES = ['"unbalanced', "AND", "e-mail", "nosuch:law", "(", "*", "law OR", "NOT law"]


@pytest.mark.parametrize("query", MALFORMED_QUERIES)
def test_a_malformed_search_says_how_to_write_one(read_only_copy: Path, query: str) -> None:
    before = FileState.of(read_only_copy)
    result = run_cli(["search", query], read_only_copy)
    assert_one_line_error(result, f"cannot search for {query!r}: ", exit_code=1)
    assert 'search syntax: words (all must match), "a phrase"' in result.stderr
    assert "fts5" not in result.stderr.split("(search syntax")[1]
    assert_unchanged(read_only_copy, before)


# -- opening for writing (what a crawl does) -------------------------------------------


@pytest.mark.parametrize("bad", ["folder", "text file", "other SQLite database"])
def test_opening_for_writing_refuses_what_is_not_an_archive_as_it_was_found(
    tmp_path: Path, bad: str
) -> None:
    # A read-write SQLite connection would switch another database to WAL mode (its
    # header rewritten) before the schema check could refuse it.
    make, message, _ = BAD_ARCHIVES[bad]
    db = Path(make(tmp_path))
    before = FileState.of(db) if db.is_file() else None
    listing = _listing(tmp_path)
    with pytest.raises(ArchiveError, match=re.escape(message)):
        Archive(f"sqlite:///{db}")
    if before is not None:
        assert_unchanged(db, before)
    assert _listing(tmp_path) == listing


def test_opening_the_archive_again_keeps_this_process_s_locks(
    base_then_edited: CrawledArchive, tmp_path: Path
) -> None:
    # Closing any descriptor of a file drops every POSIX lock the process holds on it.
    # A crawl opens the archive more than once; had opening read the file's header with
    # open(), its writer would lose its lock, and another process closing the archive
    # would take itself for the last and delete the -wal file under the crawl (a "disk
    # I/O error" in the crawl's next connection).
    path = base_then_edited.copy_to(tmp_path / "archive.sqlite")
    held = sqlite3.connect(path)
    try:
        held.execute("select count(*) from crawl_runs").fetchone()
        wal = Path(f"{path}-wal")
        assert wal.exists()
        Archive(f"sqlite:///{path}", readonly=True, create=False).engine.dispose()
        Archive(f"sqlite:///{path}", create=False).close()
        other = (
            "import sqlite3, sys; "
            "sqlite3.connect(sys.argv[1]).execute('select count(*) from crawl_runs').fetchall()"
        )
        subprocess.run([sys.executable, "-c", other, str(path)], check=True)
        assert wal.exists(), "another process found this one's lock gone"
    finally:
        held.close()
