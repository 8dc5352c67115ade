"""Rows for the CSV exports: one generator per table, streamed from the database."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select

from newsroom_archive.archive.models import Article, Source, Version
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
    with archive.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for row in result:
            values = dict(row._mapping)
            values["teaser_truncated"] = bool(values["teaser_truncated"])
            values["photographers"] = json.loads(values["photographers"] or "[]")
            values["photo_agencies"] = json.loads(values["photo_agencies"] or "[]")
            yield values


def write_csv(rows: Iterator[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    """RFC 4180 CSV with a header row; returns the number of data rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
        count += 1
    return count
