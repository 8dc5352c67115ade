"""docs/research.md: every recipe runs against a real crawl of the sample newsroom.

The code blocks run in a folder holding the archive at `data/newsroom.sqlite`, where the
document says it is: Python blocks in order in one session, `sh` blocks with bash, `sql`
blocks through the sqlite3 module, `r` blocks with Rscript. Their results are checked
against sqlite3 on the same file and against the sample newsroom's answer key.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsroom_archive.sample_site import expected_articles
from tests.helpers.crawling import CrawledArchive
from tests.helpers.docs import DOCS, fenced_blocks
from tests.helpers.expectations import expected_changes

DOC = DOCS / "research.md"
LANGUAGES = {"python", "sh", "sql", "r"}


def blocks() -> list[tuple[str, str]]:
    """(role, code) of every fenced code block, in document order."""
    return [(role(lang, code), code) for lang, code in fenced_blocks(DOC)]


def role(lang: str, code: str) -> str:
    assert lang in LANGUAGES, f"research.md: no test runs ```{lang} blocks"
    if lang == "python":
        return "datasette-client" if "127.0.0.1:8001" in code else "python"
    if lang == "sh":
        if " serve" in code:
            return "datasette"
        return "sqlite3-cli" if code.startswith("sqlite3 ") else "shell"
    return lang


def of(kind: str) -> list[str]:
    return [code for r, code in blocks() if r == kind]


@dataclass
class Sample:
    workdir: Path
    base_url: str

    @property
    def archive(self) -> Path:
        return self.workdir / "data" / "newsroom.sqlite"

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"{self.archive.as_uri()}?immutable=1", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def per_month(self) -> Counter[tuple[str, str]]:
        return Counter(
            (published[:7], kind)
            for published, kind in self.query(
                "select v.published_date, v.kind from articles a "
                "join versions v on v.id = a.current_version_id"
            )
            if published
        )

    def agencies_per_year(self) -> Counter[tuple[str, str]]:
        counts: Counter[tuple[str, str]] = Counter()
        for published, agencies in self.query(
            "select v.published_date, v.photo_agencies from articles a "
            "join versions v on v.id = a.current_version_id"
        ):
            for agency in json.loads(agencies) if published else []:
                counts[(published[:4], agency)] += 1
        return counts


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, base_then_edited: CrawledArchive) -> Sample:
    workdir = tmp_path_factory.mktemp("research")
    # A copy at the place the document names; the recipes write their files beside it.
    base_then_edited.copy_to(workdir / "data" / "newsroom.sqlite")
    return Sample(workdir, base_then_edited.base_url)


def shell_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_ARCHIVE_URL"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_shell(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        cwd=cwd,
        env=shell_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{code}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def session(sample: Sample) -> dict[str, Any]:
    """The Python and shell recipes, run in document order like one reader's session."""
    namespace: dict[str, Any] = {"__name__": "research"}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(sample.workdir)
        for kind, code in blocks():
            if kind == "python":
                exec(compile(code, str(DOC), "exec"), namespace)
            elif kind == "shell":
                run_shell(code, sample.workdir)
    namespace["con"].close()
    return namespace


def test_every_block_has_a_runner() -> None:
    kinds = Counter(kind for kind, _ in blocks())
    assert kinds["python"] >= 3 and kinds["sql"] >= 3 and kinds["r"] >= 1
    assert kinds["shell"] == kinds["sqlite3-cli"] == kinds["datasette"] == 1


def test_pandas_articles_per_month(session: dict[str, Any], sample: Sample) -> None:
    per_month = session["per_month"]
    got = {(m, k): int(n) for (m, k), n in per_month.stack().items() if n}
    assert got == sample.per_month()
    assert sum(got.values()) == 33


def test_pandas_agencies_per_year(session: dict[str, Any], sample: Sample) -> None:
    table = session["agencies_per_year"]
    got = {(str(y), a): int(n) for (a, y), n in table.stack().items() if n}
    assert got == sample.agencies_per_year()
    assert got[("2020", "Getty Images")] == 10


