"""``newsroom-archive extract``: parse a saved page offline with a newsroom's own parser."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click
from w3lib.encoding import html_to_unicode

from newsroom_archive.normalise import build_record
from newsroom_archive.sites import get_site, sites


@click.command("extract")
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
def extract_command(file: Path, url: str, spider: str) -> None:
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
