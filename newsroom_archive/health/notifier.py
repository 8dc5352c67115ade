"""Telling someone: the notifier command run with the JSON report."""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess

from newsroom_archive.health.facts import RunFacts
from newsroom_archive.health.report import HealthReport

# One logger for the whole health check: its lines in a crawl log all carry one name.
logger = logging.getLogger("newsroom_archive.health")

JSON_ENV = "NEWSROOM_HEALTH_JSON"


def wants_notification(report: HealthReport) -> bool:
    """Notify when a run is unhealthy, and once when the newsroom has recovered."""
    return not report.ok or report.recovered


def notification(report: HealthReport, run: RunFacts | None = None) -> str:
    """The JSON a notifier receives: the report plus the run's facts."""
    payload = report.as_dict()
    if run is not None:
        payload["run"] = run.summary()
    return json.dumps(payload, ensure_ascii=True)


def notify(
    command: str, report: HealthReport, run: RunFacts | None = None, *, timeout: float = 120
) -> None:
    """Run a notifier: ``command`` split like a shell would (but run without one), the
    JSON report on its standard input and in ``$NEWSROOM_HEALTH_JSON``.

    A notifier that cannot be started, fails or hangs is logged; this never raises, so a
    broken mail set-up never takes a crawl down with it.
    """
    payload = notification(report, run)
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        logger.error("health notifier %r cannot be parsed: %s", command, exc)
        return
    if not argv:
        logger.error("health notifier is an empty command")
        return
    env = {
        **os.environ,
        JSON_ENV: payload,
        "NEWSROOM_HEALTH_OK": "true" if report.ok else "false",
        "NEWSROOM_HEALTH_SUMMARY": report.summary(),
    }
    try:
        result = subprocess.run(
            argv,
            input=payload,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.error("health notifier %s did not finish within %g s", argv[0], timeout)
        return
    except OSError as exc:
        logger.error("health notifier %s could not be run: %s", argv[0], exc.strerror or exc)
        return
    if result.returncode != 0:
        tail = (result.stderr or "").strip().splitlines()[-1:] or ["no message"]
        logger.error(
            "health notifier %s exited with status %d: %s", argv[0], result.returncode, tail[0]
        )
