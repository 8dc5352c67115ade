"""The researcher's doors on the command line, against a real two-crawl archive."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsroom_archive.archive import Archive
from newsroom_archive.archive.database import head_revision
from newsroom_archive.archive.export import ARTICLE_COLUMNS, CREDIT_COLUMNS, SIGHTING_COLUMNS
from newsroom_archive.cli import main
from newsroom_archive.items import ArticleRecord, NormalisedArticle
from newsroom_archive.sample_site import (
    EDITS,
    SampleNewsroom,
    article_url,
    expected_articles,
)
from tests.helpers.crawling import CrawledArchive, crawl


@pytest.fixture
def archive(base_then_edited: CrawledArchive) -> tuple[str, Path]:
    """The sample newsroom crawled in state `base`, then `edited`: shared, for these
    commands only read it (test_read_commands_never_write holds them to that)."""
    return base_then_edited.base_url, base_then_edited.path


def cli(db: Path | str, *args: str) -> Result:
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    return CliRunner().invoke(main, ["--db", url, *args])


def sql(db: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchall()


def test_search_is_ranked_with_snippets_and_filters(archive: tuple[str, Path]) -> None:
    base, db = archive
    result = cli(db, "search", "consultation", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    containing = {
        article_url(base, s)
        for s in expected_articles("edited")
        if "consultation"
        in " ".join([s.title, s.teaser_full, s.body_text, s.caption or ""]).lower()
    }
    assert {f["url"] for f in found} == containing and len(containing) >= 2
    assert [f["rank"] for f in found] == sorted(f["rank"] for f in found)
    assert all("[consultation]" in f["snippet"].lower() for f in found)

    kinds = {f["url"]: f["kind"] for f in found}
    one_kind = next(iter(kinds.values()))
    filtered = json.loads(cli(db, "search", "consultation", "--kind", one_kind, "--json").stdout)
    assert {f["url"] for f in filtered} == {u for u, k in kinds.items() if k == one_kind}

    as_csv = cli(db, "search", "consultation", "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["url"] for r in rows] == [f["url"] for f in found]

    table = cli(db, "search", "consultation")
    assert table.exit_code == 0 and "[consultation]" in table.stdout


def test_search_by_agency_and_photographer(archive: tuple[str, Path]) -> None:
    base, db = archive
    for option, attribute in (("--agency", "photo_agencies"), ("--photographer", "photographers")):
        name = "Getty Images" if option == "--agency" else "Jonathan Bradley"
        result = cli(db, "search", "the", option, name, "--json", "--limit", "100")
        assert result.exit_code == 0, result.output
        want = {
            article_url(base, s)
            for s in expected_articles("edited")
            if name in getattr(s, attribute)
            and " the " in f" {s.title} {s.teaser_full} {s.body_text} {s.caption or ''} ".lower()
        }
        assert {f["url"] for f in json.loads(result.stdout)} == want and want


def test_search_errors_are_one_line(archive: tuple[str, Path], tmp_path: Path) -> None:
    _, db = archive
    nothing = cli(db, "search", "zzyzxnotaword")
    assert nothing.exit_code == 1
    assert nothing.stderr.strip() == "Error: no article matches 'zzyzxnotaword'"
    broken = cli(db, "search", '"unbalanced')
    assert broken.exit_code == 1
    assert broken.stderr.startswith("Error: cannot search for '\"unbalanced'")
    assert len(broken.stderr.strip().splitlines()) == 1
    bad_date = cli(db, "search", "law", "--since", "2020-13-45")
    assert bad_date.exit_code == 2
    assert "'2020-13-45' is not a date (YYYY-MM-DD)" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr
    not_archive = tmp_path / "notes.txt"
    not_archive.write_text("hello")
    result = cli(f"sqlite:///{not_archive}", "search", "law")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot open archive ")


def test_show_is_the_current_version(archive: tuple[str, Path]) -> None:
    base, db = archive
    title_edit = next(m for m in EDITS["edited"] if m.field == "title")
    spec = next(s for s in expected_articles("edited") if s.slug == title_edit.slug)
    result = cli(db, "show", article_url(base, spec) + "?utm_medium=email", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["title"] == title_edit.new
    assert shown["version_count"] == 2
    assert shown["status"] == "active"
    assert shown["photographers"] == spec.photographers
    text = cli(db, "show", article_url(base, spec))
    assert f"title: {title_edit.new}" in text.stdout.splitlines()
    missing = cli(db, "show", f"{base}/nothing/")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: no article with URL {base}/nothing/ in the archive"


def test_show_a_removed_article_is_not_listed(archive: tuple[str, Path]) -> None:
    base, db = archive
    (deleted,) = [m.slug for m in EDITS["edited"] if m.action == "delete"]
    gone = next(s for s in expected_articles("base") if s.slug == deleted)
    shown = json.loads(cli(db, "show", article_url(base, gone), "--json").stdout)
    assert (shown["status"], shown["listed"]) == ("removed", False)
    by_id = cli(db, "show", str(shown["id"]))
    assert "listed: false" in by_id.stdout.splitlines()


def test_changes_newest_first_and_filtered(archive: tuple[str, Path]) -> None:
    _, db = archive
    rows = json.loads(cli(db, "changes", "--json").stdout)
    assert len(rows) == sql(db, "select count(*) from changes")[0][0]
    stamps = [(r["detected_at"]) for r in rows]
    assert stamps == sorted(stamps, reverse=True)
    titles = json.loads(cli(db, "changes", "--field", "title", "--json").stdout)
    title_edit = next(m for m in EDITS["edited"] if m.field == "title")
    assert [(r["old_value"], r["new_value"]) for r in titles] == [(title_edit.old, title_edit.new)]
    second_run = sql(db, "select started_at from crawl_runs where id = 2")[0][0]
    recent = json.loads(cli(db, "changes", "--detected-since", str(second_run), "--json").stdout)
    assert len(recent) == sql(db, "select count(*) from changes where run_id = 2")[0][0]


def test_stats_counts_match_the_archive(archive: tuple[str, Path]) -> None:
    _, db = archive
    result = cli(db, "stats", "--json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["articles_per_kind"] == [
        list(r)
        for r in sql(
            db,
            "select source, kind, count(*) from current_articles group by 1, 2 "
            "order by 1, 3 desc, 2",
        )
    ]
    assert stats["articles_per_month"] == [
        list(r)
        for r in sql(
            db,
            "select source, substr(published_date, 1, 7), count(*) from current_articles "
            "group by 1, 2 order by 1, 2",
        )
    ]
    agencies = sql(
        db,
        "select j.value, count(*) from current_articles, json_each(photo_agencies) j "
        "group by 1 order by 2 desc, 1 limit 10",
    )
    assert stats["top_agencies"] == [list(r) for r in agencies]
    assert stats["runs"] == [["amnestyusa", "finished", 2, stats["runs"][0][3]]]
    assert "top photo agencies" in cli(db, "stats").stdout


def test_runs_command(archive: tuple[str, Path]) -> None:
    _, db = archive
    runs = json.loads(cli(db, "runs", "--json").stdout)
    assert [(r["run_id"], r["status"], r["new"], r["changed"], r["removed"]) for r in runs] == [
        (1, "finished", 32, 0, 0),
        (2, "finished", 1, 4, 1),
    ]


def _export(db: Path, *args: str) -> list[dict[str, str]]:
    result = cli(db, "export", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_export_sightings_and_credits(archive: tuple[str, Path]) -> None:
    base, db = archive
    sightings = _export(db, "sightings")
    assert list(sightings[0]) == list(SIGHTING_COLUMNS)
    assert len(sightings) == len(expected_articles("base")) + len(expected_articles("edited"))
    credits = _export(db, "credits")
    assert list(credits[0]) == list(CREDIT_COLUMNS)
    want = sorted(
        (article_url(base, s), role, name)
        for s in expected_articles("edited")
        for role, names in (("photographer", s.photographers), ("agency", s.photo_agencies))
        for name in names
    )
    # The deleted article is still in the archive (removed), with its credits.
    (deleted,) = [m.slug for m in EDITS["edited"] if m.action == "delete"]
    gone = next(s for s in expected_articles("base") if s.slug == deleted)
    want += [
        (article_url(base, gone), role, name)
        for role, names in (("photographer", gone.photographers), ("agency", gone.photo_agencies))
        for name in names
    ]
    assert sorted((c["url"], c["role"], c["name"]) for c in credits) == sorted(want)
    getty = _export(db, "credits", "--agency", "Getty Images")
    assert {c["url"] for c in getty} == {
        c["url"] for c in credits if c["role"] == "agency" and c["name"] == "Getty Images"
    }
    # The rows are Getty's own, so counting them counts Getty credits.
    assert getty == [c for c in credits if c["role"] == "agency" and c["name"] == "Getty Images"]


def test_export_as_of_between_the_crawls(archive: tuple[str, Path]) -> None:
    base, db = archive
    between = sql(db, "select started_at from crawl_runs where id = 2")[0][0]
    then = _export(db, "articles", "--as-of", str(between))
    assert sorted((r["url"], r["title"]) for r in then) == sorted(
        (article_url(base, s), s.title) for s in expected_articles("base")
    )
    assert {r["status"] for r in then} == {"active"} and {r["version_count"] for r in then} == {"1"}
    now = _export(db, "articles", "--status", "active")
    assert sorted((r["url"], r["title"]) for r in now) == sorted(
        (article_url(base, s), s.title) for s in expected_articles("edited")
    )
    before_anything = _export(db, "articles", "--as-of", "2000-01-01")
    assert before_anything == []
    bad = cli(db, "export", "articles", "--as-of", "yesterday")
    assert bad.exit_code == 2 and "'yesterday' is not a date or time" in bad.stderr


def test_export_jsonl_and_parquet(archive: tuple[str, Path], tmp_path: Path) -> None:
    _, db = archive
    lines = cli(db, "export", "articles", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    csv_rows = _export(db, "articles")
    assert [r["url"] for r in records] == [r["url"] for r in csv_rows]
    assert all(isinstance(r["photographers"], list) for r in records)
    pyarrow = pytest.importorskip("pyarrow.parquet", reason="pyarrow (the parquet extra)")
    out = tmp_path / "articles.parquet"
    result = cli(db, "export", "articles", "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pyarrow.read_table(out)
    assert table.column_names == list(ARTICLE_COLUMNS)
    assert table.column("url").to_pylist() == [r["url"] for r in records]
    assert table.column("photographers").to_pylist() == [r["photographers"] for r in records]


def test_manifest_cites_exactly_what_was_exported(
    archive: tuple[str, Path], tmp_path: Path
) -> None:
    _, db = archive
    out = tmp_path / "reports.csv"
    result = cli(db, "export", "articles", "--kind", "report", "-o", str(out), "--manifest")
    assert result.exit_code == 0, result.output
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    data = out.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["bytes"] == len(data)
    assert (
        manifest["rows"]
        == len(rows)
        == sql(db, "select count(*) from current_articles where kind = 'report'")[0][0]
    )
    assert manifest["filters"] == {"kind": "report"}
    assert manifest["table"] == "articles" and manifest["format"] == "csv"
    assert manifest["archive"] == {"location": str(db), "schema_version": head_revision()}
    assert [r["run_id"] for r in manifest["runs"]] == [1, 2]
    assert manifest["csv_formula_guard"] is True
    assert manifest["codebook"].startswith("docs/codebook.md")
    assert manifest["command"] == (
        f"newsroom-archive export articles -o {out} --kind report --manifest"
    )
    no_file = cli(db, "export", "articles", "--manifest")
    assert no_file.exit_code == 2 and "--manifest needs -o FILE" in no_file.stderr


def test_csv_cells_that_would_run_as_formulas_are_neutralised(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    archive = Archive(url)
    run = archive.start_run("example", "example", "full")
    titles = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "Plain"]
    for n, title in enumerate(titles):
        record = ArticleRecord(source="example", url=f"https://e.org/{n}/", title=title)
        archive.add(run, NormalisedArticle(record=record))
    archive.finish_run(run, "finished")
    archive.close()

    def exported(*extra: str) -> list[str]:
        result = CliRunner().invoke(main, ["--db", url, "export", "articles", *extra])
        rows = csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline=""))
        return sorted(r["title"] for r in rows)

    assert exported() == sorted(["'" + t for t in titles[:-1]] + ["Plain"])
    assert exported("--no-csv-safe") == sorted(titles)


def test_read_commands_never_write(archive: tuple[str, Path]) -> None:
    _, db = archive
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    wal = Path(f"{db}-wal")
    wal_before = wal.read_bytes() if wal.exists() else b""
    for args in (
        ["search", "law"],
        ["show", sql(db, "select url from articles limit 1")[0][0]],
        ["changes"],
        ["stats"],
        ["runs"],
        ["export", "versions"],
        ["history", sql(db, "select url from articles limit 1")[0][0]],
        ["quarantine"],
    ):
        assert cli(db, *args).exit_code == 0, args
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert (wal.read_bytes() if wal.exists() else b"") == wal_before


@pytest.mark.crawl
def test_search_and_stats_on_each_backend(archive_url: str) -> None:
    with SampleNewsroom("base") as site:
        base = site.start()
        crawl(site, archive_url)
    result = cli(archive_url, "search", "consultation", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert {f["url"] for f in found} == {
        article_url(base, s)
        for s in expected_articles("base")
        if "consultation"
        in " ".join([s.title, s.teaser_full, s.body_text, s.caption or ""]).lower()
    }
    assert all("[" in f["snippet"] and "]" in f["snippet"] for f in found)
    stats = json.loads(cli(archive_url, "stats", "--json").stdout)
    assert stats["articles_per_source"] == [["amnestyusa", len(expected_articles("base"))]]


def test_progress_bar_on_a_terminal_never_in_a_pipe(
    archive: tuple[str, Path], tmp_path: Path
) -> None:
    import os
    import pty
    import subprocess
    import sys

    _, db = archive
    out = tmp_path / "versions.csv"
    command = [
        sys.executable,
        "-m",
        "newsroom_archive",
        "--db",
        f"sqlite:///{db}",
        "export",
        "versions",
        "-o",
        str(out),
    ]
    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))) - 1
    assert rows == sql(db, "select count(*) from versions")[0][0]
    assert piped.stderr == f"{rows} rows written to {out}\n"

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    with subprocess.Popen(command, stderr=follower, stdout=subprocess.DEVNULL, env=env) as proc:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            seen += chunk
    os.close(leader)
    assert proc.returncode == 0
    shown = seen.decode("utf-8", "replace")
    assert "exporting" in shown
    assert f"{rows} rows written to {out}" in shown
