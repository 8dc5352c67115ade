"""Is the archive still reading the newsroom correctly? A health check per crawl run.

Unattended crawls fail quietly: a redesigned listing still answers 200, a blocked crawler
still "finishes", a parser that lost the dates still archives articles. Each run is
therefore compared with what the same newsroom's earlier runs of the same kind looked
like (``evaluate``, pure), and the verdict is kept with the run in ``crawl_runs.health_ok``
and ``crawl_runs.health`` (``check_run``, ``record``). ``newsroom-archive check`` runs it
from the command line; ``end_of_crawl`` runs it when a crawl closes. Thresholds have
documented defaults and can be set per newsroom in a TOML file (``load_thresholds``).

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

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import shlex
import statistics
import subprocess
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeGuard

from sqlalchemy import func, select, update

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.hashing import CARD_FIELDS
from newsroom_archive.archive.models import CrawlRun, Sighting, Source
from newsroom_archive.archive.store import now_iso
from newsroom_archive.items import ArticleRecord

logger = logging.getLogger(__name__)

CONFIG_ENV = "NEWSROOM_HEALTH_CONFIG"
JSON_ENV = "NEWSROOM_HEALTH_JSON"

# `source` and `url` identify an item and are never missing: nothing to measure there.
RECORD_FIELDS = tuple(
    f.name for f in dataclasses.fields(ArticleRecord) if f.name not in ("source", "url")
)


@dataclass(frozen=True)
class HealthThresholds:
    """Limits of a healthy run. Every field can be set in the thresholds TOML file."""

    min_item_ratio: float = 0.5
    """A full run archives at least this share of the median items of earlier full runs."""
    history_runs: int = 5
    """How many earlier comparable runs the medians are taken over."""
    max_coverage_drop: float = 0.3
    """A field's coverage may fall at most this much (absolute share) below its median."""
    min_coverage: Mapping[str, float] = field(
        default_factory=lambda: {"title": 0.9, "published_date": 0.9}
    )
    """Floors per record field, applied even without history (a first run)."""
    coverage_fields: tuple[str, ...] = (
        "title",
        "published_date",
        "teaser",
        "image_url",
        "caption",
        "photo_credit",
        "kind",
        "body",
    )
    """Record fields whose coverage is checked."""
    card_fields: tuple[str, ...] = ("title", "date_text", "type_label", "teaser", "image_url")
    """Listing-card fields whose coverage is checked (from the run's sightings)."""
    min_coverage_items: int = 10
    """Coverage is judged only over at least this many parsed pages (or cards): a run
    that fetched two articles says nothing about a field that one in five lacks."""
    max_empty_listing_pages: int = 0
    max_incomplete_cards: int = 0
    max_error_rate: float = 0.05
    """Errors (logged errors and spider exceptions) per request."""
    max_retry_rate: float = 0.2
    """Retries per request."""
    nothing_new_days: float = 7
    """Alarm when no run of the newsroom found a new article for this many days (0: off)."""
    max_run_age_hours: float = 48
    """Alarm when the latest run ended longer ago than this (0: off)."""

    def __post_init__(self) -> None:
        problems = _threshold_problems(self)
        if problems:
            raise ValueError("; ".join(problems))


def _threshold_problems(t: HealthThresholds) -> list[str]:
    problems: list[str] = []
    for name in ("min_item_ratio", "max_coverage_drop", "max_error_rate", "max_retry_rate"):
        value = getattr(t, name)
        if not 0 <= value <= 1:
            problems.append(f"{name} must be between 0 and 1, got {value}")
    for name in ("history_runs", "min_coverage_items"):
        if getattr(t, name) < 1:
            problems.append(f"{name} must be at least 1, got {getattr(t, name)}")
    for name in ("max_empty_listing_pages", "max_incomplete_cards", "max_run_age_hours"):
        if getattr(t, name) < 0:
            problems.append(f"{name} must not be negative, got {getattr(t, name)}")
    if t.nothing_new_days != 0 and t.nothing_new_days < 2:
        # A newsroom may rest for a day; the check is about streaks.
        problems.append(f"nothing_new_days must be 0 (off) or at least 2, got {t.nothing_new_days}")
    for name, value in t.min_coverage.items():
        if name not in RECORD_FIELDS:
            problems.append(f"min_coverage: unknown field {name!r}")
        elif not 0 <= value <= 1:
            problems.append(f"min_coverage.{name} must be between 0 and 1, got {value}")
    for name in t.coverage_fields:
        if name not in RECORD_FIELDS:
            problems.append(f"coverage_fields: unknown field {name!r}")
    for name in t.card_fields:
        if name not in CARD_FIELDS:
            problems.append(f"card_fields: unknown card field {name!r}")
    return problems


