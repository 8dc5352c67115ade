"""Rows for the CSV exports: one generator per table, streamed from the database."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import Select, select

from newsroom_archive.archive.hashing import VERSION_FIELDS
from newsroom_archive.archive.models import Article, Change, CrawlRun, Quarantine, Source, Version
from newsroom_archive.archive.store import Archive

ARTICLE_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "title",
    "kind",
    "type_label",
    "published_date",
    "published_at",
    "date_source",
    "teaser",
    "teaser_truncated",
    "body",
    "image_url",
    "image_alt",
    "caption",
    "photo_credit",
    "photographers",
    "photo_agencies",
    "caption_place",
    "caption_date",
    "status",
    "first_seen_at",
    "last_seen_at",
    "removed_at",
    "version_count",
    "content_hash",
)

MULTI_VALUE_SEPARATOR = "; "

# Columns that describe the article in the archive rather than one version's content.
_ARTICLE_OWN = (
    "url",
    "status",
    "first_seen_at",
    "last_seen_at",
    "removed_at",
    "version_count",
    "content_hash",
)


def cell(value: Any) -> str:
    """How a value is written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return MULTI_VALUE_SEPARATOR.join(value)
    return str(value)


def _stream(archive: Archive, query: Select[*tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    with archive.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for row in result:
            values = dict(row._mapping)
            for name in ("photographers", "photo_agencies"):
                if name in values:
                    values[name] = json.loads(values[name] or "[]")
            if "teaser_truncated" in values:
                values["teaser_truncated"] = bool(values["teaser_truncated"])
            yield values


def article_rows(archive: Archive) -> Iterator[dict[str, Any]]:
    version_columns = [
        getattr(Version, name)
        for name in ARTICLE_COLUMNS
        if name not in _ARTICLE_OWN and name != "source"
    ]
    query = (
        select(
            Source.name.label("source"),
            *(getattr(Article, name) for name in _ARTICLE_OWN),
            *version_columns,
        )
        .join(Source, Source.id == Article.source_id)
        .join(Version, Version.id == Article.current_version_id)
        .order_by(Source.name, Version.published_date.desc(), Article.url)
    )
    return _stream(archive, query)


VERSION_COLUMNS: tuple[str, ...] = (
    "source",
    "url",
    "version",
    "run_id",
    "seen_at",
    "content_hash",
    *VERSION_FIELDS,
)


def version_rows(archive: Archive, url: str | None = None) -> Iterator[dict[str, Any]]:
    query = (
        select(
            Source.name.label("source"),
            Article.url,
            *(getattr(Version, name) for name in VERSION_COLUMNS[2:]),
        )
        .join(Article, Article.id == Version.article_id)
        .join(Source, Source.id == Article.source_id)
        .order_by(Source.name, Article.url, Version.version)
    )
    if url is not None:
        query = query.where(Article.url == url)
    return _stream(archive, query)


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


def change_rows(archive: Archive) -> Iterator[dict[str, Any]]:
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
        .order_by(Change.id)
    )
    return _stream(archive, query)


RUN_COLUMNS: tuple[str, ...] = (
    "run_id",
    "source",
    "spider",
    "mode",
    "status",
    "finish_reason",
    "started_at",
    "finished_at",
    "pages_fetched",
    "items_seen",
    "new",
    "changed",
    "unchanged",
    "removed",
    "quarantined",
    "errors",
    "args",
)


def run_rows(archive: Archive) -> Iterator[dict[str, Any]]:
    query = (
        select(
            CrawlRun.id.label("run_id"),
            Source.name.label("source"),
            *(getattr(CrawlRun, name) for name in RUN_COLUMNS[2:]),
        )
        .join(Source, Source.id == CrawlRun.source_id)
        .order_by(CrawlRun.id)
    )
    return _stream(archive, query)


QUARANTINE_COLUMNS: tuple[str, ...] = ("source", "url", "run_id", "created_at", "reason", "raw")


def quarantine_rows(archive: Archive) -> Iterator[dict[str, Any]]:
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
    return _stream(archive, query)


TABLES: dict[str, tuple[tuple[str, ...], Callable[[Archive], Iterator[dict[str, Any]]]]] = {
    "articles": (ARTICLE_COLUMNS, article_rows),
    "versions": (VERSION_COLUMNS, version_rows),
    "changes": (CHANGE_COLUMNS, change_rows),
    "runs": (RUN_COLUMNS, run_rows),
    "quarantine": (QUARANTINE_COLUMNS, quarantine_rows),
}
"""Exportable tables: their CSV columns, in order, and their row generator."""


def write_csv(rows: Iterator[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    """RFC 4180 CSV with a header row; returns the number of data rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
        count += 1
    return count