def test_csv_for_excel(session: dict[str, Any], sample: Sample) -> None:
    exported = (sample.workdir / "articles.csv").read_bytes()
    for_excel = (sample.workdir / "articles-excel.csv").read_bytes()
    assert for_excel == b"\xef\xbb\xbf" + exported
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8"), newline="")))
    assert len(rows) == sample.query("select count(*) from articles")[0][0] == 33
    assert any("; " in row["photo_agencies"] for row in rows)
    got = {(y, a): int(n) for (y, a), n in session["csv_agencies_per_year"].items()}
    assert got == sample.agencies_per_year()


def test_sql_recipes_on_what_changed(sample: Sample) -> None:
    base = sample.base_url
    want = expected_changes(base, "base", "edited")
    results = {code: sample.query(code) for code in of("sql")}

    def result(marker: str) -> list[tuple[Any, ...]]:
        (rows,) = [rows for code, rows in results.items() if marker in code]
        return rows

    edits = {(field, url, old or "", new or "") for _, url, field, old, new in result("'changed'")}
    assert edits == {(f, url, old, new) for c, f, url, old, new in want if c == "changed"}
    per_run = {(run, change): n for run, _, change, n in result("group by c.run_id")}
    assert per_run == {(1, "new"): len(expected_articles("base"))} | {
        (2, change): n for change, n in Counter(c for c, *_ in want).items()
    }
    removed = [(url, status) for url, _, status in result("http_status")]
    assert removed == [(url, "404") for c, _, url, _, _ in want if c == "removed"]
    versions = result("from versions v")
    assert [row[0] for row in versions] == [1, 2]
    assert versions[0][1] < versions[1][1]


def test_sqlite3_command_line(sample: Sample) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("needs the sqlite3 command (Debian package sqlite3)")
    (code,) = of("sqlite3-cli")
    lines = run_shell(code, sample.workdir).stdout.splitlines()
    assert lines[0].split() == ["change", "events"]
    got = {change: int(n) for change, n in (line.split() for line in lines[2:])}
    assert got == dict(sample.query("select change, count(*) from changes group by change"))
    assert got["removed"] == 1


def test_r_recipes(sample: Sample, tmp_path: Path) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("needs Rscript with DBI and RSQLite (Debian: r-base-core r-cran-rsqlite)")
    probe = subprocess.run(
        [rscript, "-e", "library(DBI); library(RSQLite)"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("needs the R packages DBI and RSQLite (Debian: r-cran-rsqlite)")
    workdir = tmp_path / "r"
    (workdir / "data").mkdir(parents=True)
    shutil.copy(sample.archive, workdir / "data" / "newsroom.sqlite")
    (workdir / "recipes.R").write_text("\n".join(of("r")), encoding="utf-8")
    result = subprocess.run(
        [rscript, "recipes.R"], cwd=workdir, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]

    def read(name: str) -> list[dict[str, str]]:
        with (workdir / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    per_month = {(r["month"], r["kind"]): int(r["articles"]) for r in read("per_month.csv")}
    assert per_month == sample.per_month()
    agencies = read("agencies_per_year.csv")
    got = {(r["year"], r["agency"]): int(r["articles"]) for r in agencies}
    assert got == sample.agencies_per_year()
    assert "Getty Images" in result.stdout


def test_datasette_recipe(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("datasette", reason="needs the serve extra (datasette)")
    from newsroom_archive.cli import main

    if "serve" not in main.commands:
        pytest.skip("`serve` is not registered in newsroom_archive.cli yet")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    (serve,) = of("datasette")
    server = subprocess.Popen(
        ["bash", "-c", serve.replace("8001", port)],
        cwd=sample.workdir,
        env=shell_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 60
        while True:
            try:
                opener.open(f"http://127.0.0.1:{port}/newsroom.json", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "Datasette did not answer"
                time.sleep(0.2)
        monkeypatch.setenv("no_proxy", "*")  # the recipe's urlopen: loopback, no proxy
        namespace: dict[str, Any] = {}
        for code in of("datasette-client"):
            exec(compile(code.replace("8001", port), str(DOC), "exec"), namespace)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    got = {(r["year"], r["agency"]): r["articles"] for r in namespace["served_agencies"]}
    assert got == sample.agencies_per_year()
