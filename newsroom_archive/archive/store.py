"""The archive as one object: a facade over the database, the run ledger, the lock, the
writer, removal judgement and the queries the crawl needs.

Each job lives in its own module (``database``, ``runs``, ``locks``, ``writer``,
``removals``, ``known``); code that needs only one of them may use it directly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from newsroom_archive.archive.database import Database, resolve_url
from newsroom_archive.archive.known import known_articles
from newsroom_archive.archive.locks import acquire_lock, clear_lock, release_lock
from newsroom_archive.archive.removals import Removals
from newsroom_archive.archive.runs import RunLedger, Sources
from newsroom_archive.archive.writer import ArchiveWriter
from newsroom_archive.items import KnownArticle


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
        self.db = Database(self.url, readonly=readonly)
        self.sources = Sources(self.db)
        self.runs = RunLedger(self.db, self.sources)
        self.writer = ArchiveWriter(self.db, self.sources, self.runs, batch_size)
        self.removals = Removals(self.db, self.runs)
        self.db.check_schema(create=create and not readonly)
        # The jobs the crawl and the tests ask of the archive, each done by its component.
        self.start_run = self.runs.start
        self.mark_interrupted = self.runs.mark_interrupted
        self.run_chain = self.runs.chain
        self.record_check = self.removals.record
        self.apply_removals = self.removals.apply
        self.add = self.writer.add
        self.add_capture = self.writer.add_capture
        self.quarantine = self.writer.quarantine
        self.flush = self.writer.flush
        self.settle = self.writer.settle

    @property
    def engine(self) -> Engine:
        return self.db.engine

    @property
    def location(self) -> str:
        """The archive's file, or its URL without the password."""
        return self.db.location

    def close(self) -> None:
        self.writer.flush()
        self.db.dispose()

    def captured_responses(self, source: str) -> dict[tuple[str, str], Any]:
        """(URI, payload digest) → the response record of earlier runs of ``source``:
        what a revisit record of this run refers to."""
        from newsroom_archive.archive.models import Capture, CrawlRun
        from newsroom_archive.warc.capture import Earlier

        query = (
            select(Capture.uri, Capture.payload_digest, Capture.record_id, Capture.warc_date)
            .join(CrawlRun, CrawlRun.id == Capture.run_id)
            .where(CrawlRun.source_id == self.sources.id(source), Capture.warc_type == "response")
            .order_by(Capture.id)
        )
        with self.engine.connect() as conn:
            return {
                (row.uri, row.payload_digest): Earlier(row.record_id, row.warc_date)
                for row in conn.execute(query)
            }

    # -- runs ----------------------------------------------------------------------

    def source_id(self, name: str) -> int:
        return self.sources.id(name)

    def finish_run(
        self, run_id: int, status: str, *, apply_removals: bool = True, **facts: Any
    ) -> None:
        """Close a run with its status and facts (``RunLedger.finish``).

        ``apply_removals=False`` leaves the removal checks pending for
        ``apply_removals()`` (after a health check, say)."""
        self.writer.settle()
        if apply_removals:
            self.apply_removals(run_id, status)
        self.runs.finish(run_id, status, **facts)

    # -- the crawl lock ---------------------------------------------------------------

    def acquire_lock(self, name: str) -> str | None:
        return acquire_lock(self.db, name)

    def release_lock(self, name: str) -> None:
        release_lock(self.db, name)

    def clear_lock(self, name: str) -> str:
        return clear_lock(self.db, name)

    # -- what the crawl asks -------------------------------------------------------------

    def known_articles(self, source: str) -> dict[str, KnownArticle]:
        """Every active article of a source with its last card and HTTP validators."""
        self.writer.flush()
        return known_articles(self.db, self.sources.id(source))

    def unseen_articles(self, source: str, run_id: int, url_prefix: str = "") -> list[str]:
        """Active articles of a source that this run has not seen (yet)."""
        self.writer.flush()
        return self.removals.unseen(self.sources.id(source), run_id, url_prefix)
