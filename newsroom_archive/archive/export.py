"""Exports: one streamed query per table, written as CSV, JSON lines or Parquet.

The tables about articles take the article filters (applied to each article's current
version, or to its version current at ``as_of``), the tables about runs only the source;
each table declares its filters (``Table.filters``), and every table takes an optional
``as_of`` moment, so an export can show the archive as it stood then.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from sqlalchemy import ColumnElement, Connection, and_, func, literal, null, select

from newsroom_archive.archive import Archive
from newsroom_archive.archive.columns import decode_list
from newsroom_archive.archive.models import (
    Article,
    Capture,
    Change,
    CrawlRun,
    Quarantine,
    Sighting,
    Source,
    Version,
)
from newsroom_archive.archive.query import (
    ARTICLE_FILTER_COLUMNS,
    ARTICLE_FILTERS,
    EVENT_FILTERS,
    AnySelect,
    Filters,
    as_of_versions,
    end_of,
    event_clauses,
    filter_clauses,
)
from newsroom_archive.items import (
    CARD_FIELDS,
    FLAG_FIELDS,
    LIST_FIELDS,
    RECORD_FIELDS,
    VERSION_FIELDS,
)

MULTI_VALUE_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet evaluate a cell (OWASP CSV injection)."""
_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)

ARTICLE_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    *RECORD_FIELDS,
    "status",
    "first_seen_at",
    "last_seen_at",
    "removed_at",
    "version_count",
    "content_hash",
)
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "cause",
    "parser_version",
    "warc_filename",
    "warc_offset",
    "warc_length",
    "warc_record_id",
    "payload_digest",
)
"""Why a version exists and which WARC record it was read from (``captures``); after the
content fields, so scripts reading the older columns by position still find theirs."""
OBSERVATION_COLUMNS: tuple[str, ...] = ("observed_at", "origin")
"""When and where from a version or sighting was observed (migration 0007); last, so
scripts reading the older columns by position still find theirs."""
VERSION_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "version",
    "run_id",
    "seen_at",
    "content_hash",
    *VERSION_FIELDS,
    *EVIDENCE_COLUMNS,
    *OBSERVATION_COLUMNS,
)
CHANGE_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "run_id",
    "detected_at",
    "change",
    "field",
    "old_value",
    "new_value",
    "version",
)
SIGHTING_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "run_id",
    "seen_at",
    "listing_url",
    "page_number",
    "position",
    *CARD_FIELDS,
    *OBSERVATION_COLUMNS,
)
CREDIT_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "published_date",
    "kind",
    "role",
    "name",
    "photo_credit",
)
_RUN_COUNTS = (
    "pages_fetched",
    "items_seen",
    "new",
    "changed",
    "unchanged",
    "removed",
    "quarantined",
    "errors",
)
RUN_COLUMNS: tuple[str, ...] = (
    "run_id",
    "source",
    "spider",
    "mode",
    "status",
    "finish_reason",
    "started_at",
    "finished_at",
    *_RUN_COUNTS,
    "args",
    "health_ok",
    "health",
    "stop_reason",
)
"""The run columns; the last three came later and follow `args`, so older scripts that
read the columns by position still find theirs."""
QUARANTINE_COLUMNS: tuple[str, ...] = ("source", "url", "run_id", "created_at", "reason", "raw")
_INTEGER_COLUMNS = frozenset(
    {"version", "run_id", "page_number", "position", "version_count", "warc_offset"}
    | {"warc_length", *_RUN_COUNTS}
)
_BOOLEAN_COLUMNS = frozenset({"teaser_truncated", "health_ok"})


def _filter_clauses(filters: Filters) -> list[ColumnElement[bool]]:
    return filter_clauses(filters, ARTICLE_FILTER_COLUMNS)


def _article_versions(as_of: str | None) -> Any:
    """Join condition from Article to the Version it has (now, or at `as_of`)."""
    if as_of is None:
        return Version.id == Article.current_version_id
    return and_(Version.article_id == Article.id, Version.id.in_(as_of_versions(as_of)))


def _selected_articles(filters: Filters, as_of: str | None) -> AnySelect | None:
    clauses = _filter_clauses(filters)
    if not clauses and as_of is None:
        return None
    return (
        select(Article.id)
        .join(Source, Source.id == Article.source_id)
        .join(Version, _article_versions(as_of))
        .where(*clauses)
    )


