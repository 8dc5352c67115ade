"""Read commands of ``newsroom-archive``: export, search, show, changes, stats, runs, raw.

None of them writes to the archive: they open it read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsroom_archive import __version__
from newsroom_archive.archive import Archive
from newsroom_archive.archive import export as exports
from newsroom_archive.archive.database import current_revision
from newsroom_archive.archive.history import word_edit
from newsroom_archive.archive.query import (
    CHANGE_FIELDS,
    COVERAGE_COLUMNS,
    FILTER_NAMES,
    Filters,
    UnknownValue,
    check_filters,
    coverage,
    current,
    first_run_started,
    recent_changes,
    refuse_unknown,
    runs_covered,
    search,
    sources,
    statistics,
)
from newsroom_archive.normalise.dates import parse_iso
from newsroom_archive.normalise.kinds import KINDS

F = TypeVar("F", bound=Callable[..., Any])
CODEBOOK = "docs/codebook.md"


class ReadCommand(click.Command):
    """A read command. Its usage errors are made one line by the group (``cli.main``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Which spelling of an option was used (click keeps only the value), for notes.
        ctx.meta["spelt"] = {a.split("=", 1)[0] for a in args if a.startswith("--")}
        return super().parse_args(ctx, args)


def open_archive(ctx: click.Context) -> Archive:
    return Archive(ctx.find_root().obj["db_url"], readonly=True, create=False)


def _iso_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        # A time here is most likely meant as when a change was detected.
        hint = "; a detection time is --detected-since/--detected-until" if parse_iso(value) else ""
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD): publication dates are days{hint}", param=param
        ) from None


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


