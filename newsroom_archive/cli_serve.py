"""``newsroom-archive serve``: the command over ``newsroom_archive.serve``."""

from __future__ import annotations

import click

from newsroom_archive.archive import ArchiveError, resolve_url
from newsroom_archive.serve import serve, sqlite_path


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default serves this machine only.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open it in a web browser.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, open_browser: bool) -> None:
    """Browse a SQLite archive in Datasette: search, facets, canned queries.

    The archive is never written. With no transactions waiting in its -wal file it is
    opened immutable, so restart serve after a crawl that starts while it serves; while
    a crawl writes (or after one was killed) it is read with SQLite's locks, -wal file
    included. Column meanings are on the /codebook page.
    """
    try:
        path = sqlite_path((ctx.obj or {}).get("db_url") or resolve_url())
        serve(path, host=host, port=port, open_browser=open_browser, announce=click.echo)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
