"""Opening, migrating and writing the archive."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from newsroom_archive.archive.hashing import (
    CARD_FIELDS,
    CONTENT_FIELDS,
    VERSION_FIELDS,
    card_hash,
    content_hash,
    content_of,
)
from newsroom_archive.archive.models import (
    Article,
    Change,
    CrawlLock,
    CrawlRun,
    Quarantine,
    Source,
    Version,
)
from newsroom_archive.archive.models import (
    Sighting as SightingRow,
)
from newsroom_archive.items import ArticleRecord, KnownArticle, ListingCard, NormalisedArticle

DEFAULT_URL = "sqlite:///data/newsroom.sqlite"
ENV_VAR = "NEWSROOM_ARCHIVE_URL"
MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


class ArchiveError(Exception):
    """A problem the user can act on; the message is one line."""


def resolve_url(explicit: str | None = None) -> str:
    """Explicit setting or option, else $NEWSROOM_ARCHIVE_URL, else data/newsroom.sqlite."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_URL


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ArchiveError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            if readonly:
                if not path.exists():
                    raise ArchiveError(f"no archive at {path}")
                url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
        # Crawls hold the write lock for one batch at a time; a second writer waits
        # this long for it instead of failing at once.
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            if not readonly:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise ArchiveError(f"cannot use database URL {url!r}: {exc}") from None


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply migrations; returns (revision before, revision after)."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # SQLite rebuilds a table to alter it; with foreign keys enforced the
            # rebuild would fail, so they are checked once at the end instead.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            before = current_revision(conn)
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            after = current_revision(conn)
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise ArchiveError("migration left broken references; the archive is unchanged")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    return before, after or ""


