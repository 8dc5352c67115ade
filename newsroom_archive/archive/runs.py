"""The run ledger: sources, crawl runs from start to finish, and runs cut short."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from newsroom_archive.archive.database import Database, now_iso
from newsroom_archive.archive.models import CrawlRun, Source

COUNTS = ("items_seen", "new", "changed", "unchanged", "removed", "quarantined")
"""What a run counts, as `crawl_runs` columns."""


@dataclass
class RunTally:
    """What one run of this process has written so far."""

    mode: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


class Sources:
    """Source names and their ids, created on first use."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: dict[str, int] = {}

    def id(self, name: str) -> int:
        if name not in self._ids:
            with self.db.engine.begin() as conn:
                conn.execute(
                    self.db.insert(Source)
                    .values(name=name, created_at=now_iso())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                self._ids[name] = conn.execute(
                    select(Source.id).where(Source.name == name)
                ).scalar_one()
        return self._ids[name]


class RunLedger:
    """`crawl_runs`: one row per crawl, opened when it starts and closed when it ends."""

    def __init__(self, db: Database, sources: Sources) -> None:
        self.db = db
        self.sources = sources
        self.tallies: dict[int, RunTally] = {}

    def start(
        self,
        source: str,
        spider: str,
        mode: str,
        args: dict[str, Any] | None = None,
        *,
        resumed_from: int | None = None,
    ) -> int:
        source_id = self.sources.id(source)
        self.mark_interrupted()
        with self.db.engine.begin() as conn:
            run_id = conn.execute(
                self.db.insert(CrawlRun)
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
        self.tallies[run_id] = RunTally(mode)
        return int(run_id)

    def tally(self, run_id: int) -> RunTally:
        """The run's counts; a run this process did not start counts from nothing."""
        if run_id not in self.tallies:
            self.tallies[run_id] = RunTally(mode="", counts={"items_seen": 0})
        return self.tallies[run_id]

    def mark_interrupted(self) -> list[int]:
        """Runs still `running` whose process is gone were cut short: say so."""
        host = socket.gethostname()
        with self.db.engine.begin() as conn:
            running = conn.execute(
                select(CrawlRun.id, CrawlRun.pid, CrawlRun.hostname).where(
                    CrawlRun.status == "running"
                )
            ).all()
            dead = [
                run.id
                for run in running
                if run.hostname == host and run.pid is not None and not alive(run.pid)
            ]
            if dead:
                conn.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id.in_(dead))
                    .values(status="interrupted", finish_reason="process ended without finishing")
                )
        return dead

    def finish(
        self,
        run_id: int,
        status: str,
        *,
        stats: dict[str, Any] | None = None,
        finish_reason: str | None = None,
        pages_fetched: int = 0,
        errors: int = 0,
        stop_reason: str | None = None,
    ) -> None:
        counts = self.tallies[run_id].counts if run_id in self.tallies else {}
        with self.db.engine.begin() as conn:
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
                    **counts,
                )
            )

    def set_removed(self, run_id: int, removed: int) -> None:
        self.tally(run_id).counts["removed"] = removed
        with self.db.engine.begin() as conn:
            conn.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(removed=removed))

    def chain(self, run_id: int) -> list[int]:
        """This run and the runs it resumes (a JOBDIR crawl continued after a stop)."""
        chain = [run_id]
        with self.db.engine.connect() as conn:
            while True:
                previous = conn.execute(
                    select(CrawlRun.resumed_from).where(CrawlRun.id == chain[-1])
                ).scalar()
                if previous is None or previous in chain:
                    return chain
                chain.append(previous)


def alive(pid: int) -> bool:
    """Whether a process of this host still runs (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
