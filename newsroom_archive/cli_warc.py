"""The WARC commands of ``newsroom-archive``: ``wacz`` packages a crawl run for replay.

They read the archive and its WARC files and never write to either.
"""

from __future__ import annotations

from pathlib import Path

import click

from newsroom_archive.cli_read import ReadCommand, open_archive


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
@click.option(
    "--warc-dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of the WARC files, as the crawl's WARC_DIR setting "
    "[default: warc/ beside a SQLite archive, else data/warc].",
)
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
