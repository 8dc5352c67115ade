"""`newsroom-archive serve`: Datasette over a real crawl of the sample newsroom, read-only.

The archive holds two crawls (states `base`, then `edited`). Expected values come from
the sample newsroom's answer key or from sqlite3 on the same file, never from the
queries under test. Only loopback traffic.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsroom_archive.cli_serve import serve_command
from newsroom_archive.sample_site import article_url, expected_articles
from newsroom_archive.serve import (
    DATE_FORMAT,
    TRUNCATE_CELLS,
    archive_uri,
    build_metadata,
    check_archive,
    descriptions,
)
from tests.helpers.crawling import CrawledArchive

CODEBOOK = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"
CHROMIUM = Path("/usr/bin/chromium")
# Loopback only: no proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
START = (
    "import sys; from newsroom_archive.cli_serve import serve_command; "
    "serve_command.main(['--port', '0'], obj={'db_url': 'sqlite:///' + sys.argv[1]}, "
    "prog_name='serve')"
)


class Crawled:
    def __init__(self, path: Path, base_url: str) -> None:
        self.path = path
        self.base_url = base_url

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"{self.path.as_uri()}?immutable=1", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, base_then_edited: CrawledArchive) -> Crawled:
    # A copy in a folder of its own: the tests check that serving leaves both untouched.
    path = base_then_edited.copy_to(tmp_path_factory.mktemp("serve") / "archive.sqlite")
    return Crawled(path, base_then_edited.base_url)


def _digest(path: Path) -> tuple[str, list[str]]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(
        p.name for p in path.parent.iterdir()
    )


@pytest.fixture(scope="module")
def before(archive: Crawled) -> tuple[str, list[str]]:
    return _digest(archive.path)


@pytest.fixture(scope="module")
def server(
    archive: Crawled, before: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = tmp_path_factory.mktemp("server") / "stderr.txt"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", START, str(archive.path)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert proc.stdout is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/archive", line)
        assert found, f"no URL announced: {line!r} {log.read_text()}"
        url = found.group(0)
        deadline = time.monotonic() + 60
        while True:
            try:
                OPENER.open(url.rsplit("/", 1)[0] + "/-/versions.json", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "Datasette did not answer"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()


def get_json(url: str) -> Any:
    with OPENER.open(url, timeout=30) as response:
        return json.loads(response.read())


def get_text(url: str) -> str:
    with OPENER.open(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


# -- the running server ------------------------------------------------------------


def test_metadata_carries_the_codebook(server: str) -> None:
    root = server.rsplit("/", 1)[0]
    metadata = get_json(root + "/-/metadata.json")
    tables = metadata["databases"]["archive"]["tables"]
    for name, table in descriptions()["tables"].items():
        assert tables[name]["description"] == table["description"]
        assert tables[name]["columns"] == table["columns"]
    assert tables["current_articles"]["fts_table"] == "articles_fts"
    assert set(metadata["databases"]["archive"]["queries"]) >= {"newsroom_on_date", "runs"}
    page = get_text(root + "/codebook")
    assert all(f'id="{name}"' in page for name in descriptions()["tables"])
    assert "Headline: og:title of the article page" in get_text(server + "/current_articles")
    listed = get_json(server + ".json")
    hidden = {t["name"] for t in listed["tables"] if t["hidden"]}
    assert {"alembic_version", "articles_fts", "articles_fts_data"} <= hidden
    assert not {"articles", "versions", "changes"} & hidden


def test_photo_agencies_by_year(archive: Crawled, server: str) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for published, agencies in archive.query(
        "select v.published_date, v.photo_agencies from articles a "
        "join versions v on v.id = a.current_version_id"
    ):
        for agency in json.loads(agencies):
            counts[(published[:4], agency)] += 1
    want = [
        {"year": year, "agency": agency, "articles": n}
        for (year, agency), n in sorted(
            counts.items(), key=lambda item: (-int(item[0][0]), -item[1], item[0][1])
        )
    ]
    assert ("2020", "Getty Images") in counts
    assert get_json(server + "/photo_agencies_by_year.json?_shape=array") == want


def _on(server: str, moment: str) -> set[tuple[str, str]]:
    query = urllib.parse.urlencode({"date": moment, "_shape": "array"})
    return {(r["url"], r["title"]) for r in get_json(f"{server}/newsroom_on_date.json?{query}")}


def test_what_the_newsroom_looked_like_on_a_date(archive: Crawled, server: str) -> None:
    (second_started,), (last_detected,) = archive.query(
        "select started_at from crawl_runs where id = 2 union all select max(detected_at) "
        "from changes"
    )
    (first_finished,) = archive.query("select finished_at from crawl_runs where id = 1")[0]
    assert first_finished < second_started
    base, edited = (
        {(article_url(archive.base_url, s), s.title) for s in expected_articles(state)}
        for state in ("base", "edited")
    )
    assert base != edited
    assert _on(server, second_started) == base
    assert _on(server, last_detected) == edited
    assert _on(server, "1999-12-31") == set()


def test_full_text_search(archive: Crawled, server: str) -> None:
    want = {
        article_url(archive.base_url, s)
        for s in expected_articles("edited")
        if "Atrato" in " ".join(filter(None, (s.title, s.teaser_full, s.body_text, s.caption)))
    }
    assert len(want) == 1
    for word in ("Atrato", "atrato"):
        rows = get_json(f"{server}/current_articles.json?_search={word}&_shape=array")
        assert {r["url"] for r in rows} == want


def test_facets(archive: Crawled, server: str) -> None:
    data = get_json(server + "/current_articles.json?_size=0")
    facets = data["facet_results"]
    assert {"source", "kind", "year", "status", "photo_agencies"} <= set(facets)
    agencies = {r["value"]: r["count"] for r in facets["photo_agencies"]["results"]}
    (getty,) = archive.query(
        "select count(*) from current_articles where photo_agencies like '%\"Getty Images\"%'"
    )[0]
    assert agencies["Getty Images"] == getty
    kinds = {r["value"]: r["count"] for r in facets["kind"]["results"]}
    assert kinds == dict(archive.query("select kind, count(*) from current_articles group by 1"))


class RowsParser(HTMLParser):
    """Cell texts of each body row of Datasette's results table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_body = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "rows-and-columns" in (dict(attrs).get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "tbody":
            self._in_body = self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.rows[-1][-1] += data


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_canned_query_renders_in_a_browser(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (Debian package chromium)")
    page = server + "/photo_agencies_by_year"
    want = get_json(page + ".json?_shape=array")
    parser = RowsParser()
    parser.feed(_chromium(tmp_path, "--dump-dom", page).stdout)
    assert [[cell.strip() for cell in row] for row in parser.rows] == [
        [r["year"], r["agency"], str(r["articles"])] for r in want
    ]
    shot = tmp_path / "canned.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") >= 1280 // 2  # width, at any device scale
    assert len(png) > 20_000