class Archive:
    """One archive database. Writes are buffered and committed in batches."""

    def __init__(
        self,
        url: str | None = None,
        *,
        readonly: bool = False,
        create: bool = True,
        batch_size: int = 200,
    ) -> None:
        self.url = resolve_url(url)
        self.readonly = readonly
        self.batch_size = batch_size
        self.engine = make_engine(self.url, readonly=readonly)
        self._buffer: list[tuple[int, NormalisedArticle]] = []
        # Card-only items of articles not archived yet: written once the article
        # exists, quarantined if it never does.
        self._deferred: list[tuple[int, NormalisedArticle]] = []
        self._sources: dict[str, int] = {}
        self.counts: dict[int, dict[str, int]] = {}
        self._modes: dict[int, str] = {}
        # Status answered by the pages of articles a full crawl did not see.
        self._checks: dict[int, dict[str, int]] = {}
        self._check_schema(create=create and not readonly)

    # -- opening -----------------------------------------------------------------

    def _check_schema(self, *, create: bool) -> None:
        try:
            with self.engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                revision = current_revision(conn)
        except OperationalError as exc:
            raise ArchiveError(f"cannot open archive {self.location}: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise ArchiveError(f"cannot open archive {self.location}: {exc}") from None
        head = head_revision()
        if revision is None:
            if tables:
                raise ArchiveError(f"{self.location} is not a newsroom archive")
            if not create:
                raise ArchiveError(f"{self.location} is empty, not an archive")
            upgrade(self.engine)
            return
        if revision != head:
            raise ArchiveError(
                f"archive {self.location} has schema {revision}, this version needs {head}: "
                "run `newsroom-archive db upgrade`"
            )

    @property
    def location(self) -> str:
        """The archive's file, or its URL without the password."""
        path = _sqlite_path(self.url)
        return str(path) if path else make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.flush()
        self.engine.dispose()

    # -- runs --------------------------------------------------------------------

    def source_id(self, name: str) -> int:
        if name not in self._sources:
            with self.engine.begin() as conn:
                conn.execute(
                    self._insert(Source)
                    .values(name=name, created_at=now_iso())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                self._sources[name] = conn.execute(
                    select(Source.id).where(Source.name == name)
                ).scalar_one()
        return self._sources[name]

    def start_run(
        self,
        source: str,
        spider: str,
        mode: str,
        args: dict[str, Any] | None = None,
        *,
        resumed_from: int | None = None,
    ) -> int:
        source_id = self.source_id(source)
        self.mark_interrupted()
        with self.engine.begin() as conn:
            run_id = conn.execute(
                self._insert(CrawlRun)
                .values(
                    source_id=source_id,
                    spider=spider,
                    mode=mode,
                    args=json.dumps(args or {}, sort_keys=True),
                    started_at=now_iso(),
                    status="running",
                    pid=os.getpid(),
                    hostname=socket.gethostname(),
                    resumed_from=resumed_from,
                )
                .returning(CrawlRun.id)
            ).scalar_one()
        self.counts[run_id] = dict.fromkeys(
            ("items_seen", "new", "changed", "unchanged", "removed", "quarantined"), 0
        )
        self._modes[run_id] = mode
        return int(run_id)

    def mark_interrupted(self) -> list[int]:
        """Runs still `running` whose process is gone were cut short: say so."""
        host = socket.gethostname()
        with self.engine.begin() as conn:
            running = conn.execute(
                select(CrawlRun.id, CrawlRun.pid, CrawlRun.hostname).where(
                    CrawlRun.status == "running"
                )
            ).all()
            dead = [
                run.id
                for run in running
                if run.hostname == host and run.pid is not None and not _alive(run.pid)
            ]
            if dead:
                conn.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id.in_(dead))
                    .values(status="interrupted", finish_reason="process ended without finishing")
                )
        return dead

    def unseen_articles(self, source: str, run_id: int, url_prefix: str = "") -> list[str]:
        """Active articles of a source that this run has not seen (yet).

        ``url_prefix`` keeps a crawl of a mirror from judging the live site's articles.
        """
        self.flush()
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(Article.url)
                    .where(
                        Article.source_id == self.source_id(source),
                        Article.status == "active",
                        Article.last_run_id.not_in(self.run_chain(run_id))
                        | Article.last_run_id.is_(None),
                        Article.url.startswith(url_prefix, autoescape=True),
                    )
                    .order_by(Article.url)
                ).scalars()
            )

    def known_articles(self, source: str) -> dict[str, KnownArticle]:
        """Every active article of a source with its last card and HTTP validators."""
        self.flush()
        latest = (
            select(func.max(SightingRow.id))
            .where(SightingRow.article_id == Article.id)
            .correlate(Article)
            .scalar_subquery()
        )
        query = (
            select(
                Article.url,
                Article.card_hash,
                Article.etag,
                Article.last_modified,
                Version.published_date,
                *(getattr(SightingRow, f) for f in CARD_FIELDS),
                SightingRow.position,
            )
            .join(Version, Version.id == Article.current_version_id)
            .outerjoin(SightingRow, SightingRow.id == latest)
            .where(Article.source_id == self.source_id(source), Article.status == "active")
        )
        known: dict[str, KnownArticle] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                card = None
                if row.position is not None:
                    card = ListingCard(
                        url=row.url,
                        position=row.position,
                        **{f: getattr(row, f) for f in CARD_FIELDS},
                    )
                known[row.url] = KnownArticle(
                    url=row.url,
                    card_hash=row.card_hash,
                    etag=row.etag,
                    last_modified=row.last_modified,
                    published_date=row.published_date,
                    card=card,
                )
        return known

    def record_check(self, run_id: int, url: str, status: int) -> None:
        self._checks.setdefault(run_id, {})[url] = status

    def finish_run(
        self,
        run_id: int,
        status: str,
        *,
        stats: dict[str, Any] | None = None,
        finish_reason: str | None = None,
        pages_fetched: int = 0,
        errors: int = 0,
        stop_reason: str | None = None,
        apply_removals: bool = True,
    ) -> None:
        """Close a run. ``apply_removals=False`` leaves the removal checks pending for
        ``apply_removals()`` (after a health check, say)."""
        self.settle()
        if apply_removals:
            self.apply_removals(run_id, status)
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(
                    finished_at=now_iso(),
                    status=status,
                    finish_reason=finish_reason,
                    pages_fetched=pages_fetched,
                    errors=errors,
                    stats=json.dumps(stats or {}, sort_keys=True, default=str),
                    stop_reason=stop_reason,
                    **self.counts.get(run_id, {}),
                )
            )

    def apply_removals(self, run_id: int, status: str) -> int:
        """Judge the articles a run did not see by what their URLs answered.

        Only a complete, clean full crawl may conclude that something is gone; for any
        other run the answers are dropped. Returns how many were found removed.
        """
        checks = self._checks.pop(run_id, {})
        if status != "finished" or self._modes.get(run_id) != "full" or not checks:
            return 0
        removed = self._apply_checks(run_id, checks)
        self.counts.setdefault(run_id, {})["removed"] = removed
        with self.engine.begin() as conn:
            conn.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(removed=removed))
        return removed

    def run_chain(self, run_id: int) -> list[int]:
        """This run and the runs it resumes (a JOBDIR crawl continued after a stop)."""
        chain = [run_id]
        with self.engine.connect() as conn:
            while True:
                previous = conn.execute(
                    select(CrawlRun.resumed_from).where(CrawlRun.id == chain[-1])
                ).scalar()
                if previous is None or previous in chain:
                    return chain
                chain.append(previous)

    # -- the crawl lock ---------------------------------------------------------------

    def acquire_lock(self, name: str) -> str | None:
        """Take the named lock, or raise ArchiveError naming its live holder.

        A lock left by a process that died on this host is taken over; the return value
        then says whose it was (for the log).
        """
        host, pid = socket.gethostname(), os.getpid()
        row = {"name": name, "pid": pid, "hostname": host, "acquired_at": now_iso()}
        with self.engine.begin() as conn:
            inserted = conn.execute(
                self._insert(CrawlLock)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["name"])
            ).rowcount
            if inserted:
                return None
            holder = conn.execute(select(CrawlLock).where(CrawlLock.name == name)).one()
            if holder.hostname != host or _alive(holder.pid):
                raise ArchiveError(
                    f"another crawl ({name}) is running on {self.location}: pid {holder.pid} "
                    f"on {holder.hostname} since {holder.acquired_at}"
                )
            taken = conn.execute(
                update(CrawlLock)
                .where(CrawlLock.name == name, CrawlLock.pid == holder.pid)
                .values(pid=pid, hostname=host, acquired_at=row["acquired_at"])
            ).rowcount
            if not taken:  # another process took it over first
                raise ArchiveError(f"another crawl ({name}) is starting on {self.location}")
        return f"took over the lock left by pid {holder.pid} (taken {holder.acquired_at})"

    def release_lock(self, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(CrawlLock).where(CrawlLock.name == name, CrawlLock.pid == os.getpid())
            )

    def _apply_checks(self, run_id: int, checks: dict[str, int]) -> int:
        now = now_iso()
        removed = 0
        seen_by = set(self.run_chain(run_id))
        with self.engine.begin() as conn:
            rows = {
                row.url: row
                for chunk in _chunks(sorted(checks), 500)
                for row in conn.execute(
                    select(
                        Article.id, Article.url, Article.status, Article.listed, Article.last_run_id
                    ).where(Article.url.in_(chunk))
                )
            }
            events: list[dict[str, Any]] = []
            for url, http_status in sorted(checks.items()):
                row = rows.get(url)
                if row is None or row.status != "active" or row.last_run_id in seen_by:
                    continue
                if http_status in (404, 410):
                    conn.execute(
                        update(Article)
                        .where(Article.id == row.id)
                        .values(status="removed", removed_at=now)
                    )
                    events.append(_event(row.id, run_id, now, "removed", http_status))
                    removed += 1
                elif 200 <= http_status < 300 and row.listed:
                    conn.execute(
                        update(Article)
                        .where(Article.id == row.id)
                        .values(listed=False, unlisted_at=now)
                    )
                    events.append(_event(row.id, run_id, now, "unlisted", http_status))
            if events:
                conn.execute(self._insert(Change), events)
        return removed

    # -- writing -----------------------------------------------------------------

    def add(self, run_id: int, item: NormalisedArticle) -> None:
        self._buffer.append((run_id, item))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def quarantine(
        self, run_id: int | None, source: str, url: str | None, reason: str, raw: dict[str, Any]
    ) -> None:
        source_id = self.source_id(source)
        with self.engine.begin() as conn:
            conn.execute(
                self._insert(Quarantine).values(
                    run_id=run_id,
                    source_id=source_id,
                    url=url,
                    reason=reason,
                    raw=json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str),
                    created_at=now_iso(),
                )
            )
        if run_id is not None and run_id in self.counts:
            self.counts[run_id]["quarantined"] += 1

    def flush(self) -> None:
        if not self._buffer and not self._deferred:
            return
        batch, self._buffer = self._deferred + self._buffer, []
        self._deferred = []
        with self.engine.begin() as conn:
            self._write(conn, batch)

    def settle(self) -> int:
        """Flush, then quarantine card-only items whose article never got archived.

        Returns how many were quarantined."""
        self.flush()
        if not self._deferred:
            return 0
        leftovers, self._deferred = self._deferred, []
        for run_id, item in leftovers:
            reason = "; ".join(item.problems) or "article page not archived in this run"
            self.quarantine(run_id, item.record.source, item.record.url, reason, item.raw)
        return len(leftovers)

    def _write(self, conn: Connection, batch: Sequence[tuple[int, NormalisedArticle]]) -> None:
        now = now_iso()
        urls = list(dict.fromkeys(item.record.url for _, item in batch))
        existing: dict[str, Any] = {}
        for chunk in _chunks(urls, 500):
            for found in conn.execute(
                select(
                    Article.id,
                    Article.url,
                    Article.content_hash,
                    Article.status,
                    Article.listed,
                    Article.version_count,
                    Article.current_version_id,
                ).where(Article.url.in_(chunk))
            ):
                existing[found.url] = found

        # The last complete item for a URL in a batch wins; the others are sightings.
        latest: dict[str, tuple[int, NormalisedArticle]] = {}
        for run_id, item in batch:
            if item.complete:
                latest[item.record.url] = (run_id, item)

        new_rows: list[dict[str, Any]] = []
        new_versions: list[tuple[str, int, NormalisedArticle, dict[str, Any], str]] = []
        changed: list[tuple[Any, int, NormalisedArticle, dict[str, Any], str]] = []
        for url, (run_id, item) in latest.items():
            counts = self.counts.setdefault(run_id, dict.fromkeys(("items_seen",), 0))
            counts["items_seen"] = counts.get("items_seen", 0) + 1
            content = content_of(item.record)
            digest = content_hash(content)
            row = existing.get(url)
            if row is None:
                new_rows.append(
                    {
                        "source_id": self.source_id(item.record.source),
                        "url": url,
                        "status": "active",
                        "first_seen_at": now,
                        "last_seen_at": now,
                        "content_hash": digest,
                        "version_count": 1,
                        "last_run_id": run_id,
                    }
                )
                new_versions.append((url, run_id, item, content, digest))
                counts["new"] = counts.get("new", 0) + 1
            elif row.content_hash != digest:
                changed.append((row, run_id, item, content, digest))
                counts["changed"] = counts.get("changed", 0) + 1
            else:
                counts["unchanged"] = counts.get("unchanged", 0) + 1

        ids = {row.url: row.id for row in existing.values()}
        if new_rows:
            for inserted in conn.execute(
                self._insert(Article).returning(
                    Article.id, Article.url, sort_by_parameter_order=True
                ),
                new_rows,
            ):
                ids[inserted.url] = inserted.id
            version_ids = self._insert_versions(
                conn,
                [
                    (ids[url], 1, run_id, content, digest)
                    for url, run_id, _, content, digest in new_versions
                ],
                now,
            )
            _update_articles(
                conn,
                [
                    {"id": ids[url], "current_version_id": vid}
                    for (url, *_), vid in zip(new_versions, version_ids, strict=True)
                ],
            )
            conn.execute(
                self._insert(Change),
                [
                    {
                        "article_id": ids[url],
                        "run_id": run_id,
                        "version_id": vid,
                        "detected_at": now,
                        "change": "new",
                    }
                    for (url, run_id, *_), vid in zip(new_versions, version_ids, strict=True)
                ],
            )

        if changed:
            self._write_changed(conn, changed, now)
        self._index_for_search(
            conn,
            [(ids[url], item.record) for url, _, item, _, _ in new_versions]
            + [(row.id, item.record) for row, _, item, _, _ in changed],
        )

        written: list[tuple[int, NormalisedArticle]] = []
        for run_id, item in batch:
            if item.record.url not in ids:
                self._deferred.append((run_id, item))
                continue
            written.append((run_id, item))
            if item.fetch is not None and item.fetch.status == 304:
                # Not modified since the validators we sent: seen, and unchanged.
                counts = self.counts.setdefault(run_id, {})
                counts["items_seen"] = counts.get("items_seen", 0) + 1
                counts["unchanged"] = counts.get("unchanged", 0) + 1
        self._mark_seen(conn, ids, written, now)

        self._write_returns(conn, existing, written, now)

        sightings = [
            {
                "run_id": run_id,
                "article_id": ids[item.record.url],
                "seen_at": now,
                "listing_url": item.sighting.listing_url,
                "page_number": item.sighting.page_number,
                "position": item.sighting.position,
                **{f: getattr(item.sighting.card, f) for f in CARD_FIELDS},
                "card_hash": card_hash(item.sighting.card),
            }
            for run_id, item in written
            if item.sighting is not None
        ]
        if sightings:
            conn.execute(self._insert(SightingRow), sightings)

    def _index_for_search(self, conn: Connection, rows: list[tuple[int, ArticleRecord]]) -> None:
        """SQLite keeps an FTS5 table of current versions; PostgreSQL indexes `versions`."""
        if not rows or self.engine.dialect.name != "sqlite":
            return
        for chunk in _chunks([article_id for article_id, _ in rows], 500):
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
                    "id": article_id,
                    "title": record.title,
                    "teaser": record.teaser,
                    "body": record.body,
                    "caption": record.caption,
                }
                for article_id, record in rows
            ],
        )

    def _mark_seen(
        self,
        conn: Connection,
        ids: dict[str, int],
        written: list[tuple[int, NormalisedArticle]],
        now: str,
    ) -> None:
        """Last seen, the card as last shown and the page's HTTP validators."""
        rows: dict[int, dict[str, Any]] = {}
        for run_id, item in written:
            fetched = item.fetch if item.fetch is not None and item.fetch.status == 200 else None
            rows[ids[item.record.url]] = {
                "b_id": ids[item.record.url],
                "b_run": run_id,
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
        self,
        conn: Connection,
        existing: dict[str, Any],
        written: list[tuple[int, NormalisedArticle]],
        now: str,
    ) -> None:
        """Removed articles seen again have reappeared; unlisted ones listed again."""
        reappeared: dict[int, int] = {}
        relisted: dict[int, int] = {}
        for run_id, item in written:
            row = existing.get(item.record.url)
            if row is None:
                continue
            if row.status == "removed":
                reappeared[row.id] = run_id
            if not row.listed and item.sighting is not None:
                relisted[row.id] = run_id
        events = [_event(aid, run, now, "reappeared") for aid, run in reappeared.items()]
        events += [_event(aid, run, now, "relisted") for aid, run in relisted.items()]
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
            conn.execute(self._insert(Change), events)

    def _write_changed(
        self,
        conn: Connection,
        changed: list[tuple[Any, int, NormalisedArticle, dict[str, Any], str]],
        now: str,
    ) -> None:
        previous = {
            row.id: row
            for chunk in _chunks([row.current_version_id for row, *_ in changed], 500)
            for row in conn.execute(select(Version.__table__).where(Version.id.in_(chunk)))
        }
        version_ids = self._insert_versions(
            conn,
            [
                (row.id, row.version_count + 1, run_id, content, digest)
                for row, run_id, _, content, digest in changed
            ],
            now,
        )
        change_rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for (row, run_id, _item, content, digest), vid in zip(changed, version_ids, strict=True):
            old = content_of_version(previous[row.current_version_id])
            for field in CONTENT_FIELDS:
                if old.get(field) != content.get(field):
                    change_rows.append(
                        {
                            "article_id": row.id,
                            "run_id": run_id,
                            "version_id": vid,
                            "detected_at": now,
                            "change": "changed",
                            "field": field,
                            "old_value": _as_text(old.get(field)),
                            "new_value": _as_text(content.get(field)),
                        }
                    )
            updates.append(
                {
                    "id": row.id,
                    "content_hash": digest,
                    "version_count": row.version_count + 1,
                    "current_version_id": vid,
                    "last_seen_at": now,
                    "last_run_id": run_id,
                }
            )
        _update_articles(conn, updates)
        if change_rows:
            conn.execute(self._insert(Change), change_rows)

    def _insert_versions(
        self,
        conn: Connection,
        rows: Iterable[tuple[int, int, int, dict[str, Any], str]],
        now: str,
    ) -> list[int]:
        values = [
            {
                "article_id": article_id,
                "version": number,
                "run_id": run_id,
                "seen_at": now,
                "content_hash": digest,
                **_version_columns(content),
            }
            for article_id, number, run_id, content, digest in rows
        ]
        result = conn.execute(
            self._insert(Version).returning(Version.id, sort_by_parameter_order=True), values
        )
        return [r.id for r in result]

    def _insert(self, model: Any) -> Any:
        dialect = self.engine.dialect.name
        table = model.__table__
        if dialect == "postgresql":
            return pg_insert(table)
        return sqlite_insert(table)


def _event(
    article_id: int, run_id: int, now: str, change: str, http_status: int | None = None
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "run_id": run_id,
        "version_id": None,
        "detected_at": now,
        "change": change,
        "field": "http_status" if http_status is not None else None,
        "old_value": None,
        "new_value": str(http_status) if http_status is not None else None,
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def _version_columns(content: dict[str, Any]) -> dict[str, Any]:
    columns = dict(content)
    columns["photographers"] = json.dumps(content.get("photographers") or [], ensure_ascii=False)
    columns["photo_agencies"] = json.dumps(content.get("photo_agencies") or [], ensure_ascii=False)
    return columns


def content_of_version(version: Any) -> dict[str, Any]:
    """Content fields of a `versions` row (a Row or a Version)."""
    content: dict[str, Any] = {field: getattr(version, field) for field in VERSION_FIELDS}
    content["photographers"] = json.loads(version.photographers or "[]")
    content["photo_agencies"] = json.loads(version.photo_agencies or "[]")
    content["teaser_truncated"] = bool(version.teaser_truncated)
    return content


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
