"""The ``newsroom-archive`` command."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click
from w3lib.encoding import html_to_unicode

from newsroom_archive import __version__
from newsroom_archive.archive import Archive, ArchiveError, resolve_url
from newsroom_archive.archive.export import article_rows
from newsroom_archive.cli_health import check_command
from newsroom_archive.cli_read import READ_COMMANDS, open_archive
from newsroom_archive.cli_serve import serve_command
from newsroom_archive.normalise import build_record
from newsroom_archive.sites import get_site, sites
from newsroom_archive.sites.common import canonical_url

DEMO_ARCHIVE = Path("data") / "demo.sqlite"


class ArchiveGroup(click.Group):
    """Turns the library's errors into one-line messages and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # `newsroom-archive export … | head`
            sys.stderr.close()
            ctx.exit(1)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    envvar="NEWSROOM_ARCHIVE_URL",
    help="Archive database URL [default: $NEWSROOM_ARCHIVE_URL, else "
    "sqlite:///data/newsroom.sqlite].",
)
@click.version_option(__version__, prog_name="newsroom-archive")
@click.pass_context
def main(ctx: click.Context, db_url: str | None) -> None:
    """A versioned, research-grade archive of organisation newsrooms."""
    ctx.obj = {"db_url": resolve_url(db_url)}


# -- reading -------------------------------------------------------------------------

for _command in (*READ_COMMANDS, serve_command, check_command):
    main.add_command(_command)


@main.command()
@click.argument("url")
@click.pass_context
def history(ctx: click.Context, url: str) -> None:
    """Every version of the article at URL, with a word-level diff between versions.

    Removed words are shown as [-words-], added ones as {+words+}.
    """
    from newsroom_archive.archive.history import render_history, versions_of

    versions = versions_of(open_archive(ctx), canonical_url(url))
    click.echo(f"{versions[0]['url']}  ({versions[0]['source']}, {len(versions)} versions)\n")
    for line in render_history(versions):
        click.echo(line)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines with the raw values.")
@click.pass_context
def quarantine(ctx: click.Context, as_json: bool) -> None:
    """Items a crawl scraped but did not archive, with the reason (nothing is dropped)."""
    from newsroom_archive.archive.export import rows

    count = 0
    for row in rows(open_archive(ctx), "quarantine"):
        count += 1
        if as_json:
            click.echo(json.dumps({**row, "raw": json.loads(row["raw"])}, ensure_ascii=False))
        else:
            click.echo(f"run {row['run_id']}  {row['url'] or '(no URL)'}\n  {row['reason']}")
    if not as_json:
        click.echo(f"{count} quarantined item{'s' if count != 1 else ''}")


# -- extract ------------------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option(
    "--spider",
    "spider",
    default="amnestyusa",
    show_default=True,
    type=click.Choice(sorted(sites())),
    help="Whose page it is.",
)
def extract(file: Path, url: str, spider: str) -> None:
    """Parse one saved page offline and print its records as JSON.

    A listing page gives one record per card, an article page one record. The
    parsing and normalisation are the spider's own.
    """
    try:
        body = file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    _, text = html_to_unicode(None, body)
    site = get_site(spider)
    items = site.read_page(text, url)
    records = [dataclasses.asdict(build_record(item, site.rules)) for item in items]
    click.echo(json.dumps(records, indent=2, ensure_ascii=False))


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


# -- demo ---------------------------------------------------------------------------


@main.command()
@click.option(
    "--db-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEMO_ARCHIVE,
    show_default=True,
    help="SQLite file to crawl into (replaced).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to serve on.")
def demo(db_file: Path, port: int) -> None:
    """Serve the bundled sample newsroom on loopback and crawl it twice.

    The first crawl archives the newsroom as first seen; the second sees a later state
    of the same site (a new article, edits, a deletion) and records what changed.
    """
    from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
    from newsroom_archive.sample_site import SampleNewsroom

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_file}"
    with SampleNewsroom(port=port) as site:
        base = site.start()
        click.echo(f"sample newsroom serving at {base}/news/")
        for state, label in DEMO_STATES:
            site.set_state(state)
            result = run_crawl(
                "amnestyusa",
                archive_url=url,
                spider_args={"start_url": f"{base}/news/"},
                settings=LOOPBACK_SETTINGS,
            )
            if result.returncode != 0:
                tail = (result.stderr or "").strip().splitlines()[-3:]
                raise click.ClickException("crawl failed: " + " / ".join(tail))
            click.echo(f"crawl of {label}: {_run_summary(url)}")
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


DEMO_STATES = (
    ("base", "the newsroom as first seen"),
    ("edited", "the same newsroom a day later"),
)


def _run_summary(url: str) -> str:
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