SETTINGS = tuple(f.name for f in dataclasses.fields(HealthThresholds))
_WHOLE_NUMBERS = {
    "history_runs",
    "min_coverage_items",
    "max_empty_listing_pages",
    "max_incomplete_cards",
}
_FIELD_LISTS = {"coverage_fields", "card_fields"}


def load_thresholds(source: str, path: str | os.PathLike[str] | None = None) -> HealthThresholds:
    """The thresholds for one newsroom: built-in defaults, then the file's ``[defaults]``,
    then its ``[sources.<source>]``.

    The file is ``path``, else ``$NEWSROOM_HEALTH_CONFIG``; with neither, the built-in
    defaults. A file that cannot be read or holds an unknown or ill-typed setting raises
    ``ValueError`` with a one-line message.
    """
    config = path if path is not None else os.environ.get(CONFIG_ENV) or None
    if config is None:
        return HealthThresholds()
    where = str(config)
    try:
        with open(config, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read health thresholds {where}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from None
    unknown = sorted(set(document) - {"defaults", "sources"})
    if unknown:
        raise ValueError(f"{where}: unknown table {unknown[0]!r} (known: defaults, sources)")
    sources = document.get("sources", {})
    if not isinstance(sources, dict):
        raise ValueError(f"{where}: [sources] must hold one table per newsroom")
    defaults = _settings(where, "defaults", document.get("defaults", {}))
    chosen = _combine(where, source, defaults, {})
    # Every newsroom's table is checked, not only the one asked for: a mistake in another
    # newsroom's thresholds must not wait for that newsroom's crawl to surface.
    for name, table in sources.items():
        thresholds = _combine(where, name, defaults, _settings(where, f"sources.{name}", table))
        if name == source:
            chosen = thresholds
    return chosen


def _combine(
    where: str, source: str, defaults: dict[str, Any], own: dict[str, Any]
) -> HealthThresholds:
    """Built-in defaults, then the file's defaults, then the newsroom's own settings;
    floors are merged field by field."""
    floors = {
        **HealthThresholds().min_coverage,
        **defaults.get("min_coverage", {}),
        **own.get("min_coverage", {}),
    }
    try:
        return HealthThresholds(**{**defaults, **own, "min_coverage": floors})
    except ValueError as exc:
        raise ValueError(f"{where}: {exc} (thresholds of {source})") from None


def _settings(where: str, label: str, table: object) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [{label}] must be a table")
    settings: dict[str, Any] = {}
    for name, value in table.items():
        if name not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise ValueError(f"{where}: unknown setting {name!r} in [{label}] (known: {known})")
        settings[name] = _typed(where, label, name, value)
    return settings


def _typed(where: str, label: str, name: str, value: object) -> Any:
    def wrong(expected: str) -> ValueError:
        return ValueError(f"{where}: [{label}] {name} must be {expected}, got {value!r}")

    if name == "min_coverage":
        if not isinstance(value, dict) or not all(_is_number(v) for v in value.values()):
            raise wrong("a table of field = share")
        return {key: float(v) for key, v in value.items()}
    if name in _FIELD_LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong("a list of field names")
        return tuple(value)
    if name in _WHOLE_NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong("a whole number")
        return value
    if not _is_number(value):
        raise wrong("a number")
    return float(value)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class RunFacts:
    """What the health check needs to know of one crawl run (a ``crawl_runs`` row)."""

    run_id: int
    source: str
    mode: str = "full"
    status: str = "finished"
    started_at: str = ""
    finished_at: str | None = None
    finish_reason: str | None = "finished"
    max_pages: int | None = None
    """The run's ``max_pages`` argument: a limited run is compared with runs limited alike."""
    items_seen: int = 0
    new: int = 0
    errors: int = 0
    stats: Mapping[str, Any] = field(default_factory=dict)
    """The Scrapy stats of the run."""
    stop_reason: str | None = None
    resumed_from: int | None = None
    """The run this one continues (a crawl resumed after an interruption)."""
    health_ok: bool | None = None
    cards: int = 0
    """Cards of the run kept as sightings."""
    card_counts: Mapping[str, int] = field(default_factory=dict)
    """Per card field: how many of those cards showed it."""

    @classmethod
    def from_row(
        cls, row: Any, cards: int = 0, card_counts: Mapping[str, int] | None = None
    ) -> RunFacts:
        """From a ``crawl_runs`` row that also carries the source's name as ``source``."""
        return cls(
            run_id=int(row.id),
            source=row.source,
            mode=row.mode,
            status=row.status,
            started_at=row.started_at,
            finished_at=row.finished_at,
            finish_reason=row.finish_reason,
            max_pages=_max_pages(row.args),
            items_seen=int(row.items_seen or 0),
            new=int(row.new or 0),
            errors=int(row.errors or 0),
            stats=_json_object(row.stats),
            stop_reason=row.stop_reason,
            resumed_from=row.resumed_from,
            health_ok=None if row.health_ok is None else bool(row.health_ok),
            cards=cards,
            card_counts=dict(card_counts or {}),
        )

    @property
    def ended_at(self) -> str:
        return self.finished_at or self.started_at

    def stat(self, name: str) -> int:
        value = self.stats.get(name, 0)
        return int(value) if _is_number(value) else 0

    def summary(self) -> dict[str, Any]:
        """The run's facts without its stats, for reports and notifications."""
        facts = dataclasses.asdict(self)
        del facts["stats"], facts["card_counts"]
        return facts


def _json_object(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _max_pages(args: str | None) -> int | None:
    value = _json_object(args).get("max_pages")
    return int(value) if _is_number(value) else None


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    value: float | int | str | None
    limit: float | int | str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "value": _rounded(self.value),
            "limit": _rounded(self.limit),
            "message": self.message,
        }


def _rounded(value: float | int | str | None) -> float | int | str | None:
    return round(value, 4) if isinstance(value, float) else value


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    checks: list[Check]
    skipped: dict[str, str] = field(default_factory=dict)
    """Checks that did not apply to this run, with the reason."""
    run_id: int | None = None
    source: str | None = None
    mode: str | None = None
    recovered: bool = False
    """Healthy, after the newsroom's previous checked run was not."""
    checked_at: str | None = None

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def with_check(self, check: Check) -> HealthReport:
        return dataclasses.replace(self, checks=[*self.checks, check], ok=self.ok and check.ok)

    def summary(self) -> str:
        """One line: the verdict and the names of the failed checks."""
        run = f"run {self.run_id} ({self.source}, {self.mode})" if self.run_id else "run"
        if self.ok:
            extra = f", {len(self.skipped)} not applicable" if self.skipped else ""
            back = " (recovered)" if self.recovered else ""
            return f"{run}: healthy{back}, {len(self.checks)} checks passed{extra}"
        names = ", ".join(c.name for c in self.failed)
        return f"{run}: UNHEALTHY, {len(self.failed)} of {len(self.checks)} checks failed: {names}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "mode": self.mode,
            "ok": self.ok,
            "recovered": self.recovered,
            "summary": self.summary(),
            "checked_at": self.checked_at,
            "failed": [c.name for c in self.failed],
            "checks": [c.as_dict() for c in self.checks],
            "skipped": dict(self.skipped),
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)


