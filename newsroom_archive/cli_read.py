"""Read commands of ``newsroom-archive``: export, search, show, changes, stats, runs.

None of them writes to the archive: they open it read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsroom_archive import __version__
from newsroom_archive.archive import Archive
from newsroom_archive.archive import export as exports
from newsroom_archive.archive.database import current_revision
from newsroom_archive.archive.query import (
    Filters,
    current,
    recent_changes,
    runs_covered,
    search,
    statistics,
)
from newsroom_archive.normalise.dates import parse_iso
from newsroom_archive.sites.common import canonical_url

F = TypeVar("F", bound=Callable[..., Any])
CODEBOOK = "docs/codebook.md"


def open_archive(ctx: click.Context) -> Archive:
    return Archive(ctx.find_root().obj["db_url"], readonly=True, create=False)


def _iso_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param=param) from None


def _iso_moment(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    moment = parse_iso(value)
    if moment is None:
        raise click.BadParameter(
            f"{value!r} is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)", param=param
        )
    # A date alone stays a date: the archive's queries read it as the whole day.
    return moment.date().isoformat() if len(value) == 10 else moment.isoformat()


def filter_options(command: F) -> F:
    """The filters shared by search, stats and export."""
    options = [
        click.option("--source", help="Only this newsroom (spider name)."),
        click.option("--kind", help="Only this kind (press-release, report, …)."),
        click.option("--since", callback=_iso_date, help="Published on or after (YYYY-MM-DD)."),
        click.option("--until", callback=_iso_date, help="Published on or before (YYYY-MM-DD)."),
        click.option("--agency", help="Credits this photo agency (canonical name)."),
        click.option("--photographer", help="Credits this photographer."),
        click.option("--status", type=click.Choice(["active", "removed"]), help="Article status."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(kwargs: dict[str, Any]) -> Filters:
    names = ("source", "kind", "since", "until", "agency", "photographer", "status")
    return Filters(**{name: kwargs.pop(name) for name in names})


def _console() -> Console:
    # Into a pipe or file, rows stay whole lines instead of wrapping at 80 columns.
    width = None if sys.stdout.isatty() else 100_000
    return Console(soft_wrap=False, highlight=False, width=width)


def _table(title: str | None, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    table = Table(title=title, show_lines=False, title_justify="left")
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        # Text, not markup: a snippet's [match] brackets must print as they are.
        table.add_row(*(Text(exports.cell(v)) for v in row))
    _console().print(table)


# -- export ---------------------------------------------------------------------------


@click.command("export")
@click.argument("table", type=click.Choice(sorted(exports.TABLES)))
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default="csv",
    show_default=True,
    help="parquet needs pyarrow (pip install 'newsroom-archive[parquet]') and -o.",
)
@filter_options
@click.option(
    "--as-of",
    callback=_iso_moment,
    metavar="DATE",
    help="The archive as it stood then: each article's version current at that moment, "
    "removed articles left out from their removal on.",
)
@click.option(
    "--manifest",
    is_flag=True,
    help="Also write FILE.manifest.json: command, filters, schema, runs, rows, SHA-256.",
)
@click.option(
    "--csv-safe/--no-csv-safe",
    default=True,
    show_default=True,
    help="Prefix cells starting with = + - @ tab or CR with ' so spreadsheets do not run "
    "them as formulas.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    table: str,
    output: str | None,
    fmt: str,
    as_of: str | None,
    manifest: bool,
    csv_safe: bool,
    **kwargs: Any,
) -> None:
    """Write TABLE of the archive (columns and their meaning: docs/codebook.md).

    \b
    articles    one row per article, its current version (or the one current --as-of)
    versions    every version of every article
    changes     every detected event: new, changed (per field), removed, reappeared, …
    sightings   every card seen on a listing page: run, page, position, the card's fields
    credits     one row per article and photographer or agency, for counting
    runs        the crawl runs with their counts and status
    quarantine  items that failed validation, with the reason and the raw values
    """
    filters = _filters(kwargs)
    to_stdout = output in (None, "-")
    if manifest and to_stdout:
        raise click.UsageError("--manifest needs -o FILE (it is written beside it)")
    if fmt == "parquet" and to_stdout:
        raise click.UsageError("--format parquet needs -o FILE")
    archive = open_archive(ctx)
    columns = exports.TABLES[table].columns
    # A bar only where a person watches and the data goes to a file, never into a pipe.
    show_progress = not to_stdout and sys.stderr.isatty()
    with _progress(show_progress, exports.count(archive, table, filters, as_of)) as advance:
        if fmt == "csv":
            records = exports.csv_records(archive, table, filters, as_of, safe=csv_safe)
            n = _write_csv(_counting(records, advance), columns, output)
        else:
            rows = _counting(exports.rows(archive, table, filters, as_of), advance)
            n = _write_other(rows, columns, fmt, output)
    if to_stdout:
        return
    assert output is not None
    click.echo(f"{n} rows written to {output}", err=True)
    if manifest:
        path = _write_manifest(
            archive, output, table, fmt, filters, as_of, csv_safe, n, _command_line(ctx)
        )
        click.echo(f"manifest written to {path}", err=True)


T = TypeVar("T")


def _counting(items: Iterable[T], advance: Callable[[], None]) -> Iterator[T]:
    for item in items:
        advance()
        yield item


class _progress:
    def __init__(self, enabled: bool, total: int | None) -> None:
        self.bar = (
            Progress(
                TextColumn("exporting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            if enabled
            else None
        )
        self.total = total

    def __enter__(self) -> Callable[[], None]:
        if self.bar is None:
            return lambda: None
        self.bar.start()
        task = self.bar.add_task("rows", total=self.total)
        bar = self.bar
        return lambda: bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def _opened(output: str | None) -> Iterator[IO[str]]:
    if output in (None, "-"):
        yield sys.stdout
        return
    assert output is not None
    try:
        handle = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    with handle:
        yield handle


def _write_csv(records: Iterable[list[str]], columns: tuple[str, ...], output: str | None) -> int:
    with _opened(output) as out:
        return exports.write_csv_records(records, columns, out)


def _write_other(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: str, output: str | None
) -> int:
    if fmt == "parquet":
        assert output is not None
        try:
            return exports.write_parquet(rows, columns, output)
        except ImportError:
            raise click.ClickException(
                "Parquet needs pyarrow: pip install 'newsroom-archive[parquet]'"
            ) from None
    with _opened(output) as out:
        return exports.write_jsonl(rows, columns, out)


def _command_line(ctx: click.Context) -> str:
    """The command as given: its arguments and the options set on the command line."""
    words = ["newsroom-archive", ctx.info_name or ""]
    for param in ctx.command.params:
        name = param.name or ""
        value = ctx.params.get(name)
        if isinstance(param, click.Argument):
            words.append(str(value))
        elif ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            if isinstance(param, click.Option) and param.is_flag:
                words.append(param.opts[0] if value else param.secondary_opts[0])
            else:
                words += [param.opts[0], str(value)]
    return shlex.join(words)


def _write_manifest(
    archive: Archive,
    output: str,
    table: str,
    fmt: str,
    filters: Filters,
    as_of: str | None,
    csv_safe: bool,
    n: int,
    command: str,
) -> Path:
    digest = hashlib.sha256()
    with open(output, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    with archive.engine.connect() as conn:
        schema = current_revision(conn)
    runs = runs_covered(archive)
    if as_of is not None:
        runs = [r for r in runs if r["started_at"] <= exports.end_of(as_of)]
    if filters.source:
        runs = [r for r in runs if r["source"] == filters.source]
    document = {
        "file": Path(output).name,
        "sha256": digest.hexdigest(),
        "bytes": Path(output).stat().st_size,
        "rows": n,
        "table": table,
        "format": fmt,
        "csv_formula_guard": csv_safe if fmt == "csv" else None,
        "filters": filters.active(),
        "as_of": as_of,
        "command": command,
        "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "archive": {"location": archive.location, "schema_version": schema},
        "runs": runs,
        "newsroom_archive_version": __version__,
        "codebook": f"{CODEBOOK} (newsroom-archive {__version__})",
    }
    path = Path(f"{output}.manifest.json")
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- search, show, changes, stats, runs -------------------------------------------------


def _emit(rows: list[dict[str, Any]], columns: list[str], as_json: bool, as_csv: bool) -> None:
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    elif as_csv:
        exports.write_csv(iter(rows), tuple(columns), sys.stdout, safe=True)
    else:
        _table(None, columns, ([row.get(c) for c in columns] for row in rows))


def output_options(command: F) -> F:
    command = click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")(command)
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(command)


@click.command("search")
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@output_options
@click.pass_context
def search_command(
    ctx: click.Context, query: str, limit: int, as_json: bool, as_csv: bool, **kwargs: Any
) -> None:
    """Full-text search over title, teaser, body and caption, best matches first.

    QUERY uses the database's search syntax: words (all must match), "a phrase",
    OR, and a trailing * for prefixes on SQLite.
    """
    found = search(open_archive(ctx), query, _filters(kwargs), limit)
    if not found:
        raise click.ClickException(f"no article matches {query!r}")
    columns = ["published_date", "source", "kind", "title", "url", "snippet"]
    _emit(found, columns, as_json, as_csv)


@click.command("show")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show_command(ctx: click.Context, url: str, as_json: bool) -> None:
    """One article as it is now (its current version and archive state)."""
    article = current(open_archive(ctx), canonical_url(url))
    article.pop("id", None)
    if as_json:
        click.echo(json.dumps(article, indent=2, ensure_ascii=False))
        return
    for key, value in article.items():
        click.echo(f"{key}: {exports.cell(value)}")


@click.command("changes")
@click.option("--since", callback=_iso_moment, help="Detected on or after (date or time, UTC).")
@click.option("--field", help="Only changes of this field (title, body, photo_credit, …).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@output_options
@click.pass_context
def changes_command(
    ctx: click.Context,
    since: str | None,
    field: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """What changed, newest first."""
    rows = recent_changes(open_archive(ctx), since, field, limit)
    if not rows:
        raise click.ClickException("no changes match")
    columns = ["detected_at", "change", "field", "url", "old_value", "new_value"]
    _emit(rows, columns, as_json, as_csv)


@click.command("stats")
@filter_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats_command(ctx: click.Context, top: int, as_json: bool, **kwargs: Any) -> None:
    """Articles per source, kind and month; top agencies and photographers; runs."""
    stats = statistics(open_archive(ctx), _filters(kwargs), top)
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    _table("articles per source", ["source", "articles"], stats["articles_per_source"])
    _table("articles per kind", ["source", "kind", "articles"], stats["articles_per_kind"])
    _table("articles per month", ["source", "month", "articles"], stats["articles_per_month"])
    _table("top photo agencies", ["agency", "articles"], stats["top_agencies"])
    _table("top photographers", ["photographer", "articles"], stats["top_photographers"])
    _table("crawl runs", ["source", "status", "runs", "last finished"], stats["runs"])


@click.command("runs")
@click.option("--source", help="Only this newsroom.")
@output_options
@click.pass_context
def runs_command(ctx: click.Context, source: str | None, as_json: bool, as_csv: bool) -> None:
    """The crawl runs with their counts and status."""
    rows = list(exports.rows(open_archive(ctx), "runs", Filters(source=source)))
    columns = list(exports.RUN_COLUMNS[:-1])
    _emit(rows, columns, as_json, as_csv)


READ_COMMANDS = (
    export_command,
    search_command,
    show_command,
    changes_command,
    stats_command,
    runs_command,
)
