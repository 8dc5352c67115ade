"""The batch writer: normalised articles in, versions, changes and sightings out.

Items are buffered and written one transaction per batch. For each article the writer
compares the content hash with the archived one: a new article gets its first version,
a changed one a new version and one ``changed`` row per field, an unchanged one only a
sighting. Card-only items (the page was not fetched or not parsed) never make a version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text, update

from newsroom_archive.archive.database import Database, chunks, now_iso
from newsroom_archive.archive.models import Article, Capture, Change, Quarantine, Version
from newsroom_archive.archive.models import Sighting as SightingRow
from newsroom_archive.archive.removals import event_row
from newsroom_archive.archive.runs import RunLedger, Sources
from newsroom_archive.hashing import card_hash, content_hash, content_of
from newsroom_archive.items import CARD_FIELDS, CONTENT_FIELDS, VERSION_FIELDS, NormalisedArticle

_EXISTING = (
    Article.id,
    Article.url,
    Article.content_hash,
    Article.status,
    Article.listed,
    Article.version_count,
    Article.current_version_id,
)


@dataclass(frozen=True)
class Pending:
    """A buffered item and the run that scraped it."""

    run_id: int
    item: NormalisedArticle

    @property
    def url(self) -> str:
        return self.item.record.url


@dataclass
class PendingVersion:
    """A version about to be written: an article's first, or the next after ``previous``."""

    run_id: int | None
    item: NormalisedArticle
    content: dict[str, Any]
    digest: str
    previous: Any = None
    """The article's archived row (``_EXISTING`` columns), None for a new article."""
    article_id: int | None = None
    cause: str = "crawl"
    """``crawl``, or ``reparse``: today's parser read the stored page differently."""

    @property
    def number(self) -> int:
        return 1 if self.previous is None else int(self.previous.version_count) + 1

    def row(self, now: str) -> dict[str, Any]:
        fetch = self.item.fetch
        return {
            "article_id": self.article_id,
            "version": self.number,
            "run_id": self.run_id,
            "seen_at": now,
            "content_hash": self.digest,
            "cause": self.cause,
            "parser_version": _parser_version(),
            "warc_record_id": fetch.warc_record_id if fetch is not None else None,
            **self.content,
        }


def _parser_version() -> str:
    from newsroom_archive import __version__

    return str(__version__)


