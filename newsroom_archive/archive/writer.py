"""The batch writer: normalised articles in, versions, changes and sightings out.

Items are buffered and written one transaction per batch. For each article the writer
compares the content hash with the archived one: a new article gets its first version,
a changed one a new version and one ``changed`` row per field, an unchanged one only a
sighting. Card-only items (the page was not fetched or not parsed) never make a version.

One timeline: every version and sighting records when it was observed (``observed_at``)
and where from (``origin``). A live crawl observes now (a version at its fetch time), so
its versions are appended. An item that states its own observation time (a Wayback
capture's, ``Fetch.observed_at``/``Sighting.observed_at``) is placed at that time among
the article's versions (``_place``):

- equal to the version observed just before it: no version (a sighting at most);
- else equal to the version observed just after it: that version *moves back*: it now
  names this earlier observation (its time, origin, run, WARC record and provenance
  fields), since the content is known to have existed from then; the change rows into
  it are dated again;
- else a new version at its place: ``version`` is renumbered so that it counts 1.. in
  observation order, and the change rows between the neighbours are recomputed (the
  ``A→C`` rows become ``A→B`` and ``B→C``, each dated by the later version's
  ``observed_at``). The article's current version is always the latest observation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, select, text, update

from newsroom_archive.archive.database import Database, chunks, iso_moment, now_iso
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
    stated_at: str | None = None
    """The observation time the item states (a capture's), in the archive's form; None
    for a live fetch."""
    origin: str = "live"
    position: int | None = None
    """The version's number when it is placed among existing versions."""

    @property
    def number(self) -> int:
        if self.position is not None:
            return self.position
        return 1 if self.previous is None else int(self.previous.version_count) + 1

    def observed(self, now: str) -> str:
        """When the content was observed: the stated time, else the fetch's, else now."""
        if self.stated_at is not None:
            return self.stated_at
        fetch = self.item.fetch
        return iso_moment(fetch.fetched_at) if fetch and fetch.fetched_at else now

    def row(self, now: str) -> dict[str, Any]:
        fetch = self.item.fetch
        return {
            "article_id": self.article_id,
            "version": self.number,
            "run_id": self.run_id,
            "seen_at": now,
            "observed_at": self.observed(now),
            "origin": self.origin,
            "content_hash": self.digest,
            "cause": self.cause,
            "parser_version": _parser_version(),
            "warc_record_id": fetch.warc_record_id if fetch is not None else None,
            **self.content,
        }


def stated_observation(item: NormalisedArticle) -> tuple[str | None, str]:
    """The observation time (archive form) and origin an item states: its page's fetch,
    else (a card-only item) its listing's; (None, "live") for a live crawl's item."""
    fetch, sighting = item.fetch, item.sighting
    for said in (fetch, sighting):
        if said is not None and said.observed_at is not None:
            return iso_moment(said.observed_at), said.origin
    return None, "live"


def _sighting_observation(item: NormalisedArticle, now: str) -> dict[str, str]:
    """A sighting's observation: its listing's stated time, else its item's, else now."""
    sighting = item.sighting
    if sighting is not None and sighting.observed_at is not None:
        return {"observed_at": iso_moment(sighting.observed_at), "origin": sighting.origin}
    stated, origin = stated_observation(item)
    return {"observed_at": stated or now, "origin": origin}


def field_changes(
    article_id: Any,
    run_id: int | None,
    version_id: int,
    detected_at: str,
    change: str,
    old: dict[str, Any],
    new: dict[str, Any],
) -> list[dict[str, Any]]:
    """One `changes` row per content field that differs from `old` to `new`."""
    return [
        {
            "article_id": article_id,
            "run_id": run_id,
            "version_id": version_id,
            "detected_at": detected_at,
            "change": change,
            "field": field,
            "old_value": as_text(old.get(field)),
            "new_value": as_text(new.get(field)),
        }
        for field in CONTENT_FIELDS
        if old.get(field) != new.get(field)
    ]


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
        placed = [(when, p) for p in batch if (when := stated_observation(p.item)[0])]
        live = [p for p in batch if stated_observation(p.item)[0] is None]
        if live:
            self._write_live(conn, live, now)
        # Oldest first, each against the timeline as the ones before it left it.
        for _, pending in sorted(placed, key=lambda found: found[0]):
            self._place(conn, pending, now)

    def _write_live(self, conn: Connection, batch: Sequence[Pending], now: str) -> None:
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

    # -- an observation of its own time (a web archive's capture) ------------------------

    def _place(self, conn: Connection, pending: Pending, now: str) -> None:
        """Write one item at the time it states (see the module docstring)."""
        item = pending.item
        stated, origin = stated_observation(item)
        assert stated is not None
        article = conn.execute(select(*_EXISTING).where(Article.url == pending.url)).first()
        if item.complete:
            tally = self.ledger.tally(pending.run_id)
            tally.add("items_seen")
            content = content_of(item.record)
            version = PendingVersion(
                pending.run_id,
                item,
                content,
                content_hash(content),
                article,
                stated_at=stated,
                origin=origin,
            )
            if article is None:
                self._write_new(conn, [version], {}, now)
                self._index_for_search(conn, [version])
                tally.add("new")
            else:
                version.article_id = article.id
                tally.add(self._insert_observed(conn, version, now))
            article = conn.execute(select(*_EXISTING).where(Article.url == pending.url)).first()
        if article is None:
            self._deferred.append(pending)
            return
        ids = {pending.url: article.id}
        # An old observation widens what is known of the article (first and last seen);
        # it says nothing of today's listing, validators or removal.
        first, last = Article.first_seen_at, Article.last_seen_at
        conn.execute(
            update(Article)
            .where(Article.id == article.id)
            .values(
                first_seen_at=case((first > stated, stated), else_=first),
                last_seen_at=case((last < stated, stated), else_=last),
            )
        )
        self._write_sightings(conn, ids, [pending], now)

    def _insert_observed(self, conn: Connection, version: PendingVersion, now: str) -> str:
        """Place a version among the article's by observation time; the run's tally."""
        observed = version.observed(now)
        article_id = version.article_id
        timeline = conn.execute(
            select(Version.__table__)
            .where(Version.article_id == article_id)
            .order_by(Version.observed_at, Version.version)
        ).all()
        # Equal times: the archived observation first, so a repeat is a no-op.
        at = sum(1 for row in timeline if row.observed_at <= observed)
        before = timeline[at - 1] if at else None
        after = timeline[at] if at < len(timeline) else None
        if before is not None and before.content_hash == version.digest:
            return "unchanged"
        if after is not None and after.content_hash == version.digest:
            moved = {
                k: v
                for k, v in version.row(now).items()
                if k not in ("article_id", "version", "seen_at")
            }
            conn.execute(update(Version).where(Version.id == after.id).values(moved))
            conn.execute(
                update(Change)
                .where(
                    Change.version_id == after.id,
                    Change.change.in_(("new", "changed", "reparsed")),
                )
                .values(detected_at=observed)
            )
            return "unchanged"
        version.position = at + 1
        of_article = Version.article_id == article_id
        # Through negative numbers: the (article, version) key stays unique after every
        # row's update, which a plain `version + 1` does not promise on either backend.
        conn.execute(
            update(Version)
            .where(of_article, Version.version >= version.position)
            .values(version=-(Version.version + 1))
        )
        conn.execute(
            update(Version).where(of_article, Version.version < 0).values(version=-Version.version)
        )
        (vid,) = self._insert_versions(conn, [version], now)
        rows: list[dict[str, Any]] = []
        if before is not None:
            rows += field_changes(
                article_id,
                version.run_id,
                vid,
                observed,
                "changed",
                content_of_version(before),
                version.content,
            )
        if after is not None:
            conn.execute(
                delete(Change).where(
                    Change.version_id == after.id, Change.change.in_(("changed", "reparsed"))
                )
            )
            if before is None:
                conn.execute(
                    update(Change)
                    .where(Change.version_id == after.id, Change.change == "new")
                    .values(version_id=vid, detected_at=observed, run_id=version.run_id)
                )
            rows += field_changes(
                article_id,
                after.run_id,
                after.id,
                after.observed_at,
                "reparsed" if after.cause == "reparse" else "changed",
                version.content,
                content_of_version(after),
            )
        if rows:
            conn.execute(self.db.insert(Change), rows)
        latest = {"current_version_id": vid, "content_hash": version.digest}
        conn.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(version_count=len(timeline) + 1, **(latest if after is None else {}))
        )
        if after is None:
            self._index_for_search(conn, [version])
        return "changed"

    def _write_new(
        self, conn: Connection, new: list[PendingVersion], ids: dict[str, int], now: str
    ) -> None:
        articles = [
            {
                "source_id": self.sources.id(version.item.record.source),
                "url": version.item.record.url,
                "status": "active",
                "first_seen_at": version.stated_at or now,
                "last_seen_at": version.stated_at or now,
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
                    "detected_at": version.observed(now),
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
            # An edit is dated by the observation that shows it; a re-reading by when
            # today's parser read it.
            detected = version.observed(now) if change == "changed" else now
            change_rows += field_changes(
                version.article_id, version.run_id, vid, detected, change, old, version.content
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
                **_sighting_observation(pending.item, now),
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
