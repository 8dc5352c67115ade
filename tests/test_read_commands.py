"""What the read commands answer, on a small archive written through the archive's API:
credit rows, run health, article references, --as-of before the archive, the date flags,
and terminal output that fits 80 columns without cutting a URL."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsroom_archive.archive import Archive
from newsroom_archive.archive.export import RUN_COLUMNS
from newsroom_archive.cli import main
from newsroom_archive.items import ArticleRecord, NormalisedArticle
from tests.helpers.small_archive import (
    EDITED_BODY,
    LONG_URL,
    SHORT_URL,
    TITLE,
    SmallArchive,
    build_small_archive,
)

WIDTH = 80


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> SmallArchive:
    return build_small_archive(tmp_path_factory.mktemp("read-commands") / "archive.sqlite")


def cli(archive: SmallArchive, *args: str, columns: int | None = None) -> Result:
    env = {"COLUMNS": str(columns)} if columns else {"COLUMNS": ""}
    return CliRunner().invoke(main, ["--db", archive.url, *args], env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    return result.stdout


def sql(archive: SmallArchive, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{archive.path}?mode=ro", uri=True) as conn:
        return conn.execute(query).fetchall()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_fits(output: str, urls: set[str]) -> None:
    """Every line fits the width, but a URL printed whole on a line of its own."""
    for line in output.splitlines():
        if line.strip() in urls:
            continue
        assert len(line.rstrip()) <= WIDTH, line
    for url in urls:
        assert url in [line.strip() for line in output.splitlines()], url


# -- credits ---------------------------------------------------------------------------


def test_credit_filters_keep_the_rows_of_that_name(archive: SmallArchive) -> None:
    every = csv_rows(ok(cli(archive, "export", "credits")))
    assert len(every) == 6
    getty = csv_rows(ok(cli(archive, "export", "credits", "--agency", "Getty Images")))
    assert [(r["url"], r["role"], r["name"]) for r in getty] == [
        (LONG_URL, "agency", "Getty Images")
    ]
    # Matched as the article filter matches it: case aside.
    assert csv_rows(ok(cli(archive, "export", "credits", "--agency", "getty images"))) == getty
    people = csv_rows(ok(cli(archive, "export", "credits", "--photographer", "Alex Wong")))
    assert [(r["role"], r["name"]) for r in people] == [("photographer", "Alex Wong")]
    both = csv_rows(
        ok(cli(archive, "export", "credits", "--agency", "AFP", "--photographer", "Jane Doe"))
    )
    assert sorted((r["role"], r["name"]) for r in both) == [
        ("agency", "AFP"),
        ("photographer", "Jane Doe"),
    ]
    # Other filters select articles and keep all their credit rows.
    reports = csv_rows(ok(cli(archive, "export", "credits", "--kind", "report")))
    assert sorted((r["role"], r["name"]) for r in reports) == [
        ("agency", "AP"),
        ("photographer", "Sam Roe"),
    ]


# -- runs ------------------------------------------------------------------------------


def test_runs_show_the_health_verdict_and_why_each_stopped(archive: SmallArchive) -> None:
    runs = json.loads(ok(cli(archive, "runs", "--json")))
    assert [(r["run_id"], r["status"], r["health_ok"], r["health"]) for r in runs] == [
        (1, "finished", True, "healthy"),
        (2, "finished", True, "healthy"),
        (3, "finished", False, "unhealthy: empty_listing_pages, item_count"),
    ]
    assert {r["stop_reason"] for r in runs} == {"listing ended on page 3"}
    assert {r["finish_reason"] for r in runs} == {"finished"}

    exported = csv_rows(ok(cli(archive, "export", "runs")))
    assert list(exported[0]) == list(RUN_COLUMNS)
    assert [(r["health_ok"], r["health"]) for r in exported] == [
        ("true", "healthy"),
        ("true", "healthy"),
        ("false", "unhealthy: empty_listing_pages, item_count"),
    ]
    as_jsonl = ok(cli(archive, "export", "runs", "--format", "jsonl")).splitlines()
    assert [json.loads(line)["health_ok"] for line in as_jsonl] == [True, True, False]

    table = ok(cli(archive, "runs", columns=WIDTH))
    assert_fits(table, set())
    (drift,) = [line for line in table.splitlines() if line.strip().startswith("3 ")]
    assert "finished" in drift and "unhealthy:" in drift
    assert "stopped" in table and "listing" in table


# -- show and history ------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        LONG_URL,
        LONG_URL.rstrip("/"),
        LONG_URL.replace("https://", "http://"),
        LONG_URL.replace("www.", ""),
        LONG_URL.replace("www.example.org", "WWW.Example.ORG"),
        LONG_URL.replace("https://www.", "http://").rstrip("/") + "?utm_source=newsletter",
    ],
)
def test_show_and_history_take_any_spelling_of_the_url(
    archive: SmallArchive, spelling: str
) -> None:
    shown = json.loads(ok(cli(archive, "show", spelling, "--json")))
    assert shown["url"] == LONG_URL and shown["title"] == TITLE + " Now"
    history = ok(cli(archive, "history", spelling))
    assert history.splitlines()[0] == f"{LONG_URL}  (example, 2 versions)"


def test_show_and_history_take_the_id_they_print(archive: SmallArchive) -> None:
    shown = json.loads(ok(cli(archive, "show", SHORT_URL, "--json")))
    (article_id,) = sql(archive, f"select id from articles where url = '{SHORT_URL}'")[0]
    assert shown["id"] == article_id
    assert f"id: {article_id}" in ok(cli(archive, "show", SHORT_URL)).splitlines()
    assert json.loads(ok(cli(archive, "show", str(article_id), "--json"))) == shown
    assert ok(cli(archive, "history", str(article_id))).splitlines()[0] == (
        f"{SHORT_URL}  (example, 1 version)"
    )


def test_a_spelling_that_fits_two_articles_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'two.sqlite'}"
    archive = Archive(url)
    run = archive.start_run("example", "example", "full")
    for spelt in ("http://example.org/a/", "https://example.org/a"):
        archive.add(run, NormalisedArticle(record=ArticleRecord("example", spelt, title="A")))
    archive.finish_run(run, "finished")
    archive.close()
    result = CliRunner().invoke(main, ["--db", url, "show", "https://www.example.org/a/"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: https://www.example.org/a/ may be any of 2 articles: "
        "http://example.org/a/ https://example.org/a"
    )
    exact = CliRunner().invoke(main, ["--db", url, "show", "https://example.org/a", "--json"])
    assert json.loads(exact.stdout)["url"] == "https://example.org/a"


# -- --as-of before the archive ----------------------------------------------------------


def test_as_of_before_the_first_run_says_when_the_archive_starts(
    archive: SmallArchive, tmp_path: Path
) -> None:
    (first,) = sql(archive, "select min(started_at) from crawl_runs")[0]
    out = tmp_path / "then.jsonl"
    result = cli(archive, "export", "articles", "--as-of", "2000-01-01", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"0 rows written to {out}",
        f"note: nothing was archived by 2000-01-01: the archive's first run started {first}",
    ]
    to_stdout = cli(archive, "export", "articles", "--as-of", "2000-01-01")
    assert to_stdout.exit_code == 0 and to_stdout.stdout.count("\n") == 1  # the header
    assert to_stdout.stderr.startswith("note: nothing was archived by 2000-01-01")
    later = cli(archive, "export", "articles", "--as-of", "2999-01-01", "-o", str(out))
    assert later.stderr.splitlines() == [f"2 rows written to {out}"]
    one = cli(archive, "export", "articles", "--kind", "report", "-o", str(out))
    assert one.stderr.splitlines() == [f"1 row written to {out}"]


# -- one meaning per date flag ---------------------------------------------------------------


def test_since_is_the_publication_date_and_detected_since_the_detection(
    archive: SmallArchive,
) -> None:
    (second,) = sql(archive, "select started_at from crawl_runs where id = 2")[0]
    published = ok(cli(archive, "export", "changes", "--since", "2021-01-01"))
    assert ok(cli(archive, "export", "changes", "--published-since", "2021-01-01")) == published
    assert {r["url"] for r in csv_rows(published)} == {LONG_URL}
    detected = csv_rows(ok(cli(archive, "export", "changes", "--detected-since", str(second))))
    assert {r["run_id"] for r in detected} == {"2"} and len(detected) == 2
    until = csv_rows(ok(cli(archive, "export", "changes", "--detected-until", str(second))))
    assert {r["run_id"] for r in until} == {"1"}

    note = cli(archive, "changes", "--since", "2021-01-01", "--json")
    assert note.exit_code == 0
    assert note.stderr.strip() == (
        "note: --since is the publication date, as on every command; "
        "when a change was detected is --detected-since"
    )
    plain = cli(archive, "changes", "--published-since", "2021-01-01", "--json")
    assert plain.stderr == "" and plain.stdout == note.stdout
    assert {r["url"] for r in json.loads(plain.stdout)} == {LONG_URL}
    recent = json.loads(ok(cli(archive, "changes", "--detected-since", str(second), "--json")))
    assert sorted(r["field"] for r in recent) == ["body", "title"]
    assert {r["title"] for r in recent} == {TITLE + " Now"}


# -- terminal output -----------------------------------------------------------------------


def test_changes_show_the_title_and_a_word_diff_with_its_size(archive: SmallArchive) -> None:
    shown = ok(cli(archive, "changes", columns=WIDTH))
    assert_fits(shown, {LONG_URL, SHORT_URL})
    assert f"#1  {TITLE} Now" in shown
    assert "body: words +4 -2" in shown
    assert "[-word60-]{+WORD60+}" in " ".join(shown.split())
    assert "the [-end.-]{+end, and more.+}" in " ".join(shown.split())
    # The edit in context, not both bodies: words far from an edit are left out.
    assert "word10 " not in shown and EDITED_BODY[:40] not in shown
    assert "title: words +1 -0" in shown


def test_search_and_stats_fit_the_terminal(archive: SmallArchive) -> None:
    found = ok(cli(archive, "search", "governments", columns=WIDTH))
    assert_fits(found, {LONG_URL})
    assert found.splitlines()[0].startswith("#1  2021-03-01  press-release  example")
    assert_fits(ok(cli(archive, "stats", columns=WIDTH)), set())
    # Into a pipe (no COLUMNS), a row is one line however long.
    piped = ok(cli(archive, "search", "governments"))
    assert TITLE + " Now" in piped.splitlines()
