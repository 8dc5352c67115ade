"""Is the archive still reading the newsroom correctly? A health check per crawl run.

Unattended crawls fail quietly: a redesigned listing still answers 200, a blocked crawler
still "finishes", a parser that lost the dates still archives articles. Each run is
therefore compared with what the same newsroom's earlier runs of the same kind looked
like (``evaluate``, pure), and the verdict is kept with the run in ``crawl_runs.health_ok``
and ``crawl_runs.health`` (``check_run``, ``record``). ``newsroom-archive check`` runs it
from the command line; ``end_of_crawl`` runs it when a crawl closes. Thresholds have
documented defaults and can be set per newsroom in a TOML file (``load_thresholds``).

The modules: ``thresholds`` (the limits and their TOML file), ``facts`` (a run as the
check sees it), ``evaluation`` (the judgement, pure) and ``report`` (its verdict),
``history`` (runs and verdicts in the archive), ``check`` (those together, and
``end_of_crawl``) and ``notifier``. The command is in ``newsroom_archive.cli_health``.

Checks, by name:

``finished``
    Scrapy's finish reason is ``finished`` (not a shutdown, a time-out or a crash).
``listing_pages``
    At least one listing page was read; a blocked or vanished listing reads none.
``empty_listing_pages``
    Listing pages on which no card was found (``listing/pages_without_cards``).
``incomplete_cards``
    Cards lacking what the newsroom always shows (``listing/cards_incomplete``).
``error_rate`` / ``retry_rate``
    Errors, and retried requests, per request made.
``item_count``
    Full runs only: items archived against the median of the last full runs.
``coverage/<field>``
    Share of parsed article pages whose record has the field, against its median over
    the last runs and an optional floor.
``card_coverage/<field>``
    Share of listing cards showing the field (from the run's sightings), likewise.
``nothing_new``
    Days since any run of the newsroom last found a new article.
``run_age``
    Only when checking "the latest run" from the command line: hours since it ended.
"""

from newsroom_archive.health.check import check_run, end_of_crawl
from newsroom_archive.health.evaluation import (
    Coverage,
    card_coverage,
    comparable_runs,
    evaluate,
    item_coverage,
    resumed_chain,
)
from newsroom_archive.health.facts import MEASURED_FIELDS, RunFacts
from newsroom_archive.health.history import latest_run_id, record, run_facts, run_history
from newsroom_archive.health.notifier import JSON_ENV, notification, notify, wants_notification
from newsroom_archive.health.report import Check, HealthReport
from newsroom_archive.health.thresholds import (
    CONFIG_ENV,
    SETTINGS,
    HealthThresholds,
    load_thresholds,
)

__all__ = [
    "CONFIG_ENV",
    "JSON_ENV",
    "MEASURED_FIELDS",
    "SETTINGS",
    "Check",
    "Coverage",
    "HealthReport",
    "HealthThresholds",
    "RunFacts",
    "card_coverage",
    "check_run",
    "comparable_runs",
    "end_of_crawl",
    "evaluate",
    "item_coverage",
    "latest_run_id",
    "load_thresholds",
    "notification",
    "notify",
    "record",
    "resumed_chain",
    "run_facts",
    "run_history",
    "wants_notification",
]