# -- evaluation (pure) ------------------------------------------------------------------


def comparable_runs(
    run: RunFacts, history: Sequence[RunFacts], thresholds: HealthThresholds
) -> list[RunFacts]:
    """Earlier runs a run is measured against, newest first: same newsroom, mode and
    ``max_pages``, finished, and not found unhealthy themselves (a broken run must not
    become the new normal, or an alarm would silence itself after a few runs)."""
    return sorted(
        (
            h
            for h in history
            if h.run_id < run.run_id
            and h.source == run.source
            and h.mode == run.mode
            and h.max_pages == run.max_pages
            and h.status == "finished"
            and h.health_ok is not False
        ),
        key=lambda h: h.run_id,
        reverse=True,
    )


def evaluate(
    run: RunFacts,
    history: Sequence[RunFacts],
    thresholds: HealthThresholds | None = None,
    *,
    now: datetime | None = None,
) -> HealthReport:
    """Judge one run against earlier runs of its newsroom.

    ``history`` may hold any earlier runs of the newsroom (every mode and status): the
    comparisons pick what is comparable (``comparable_runs``), the ``nothing_new`` streak
    uses them all. ``now`` adds the ``run_age`` check.
    """
    t = thresholds or HealthThresholds()
    earlier = comparable_runs(run, history, t)
    chain = resumed_chain(run, history)
    checks: list[Check] = []
    skipped: dict[str, str] = {}

    def add(outcome: Check | tuple[str, str]) -> None:
        if isinstance(outcome, Check):
            checks.append(outcome)
        else:
            skipped[outcome[0]] = outcome[1]

    add(_finished(run))
    add(_listing_pages(chain))
    add(
        _at_most(
            "empty_listing_pages",
            run.stat("listing/pages_without_cards"),
            t.max_empty_listing_pages,
            "listing pages without any card",
        )
    )
    add(
        _at_most(
            "incomplete_cards",
            run.stat("listing/cards_incomplete"),
            t.max_incomplete_cards,
            "cards lacking a field the newsroom always shows",
        )
    )
    requests = run.stat("downloader/request_count")
    add(_rate("error_rate", run.errors, requests, t.max_error_rate, "errors"))
    add(_rate("retry_rate", run.stat("retry/count"), requests, t.max_retry_rate, "retries"))
    add(_item_count(chain, earlier, t))
    for outcome in _coverage_checks(
        "coverage",
        "parsed article pages",
        run,
        earlier,
        t.coverage_fields,
        t,
        floors=t.min_coverage,
        measure=item_coverage,
    ):
        add(outcome)
    for outcome in _coverage_checks(
        "card_coverage",
        "listing cards",
        run,
        earlier,
        t.card_fields,
        t,
        floors={},
        measure=card_coverage,
    ):
        add(outcome)
    add(_nothing_new(run, history, t))
    if now is not None:
        add(_run_age(run, now, t))
    return HealthReport(
        ok=all(c.ok for c in checks),
        checks=checks,
        skipped=skipped,
        run_id=run.run_id,
        source=run.source,
        mode=run.mode,
    )


