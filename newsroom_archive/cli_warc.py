"""The WARC commands of ``newsroom-archive``: ``wacz`` packages a crawl run for replay
(reading the archive and its WARC files, never writing to either); ``reparse`` reads the
stored pages again and records what today's parsers read differently.
"""

from __future__ import annotations

from pathlib import Path

import click

from newsroom_archive.cli_read import ReadCommand, open_archive, warc_dir_option


@click.command("wacz", cls=ReadCommand)
@click.argument("run_id", metavar="RUN_ID", type=click.IntRange(min=1))
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.wacz",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The package to write (an earlier file there is replaced).",
)
@warc_dir_option
@click.pass_context
def wacz_command(ctx: click.Context, run_id: int, output: Path, warc_dir: Path | None) -> None:
    """Package one crawl run as a WACZ file that ReplayWeb.page and pywb replay.

    The package holds the run's WARC files as the crawl wrote them, a CDXJ index of
    their responses and revisits, a page per article version and per listing page the
    run read (at the moment its record was captured), and datapackage.json with the
    SHA-256 of every file. Responses of earlier runs that the run's revisit records
    repeat are copied in, so an unchanged page replays too. Open it in ReplayWeb.page
    (docs/operations.md).
    """
    from newsroom_archive import __version__
    from newsroom_archive.warc import wacz
    from newsroom_archive.warc import warc_dir as default_warc_dir

    if output.suffix != ".wacz":
        # Replay tools recognise the package by its extension (the format requires it).
        raise click.UsageError(f"-o {output}: a WACZ file's name must end in .wacz")
    archive = open_archive(ctx)
    folder = warc_dir or default_warc_dir(archive.url)
    package = wacz.plan_run(archive, run_id, folder)
    archive.close()
    summary = wacz.write_wacz(package, output, software=f"newsroom-archive {__version__}")
    earlier = wacz.counted(summary.earlier_records, "record") + " of earlier runs, "
    click.echo(
        f"run {run_id} of {package.source} written to {output}: "
        f"{wacz.counted(len(package.files), 'WARC file')}, "
        f"{earlier if summary.earlier_records else ''}"
        f"{wacz.counted(summary.index_lines, 'index line')}, "
        f"{wacz.counted(summary.version_pages, 'article version')} and "
        f"{wacz.counted(summary.listing_pages, 'listing page')}",
        err=True,
    )
    if package.versions_without_record:
        click.echo(
            f"note: {wacz.counted(package.versions_without_record, 'version')} of run "
            f"{run_id} read from no captured record, left out of the package",
            err=True,
        )


@click.command("reparse")
@click.option("--source", metavar="NAME", help="Only this newsroom's articles.")
@click.option(
    "--since",
    metavar="DATE",
    help="Only articles whose current version was seen on or after DATE (YYYY-MM-DD).",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@warc_dir_option
@click.pass_context
def reparse_command(
    ctx: click.Context, source: str | None, since: str | None, dry_run: bool, warc_dir: Path | None
) -> None:
    """Read the stored pages again with today's parsers and record what reads differently.

    Each article's current version is read again from the WARC record of the page it came
    from, with today's page reader (the layout of the day it was captured) and
    normalisers. A different reading becomes a new version of cause `reparse`, with
    `reparsed` change rows: not an edit by the newsroom, and never counted as one.
    --dry-run prints, per field, how many articles would change, with examples.
    """
    import datetime as dt

    from newsroom_archive.archive import Archive
    from newsroom_archive.archive.locks import crawl_lock
    from newsroom_archive.archive.query import sources as known_sources
    from newsroom_archive.archive.reparse import reparse
    from newsroom_archive.warc import warc_dir as default_warc_dir

    if since is not None:
        try:
            since = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            raise click.BadParameter(
                f"{since!r} is not a date (YYYY-MM-DD)", param_hint="'--since'"
            ) from None
    url = ctx.find_root().obj["db_url"]
    archive = Archive(url, readonly=dry_run, create=False)
    try:
        names = [source] if source is not None else known_sources(archive)
        if source is not None and source not in known_sources(archive):
            known = ", ".join(known_sources(archive)) or "none"
            raise click.BadParameter(
                f"no newsroom {source!r} in the archive (known: {known})", param_hint="'--source'"
            )
        locks = [] if dry_run else [crawl_lock(name) for name in names]
        taken: list[str] = []
        try:
            # A crawl of the same newsroom must not write versions meanwhile.
            for lock in locks:
                archive.acquire_lock(lock)
                taken.append(lock)
            folder = warc_dir or default_warc_dir(url)
            report = reparse(archive, folder, source=source, since=since, dry_run=dry_run)
        finally:
            for lock in taken:
                archive.release_lock(lock)
    finally:
        archive.close()
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"read {report.read} stored pages again: {report.unchanged} unchanged, "
        f"{report.changed} {verb}" + (" (dry run: nothing written)" if dry_run else "")
    )
    for name, found in sorted(report.fields.items()):
        click.echo(f"  {name}: {found.count} article{'s' if found.count != 1 else ''}")
        for article, old, new in found.examples:
            click.echo(f"    {article}: {old!r} -> {new!r}")
    for reason, count in sorted(report.skipped.items()):
        click.echo(f"skipped {count}: {reason}")