def test_current_articles_render_in_a_browser(
    archive: Crawled, server: str, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (Debian package chromium)")
    page = server + "/current_articles"
    dom = _chromium(tmp_path, "--dump-dom", page).stdout
    # Folded (no `open`), before the rows; each row with its link to the versions.
    assert '<details class="column-meanings">' in dom
    assert dom.index('<details class="column-meanings">') < dom.index(
        '<table class="rows-and-columns"'
    )
    parser = RowsParser()
    parser.feed(dom)
    ((count,),) = archive.query("select count(*) from current_articles")
    assert len(parser.rows) == count
    assert sum("version" in " ".join(row) for row in parser.rows) == count
    shot = tmp_path / "current_articles.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_front_page_links_to_current_articles(server: str) -> None:
    root = server.rsplit("/", 1)[0]
    link = '<a href="/archive/current_articles">current_articles</a>'
    assert f"Start with {link} (search, facets)" in get_text(root + "/")
    assert f"Start with {link}, or one of the queries." in get_text(server)


def test_column_descriptions_are_folded_above_the_rows(server: str) -> None:
    page = get_text(server + "/current_articles")
    columns = descriptions()["tables"]["current_articles"]["columns"]
    folded = re.search(r'<details class="column-meanings">(.*?)</details>', page, re.S)
    assert folded, "no folded column descriptions"
    assert f"What the {len(columns)} columns mean" in folded.group(1)
    assert all(f"<dt>{name}</dt>" in folded.group(1) for name in columns)
    assert '<a href="/codebook#current_articles">the codebook</a>' in folded.group(1)
    # Datasette's own unfolded list follows, hidden by the rule shipped with it.
    assert "details.column-meanings ~ dl.column-descriptions { display: none; }" in page
    after = page[folded.end() :]
    assert after.index('<dl class="column-descriptions">') < after.index(
        '<table class="rows-and-columns"'
    )


def test_long_cells_are_truncated_in_tables(archive: Crawled, server: str) -> None:
    bodies = dict(archive.query("select id, body from current_articles"))
    long_bodies = {i for i, body in bodies.items() if body and len(body) > TRUNCATE_CELLS}
    assert long_bodies, "the sample newsroom has long bodies"
    page = get_text(server + "/current_articles?_size=max&_col=id&_col=body")
    parser = RowsParser()
    parser.feed(page)
    cells = {int(row[0].strip()): row[1] for row in parser.rows}
    assert set(cells) == set(bodies)
    for article_id, cell in cells.items():
        if article_id in long_bodies:
            assert cell == bodies[article_id][:TRUNCATE_CELLS] + "…"
        else:
            assert cell == (bodies[article_id] or "\xa0")
    # The JSON keeps the whole text.
    rows = get_json(server + "/current_articles.json?_shape=array&_size=max")
    assert {r["id"]: r["body"] for r in rows} == bodies


def _error_of(url: str) -> tuple[int, dict[str, Any]]:
    try:
        OPENER.open(url, timeout=30).close()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    raise AssertionError(f"{url} answered without an error")


@pytest.mark.parametrize("moment", ["", "junk", "2021-6-1", "2021-02-30", "2021-06-01Tnoon"])
def test_the_date_query_refuses_a_malformed_date(server: str, moment: str) -> None:
    query = urllib.parse.urlencode({"date": moment})
    code, answer = _error_of(f"{server}/newsroom_on_date.json?{query}")
    assert code == 400
    assert answer["ok"] is False and answer["rows"] == []
    assert answer["error"] == f"JSON path error near '{DATE_FORMAT}'"
    page = get_text_of_error(f"{server}/newsroom_on_date?{query}")
    assert DATE_FORMAT in html.unescape(page)


def get_text_of_error(url: str) -> str:
    try:
        return get_text(url)
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8"))


def test_each_article_links_to_its_versions(archive: Crawled, server: str) -> None:
    counts = dict(archive.query("select id, version_count from current_articles"))
    assert set(counts.values()) >= {1, 2}
    page = get_text(server + "/current_articles?_size=max")
    links = re.findall(
        r'<a href="/archive/versions\?article_id=(\d+)&amp;_sort=version">(\d+) versions?</a>',
        page,
    )
    assert {int(i): int(n) for i, n in links} == counts
    for article_id, count in counts.items():
        rows = get_json(
            f"{server}/versions.json?article_id={article_id}&_sort=version&_shape=array"
        )
        assert [r["version"] for r in rows] == list(range(1, count + 1))


def test_the_archive_was_not_touched(
    archive: Crawled, server: str, before: tuple[str, list[str]]
) -> None:
    # Runs after the requests above, with the server still up.
    assert _digest(archive.path) == before


# -- refusing what it cannot serve ---------------------------------------------------


def _refusal(db_url: str) -> str:
    result = CliRunner().invoke(serve_command, [], obj={"db_url": db_url})
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_refuses_postgresql() -> None:
    assert "Datasette serves SQLite archives" in _refusal("postgresql+psycopg://u@h/db")


def test_refuses_what_is_not_an_archive(tmp_path: Path) -> None:
    assert "no archive at" in _refusal(f"sqlite:///{tmp_path / 'missing.sqlite'}")
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database")
    assert "is not a SQLite database" in _refusal(f"sqlite:///{text}")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    assert "is not a newsroom archive" in _refusal(f"sqlite:///{other}")
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(
        "create table alembic_version (version_num); insert into alembic_version values ('0001');"
    )
    conn.commit()
    conn.close()
    assert "newsroom-archive db upgrade" in _refusal(f"sqlite:///{old}")


def test_an_archive_with_a_wal_is_read_with_it_not_refused(
    archive: Crawled, tmp_path: Path
) -> None:
    # A -wal file beside the archive once meant a refusal ("is being written"), even
    # after a killed crawl; now it is read with SQLite's locks, -wal included
    # (tests/test_bad_input_archive.py serves one a killed writer left).
    copy = tmp_path / "busy.sqlite"
    shutil.copy(archive.path, copy)
    Path(f"{copy}-wal").write_bytes(b"\0" * 32)
    assert check_archive(copy) == copy
    assert archive_uri(copy) == f"{copy.resolve().as_uri()}?mode=ro"


def test_says_how_to_install_datasette(archive: Crawled, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    line = _refusal(f"sqlite:///{archive.path}")
    assert "pip install 'newsroom-archive[serve]'" in line


# -- descriptions cannot drift from the codebook or the schema ----------------------

# Export name → the table or view whose columns it exports (credits: derived, no table).
RELATION = {
    "articles": "current_articles",
    "versions": "versions",
    "changes": "changes",
    "sightings": "sightings",
    "runs": "crawl_runs",
    "quarantine": "quarantine",
    "credits": None,
}
# Export columns stored under another name.
STORED_AS = {
    ("versions", "source"): "article_id",
    ("versions", "url"): "article_id",
    ("changes", "source"): "article_id",
    ("changes", "url"): "article_id",
    ("changes", "version"): "version_id",
    ("sightings", "source"): "article_id",
    ("sightings", "url"): "article_id",
    ("crawl_runs", "run_id"): "id",
    ("crawl_runs", "source"): "source_id",
    ("quarantine", "source"): "source_id",
    # The evidence columns of export versions come from the captures row it names.
    ("versions", "warc_filename"): "warc_record_id",
    ("versions", "warc_offset"): "warc_record_id",
    ("versions", "warc_length"): "warc_record_id",
    ("versions", "payload_digest"): "warc_record_id",
}


def codebook_columns() -> dict[str, list[str]]:
    """Export name → its columns, from the codebook's column tables and column lists."""
    sections = re.split(r"^## ", CODEBOOK.read_text(encoding="utf-8"), flags=re.M)[1:]
    found: dict[str, list[str]] = {}
    for section in sections:
        heading = re.match(r"`(\w+)`", section)
        if not heading:
            continue
        columns: list[str] = []
        body = section.split("\n", 1)[1].strip()
        # The column list is the first sentence of a section that has no column table.
        listing = re.split(r"\.\s", body, maxsplit=1)[0]
        if listing.startswith("`"):
            spans = re.findall(r"`([^`]+)`|(…)", listing)
            for i, (span, ellipsis) in enumerate(spans):
                if ellipsis:
                    articles = found["articles"]
                    start, end = spans[i - 1][0], spans[i + 1][0]
                    columns += articles[articles.index(start) + 1 : articles.index(end)]
                else:
                    columns += [n.strip() for n in span.split(",") if n.strip() != "articles"]
        for cell in re.findall(r"^\| (`.+?`) \|", body, flags=re.M):
            columns += re.findall(r"`(\w+)`", cell)
        found[heading.group(1)] = list(dict.fromkeys(columns))
    return found


def test_every_codebook_column_has_a_description() -> None:
    exported = codebook_columns()
    assert exported["articles"][:3] == ["source", "url", "title"]
    assert "date_source" in exported["versions"] and "body" in exported["versions"]
    described = descriptions()["tables"]
    for export, columns in exported.items():
        assert export in RELATION, f"map the codebook's `{export}` to its table in RELATION"
        relation = RELATION[export]
        if relation is None:
            continue
        missing = [
            c
            for c in columns
            if STORED_AS.get((relation, c), c) not in described[relation]["columns"]
        ]
        assert not missing, f"{relation}: no description for {missing}"


def test_descriptions_match_the_schema(archive: Crawled) -> None:
    described = descriptions()["tables"]
    for relation, table in described.items():
        assert table["description"]
        schema = [row[1] for row in archive.query(f"select * from pragma_table_info('{relation}')")]
        assert schema, relation
        assert set(table["columns"]) == set(schema), relation
        assert all(table["columns"].values()), relation
    shown = {
        name
        for (name,) in archive.query(
            "select name from sqlite_master where type in ('table', 'view') "
            "and name not like 'articles_fts%' and name not in ('alembic_version', 'crawl_locks')"
        )
    }
    assert shown == set(described)


def test_metadata_names_the_database_after_the_file() -> None:
    metadata = build_metadata("/somewhere/newsroom.sqlite")
    (name,) = metadata["databases"]
    assert name == "newsroom"
    current = metadata["databases"][name]["tables"]["current_articles"]
    assert {"array": "photo_agencies"} in current["facets"]
    assert current["fts_pk"] == "id"
    assert current["sort_desc"] == "published_date"