def _finished(run: RunFacts) -> Check:
    reason = run.finish_reason
    ok = reason == "finished"
    message = (
        "the crawl ended by itself"
        if ok
        else f"the crawl did not end by itself (status {run.status}, reason {reason or 'none'})"
    )
    return Check("finished", ok, reason, "finished", message)


def resumed_chain(run: RunFacts, history: Sequence[RunFacts]) -> list[RunFacts]:
    """The run, then the runs it continues, as far as ``history`` holds them.

    A crawl resumed after an interruption reads on from where it stopped: the listing
    pages and items of the whole crawl are spread over these runs.
    """
    by_id = {h.run_id: h for h in history}
    chain = [run]
    while (previous := by_id.get(chain[-1].resumed_from or -1)) is not None:
        if previous in chain:
            break
        chain.append(previous)
    return chain


def _resumed(chain: Sequence[RunFacts]) -> str:
    if len(chain) == 1:
        return ""
    parts = ", ".join(str(r.run_id) for r in chain[1:])
    return f" (with run{'s' if len(chain) > 2 else ''} {parts}, which it resumes)"


def _listing_pages(chain: Sequence[RunFacts]) -> Check:
    pages = sum(r.stat("listing/pages") for r in chain)
    ok = pages >= 1
    message = (
        f"{pages} listing page{'s' if pages != 1 else ''} read{_resumed(chain)}"
        if ok
        else "no listing page was read (blocked, moved or unreachable?)"
    )
    return Check("listing_pages", ok, pages, 1, message)


