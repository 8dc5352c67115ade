"""Reading the stored pages again with today's parsers: ``newsroom-archive reparse``.

For each article whose current version names a WARC record, the page as served is read
from the record, parsed by today's reader of its newsroom (with the layout of the day
it was captured) and normalised with today's rules, with the card the listing last
showed. Where the record comes out different, the archive gains a version of cause
``reparse`` and ``reparsed`` change rows: the newsroom did not edit anything, the
project reads better (or differently) now, and every query of edits leaves these out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from w3lib.encoding import html_to_unicode

from newsroom_archive.archive.database import ArchiveError
from newsroom_archive.archive.known import card_columns, card_of, latest_sighting
from newsroom_archive.archive.models import Article, Source, Version
from newsroom_archive.archive.models import Sighting as SightingRow
from newsroom_archive.archive.store import Archive
from newsroom_archive.archive.writer import PendingVersion, content_of_version
from newsroom_archive.hashing import content_hash, content_of
from newsroom_archive.items import CONTENT_FIELDS, Fetch, NormalisedArticle, ScrapedArticle

EXAMPLES = 3
"""Examples kept per field for a dry run's report."""


@dataclass
class FieldReport:
    count: int = 0
    examples: list[tuple[str, Any, Any]] = field(default_factory=list)


@dataclass
class ReparseReport:
    read: int = 0
    unchanged: int = 0
    changed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    """Articles not read again, by reason (no record, not a page, newsroom unknown …)."""
    fields: dict[str, FieldReport] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _candidates(archive: Archive, source: str | None, since: str | None) -> Iterator[Any]:
    query = (
        select(
            Article.id.label("article_id"),
            Article.url,
            Article.content_hash.label("article_hash"),
            Article.version_count,
            Article.current_version_id,
            Source.name.label("source"),
            *(c for c in Version.__table__.c if c.name not in ("id", "content_hash")),
            *card_columns(),
        )
        .join(Version, Version.id == Article.current_version_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(SightingRow, SightingRow.id == latest_sighting())
        .order_by(Source.name, Article.url)
    )
    if source is not None:
        query = query.where(Source.name == source)
    if since is not None:
        query = query.where(Version.seen_at >= since)
    with archive.engine.connect() as conn:
        yield from conn.execute(query).all()


def reparse(
    archive: Archive,
    folder: Path,
    *,
    source: str | None = None,
    since: str | None = None,
    dry_run: bool = False,
) -> ReparseReport:
    """Read every stored page again; record what reads differently (unless ``dry_run``)."""
    from newsroom_archive.normalise import build_record, validate
    from newsroom_archive.sites import get_site
    from newsroom_archive.warc import records

    report = ReparseReport()
    pending: list[PendingVersion] = []
    for row in _candidates(archive, source, since):
        if row.warc_record_id is None:
            report.skip("archived before WARC capture")
            continue
        try:
            site = get_site(row.source)
        except KeyError:
            report.skip("no newsroom of that name any more")
            continue
        version = records.VersionRecord(row.url, row.version, row.seen_at, row.warc_record_id)
        try:
            served = records.served(archive, folder, version)
        except ArchiveError as exc:
            report.skip(f"record unreadable: {str(exc).split(':')[0]}")
            continue
        body = served.body
        if body.status != 200:
            report.skip(f"stored response is HTTP {body.status}")
            continue
        payload = records.decoded(body.payload, body.header("Content-Encoding"))
        _, text = html_to_unicode(body.header("Content-Type"), payload)
        captured = dt.date.fromisoformat(served.capture.warc_date[:10])
        reader = site.on(captured)
        item = ScrapedArticle(
            source=row.source,
            url=row.url,
            card=card_of(row, row.url),
            page=reader.parse_article(text, body.uri),
            fetch=Fetch(url=body.uri, status=200, warc_record_id=row.warc_record_id),
        )
        record = build_record(item, reader.rules)
        report.read += 1
        content = content_of(record)
        digest = content_hash(content)
        if digest == row.article_hash:
            report.unchanged += 1
            continue
        if validate(record, item):
            report.skip("today's reading would be quarantined")
            continue
        report.changed += 1
        old = content_of_version(row)
        for name in CONTENT_FIELDS:
            if old.get(name) != content.get(name):
                found = report.fields.setdefault(name, FieldReport())
                found.count += 1
                if len(found.examples) < EXAMPLES:
                    found.examples.append((row.url, old.get(name), content.get(name)))
        pending.append(
            PendingVersion(
                run_id=None,
                item=NormalisedArticle(record=record, fetch=item.fetch),
                content=content,
                digest=digest,
                previous=_Previous(row.article_id, row.version_count, row.current_version_id),
                article_id=row.article_id,
                cause="reparse",
                # Read from the same page: observed when that page was.
                stated_at=row.observed_at,
                origin=row.origin,
            )
        )
    if not dry_run:
        archive.writer.write_reparsed(pending)
    return report


@dataclass(frozen=True)
class _Previous:
    """What a new version needs of its article's row (the writer's ``previous``)."""

    id: int
    version_count: int
    current_version_id: int
