"""The command line, through click's CliRunner, against temporary archives."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsroom_archive.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "amnestyusa"
SYRIA = "https://www.amnestyusa.org/press-releases/prisoners-in-syria-should-be-released-to-prevent-spread/"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_listing_gives_one_record_per_card() -> None:
    code, out, _ = run(
        "extract",
        str(FIXTURES / "listing-current-2020-03.html"),
        "--url",
        "https://www.amnestyusa.org/news/",
    )
    assert code == 0
    records = json.loads(out)
    expected = json.loads((FIXTURES / "listing-current-2020-03.expected.json").read_text())
    assert [r["url"] for r in records] == [c["url"] for c in expected["cards"]]
    assert [r["title"] for r in records] == [c["title"] for c in expected["cards"]]
    assert all(r["source"] == "amnestyusa" for r in records)


def test_extract_article_canonicalises_the_url() -> None:
    code, out, _ = run(
        "extract",
        str(FIXTURES / "article-syria-prisoners.html"),
        "--url",
        SYRIA + "?id=ENGPRE011602010&lang=e&rss=recentnews",
    )
    assert code == 0
    (record,) = json.loads(out)
    assert record["url"] == SYRIA
    assert record["title"] == "Prisoners in Syria Should be Released to Prevent Spread of COVID-19"
    assert record["image_alt"] == "A worker disinfects streets in Damascus"


def test_extract_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    code, out, err = run("extract", str(tmp_path / "nope.html"), "--url", "https://x.org/")
    assert code != 0
    assert out == ""
    assert "nope.html" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_extract_unknown_spider() -> None:
    code, _, err = run(
        "extract",
        str(FIXTURES / "article-syria-prisoners.html"),
        "--url",
        SYRIA,
        "--spider",
        "nobody",
    )
    assert code == 2
    assert "nobody" in err and "Traceback" not in err


def test_export_from_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = run("--db", f"sqlite:///{tmp_path / 'none.sqlite'}", "export", "articles")
    assert code == 1
    assert out == ""
    assert err.strip() == f"Error: no archive at {tmp_path / 'none.sqlite'}"
    assert not (tmp_path / "none.sqlite").exists()


def test_export_from_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("create table t (x)")
    code, _, err = run("--db", f"sqlite:///{path}", "export", "articles")
    assert code == 1
    assert err.strip() == f"Error: {path} is not a newsroom archive"


def test_bad_database_url() -> None:
    # Issue 10: a value without scheme:// is a SQLite file's path, no longer refused.
    code, _, err = run("--db", "nonsense", "export", "articles")
    assert code == 1
    assert err.strip() == "Error: no archive at nonsense"
    code, _, err = run("--db", "://nonsense", "export", "articles")
    assert code == 1
    assert err.strip().startswith("Error: not a database URL: '://nonsense'")


def test_db_upgrade_creates_then_reports_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    code, out, _ = run("--db", url, "db", "upgrade")
    assert code == 0
    assert out.startswith("archive upgraded from schema none to ")
    code, out, _ = run("--db", url, "db", "upgrade")
    assert code == 0
    assert out.startswith("archive already at schema ")
    code, out, _ = run("--db", url, "export", "articles")
    assert code == 0
    assert out.splitlines() == [
        "source,url,title,kind,type_label,published_date,published_at,date_source,teaser,"
        "teaser_truncated,body,image_url,image_alt,caption,photo_credit,photographers,"
        "photo_agencies,caption_place,caption_date,status,first_seen_at,last_seen_at,"
        "removed_at,version_count,content_hash"
    ]