def _at_most(name: str, value: int, limit: int, what: str) -> Check:
    ok = value <= limit
    return Check(name, ok, value, limit, f"{value} {what} (at most {limit})")


def _rate(name: str, count: int, requests: int, limit: float, what: str) -> Check:
    # Errors without a single request (the start URL refused) are as bad as it gets.
    rate = count / requests if requests else float(count > 0)
    ok = rate <= limit
    return Check(
        name,
        ok,
        rate,
        limit,
        f"{count} {what} in {requests} requests, {rate:.1%} (at most {limit:.0%})",
    )


def _item_count(
    chain: Sequence[RunFacts], earlier: Sequence[RunFacts], t: HealthThresholds
) -> Check | tuple[str, str]:
    run = chain[0]
    if run.mode != "full":
        return ("item_count", "only full runs are counted: an incremental run sees what changed")
    # A resumed run archived only the rest of a crawl: no measure of a whole one.
    whole = [h for h in earlier if h.resumed_from is None]
    counts = [h.items_seen for h in whole[: t.history_runs]]
    if not counts:
        return ("item_count", "no earlier comparable full run")
    median = statistics.median(counts)
    if median == 0:
        return ("item_count", "the earlier full runs archived no items")
    items = sum(r.items_seen for r in chain)
    ratio = items / median
    ok = ratio >= t.min_item_ratio
    message = (
        f"{items} items{_resumed(chain)}, {ratio:.0%} of the median {median:g} of the last "
        f"{len(counts)} full run{'s' if len(counts) != 1 else ''} (at least {t.min_item_ratio:.0%})"
    )
    return Check("item_count", ok, ratio, t.min_item_ratio, message)


Coverage = tuple[int, dict[str, float]]
"""How many pages or cards were measured, and per field the share that had it."""


def item_coverage(run: RunFacts) -> Coverage | str:
    """Per record field, the share of the run's parsed article pages whose record has it;
    or why it cannot be told from the run's stats.

    ``item/pages`` and ``item/page_missing/<field>`` count only items read from an article
    page. Stats without them count every item, including those known only from their
    card (a page answering 304 Not Modified, an unchanged card): those lack page fields
    by design, so such runs are not measured.
    """
    stats = run.stats
    if "item/pages" in stats:
        pages = run.stat("item/pages")
        prefix = "item/page_missing/"
    else:
        card_only = [
            key
            for key in (
                "article/not_modified",
                "listing/cards_unchanged",
                "listing/cards_incomplete",
            )
            if run.stat(key)
        ]
        if card_only:
            return f"items known only from their cards ({', '.join(card_only)})"
        pages = run.stat("item_scraped_count")
        prefix = "item/missing/"
    if pages == 0:
        return "no article page was parsed"
    return pages, {name: 1 - min(run.stat(prefix + name), pages) / pages for name in RECORD_FIELDS}


def card_coverage(run: RunFacts) -> Coverage | str:
    """Per card field, the share of the run's listing cards (sightings) that showed it."""
    if run.cards == 0:
        return "no listing card was kept"
    return run.cards, {
        name: min(run.card_counts.get(name, 0), run.cards) / run.cards for name in CARD_FIELDS
    }


