"""The runs of a newsroom as the archive keeps them, and the verdicts kept with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.models import CrawlRun, Sighting, Source
from newsroom_archive.health.facts import RunFacts
from newsroom_archive.health.report import HealthReport
from newsroom_archive.health.thresholds import HealthThresholds
from newsroom_archive.items import CARD_FIELDS

_RUN_COLUMNS = (
    CrawlRun.id,
    Source.name.label("source"),
    CrawlRun.mode,
    CrawlRun.status,
    CrawlRun.started_at,
    CrawlRun.finished_at,
    CrawlRun.finish_reason,
    CrawlRun.args,
    CrawlRun.items_seen,
    CrawlRun.new,
    CrawlRun.errors,
    CrawlRun.stats,
    CrawlRun.stop_reason,
    CrawlRun.resumed_from,
    CrawlRun.health_ok,
)


def _runs(conn: Any, *where: Any, newest_first: bool = True, limit: int | None = None) -> list[Any]:
    query = (
        select(*_RUN_COLUMNS)
        .join(Source, Source.id == CrawlRun.source_id)
        .where(*where)
        .order_by(CrawlRun.id.desc() if newest_first else CrawlRun.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def _card_counts(conn: Any, run_ids: Sequence[int]) -> dict[int, tuple[int, dict[str, int]]]:
    if not run_ids:
        return {}
    columns = [func.count(getattr(Sighting, name)) for name in CARD_FIELDS]
    rows = conn.execute(
        select(Sighting.run_id, func.count(), *columns)
        .where(Sighting.run_id.in_(list(run_ids)))
        .group_by(Sighting.run_id)
    )
    return {
        row[0]: (int(row[1]), dict(zip(CARD_FIELDS, map(int, row[2:]), strict=True)))
        for row in rows
    }


def _run_row(conn: Any, archive: Archive, run_id: int) -> tuple[Any, int]:
    found = _runs(conn, CrawlRun.id == run_id)
    if not found:
        raise ArchiveError(f"no crawl run {run_id} in {archive.location}")
    if found[0].status == "running":
        raise ArchiveError(f"run {run_id} is still running")
    source_id = conn.execute(select(CrawlRun.source_id).where(CrawlRun.id == run_id)).scalar_one()
    return found[0], int(source_id)


def run_facts(archive: Archive, run_id: int) -> RunFacts:
    """One run's facts; ``ArchiveError`` for an unknown or still running run."""
    with archive.engine.connect() as conn:
        row, _ = _run_row(conn, archive, run_id)
        cards = _card_counts(conn, [run_id])
    return RunFacts.from_row(row, *cards.get(run_id, (0, {})))


def run_history(
    archive: Archive, run_id: int, history_runs: int = HealthThresholds.history_runs
) -> tuple[RunFacts, list[RunFacts], bool | None]:
    """A run, the earlier runs ``evaluate`` needs, and the newsroom's previous verdict.

    Not every earlier run is read: the latest comparable ones (enough for the medians
    after ``comparable_runs`` and the coverage filters), the last run that found a new
    article and the first run, which bound the nothing-new streak.
    """
    with archive.engine.connect() as conn:
        row, source_id = _run_row(conn, archive, run_id)
        same_source = CrawlRun.source_id == source_id
        earlier = CrawlRun.id < run_id
        candidates = _runs(
            conn,
            same_source,
            earlier,
            CrawlRun.mode == row.mode,
            CrawlRun.status == "finished",
            CrawlRun.health_ok.is_not(False),
            limit=max(50, history_runs * 10),
        )
        streak = _runs(conn, same_source, earlier, CrawlRun.new > 0, limit=1)
        streak += _runs(conn, same_source, earlier, newest_first=False, limit=1)
        resumed: list[Any] = []
        previous = row.resumed_from
        while previous is not None and len(resumed) < 100:
            part = _runs(conn, CrawlRun.id == previous, same_source)
            if not part or part[0] in resumed:
                break
            resumed.append(part[0])
            previous = part[0].resumed_from
        previous_ok = conn.execute(
            select(CrawlRun.health_ok)
            .where(same_source, earlier, CrawlRun.health_ok.is_not(None))
            .order_by(CrawlRun.id.desc())
            .limit(1)
        ).scalar()
        cards = _card_counts(conn, [run_id, *(r.id for r in candidates)])
    rows = {r.id: r for r in [*candidates, *streak, *resumed]}
    history = [RunFacts.from_row(r, *cards.get(rid, (0, {}))) for rid, r in rows.items()]
    return (
        RunFacts.from_row(row, *cards.get(run_id, (0, {}))),
        sorted(history, key=lambda f: f.run_id, reverse=True),
        None if previous_ok is None else bool(previous_ok),
    )


def record(archive: Archive, run_id: int, report: HealthReport) -> None:
    """Keep the verdict with the run: ``crawl_runs.health_ok`` and ``.health`` (JSON)."""
    with archive.engine.begin() as conn:
        updated = conn.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(health_ok=report.ok, health=report.to_json())
        ).rowcount
    if not updated:
        raise ArchiveError(f"no crawl run {run_id} in {archive.location}")


def latest_run_id(archive: Archive, source: str | None = None) -> int | None:
    """The newest run that has ended (optionally of one newsroom), or None."""
    query = select(CrawlRun.id).where(CrawlRun.status != "running")
    if source is not None:
        query = query.join(Source, Source.id == CrawlRun.source_id).where(Source.name == source)
    with archive.engine.connect() as conn:
        found = conn.execute(query.order_by(CrawlRun.id.desc()).limit(1)).scalar()
    return None if found is None else int(found)