def _apply(command: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        command = option(command)
    return command


def filter_options(command: F) -> F:
    """The article filters shared by search, stats, changes and export."""
    return _apply(
        command,
        [
            click.option("--source", help="Only this newsroom (spider name)."),
            click.option("--kind", help="Only this kind: " + ", ".join(KINDS) + "."),
            click.option(
                "--since",
                "--published-since",
                "since",
                callback=_iso_date,
                metavar="DATE",
                help="Published on or after DATE (YYYY-MM-DD), on every command.",
            ),
            click.option(
                "--until",
                "--published-until",
                "until",
                callback=_iso_date,
                metavar="DATE",
                help="Published on or before DATE (YYYY-MM-DD), on every command.",
            ),
            click.option("--agency", help="Credits this photo agency (canonical name)."),
            click.option("--photographer", help="Credits this photographer."),
            click.option(
                "--status", type=click.Choice(["active", "removed"]), help="Article status."
            ),
        ],
    )


def detection_options(command: F) -> F:
    """When an event was detected: the changes' own time, not the article's."""
    return _apply(
        command,
        [
            click.option(
                "--detected-since",
                callback=_iso_moment,
                metavar="WHEN",
                help="Detected on or after WHEN (date or time, UTC; a date: from its start).",
            ),
            click.option(
                "--detected-until",
                callback=_iso_moment,
                metavar="WHEN",
                help="Detected on or before WHEN (date or time, UTC; a date: to its end).",
            ),
        ],
    )


def _filters(kwargs: dict[str, Any]) -> Filters:
    return Filters(**{name: kwargs.pop(name, None) for name in FILTER_NAMES})


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _checked(
    archive: Archive, filters: Filters, allowed: Iterable[str] | None = None, what: str = ""
) -> Filters:
    """Refuse the filters that cannot match anything, and those `allowed` does not name."""
    if allowed is not None:
        allowed = set(allowed)
        extra = [_option(n) for n in filters.active() if n not in allowed]
        if extra:
            takes = ", ".join([*(_option(n) for n in FILTER_NAMES if n in allowed), "--as-of"])
            raise click.UsageError(
                f"{what} has no filter {', '.join(extra)} (its filters: {takes})"
            )
    try:
        check_filters(archive, filters)
    except UnknownValue as exc:
        raise click.UsageError(str(exc)) from None
    return filters


def _console() -> Console:
    # A terminal's width, or COLUMNS where set; into a pipe or file, rows stay whole lines
    # instead of wrapping at 80 columns.
    sized = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
    return Console(soft_wrap=False, highlight=False, width=None if sized else 100_000)


def _print_url(console: Console, url: str) -> None:
    # Whole, on a line of its own: the terminal may wrap it, but a copy pastes back whole.
    console.print(Text(url), soft_wrap=True)


def _indented(text: str) -> Padding:
    return Padding(Text(text), (0, 0, 0, 2), expand=False)


def _table(title: str | None, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    table = Table(title=title, show_lines=False, title_justify="left")
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        # Text, not markup: a snippet's [match] brackets must print as they are.
        table.add_row(*(Text(exports.cell(v)) for v in row))
    _console().print(table)


# -- export ---------------------------------------------------------------------------


@click.command("export", cls=ReadCommand)
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
@detection_options
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
    credits     one row per credited photographer or agency of an article, for counting
    runs        the crawl runs with their counts, status, health and why they stopped
    quarantine  items that failed validation, with the reason and the raw values

    The article filters (--source … --status) select articles by the version exported;
    on credits, --agency and --photographer keep the rows of that name. runs and
    quarantine take --source and --as-of only; --detected-since/--detected-until are
    for changes. A filter a table does not have is refused.
    """
    filters = _filters(kwargs)
    to_stdout = output in (None, "-")
    if manifest and to_stdout:
        raise click.UsageError("--manifest needs -o FILE (it is written beside it)")
    if fmt == "parquet" and to_stdout:
        raise click.UsageError("--format parquet needs -o FILE")
    archive = open_archive(ctx)
    _checked(archive, filters, exports.TABLES[table].filters, f"export {table}")
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
    if not to_stdout:
        assert output is not None
        click.echo(f"{n} row{'s' if n != 1 else ''} written to {output}", err=True)
        if manifest:
            path = _write_manifest(
                archive, output, table, fmt, filters, as_of, csv_safe, n, _command_line(ctx)
            )
            click.echo(f"manifest written to {path}", err=True)
    if as_of is not None:
        _note_archive_start(archive, as_of)


def _note_archive_start(archive: Archive, as_of: str) -> None:
    """Say so when --as-of is before the archive's first run: an empty export is then no
    finding about the newsroom."""
    first = first_run_started(archive)
    if first is None:
        click.echo(f"note: nothing was archived by {as_of}: the archive has no runs", err=True)
    elif exports.end_of(as_of) < first:
        click.echo(
            f"note: nothing was archived by {as_of}: the archive's first run started {first}",
            err=True,
        )


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
        except OSError as exc:  # pyarrow opens the file itself, with its own message
            reason = os.strerror(exc.errno) if exc.errno else str(exc).splitlines()[0]
            raise click.ClickException(f"cannot write {output}: {reason}") from None
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


Row = dict[str, Any]


def _print_articles(
    rows: Iterable[Row],
    heading: Callable[[Row], Text],
    title: Callable[[Row], str],
    details: Callable[[Row], Iterable[str]],
) -> None:
    """One block per row: its heading, the article's title, its URL whole, the details."""
    console = _console()
    for n, row in enumerate(rows):
        if n:
            console.print()
        console.print(heading(row))
        console.print(Text(title(row)))
        _print_url(console, row["url"])
        for line in details(row):
            console.print(_indented(line))


def _heading(*parts: Any) -> Text:
    return Text("  ".join(str(p) for p in parts if p not in (None, "")), style="bold")


@click.command("search", cls=ReadCommand)
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
    OR, and a trailing * for prefixes on SQLite. Each match shows its id, which
    `show` and `history` take as well as the URL.
    """
    archive = open_archive(ctx)
    found = search(archive, query, _checked(archive, _filters(kwargs)), limit)
    if not found:
        raise click.ClickException(f"no article matches {query!r}")
    if as_json or as_csv:
        columns = ["id", "published_date", "source", "kind", "title", "url", "snippet"]
        _emit(found, columns, as_json, as_csv)
        return
    _print_articles(
        found,
        lambda r: _heading(f"#{r['id']}", r["published_date"], r["kind"], r["source"]),
        lambda r: r["title"] or "",
        lambda r: [r["snippet"] or ""],
    )


@click.command("show", cls=ReadCommand)
@click.argument("article", metavar="URL|ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show_command(ctx: click.Context, article: str, as_json: bool) -> None:
    """One article as it is now (its current version and archive state).

    URL may be spelt as the newsroom links it: http or https, with or without www.
    and the trailing slash, with tracking parameters; ID is the id `search`,
    `changes` and `show` print.
    """
    found = current(open_archive(ctx), article)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    for key, value in found.items():
        click.echo(f"{key}: {exports.cell(value)}")


PROSE_FIELDS = frozenset({"title", "teaser", "body", "caption", "image_alt", "photo_credit"})
"""Fields shown as a word diff with the size of the edit; the others as old → new."""
DIFF_CONTEXT = 8
"""Unchanged words kept on each side of an edit in a prose field."""


def _change_lines(row: dict[str, Any]) -> Iterator[str]:
    old, new = row["old_value"] or "", row["new_value"] or ""
    if row["change"] != "changed":
        if new:
            yield f"{row['field'] or 'value'}: {new}"
    elif row["field"] in PROSE_FIELDS:
        edit = word_edit(old, new, DIFF_CONTEXT)
        yield f"{row['field']}: {edit.size}"
        yield edit.diff
    else:
        yield f"{row['field']}: {old or '(empty)'} → {new or '(empty)'}"


@click.command("changes", cls=ReadCommand)
@filter_options
@detection_options
@click.option(
    "--field",
    callback=lambda _ctx, param, value: _known_field(param, value),
    help="Only changes of this field (title, body, photo_credit, …, or http_status).",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@output_options
@click.pass_context
def changes_command(
    ctx: click.Context,
    field: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
    **kwargs: Any,
) -> None:
    """What changed, newest first.

    Each event with the article's id, title and URL, and for an edit of a prose field
    (title, teaser, body, caption …) a word diff with the size of the edit
    ([-removed-] {+added+}).

    --detected-since/--detected-until are when a change was found; --since/--until,
    as on every command, when the article was published.
    """
    # `changes --since` was the detection time before --since meant publication everywhere.
    for name in ("since", "until"):
        if f"--{name}" in ctx.meta.get("spelt", ()):
            click.echo(
                f"note: --{name} is the publication date, as on every command; "
                f"when a change was detected is --detected-{name}",
                err=True,
            )
            break
    archive = open_archive(ctx)
    rows = recent_changes(archive, _checked(archive, _filters(kwargs)), field, limit)
    if not rows:
        raise click.ClickException("no changes match")
    if as_json or as_csv:
        columns = [
            "detected_at",
            "change",
            "field",
            "article_id",
            "url",
            "title",
            "old_value",
            "new_value",
        ]
        _emit(rows, columns, as_json, as_csv)
        return
    _print_articles(
        rows,
        lambda r: _heading(r["detected_at"], r["change"], f"run {r['run_id']}"),
        lambda r: f"#{r['article_id']}  {r['title'] or ''}",
        _change_lines,
    )


def _known_field(param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            refuse_unknown("change field", value, CHANGE_FIELDS)
        except UnknownValue as exc:
            raise click.BadParameter(str(exc), param=param) from None
    return value


@click.command("coverage", cls=ReadCommand)
@click.option("--source", metavar="NAME", help="Only this newsroom.")
@output_options
@click.pass_context
def coverage_command(ctx: click.Context, source: str | None, as_json: bool, as_csv: bool) -> None:
    """Observations per source and month (versions and sightings, by origin).

    Every month from a newsroom's first observation to its last has a row: a month of 0
    was not observed (the archive cannot say whether anything changed then), which is
    not the same as unchanged."""
    archive = open_archive(ctx)
    if source is not None:
        try:
            refuse_unknown("source", source, sources(archive), "--source")
        except UnknownValue as exc:
            raise click.BadParameter(str(exc), param_hint="--source") from None
    _emit(coverage(archive, source), list(COVERAGE_COLUMNS), as_json, as_csv)


@click.command("stats", cls=ReadCommand)
@filter_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats_command(ctx: click.Context, top: int, as_json: bool, **kwargs: Any) -> None:
    """Articles per source, kind and month; top agencies and photographers; runs."""
    archive = open_archive(ctx)
    stats = statistics(archive, _checked(archive, _filters(kwargs)), top)
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    _table("articles per source", ["source", "articles"], stats["articles_per_source"])
    _table("articles per kind", ["source", "kind", "articles"], stats["articles_per_kind"])
    _table("articles per month", ["source", "month", "articles"], stats["articles_per_month"])
    _table("top photo agencies", ["agency", "articles"], stats["top_agencies"])
    _table("top photographers", ["photographer", "articles"], stats["top_photographers"])
    _table("crawl runs", ["source", "status", "runs", "last finished"], stats["runs"])


def _stopped(row: dict[str, Any]) -> str:
    reasons = [r for r in (row["finish_reason"], row["stop_reason"]) if r]
    return "; ".join(dict.fromkeys(reasons))


@click.command("runs", cls=ReadCommand)
@click.option("--source", help="Only this newsroom.")
@output_options
@click.pass_context
def runs_command(ctx: click.Context, source: str | None, as_json: bool, as_csv: bool) -> None:
    """The crawl runs: counts, status, the health check's verdict, and why each stopped.

    A run can finish (status) and still be unhealthy (health): a listing whose markup
    changed ends normally with nothing read.
    """
    archive = open_archive(ctx)
    filters = _checked(archive, Filters(source=source))
    rows = list(exports.rows(archive, "runs", filters))
    if as_json or as_csv:
        _emit(rows, [c for c in exports.RUN_COLUMNS if c != "args"], as_json, as_csv)
        return
    console = _console()
    # One table per newsroom, the counts in one cell: it fits 80 columns.
    for name in dict.fromkeys(r["source"] for r in rows):
        table = Table(title=name, title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("run", "mode", "status", "health", "started", "counts", "stopped"):
            table.add_column(column, overflow="fold", no_wrap=column in ("run", "mode"))
        for r in rows:
            if r["source"] == name:
                table.add_row(
                    *(
                        Text(exports.cell(v))
                        for v in (
                            r["run_id"],
                            r["mode"],
                            r["status"],
                            r["health"] or "not checked",
                            (r["started_at"] or "")[:16].replace("T", " "),
                            _counts(r),
                            _stopped(r),
                        )
                    )
                )
        console.print(table)


def _counts(row: dict[str, Any]) -> str:
    names = ("new", "changed", "unchanged", "removed", "quarantined", "errors")
    return ", ".join(
        [
            f"{row['pages_fetched']} page{'s' if row['pages_fetched'] != 1 else ''}",
            *(f"{row[n]} {n}" for n in names if row[n] or n == "new"),
        ]
    )


# -- raw -------------------------------------------------------------------------------


def warc_dir_option(command: F) -> F:
    """Where the crawl wrote its WARC files (the crawl's WARC_DIR setting)."""
    return click.option(
        "--warc-dir",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="The WARC folder, as the crawl's WARC_DIR setting named it "
        "[default: warc/ beside a SQLite archive, else data/warc].",
    )(command)


@click.command("raw", cls=ReadCommand)
@click.argument("article", metavar="URL|ID")
@click.option(
    "--version",
    "number",
    type=click.IntRange(1),
    metavar="N",
    help="Version N, as `history` numbers them [default: the current version].",
)
@click.option(
    "--as-of",
    callback=_iso_moment,
    metavar="DATE",
    help="The version current at DATE (date or time, UTC): the last one seen by then.",
)
@click.option(
    "--decoded/--as-served",
    default=True,
    help="The body with its Content-Encoding (gzip, br, …) undone, as a browser has it "
    "[default]; or the bytes exactly as served, whose SHA-1 is the payload digest.",
)
@click.option(
    "--headers",
    "head",
    is_flag=True,
    help="Print the HTTP status line and headers as served instead of the body.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@warc_dir_option
@click.pass_context
def raw_command(
    ctx: click.Context,
    article: str,
    number: int | None,
    as_of: str | None,
    decoded: bool,
    head: bool,
    output: str | None,
    warc_dir: Path | None,
) -> None:
    """The page of an article version exactly as the newsroom served it (its WARC record).

    URL|ID as `show` takes them. The body is written as bytes, in the server's charset:
    by default with its Content-Encoding undone, so that the file is the page; with
    --as-served exactly the bytes received (compressed where the server compressed
    them), the evidence that the payload digest and `check --warc` vouch for. A version
    stored as a revisit (the page unchanged since an earlier capture) has its body from
    that capture; --headers prints the version's own response headers.
    """
    from newsroom_archive.warc import records
    from newsroom_archive.warc import warc_dir as default_warc_dir

    if number is not None and as_of is not None:
        raise click.UsageError("--version and --as-of both choose the version: give one")
    archive = open_archive(ctx)
    folder = default_warc_dir(archive.url, warc_dir)
    version = records.version_record(archive, article, number, as_of)
    page = records.served(archive, folder, version, body=not head)
    if head:
        data = "".join(f"{line}\n" for line in page.head.head_lines()).encode("utf-8")
        what = f"the HTTP headers of {version.name}"
        source = f"WARC record {page.head.record_id}"
    else:
        data = page.body.payload
        codings = records.content_codings(page.body.header("Content-Encoding"))
        if decoded and codings:
            data = records.decoded(data, page.body.header("Content-Encoding"))
            what = f"{version.name}, {', '.join(codings)} undone,"
        else:
            what = f"{version.name}, as served,"
        source = f"WARC record {page.body.record_id}"
        if page.revisit:
            source += f", which revisit {page.head.record_id} repeats"
        if page.body.status == 304:
            click.echo(f"note: {version.name} is a 304 Not Modified response: no body", err=True)
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    assert output is not None
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {len(data)} bytes, {what} to {output} (from {source})", err=True)


READ_COMMANDS = (
    export_command,
    search_command,
    show_command,
    changes_command,
    stats_command,
    runs_command,
    raw_command,
)
