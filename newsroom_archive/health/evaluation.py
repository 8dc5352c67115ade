"""Judging a run against the earlier runs of its newsroom (``evaluate``).

Pure: runs in, a report out. Reading the runs from the archive is ``history``'s part.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from newsroom_archive.health.facts import MEASURED_FIELDS, RunFacts
from newsroom_archive.health.report import Check, HealthReport
from newsroom_archive.health.thresholds import HealthThresholds
from newsroom_archive.items import CARD_FIELDS
from newsroom_archive.normalise.dates import parse_iso
from newsroom_archive.stats import (
    ARTICLE_NOT_MODIFIED,
    ITEM_MISSING,
    ITEM_PAGE_MISSING,
    ITEM_PAGES,
    LISTING_CARDS_INCOMPLETE,
    LISTING_CARDS_UNCHANGED,
    LISTING_PAGES,
    LISTING_PAGES_WITHOUT_CARDS,
    REQUEST_COUNT,
    RETRY_COUNT,
    SCRAPED_COUNT,
)


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
            run.stat(LISTING_PAGES_WITHOUT_CARDS),
            t.max_empty_listing_pages,
            "listing pages without any card",
        )
    )
    add(
        _at_most(
            "incomplete_cards",
            run.stat(LISTING_CARDS_INCOMPLETE),
            t.max_incomplete_cards,
            "cards lacking a field the newsroom always shows",
        )
    )
    requests = run.stat(REQUEST_COUNT)
    add(_rate("error_rate", run.errors, requests, t.max_error_rate, "errors"))
    add(_rate("retry_rate", run.stat(RETRY_COUNT), requests, t.max_retry_rate, "retries"))
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
    pages = sum(r.stat(LISTING_PAGES) for r in chain)
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
        f"{count} {what} in {requests} request{'s' if requests != 1 else ''}, {rate:.1%} "
        f"(at most {limit:.0%})",
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
        f"{items} item{'s' if items != 1 else ''}{_resumed(chain)}, {ratio:.0%} of the median "
        f"{median:g} of the last "
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
    if ITEM_PAGES in run.stats:
        pages = run.stat(ITEM_PAGES)
        prefix = ITEM_PAGE_MISSING
    else:
        card_only = [
            key
            for key in (
                ARTICLE_NOT_MODIFIED,
                LISTING_CARDS_UNCHANGED,
                LISTING_CARDS_INCOMPLETE,
            )
            if run.stat(key)
        ]
        if card_only:
            return f"items known only from their cards ({', '.join(card_only)})"
        pages = run.stat(SCRAPED_COUNT)
        prefix = ITEM_MISSING
    if pages == 0:
        return "no article page was parsed"
    return pages, {
        name: 1 - min(run.stat(prefix + name), pages) / pages for name in MEASURED_FIELDS
    }


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
    # The archive's own timestamps: a time without an offset is UTC.
    return parse_iso(stamp, naive_zone=UTC)


def _nothing_new(
    run: RunFacts, history: Sequence[RunFacts], t: HealthThresholds
) -> Check | tuple[str, str]:
    if t.nothing_new_days == 0:
        return ("nothing_new", "switched off (nothing_new_days = 0)")
    if run.new > 0:
        return Check(
            "nothing_new",
            True,
            0.0,
            t.nothing_new_days,
            f"{run.new} new article{'s' if run.new != 1 else ''} in this run",
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