def _coverage_checks(
    prefix: str,
    what: str,
    run: RunFacts,
    earlier: Sequence[RunFacts],
    fields: Sequence[str],
    t: HealthThresholds,
    *,
    floors: Mapping[str, float],
    measure: Callable[[RunFacts], Coverage | str],
) -> list[Check | tuple[str, str]]:
    current = measure(run)
    if isinstance(current, str):
        return [(f"{prefix}/{name}", current) for name in fields]
    count, shares = current
    if count < t.min_coverage_items:
        reason = f"only {count} {what} (coverage needs {t.min_coverage_items})"
        return [(f"{prefix}/{name}", reason) for name in fields]
    past: list[dict[str, float]] = []
    for h in earlier:
        measured = measure(h)
        if not isinstance(measured, str) and measured[0] >= t.min_coverage_items:
            past.append(measured[1])
            if len(past) == t.history_runs:
                break
    outcomes: list[Check | tuple[str, str]] = []
    for name in fields:
        value = shares[name]
        limits: list[float] = []
        notes: list[str] = []
        if past:
            median = statistics.median(p[name] for p in past)
            limits.append(median - t.max_coverage_drop)
            notes.append(
                f"median {median:.0%} over {len(past)} earlier run{'s' if len(past) != 1 else ''}"
                f", may fall {t.max_coverage_drop:.0%} below"
            )
        floor = floors.get(name)
        if floor is not None:
            limits.append(floor)
            notes.append(f"floor {floor:.0%}")
        check = f"{prefix}/{name}"
        if not limits:
            outcomes.append(
                (check, f"no earlier comparable run with {t.min_coverage_items}+ {what}")
            )
            continue
        limit = max(0.0, max(limits))
        # Shares are ratios of counts: compare with a tolerance, not bit for bit.
        ok = value >= limit or math.isclose(value, limit, abs_tol=1e-9)
        message = f"{value:.0%} of {count} {what} ({'; '.join(notes)})"
        outcomes.append(Check(check, ok, value, limit, message))
    return outcomes


def _parse_time(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _nothing_new(
    run: RunFacts, history: Sequence[RunFacts], t: HealthThresholds
) -> Check | tuple[str, str]:
    if t.nothing_new_days == 0:
        return ("nothing_new", "switched off (nothing_new_days = 0)")
    if run.new > 0:
        return Check(
            "nothing_new", True, 0.0, t.nothing_new_days, f"{run.new} new articles in this run"
        )
    runs = [h for h in history if h.source == run.source and h.run_id < run.run_id]
    finders = [h for h in runs if h.new > 0]
    if finders:
        last = max(finders, key=lambda h: h.run_id)
        since, origin = last.ended_at, f"the last new article came with run {last.run_id}"
    elif runs:
        first = min(runs, key=lambda h: h.run_id)
        since, origin = first.started_at, f"no run has found one since run {first.run_id}"
    else:
        since, origin = run.started_at, "this is the newsroom's first run"
    start, end = _parse_time(since), _parse_time(run.ended_at)
    if start is None or end is None:
        return ("nothing_new", "run times are not readable")
    days = max(0.0, (end - start).total_seconds() / 86400)
    ok = days < t.nothing_new_days
    message = f"no new article for {days:.1f} days: {origin} (alarm at {t.nothing_new_days:g})"
    return Check("nothing_new", ok, days, t.nothing_new_days, message)


def _run_age(run: RunFacts, now: datetime, t: HealthThresholds) -> Check | tuple[str, str]:
    if t.max_run_age_hours == 0:
        return ("run_age", "switched off (max_run_age_hours = 0)")
    end = _parse_time(run.ended_at)
    if end is None:
        return ("run_age", "run time is not readable")
    hours = max(0.0, (now - end).total_seconds() / 3600)
    ok = hours <= t.max_run_age_hours
    message = f"ended {hours:.1f} hours ago (at most {t.max_run_age_hours:g})"
    if not ok:
        message += ": have the scheduled crawls stopped?"
    return Check("run_age", ok, hours, t.max_run_age_hours, message)


# -- the archive ------------------------------------------------------------------------

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


# -- telling someone --------------------------------------------------------------------


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
