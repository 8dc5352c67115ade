"""Checking a run of the archive: its history read, evaluated, and (when a crawl closes)
the verdict recorded, logged and notified."""

from __future__ import annotations

import dataclasses
import logging
import os
from datetime import datetime

from newsroom_archive.archive import Archive
from newsroom_archive.archive.database import now_iso
from newsroom_archive.health.evaluation import evaluate
from newsroom_archive.health.history import record, run_facts, run_history
from newsroom_archive.health.notifier import notify, wants_notification
from newsroom_archive.health.report import Check, HealthReport
from newsroom_archive.health.thresholds import HealthThresholds, load_thresholds

# One logger for the whole health check: its lines in a crawl log all carry one name.
logger = logging.getLogger("newsroom_archive.health")


def check_run(
    archive: Archive,
    run_id: int,
    thresholds: HealthThresholds | None = None,
    *,
    now: datetime | None = None,
) -> HealthReport:
    """Evaluate a run against the earlier runs of its newsroom in the archive.

    ``thresholds`` default to ``load_thresholds`` for the run's newsroom. ``ArchiveError``
    for an unknown or still running run.
    """
    if thresholds is None:
        thresholds = load_thresholds(run_facts(archive, run_id).source)
    run, history, previous_ok = run_history(archive, run_id, thresholds.history_runs)
    report = evaluate(run, history, thresholds, now=now)
    return dataclasses.replace(
        report, recovered=report.ok and previous_ok is False, checked_at=now_iso()
    )


def end_of_crawl(
    archive: Archive,
    run_id: int,
    notify_command: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> HealthReport:
    """Check a run that has just been closed (``Archive.finish_run``), record the verdict,
    log it (an ERROR line when unhealthy) and notify.

    A thresholds file that cannot be used does not stop the check: the built-in
    thresholds are used and a failed ``config`` check says why, so the problem is seen.
    """
    facts = run_facts(archive, run_id)
    problem = None
    try:
        thresholds = load_thresholds(facts.source, config_path)
    except ValueError as exc:
        thresholds, problem = HealthThresholds(), str(exc)
    report = check_run(archive, run_id, thresholds)
    if problem is not None:
        report = report.with_check(
            Check("config", False, None, None, f"{problem}; the built-in thresholds were used")
        )
    record(archive, run_id, report)
    if report.ok:
        logger.info("health check: %s", report.summary())
    else:
        details = "; ".join(f"{c.name}: {c.message}" for c in report.failed)
        logger.error("health check failed: %s (%s)", report.summary(), details)
    if notify_command and wants_notification(report):
        notify(notify_command, report, facts)
    return report