class ArchiveWriter:
    def __init__(
        self, db: Database, sources: Sources, ledger: RunLedger, batch_size: int = 200
    ) -> None:
        self.db = db
        self.sources = sources
        self.ledger = ledger
        self.batch_size = batch_size
        self._buffer: list[Pending] = []
        # Rows of WARC records written since the last batch: committed with it, so a
        # version never names a record the archive does not list.
        self._captures: list[dict[str, Any]] = []
        # Card-only items of articles not archived yet: written once the article
        # exists, quarantined if it never does.
        self._deferred: list[Pending] = []

    def add_capture(self, run_id: int | None, ref: Any) -> None:
        self._captures.append(ref.row(run_id))
        if len(self._captures) >= self.batch_size:
            self.flush()

    def add(self, run_id: int, item: NormalisedArticle) -> None:
        self._buffer.append(Pending(run_id, item))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def quarantine(
        self, run_id: int | None, source: str, url: str | None, reason: str, raw: dict[str, Any]
    ) -> None:
        source_id = self.sources.id(source)
        with self.db.engine.begin() as conn:
            conn.execute(
                self.db.insert(Quarantine).values(
                    run_id=run_id,
                    source_id=source_id,
                    url=url,
                    reason=reason,
                    raw=json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str),
                    created_at=now_iso(),
                )
            )
        if run_id is not None and run_id in self.ledger.tallies:
            self.ledger.tallies[run_id].add("quarantined")

    def flush(self) -> None:
        if not self._buffer and not self._deferred and not self._captures:
            return
        batch, self._buffer = self._deferred + self._buffer, []
        self._deferred = []
        captures, self._captures = self._captures, []
        with self.db.engine.begin() as conn:
            if captures:
                conn.execute(self.db.insert(Capture), captures)
            if batch:
                self._write(conn, batch)

    def settle(self) -> int:
        """Flush, then quarantine card-only items whose article never got archived.

        Returns how many were quarantined."""
        self.flush()
        if not self._deferred:
            return 0
        leftovers, self._deferred = self._deferred, []
        for pending in leftovers:
            item = pending.item
            reason = "; ".join(item.problems) or "article page not archived in this run"
            self.quarantine(pending.run_id, item.record.source, item.record.url, reason, item.raw)
        return len(leftovers)

    # -- one batch ---------------------------------------------------------------

    def _write(self, conn: Connection, batch: Sequence[Pending]) -> None:
        now = now_iso()
        urls = list(dict.fromkeys(p.url for p in batch))
        existing: dict[str, Any] = {
            found.url: found
            for chunk in chunks(urls)
            for found in conn.execute(select(*_EXISTING).where(Article.url.in_(chunk)))
        }

        # The last complete item for a URL in a batch wins; the others are sightings.
        latest = {p.url: p for p in batch if p.item.complete}
        new: list[PendingVersion] = []
        changed: list[PendingVersion] = []
        for url, pending in latest.items():
            tally = self.ledger.tally(pending.run_id)
            tally.add("items_seen")
            content = content_of(pending.item.record)
            version = PendingVersion(
                pending.run_id, pending.item, content, content_hash(content), existing.get(url)
            )
            if version.previous is None:
                new.append(version)
                tally.add("new")
            elif version.previous.content_hash != version.digest:
                version.article_id = version.previous.id
                changed.append(version)
                tally.add("changed")
            else:
                tally.add("unchanged")

        ids = {row.url: row.id for row in existing.values()}
        if new:
            self._write_new(conn, new, ids, now)
        if changed:
            self._write_changed(conn, changed, now)
        self._index_for_search(conn, [*new, *changed])

        written: list[Pending] = []
        for pending in batch:
            if pending.url not in ids:
                self._deferred.append(pending)
                continue
            written.append(pending)
            fetch = pending.item.fetch
            if fetch is not None and fetch.status == 304:
                # Not modified since the validators we sent: seen, and unchanged.
                tally = self.ledger.tally(pending.run_id)
                tally.add("items_seen")
                tally.add("unchanged")
        self._mark_seen(conn, ids, written, now)
        self._write_returns(conn, existing, written, now)
        self._write_sightings(conn, ids, written, now)

    def _write_new(
        self, conn: Connection, new: list[PendingVersion], ids: dict[str, int], now: str
    ) -> None:
        articles = [
            {
                "source_id": self.sources.id(version.item.record.source),
                "url": version.item.record.url,
                "status": "active",
                "first_seen_at": now,
                "last_seen_at": now,
                "content_hash": version.digest,
                "version_count": 1,
                "last_run_id": version.run_id,
            }
            for version in new
        ]
        for inserted in conn.execute(
            self.db.insert(Article).returning(
                Article.id, Article.url, sort_by_parameter_order=True
            ),
            articles,
        ):
            ids[inserted.url] = inserted.id
        for version in new:
            version.article_id = ids[version.item.record.url]
        version_ids = self._insert_versions(conn, new, now)
        _update_articles(
            conn,
            [
                {"id": version.article_id, "current_version_id": vid}
                for version, vid in zip(new, version_ids, strict=True)
            ],
        )
        conn.execute(
            self.db.insert(Change),
            [
                {
                    "article_id": version.article_id,
                    "run_id": version.run_id,
                    "version_id": vid,
                    "detected_at": now,
                    "change": "new",
                }
                for version, vid in zip(new, version_ids, strict=True)
            ],
        )

    def write_reparsed(self, versions: list[PendingVersion]) -> None:
        """New versions that today's parser read from stored pages: ``reparsed`` change
        rows, never ``changed`` (no edit by the newsroom), and the article's crawl
        bookkeeping (last seen, last run) left as the crawls left it."""
        if not versions:
            return
        with self.db.engine.begin() as conn:
            self._write_changed(conn, versions, now_iso(), change="reparsed")
            self._index_for_search(conn, versions)

    def _write_changed(
        self, conn: Connection, changed: list[PendingVersion], now: str, change: str = "changed"
    ) -> None:
        previous = {
            row.id: row
            for chunk in chunks([v.previous.current_version_id for v in changed])
            for row in conn.execute(select(Version.__table__).where(Version.id.in_(chunk)))
        }
        version_ids = self._insert_versions(conn, changed, now)
        change_rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for version, vid in zip(changed, version_ids, strict=True):
            old = content_of_version(previous[version.previous.current_version_id])
            for field in CONTENT_FIELDS:
                if old.get(field) != version.content.get(field):
                    change_rows.append(
                        {
                            "article_id": version.article_id,
                            "run_id": version.run_id,
                            "version_id": vid,
                            "detected_at": now,
                            "change": change,
                            "field": field,
                            "old_value": as_text(old.get(field)),
                            "new_value": as_text(version.content.get(field)),
                        }
                    )
            update = {
                "id": version.article_id,
                "content_hash": version.digest,
                "version_count": version.number,
                "current_version_id": vid,
            }
            if change == "changed":
                update |= {"last_seen_at": now, "last_run_id": version.run_id}
            updates.append(update)
        _update_articles(conn, updates)
        if change_rows:
            conn.execute(self.db.insert(Change), change_rows)

    def _insert_versions(
        self, conn: Connection, versions: Sequence[PendingVersion], now: str
    ) -> list[int]:
        result = conn.execute(
            self.db.insert(Version).returning(Version.id, sort_by_parameter_order=True),
            [version.row(now) for version in versions],
        )
        return [r.id for r in result]

    def _index_for_search(self, conn: Connection, versions: Sequence[PendingVersion]) -> None:
        """SQLite keeps an FTS5 table of current versions; PostgreSQL indexes `versions`."""
        if not versions or not self.db.sqlite:
            return
        for chunk in chunks([int(v.article_id or 0) for v in versions]):
            conn.execute(
                text(f"DELETE FROM articles_fts WHERE rowid IN ({', '.join(map(str, chunk))})")
            )
        conn.execute(
            text(
                "INSERT INTO articles_fts (rowid, title, teaser, body, caption) "
                "VALUES (:id, :title, :teaser, :body, :caption)"
            ),
            [
                {
                    "id": version.article_id,
                    "title": version.item.record.title,
                    "teaser": version.item.record.teaser,
                    "body": version.item.record.body,
                    "caption": version.item.record.caption,
                }
                for version in versions
            ],
        )

    def _mark_seen(
        self, conn: Connection, ids: dict[str, int], written: list[Pending], now: str
    ) -> None:
        """Last seen, the card as last shown and the page's HTTP validators."""
        rows: dict[int, dict[str, Any]] = {}
        for pending in written:
            item = pending.item
            fetched = item.fetch if item.fetch is not None and item.fetch.status == 200 else None
            rows[ids[pending.url]] = {
                "b_id": ids[pending.url],
                "b_run": pending.run_id,
                "b_card": card_hash(item.sighting.card) if item.sighting else None,
                "b_etag": fetched.etag if fetched else None,
                "b_modified": fetched.last_modified if fetched else None,
            }
        if not rows:
            return
        conn.execute(
            update(Article)
            .where(Article.id == bindparam("b_id"))
            .values(
                last_seen_at=now,
                last_run_id=bindparam("b_run"),
                card_hash=func.coalesce(bindparam("b_card"), Article.card_hash),
                etag=func.coalesce(bindparam("b_etag"), Article.etag),
                last_modified=func.coalesce(bindparam("b_modified"), Article.last_modified),
            ),
            list(rows.values()),
        )

    def _write_returns(
        self, conn: Connection, existing: dict[str, Any], written: list[Pending], now: str
    ) -> None:
        """Removed articles seen again have reappeared; unlisted ones listed again."""
        reappeared: dict[int, int] = {}
        relisted: dict[int, int] = {}
        for pending in written:
            row = existing.get(pending.url)
            if row is None:
                continue
            if row.status == "removed":
                reappeared[row.id] = pending.run_id
            if not row.listed and pending.item.sighting is not None:
                relisted[row.id] = pending.run_id
        events = [event_row(aid, run, now, "reappeared") for aid, run in reappeared.items()]
        events += [event_row(aid, run, now, "relisted") for aid, run in relisted.items()]
        if reappeared:
            conn.execute(
                update(Article)
                .where(Article.id.in_(list(reappeared)))
                .values(status="active", removed_at=None)
            )
        if relisted:
            conn.execute(
                update(Article)
                .where(Article.id.in_(list(relisted)))
                .values(listed=True, unlisted_at=None)
            )
        if events:
            conn.execute(self.db.insert(Change), events)

    def _write_sightings(
        self, conn: Connection, ids: dict[str, int], written: list[Pending], now: str
    ) -> None:
        sightings = [
            {
                "run_id": pending.run_id,
                "article_id": ids[pending.url],
                "seen_at": now,
                "listing_url": sighting.listing_url,
                "page_number": sighting.page_number,
                "position": sighting.position,
                **{f: getattr(sighting.card, f) for f in CARD_FIELDS},
                "card_hash": card_hash(sighting.card),
                "warc_record_id": sighting.warc_record_id,
            }
            for pending in written
            if (sighting := pending.item.sighting) is not None
        ]
        if sightings:
            conn.execute(self.db.insert(SightingRow), sightings)


def _update_articles(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Executemany UPDATE by primary key; every row must carry the same keys."""
    if not rows:
        return
    columns = [key for key in rows[0] if key != "id"]
    statement = (
        update(Article)
        .where(Article.id == bindparam("article_id"))
        .values({column: bindparam(f"new_{column}") for column in columns})
    )
    conn.execute(
        statement,
        [
            {"article_id": row["id"], **{f"new_{column}": row[column] for column in columns}}
            for row in rows
        ],
    )


def content_of_version(version: Any) -> dict[str, Any]:
    """Content fields of a `versions` row (a Row or a Version), as the record has them."""
    return {field: getattr(version, field) for field in VERSION_FIELDS}


def as_text(value: Any) -> str | None:
    """A field's value as a `changes` row keeps it."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
