"""The command line, through click's CliRunner, against temporary archives."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsroom_archive.cli import LAZY_COMMANDS, main
from newsroom_archive.cli_read import READ_COMMANDS

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


def test_extract_picks_the_newsroom_by_the_urls_host_and_reads_the_layout_of_a_day() -> None:
    page = str(FIXTURES / "listing-2020-03.html")
    # No --spider: www.amnestyusa.org (and amnestyusa.org without www) is Amnesty's profile.
    for url in ("https://www.amnestyusa.org/news/", "https://amnestyusa.org/news/"):
        code, out, _ = run("extract", page, "--url", url)
        assert code == 0
        records = json.loads(out)
        assert len(records) == 12
        assert {r["source"] for r in records} == {"amnestyusa"}
        assert {r["extractor"] for r in records} == {"profile:amnestyusa/news-card-2019"}
    code, out, _ = run(
        "extract", page, "--url", "https://www.amnestyusa.org/news/", "--as-of", "2020-03-31"
    )
    assert code == 0
    assert {r["extractor"] for r in json.loads(out)} == {"profile:amnestyusa/news-card-2019"}


def test_extract_reads_a_page_of_a_site_without_a_profile_generically(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>A statement | Example Org</title>"
        '<meta property="og:title" content="A statement">'
        '<meta property="article:published_time" content="2024-05-01T10:00:00+02:00">'
        "</head><body><article><h1>A statement</h1>"
        + "<p>The organisation said today that it welcomes the decision of the court.</p>" * 3
        + "</article></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run("extract", str(page), "--url", "https://news.example.org/a-statement")
    assert code == 0
    (record,) = json.loads(out)
    assert (record["source"], record["extractor"]) == ("generic", "generic")
    assert (record["title"], record["published_date"], record["published_at"]) == (
        "A statement",
        "2024-05-01",
        "2024-05-01T10:00:00+02:00",
    )
    assert record["date_source"] == "meta"


def test_extract_refuses_a_date_that_is_not_one() -> None:
    code, out, err = run(
        "extract", str(FIXTURES / "listing-2020-03.html"), "--url", SYRIA, "--as-of", "March 2020"
    )
    assert (code, out) == (2, "")
    assert "'March 2020' is not a date (YYYY-MM-DD)" in err
    assert len(err.strip().splitlines()) == 1


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
        "photo_agencies,caption_place,caption_date,tags,attachments,extractor,status,"
        "first_seen_at,last_seen_at,removed_at,version_count,content_hash"
    ]


# -- start-up: commands are imported when they run ------------------------------------

HEAVY = ("scrapy", "twisted", "alembic", "datasette", "sqlalchemy", "rich", "parsel")


def imported_after(code: str) -> set[str]:
    """The heavy packages a fresh interpreter has imported after running ``code``."""
    # The answer goes to stderr: the command's own output is on stdout.
    probe = (
        f"{code}\nimport sys\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stderr.split())


def in_process(*args: str) -> str:
    return (
        "from newsroom_archive.cli import main\n"
        f"try:\n    main({list(args)!r}, prog_name='newsroom-archive')\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code"
    )


def test_importing_the_command_imports_no_machinery() -> None:
    assert imported_after("import newsroom_archive.cli") == set()


def test_help_and_version_import_no_machinery() -> None:
    assert imported_after(in_process("--help")) == set()
    assert imported_after(in_process("--version")) == set()


def test_a_read_command_imports_no_crawl_or_datasette(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    assert run("--db", url, "db", "upgrade")[0] == 0
    loaded = imported_after(in_process("--db", url, "runs"))
    assert "sqlalchemy" in loaded  # the probe does see what a command imports
    assert not loaded & {"scrapy", "twisted", "datasette"}


def test_every_command_is_listed_with_its_own_summary() -> None:
    ctx = click.Context(main)
    names = main.list_commands(ctx)
    assert {c.name for c in READ_COMMANDS} | {"serve", "check", "extract"} <= set(names)
    for name, (_target, summary) in LAZY_COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        for limit in (45, 1000):
            assert click.Command(name, help=summary).get_short_help_str(limit) == (
                command.get_short_help_str(limit)
            ), name


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out == f"newsroom-archive, version {version('newsroom-archive')}\n"


USAGE_ERRORS = [
    (["--nosuch"], "Error: No such option '--nosuch'. (see 'newsroom-archive --help')"),
    (["nosuch"], "Error: No such command 'nosuch'. (see 'newsroom-archive --help')"),
    (
        ["db", "upgrade", "--x"],
        "Error: No such option '--x'. (see 'newsroom-archive db upgrade --help')",
    ),
    (
        ["search", "--limit", "0", "x"],
        "Error: Invalid value for '--limit': 0 is not in the range 1<=x<=10000. "
        "(see 'newsroom-archive search --help')",
    ),
]


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors_are_one_line(args: list[str], line: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="newsroom-archive")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"


def test_a_nul_in_a_path_is_one_line() -> None:
    # click.Path stats the value itself, before any check of the command's.
    code, out, err = run("extract", "bad\x00name.html", "--url", "https://x.org/")
    assert (code, out) == (2, "")
    assert err == "Error: a path or argument holds a NUL character\n"
