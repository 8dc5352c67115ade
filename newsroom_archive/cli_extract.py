"""``newsroom-archive extract``: parse a saved page offline, as the crawl would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import click
from w3lib.encoding import html_to_unicode

from newsroom_archive.normalise import build_record
from newsroom_archive.sites import get_site, site_for_url


@click.command("extract")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option(
    "--spider",
    "spider",
    metavar="NAME",
    help="Whose page it is (see `profiles`) [default: the newsroom of the URL's host, "
    "else the generic extractor].",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="When the page was saved (YYYY-MM-DD): read it with the layout of that day.",
)
def extract_command(file: Path, url: str, spider: str | None, as_of: str | None) -> None:
    """Parse one saved page offline and print its records as JSON.

    A listing page gives one record per card, an article page one record; each record
    names the extractor that read it. The parsing and normalisation are the crawl's own.
    """
    try:
        body = file.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise click.ClickException(f"cannot read {file}: {reason}") from None
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(
                f"{as_of!r} is not a date (YYYY-MM-DD)", param_hint="'--as-of'"
            ) from None
    if spider is not None:
        try:
            site = get_site(spider)
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="'--spider'") from None
    else:
        found = site_for_url(url)
        if found is None:
            raise click.ClickException(f"no newsroom reads pages of {url!r}; pass --spider NAME")
        site = found
    _, text = html_to_unicode(None, body)
    site = site.on(day)
    items = site.read_page(text, url)
    records = [dataclasses.asdict(build_record(item, site.rules)) for item in items]
    click.echo(json.dumps(records, indent=2, ensure_ascii=False))
