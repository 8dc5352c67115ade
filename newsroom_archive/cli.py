"""The ``newsroom-archive`` command."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from w3lib.encoding import html_to_unicode

from newsroom_archive import __version__
from newsroom_archive.archive import Archive, ArchiveError, resolve_url
from newsroom_archive.archive.export import ARTICLE_COLUMNS, article_rows, write_csv
from newsroom_archive.items import ScrapedArticle
from newsroom_archive.normalise import build_record
from newsroom_archive.sites import SITES, get_site
from newsroom_archive.sites.common import canonical_url

F = TypeVar("F", bound=Callable[..., Any])
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


def _archive(ctx: click.Context, *, readonly: bool = True) -> Archive:
    return Archive(ctx.obj["db_url"], readonly=readonly, create=not readonly)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path in (None, "-"):
        yield sys.stdout
        return
    assert path is not None
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from None
    with handle:
        yield handle


# -- export -------------------------------------------------------------------------


@main.group()
def export() -> None:
    """Write a table of the archive as CSV."""


@export.command("articles")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.pass_context
def export_articles(ctx: click.Context, output: str | None) -> None:
    """One row per article, its current version (columns: docs/codebook.md)."""
    archive = _archive(ctx)
    with _output(output) as out:
        count = write_csv(article_rows(archive), ARTICLE_COLUMNS, out)
    if output not in (None, "-"):
        click.echo(f"{count} articles written to {output}", err=True)


# -- extract ------------------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option(
    "--spider",
    "spider",
    default="amnestyusa",
    show_default=True,
    type=click.Choice(sorted(SITES)),
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
    items: list[ScrapedArticle]
    if site.is_listing(text):
        listing = site.parse_listing(text, url)
        items = [
            ScrapedArticle(source=spider, url=canonical_url(card.url), card=card)
            for card in listing.cards
        ]
    else:
        page = site.parse_article(text, url)
        items = [ScrapedArticle(source=spider, url=canonical_url(url), page=page)]
    records = [dataclasses.asdict(build_record(item, site.RULES)) for item in items]
    click.echo(json.dumps(records, indent=2, ensure_ascii=False))


# -- database -----------------------------------------------------------------------


@main.group()
def db() -> None:
    """Archive maintenance."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply schema migrations (creates the archive if it does not exist)."""
    from newsroom_archive.archive.store import make_engine, upgrade

    before, after = upgrade(make_engine(ctx.obj["db_url"]))
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
    help="SQLite file to crawl into.",
)
@click.option("--fresh/--keep", default=False, help="Start from an empty archive.")
def demo(db_file: Path, fresh: bool) -> None:
    """Serve the bundled sample newsroom on loopback, crawl it, show what was archived."""
    from newsroom_archive.crawl import LOOPBACK_SETTINGS, run_crawl
    from newsroom_archive.sample_site import SampleNewsroom

    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_file}"
    with SampleNewsroom() as site:
        base = site.start()
        click.echo(f"sample newsroom serving at {base}/news/")
        result = run_crawl(
            "amnestyusa",
            archive_url=url,
            spider_args={"start_url": f"{base}/news/"},
            settings=LOOPBACK_SETTINGS,
        )
    if result.returncode != 0:
        tail = (result.stderr or "").strip().splitlines()[-5:]
        raise click.ClickException("crawl failed: " + " / ".join(tail))
    archive = Archive(url, readonly=True)
    rows = list(article_rows(archive))
    click.echo(f"archived {len(rows)} articles into {db_file}")
    for row in rows[:5]:
        click.echo(
            f"  {row['published_date'] or '????-??-??'}  {row['kind'] or '-':14} {row['title']}"
        )
    if len(rows) > 5:
        click.echo(f"  … and {len(rows) - 5} more")
    click.echo(
        "\nQuery it:\n"
        f"  newsroom-archive --db sqlite:///{db_file} export articles -o articles.csv\n"
        f"  sqlite3 {db_file} 'select published_date, title from versions limit 5'\n"
    )


if __name__ == "__main__":
    main()