def articles_query(filters: Filters, as_of: str | None) -> AnySelect:
    """Exactly ARTICLE_COLUMNS, in order (the CSV writer relies on it)."""
    if as_of is None:
        state: dict[str, Any] = {
            "status": Article.status,
            "first_seen_at": Article.first_seen_at,
            "last_seen_at": Article.last_seen_at,
            "removed_at": Article.removed_at,
            "version_count": Article.version_count,
            "content_hash": Article.content_hash,
        }
    else:
        last_sighting = (
            select(func.max(Sighting.observed_at))
            .where(Sighting.article_id == Article.id, Sighting.observed_at <= as_of)
            .scalar_subquery()
        )
        # As it stood then: only articles present then (so active), and what was known.
        state = {
            "status": literal("active"),
            "first_seen_at": Article.first_seen_at,
            "last_seen_at": func.coalesce(last_sighting, Version.observed_at),
            "removed_at": null(),
            "version_count": Version.version,
            "content_hash": Version.content_hash,
        }
    columns = {"source": Source.name, "url": Article.url, **state}
    return (
        select(
            *(columns[n].label(n) if n in columns else getattr(Version, n) for n in ARTICLE_COLUMNS)
        )
        .join(Source, Source.id == Article.source_id)
        .join(Version, _article_versions(as_of))
        .where(*_filter_clauses(filters))
        .order_by(Source.name, Version.published_date.desc(), Article.url)
    )


def _restrict(query: AnySelect, filters: Filters, as_of: str | None, when: Any | None) -> AnySelect:
    selected = _selected_articles(filters, as_of)
    if selected is not None:
        query = query.where(Article.id.in_(selected))
    if as_of is not None and when is not None:
        query = query.where(when <= as_of)
    return query


