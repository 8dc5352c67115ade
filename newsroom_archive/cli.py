"""The ``newsroom-archive`` command.

Commands are imported when they run, not when the command starts: ``--help`` and a read
command need none of the crawl, migration or Datasette machinery, and importing it would
cost more than the command itself.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from newsroom_archive.archive import Archive

DEMO_ARCHIVE = Path("data") / "demo.sqlite"

# name -> ("module:attribute", the command's summary, the first paragraph of its help).
# The summary lets `--help` list the commands without importing them;
# tests/test_cli.py checks it against the commands themselves.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "changes": ("newsroom_archive.cli_read:changes_command", "What changed, newest first."),
    "coverage": (
        "newsroom_archive.cli_read:coverage_command",
        "Observations per source and month (versions and sightings, by origin).",
    ),
    "check": (
        "newsroom_archive.cli_health:check_command",
        "Check a crawl run's health and record the verdict with the run.",
    ),
    "export": (
        "newsroom_archive.cli_read:export_command",
        "Write TABLE of the archive (columns and their meaning: docs/codebook.md).",
    ),
    "extract": (
        "newsroom_archive.cli_extract:extract_command",
        "Parse one saved page offline and print its records as JSON.",
    ),
    "profile": (
        "newsroom_archive.cli_profiles:profile_group",
        "Check a newsroom profile against its fixtures, or start a new one.",
    ),
    "profiles": (
        "newsroom_archive.cli_profiles:profiles_command",
        "List the newsrooms: name, organisation, layouts, hosts, fixtures.",
    ),
    "raw": (
        "newsroom_archive.cli_read:raw_command",
        "The page of an article version exactly as the newsroom served it (its WARC record).",
    ),
    "runs": (
        "newsroom_archive.cli_read:runs_command",
        "The crawl runs: counts, status, the health check's verdict, and why each stopped.",
    ),
    "search": (
        "newsroom_archive.cli_read:search_command",
        "Full-text search over title, teaser, body and caption, best matches first.",
    ),
    "serve": (
        "newsroom_archive.cli_serve:serve_command",
        "Browse a SQLite archive in Datasette: search, facets, canned queries.",
    ),
    "show": (
        "newsroom_archive.cli_read:show_command",
        "One article as it is now (its current version and archive state).",
    ),
    "stats": (
        "newsroom_archive.cli_read:stats_command",
        "Articles per source, kind and month; top agencies and photographers; runs.",
    ),
    "reparse": (
        "newsroom_archive.cli_warc:reparse_command",
        "Read the stored pages again with today's parsers and record what reads differently.",
    ),
    "wacz": (
        "newsroom_archive.cli_warc:wacz_command",
        "Package one crawl run as a WACZ file that ReplayWeb.page and pywb replay.",
    ),
}


class ArchiveGroup(click.Group):
    """Loads commands on demand (click's "lazily loading subcommands"), turns the
    library's errors into one-line messages and exit status 1."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, _, attribute = self.lazy_commands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{module}:{attribute} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                summary = click.Command(name, help=self.lazy_commands[name][1])
                rows.append((name, summary.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except BrokenPipeError:  # `newsroom-archive export … | head`
            sys.stderr.close()
            ctx.exit(1)
        except ValueError as exc:
            # click.Path stats the value before any check of ours: a NUL byte in a path
            # raises there ("embedded null byte"), which no path may hold.
            if "null byte" not in str(exc):
                raise
            raise _one_line(click.UsageError("a path or argument holds a NUL character")) from None
        except Exception as exc:
            # Whatever raised an ArchiveError has imported the archive package; a
            # command that has not is spared the import.
            database = sys.modules.get("newsroom_archive.archive.database")
            if database is None or not isinstance(exc, database.ArchiveError):
                raise
            raise click.ClickException(str(exc)) from None


def _one_line(exc: click.UsageError) -> click.UsageError:
    """The usage error in one line, naming the command's help, without the usage block."""
    # `newsroom-archive` alone shows the help (click 8.2+); that is no error to shorten.
    if exc.ctx is None or isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        return exc
    text = " ".join(exc.format_message().split())
    return click.UsageError(f"{text} (see '{exc.ctx.command_path} --help')")


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from newsroom_archive import __version__

    click.echo(f"newsroom-archive, version {__version__}")
    ctx.exit()


@click.group(
    cls=ArchiveGroup,
    lazy_commands=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    envvar="NEWSROOM_ARCHIVE_URL",
    help="Archive database URL [default: $NEWSROOM_ARCHIVE_URL, else "
    "sqlite:///data/newsroom.sqlite].",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def main(ctx: click.Context, db_url: str | None) -> None:
    """A versioned, research-grade archive of organisation newsrooms."""
    from newsroom_archive.archive import resolve_url

    ctx.obj = {"db_url": resolve_url(db_url)}


# -- reading -------------------------------------------------------------------------


@main.command()
@click.argument("url")
@click.pass_context
def history(ctx: click.Context, url: str) -> None:
    """Every version of the article at URL (or with the id `show` prints), with a
    word-level diff between versions.

    Removed words are shown as [-words-], added ones as {+words+}.
    """
    from newsroom_archive.archive.history import heading, render_history, versions_of
    from newsroom_archive.cli_read import open_archive

    versions = versions_of(open_archive(ctx), url)
    click.echo(heading(versions) + "\n")
    for line in render_history(versions):
        click.echo(line)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines with the raw values.")
@click.pass_context
def quarantine(ctx: click.Context, as_json: bool) -> None:
    """Items a crawl scraped but did not archive, with the reason (nothing is dropped)."""
    from newsroom_archive.archive.export import rows
    from newsroom_archive.cli_read import open_archive

    count = 0
    for row in rows(open_archive(ctx), "quarantine"):
        count += 1
        if as_json:
            click.echo(json.dumps({**row, "raw": json.loads(row["raw"])}, ensure_ascii=False))
        else:
            click.echo(f"run {row['run_id']}  {row['url'] or '(no URL)'}\n  {row['reason']}")
    if not as_json:
        click.echo(f"{count} quarantined item{'s' if count != 1 else ''}")


# -- database -----------------------------------------------------------------------


@main.group()
def db() -> None:
    """Archive maintenance."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply schema migrations (creates the archive if it does not exist)."""
    from newsroom_archive.archive.database import make_engine, upgrade

    engine = make_engine(ctx.obj["db_url"])
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()  # SQLite: the -wal file merged, the file alone is the archive
    if before == after:
        click.echo(f"archive already at schema {after}")
    else:
        click.echo(f"archive upgraded from schema {before or 'none'} to {after}")


@db.command("unlock")
@click.argument("spider")
@click.pass_context
def db_unlock(ctx: click.Context, spider: str) -> None:
    """Remove SPIDER's crawl lock, left by a crawl that died on another host.

    Make sure that crawl is gone first: a lock of this host is taken over by the next
    crawl anyway, and one whose process still runs here is refused."""
    from newsroom_archive.archive import Archive
    from newsroom_archive.archive.locks import crawl_lock

    url = ctx.obj["db_url"]
    Archive(url, readonly=True, create=False).close()  # refuses a missing archive unmade
    archive = Archive(url, create=False)
    try:
        holder = archive.clear_lock(crawl_lock(spider))
    finally:
        archive.close()
    click.echo(f"removed the crawl lock of {spider}, held by {holder}")


# -- demo ---------------------------------------------------------------------------


@main.command()
@click.option(
    "--db-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEMO_ARCHIVE,
    show_default=True,
    help="SQLite file to crawl into (an earlier demo archive there is replaced).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to serve on.")
@click.option("--force", is_flag=True, help="Replace --db-file even if the demo did not make it.")
def demo(db_file: Path, port: int, force: bool) -> None:
    """Serve the bundled sample newsroom on loopback and crawl it twice.

    The first crawl archives the newsroom as first seen; the second sees a later state
    of the same site (a new article, edits, a deletion) and records what changed.
    """
    from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
    from newsroom_archive.sample_site import SampleNewsroom, ServeError

    if not force:
        foreign = _not_a_demo_archive(db_file)
        if foreign:
            raise click.ClickException(
                f"{db_file} {foreign}; the demo replaces only archives it made itself: "
                "choose another --db-file, or add --force to replace it"
            )
    site = SampleNewsroom(port=port)
    try:
        base = site.start()
    except ServeError as exc:
        raise click.ClickException(f"the sample newsroom {exc}") from None
    url = f"sqlite:///{db_file}"
    # The demo's WARC files beside its archive, apart from a live archive's data/warc/.
    warc = db_file.parent / f"{db_file.stem}-warc"
    with site:
        # Only now, with the archive judged replaceable and the port taken.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        for old in warc.glob("*.warc.gz"):
            old.unlink()
        click.echo(f"sample newsroom serving at {base}/news/")
        for state, label in DEMO_STATES:
            site.set_state(state)
            result = run_crawl(
                "amnestyusa",
                archive_url=url,
                spider_args={"start_url": f"{base}/news/"},
                settings={**LOOPBACK_SETTINGS, "WARC_DIR": str(warc)},
            )
            if result.returncode != 0:
                tail = (result.stderr or "").strip().splitlines()[-3:]
                raise click.ClickException("crawl failed: " + " / ".join(tail))
            click.echo(f"crawl of {label}: {_run_summary(url)}")
    _print_demo_archive(db_file, url)


DEMO_STATES = (
    ("base", "the newsroom as first seen"),
    ("edited", "the same newsroom a day later"),
)


def _not_a_demo_archive(path: Path) -> str | None:
    """Why the file at ``path`` is not the demo's to replace; None when it is.

    The demo crawls only the sample newsroom on loopback, and a crawl records its start
    URL with the run: an archive whose every run started at a loopback URL holds nothing
    but sample-site crawls. A live crawl records no start URL (the newsroom's own) or a
    real host. An empty file or an archive without runs holds nothing to lose.
    """
    import contextlib
    import sqlite3

    if not path.exists():
        return None
    try:
        # Read-only, without the archive code: nothing about the file may change here.
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            tables = {row[0] for row in conn.execute("select name from sqlite_master")}
            if not tables:
                return None
            if "crawl_runs" not in tables:
                return "is not a newsroom archive"
            starts = [row[0] for row in conn.execute("select args from crawl_runs")]
    except sqlite3.Error as exc:
        return f"cannot be read as an archive ({exc})"
    for args in starts:
        try:
            start = json.loads(args or "{}").get("start_url")
        except (ValueError, AttributeError):
            start = None
        if not isinstance(start, str) or not _is_loopback_url(start):
            return f"holds crawl runs of {start or 'a live newsroom'}"
    return None


def _is_loopback_url(url: str) -> bool:
    from urllib.parse import urlsplit

    from newsroom_archive.sample_site.server import is_loopback

    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and is_loopback(host)


def _print_demo_archive(db_file: Path, url: str) -> None:
    from newsroom_archive.archive import Archive
    from newsroom_archive.archive.export import article_rows

    archive = Archive(url, readonly=True)
    rows = list(article_rows(archive))
    click.echo(f"\n{len(rows)} articles archived in {db_file}; the newest:")
    for row in rows[:5]:
        click.echo(
            f"  {row['published_date'] or '????-??-??'}  {row['kind'] or '-':14} {row['title']}"
        )
    click.echo("\nwhat the second crawl found:")
    for change, field, article_url in _latest_changes(archive):
        click.echo(f"  {change:10} {field or '':14} {article_url}")
    click.echo(
        "\nquery it:\n"
        f"  newsroom-archive --db {url} changes\n"
        f"  newsroom-archive --db {url} search consultation\n"
        f"  newsroom-archive --db {url} export articles -o articles.csv --manifest\n"
        f"  newsroom-archive --db {url} serve\n"
    )


def _run_summary(url: str) -> str:
    from newsroom_archive.archive import Archive

    archive = Archive(url, readonly=True)
    with archive.engine.connect() as conn:
        run = conn.exec_driver_sql(
            "select new, changed, unchanged, removed, quarantined, status "
            "from crawl_runs order by id desc limit 1"
        ).one()
    archive.engine.dispose()
    return (
        f"{run.new} new, {run.changed} changed, {run.unchanged} unchanged, "
        f"{run.removed} removed, {run.quarantined} quarantined ({run.status})"
    )


def _latest_changes(archive: Archive) -> list[tuple[str, str | None, str]]:
    with archive.engine.connect() as conn:
        return [
            (row.change, row.field, row.url)
            for row in conn.exec_driver_sql(
                "select c.change, c.field, a.url from changes c join articles a "
                "on a.id = c.article_id where c.run_id = (select max(id) from crawl_runs) "
                "order by c.id"
            )
        ]


if __name__ == "__main__":
    main()
