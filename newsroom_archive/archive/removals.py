"""Removal judgement: which archived articles a full crawl did not see, and what their
URLs answered when asked again (404/410: removed; 200: dropped from the listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from newsroom_archive.archive.database import Database, chunks, now_iso
from newsroom_archive.archive.models import Article, Change
from newsroom_archive.archive.runs import RunLedger


def event_row(
    article_id: int,
    run_id: int,
    now: str,
    change: str,
    http_status: int | None = None,
    record_id: str | None = None,
) -> dict[str, Any]:
    """A `changes` row for an event without a version (removed, reappeared, …); a
    removal check's row names the WARC record of the answer."""
    return {
        "article_id": article_id,
        "run_id": run_id,
        "version_id": None,
        "detected_at": now,
        "change": change,
        "field": "http_status" if http_status is not None else None,
        "old_value": None,
        "new_value": str(http_status) if http_status is not None else None,
        "warc_record_id": record_id,
    }


class Removals:
    def __init__(self, db: Database, ledger: RunLedger) -> None:
        self.db = db
        self.ledger = ledger
        # Status answered by the pages of articles a full crawl did not see, per run.
        self._checks: dict[int, dict[str, tuple[int, str | None]]] = {}

    def unseen(self, source_id: int, run_id: int, url_prefix: str = "") -> list[str]:
        """Active articles of a source that this run has not seen (yet).

        ``url_prefix`` keeps a crawl of a mirror from judging the live site's articles.
        """
        with self.db.engine.connect() as conn:
            return list(
                conn.execute(
                    select(Article.url)
                    .where(
                        Article.source_id == source_id,
                        Article.status == "active",
                        Article.last_run_id.not_in(self.ledger.chain(run_id))
                        | Article.last_run_id.is_(None),
                        Article.url.startswith(url_prefix, autoescape=True),
                    )
                    .order_by(Article.url)
                ).scalars()
            )

    def record(self, run_id: int, url: str, status: int, record_id: str | None = None) -> None:
        """A removal check's answer, and the WARC record of the response (if captured)."""
        self._checks.setdefault(run_id, {})[url] = (status, record_id)

    def apply(self, run_id: int, status: str) -> int:
        """Judge the articles a run did not see by what their URLs answered.

        Only a complete, clean full crawl may conclude that something is gone; for any
        other run the answers are dropped. Returns how many were found removed.
        """
        checks = self._checks.pop(run_id, {})
        if status != "finished" or self.ledger.tally(run_id).mode != "full" or not checks:
            return 0
        removed = self._judge(run_id, checks)
        self.ledger.set_removed(run_id, removed)
        return removed

    def _judge(self, run_id: int, checks: dict[str, tuple[int, str | None]]) -> int:
        now = now_iso()
        removed = 0
        seen_by = set(self.ledger.chain(run_id))
        with self.db.engine.begin() as conn:
            rows = {
                row.url: row
                for chunk in chunks(sorted(checks))
                for row in conn.execute(
                    select(
                        Article.id, Article.url, Article.status, Article.listed, Article.last_run_id
                    ).where(Article.url.in_(chunk))
                )
            }
            events: list[dict[str, Any]] = []
            for url, (http_status, record_id) in sorted(checks.items()):
                row = rows.get(url)
                if row is None or row.status != "active" or row.last_run_id in seen_by:
                    continue
                if http_status in (404, 410):
                    conn.execute(
                        update(Article)
                        .where(Article.id == row.id)
                        .values(status="removed", removed_at=now)
                    )
                    events.append(event_row(row.id, run_id, now, "removed", http_status, record_id))
                    removed += 1
                elif 200 <= http_status < 300 and row.listed:
                    conn.execute(
                        update(Article)
                        .where(Article.id == row.id)
                        .values(listed=False, unlisted_at=now)
                    )
                    events.append(
                        event_row(row.id, run_id, now, "unlisted", http_status, record_id)
                    )
            if events:
                conn.execute(self.db.insert(Change), events)
        return removed