def versions_query(filters: Filters, as_of: str | None, url: str | None = None) -> AnySelect:
    own = VERSION_COLUMNS[2 : -len(EVIDENCE_COLUMNS) - len(OBSERVATION_COLUMNS)]
    query = (
        select(
            Source.name.label("source"),
            Article.url,
            *(getattr(Version, name) for name in own),
            Version.cause,
            Version.parser_version,
            Capture.filename.label("warc_filename"),
            Capture.offset.label("warc_offset"),
            Capture.length.label("warc_length"),
            Version.warc_record_id,
            Capture.payload_digest,
            Version.observed_at,
            Version.origin,
        )
        .join(Article, Article.id == Version.article_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(Capture, Capture.record_id == Version.warc_record_id)
        .order_by(Source.name, Article.url, Version.version)
    )
    if url is not None:
        query = query.where(Article.url == url)
    return _restrict(query, filters, as_of, Version.observed_at)


def changes_query(filters: Filters, as_of: str | None) -> AnySelect:
    query = (
        select(
            Source.name.label("source"),
            Article.url,
            Change.run_id,
            Change.detected_at,
            Change.change,
            Change.field,
            Change.old_value,
            Change.new_value,
            Version.version,
        )
        .join(Article, Article.id == Change.article_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(Version, Version.id == Change.version_id)
        .where(*event_clauses(filters, Change.detected_at))
        .order_by(Change.id)
    )
    return _restrict(query, filters, as_of, Change.detected_at)


def sightings_query(filters: Filters, as_of: str | None) -> AnySelect:
    query = (
        select(
            Source.name.label("source"),
            Article.url,
            *(getattr(Sighting, name) for name in SIGHTING_COLUMNS[2:]),
        )
        .join(Article, Article.id == Sighting.article_id)
        .join(Source, Source.id == Article.source_id)
        .order_by(Sighting.id)
    )
    return _restrict(query, filters, as_of, Sighting.observed_at)


def runs_query(filters: Filters, as_of: str | None) -> AnySelect:
    query = (
        select(
            CrawlRun.id.label("run_id"),
            Source.name.label("source"),
            *(getattr(CrawlRun, name) for name in RUN_COLUMNS[2:]),
        )
        .join(Source, Source.id == CrawlRun.source_id)
        .order_by(CrawlRun.id)
    )
    return _by_source(query, filters, as_of, CrawlRun.started_at)


def quarantine_query(filters: Filters, as_of: str | None) -> AnySelect:
    query = (
        select(
            Source.name.label("source"),
            Quarantine.url,
            Quarantine.run_id,
            Quarantine.created_at,
            Quarantine.reason,
            Quarantine.raw,
        )
        .join(Source, Source.id == Quarantine.source_id)
        .order_by(Quarantine.id)
    )
    return _by_source(query, filters, as_of, Quarantine.created_at)


def _by_source(query: AnySelect, filters: Filters, as_of: str | None, when: Any) -> AnySelect:
    """Tables not about one article: only the source filter and the as-of moment apply
    (their Table declares so, and the CLI refuses the other filters)."""
    if filters.source:
        query = query.where(Source.name == filters.source)
    if as_of is not None:
        query = query.where(when <= as_of)
    return query


def _credits(rows: Iterable[dict[str, Any]], filters: Filters) -> Iterator[dict[str, Any]]:
    """One row per credited name. An --agency or --photographer filter keeps the rows of
    that name (as the SQL filter matches it, case aside), not every credit of its articles:
    the rows are what gets counted."""
    wanted = {
        role: name.lower()
        for role, name in (("agency", filters.agency), ("photographer", filters.photographer))
        if name
    }
    for row in rows:
        for role, key in (("photographer", "photographers"), ("agency", "photo_agencies")):
            for name in row[key]:
                if wanted and wanted.get(role) != name.lower():
                    continue
                yield {
                    "source": row["source"],
                    "url": row["url"],
                    "published_date": row["published_date"],
                    "kind": row["kind"],
                    "role": role,
                    "name": name,
                    "photo_credit": row["photo_credit"],
                }


def health_summary(ok: bool | None, report: str | None) -> str | None:
    """The health check's verdict in a few words: `healthy`, or `unhealthy: ` and the
    failed checks; None for a run not checked."""
    if ok is None:
        return None
    failed = json.loads(report).get("failed", []) if report else []
    if ok:
        return "healthy"
    return "unhealthy: " + ", ".join(failed) if failed else "unhealthy"


def _runs(rows: Iterable[dict[str, Any]], _filters: Filters) -> Iterator[dict[str, Any]]:
    for row in rows:
        ok = None if row["health_ok"] is None else bool(row["health_ok"])
        yield {**row, "health_ok": ok, "health": health_summary(ok, row["health"])}


Derive = Callable[[Iterable[dict[str, Any]], Filters], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    query: Callable[[Filters, str | None], AnySelect]
    filters: frozenset[str]
    """The Filters fields this table applies; the CLI refuses the others."""
    derive: Derive | None = None
    """Rows made from the query's rows in Python (credits: several per article)."""
    one_row_each: bool = True
    """Whether `derive` keeps one row per query row (so counting the query counts rows)."""


TABLES: dict[str, Table] = {
    "articles": Table(ARTICLE_COLUMNS, articles_query, ARTICLE_FILTERS),
    "versions": Table(VERSION_COLUMNS, versions_query, ARTICLE_FILTERS),
    "changes": Table(CHANGE_COLUMNS, changes_query, ARTICLE_FILTERS | EVENT_FILTERS),
    "sightings": Table(SIGHTING_COLUMNS, sightings_query, ARTICLE_FILTERS),
    "credits": Table(CREDIT_COLUMNS, articles_query, ARTICLE_FILTERS, _credits, False),
    "runs": Table(RUN_COLUMNS, runs_query, frozenset({"source"}), _runs),
    "quarantine": Table(QUARANTINE_COLUMNS, quarantine_query, frozenset({"source"})),
}


def rows(
    archive: Archive,
    table: str,
    filters: Filters | None = None,
    as_of: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of an export, streamed (server-side cursor, fixed-size batches)."""
    spec = TABLES[table]
    filters = filters or Filters()
    moment = end_of(as_of) if as_of else None
    query = spec.query(filters, moment)
    with archive.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(query)
        decoded = (dict(row._mapping) for row in result)
        yield from spec.derive(decoded, filters) if spec.derive else decoded


def csv_records(
    archive: Archive,
    table: str,
    filters: Filters | None = None,
    as_of: str | None = None,
    *,
    safe: bool = True,
) -> Iterator[list[str]]:
    """CSV cells of an export, straight from the database rows (the fast path: no dicts).

    Every table's query selects its columns in CSV order; derived rows are built from dicts.
    """
    spec = TABLES[table]
    if spec.derive is not None:
        for row in rows(archive, table, filters, as_of):
            cells = [cell(row.get(column)) for column in spec.columns]
            yield [neutralise(c) for c in cells] if safe else cells
        return
    lists = [i for i, c in enumerate(spec.columns) if c in LIST_FIELDS]
    flags = [i for i, c in enumerate(spec.columns) if c in FLAG_FIELDS]
    moment = end_of(as_of) if as_of else None
    query = spec.query(filters or Filters(), moment)
    loads, join, triggers = decode_list, MULTI_VALUE_SEPARATOR.join, _TRIGGER_SET
    with archive.engine.connect() as conn:
        for values in _fast_rows(conn, query):
            if safe:
                cells = [
                    ("'" + v if v and v[0] in triggers else v)
                    if type(v) is str
                    else ""
                    if v is None
                    else str(v)
                    for v in values
                ]
            else:
                cells = [v if type(v) is str else "" if v is None else str(v) for v in values]
            for i in lists:
                names = values[i]
                # SQLite's driver rows carry the stored JSON text; typed rows, lists.
                joined = join(names if type(names) is list else loads(names)) if names else ""
                cells[i] = "'" + joined if safe and joined and joined[0] in triggers else joined
            for i in flags:
                cells[i] = "true" if values[i] else "false"
            yield cells


def _fast_rows(conn: Connection, query: AnySelect) -> Iterable[Sequence[Any]]:
    """Plain tuples; on SQLite straight from the driver's cursor, which streams rows at
    about half the per-row cost of result objects (the export's hot loop)."""
    if conn.dialect.name != "sqlite":
        return conn.execution_options(stream_results=True, yield_per=2000).execute(query)
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.arraysize = 2000
    cursor.execute(str(compiled), [compiled.params[k] for k in compiled.positiontup or ()])
    return cast(Iterable[Sequence[Any]], cursor)


def count(
    archive: Archive, table: str, filters: Filters | None = None, as_of: str | None = None
) -> int | None:
    """Rows an export will write (None where only reading them tells: credits)."""
    spec = TABLES[table]
    if not spec.one_row_each:
        return None
    moment = end_of(as_of) if as_of else None
    query = spec.query(filters or Filters(), moment).order_by(None)
    with archive.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def article_rows(archive: Archive) -> Iterator[dict[str, Any]]:
    return rows(archive, "articles")


def version_rows(archive: Archive, url: str | None = None) -> Iterator[dict[str, Any]]:
    with archive.engine.connect() as conn:
        for row in conn.execute(versions_query(Filters(), None, url)):
            yield dict(row._mapping)


# -- writers ---------------------------------------------------------------------------


def cell(value: Any) -> str:
    """How a value is written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return MULTI_VALUE_SEPARATOR.join(value)
    return str(value)


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: prefix a quote (OWASP)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_csv(
    rows: Iterable[dict[str, Any]],
    columns: tuple[str, ...],
    out: IO[str],
    *,
    safe: bool = False,
) -> int:
    """RFC 4180 CSV with a header row; returns the number of data rows."""
    return write_csv_records(
        (
            [neutralise(c) for c in cells] if safe else cells
            for cells in ([cell(row.get(column)) for column in columns] for row in rows)
        ),
        columns,
        out,
    )


def csv_line(cells: Iterable[str]) -> str:
    """One RFC 4180 record, quoted exactly as the csv module's QUOTE_MINIMAL does, at
    about three times its speed on long text (the export's hot loop)."""
    return (
        ",".join(
            [
                '"' + c.replace('"', '""') + '"'
                if ('"' in c or "," in c or "\n" in c or "\r" in c)
                else c
                for c in cells
            ]
        )
        + "\r\n"
    )


def write_csv_records(records: Iterable[list[str]], columns: tuple[str, ...], out: IO[str]) -> int:
    write = out.write
    write(csv_line(columns))
    n = 0
    for record in records:
        write(csv_line(record))
        n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], path: str, batch: int = 5000
) -> int:
    """Parquet in row groups of `batch` rows, so memory stays flat (needs pyarrow)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def kind(name: str) -> Any:
        if name in LIST_FIELDS:
            return pa.list_(pa.string())
        if name in _BOOLEAN_COLUMNS:
            return pa.bool_()
        if name in _INTEGER_COLUMNS:
            return pa.int64()
        return pa.string()

    schema = pa.schema([(name, kind(name)) for name in columns])
    writer = pq.ParquetWriter(path, schema)
    n = 0
    buffer: list[dict[str, Any]] = []

    def flush() -> None:
        if buffer:
            writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
            buffer.clear()

    try:
        for row in rows:
            buffer.append({c: row.get(c) for c in columns})
            n += 1
            if len(buffer) >= batch:
                flush()
        flush()
    finally:
        writer.close()
    return n
