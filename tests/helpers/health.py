"""Constructed crawl runs for the health check, and the command line that runs `check`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import click

from newsroom_archive.cli import main
from newsroom_archive.health import RunFacts

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def facts(
    run_id: int = 10,
    *,
    at: datetime | None = None,
    stats: dict[str, Any] | None = None,
    missing: dict[str, int] | None = None,
    **fields: Any,
) -> RunFacts:
    """A healthy full run: 100 items from 10 listing pages, 100 cards, nothing missing
    except the captions of a fifth of the pages.
    """
    start = at or T0 + timedelta(days=run_id)
    base_stats: dict[str, Any] = {
        "listing/pages": 10,
        "listing/cards": 100,
        "downloader/request_count": 120,
        "downloader/response_count": 120,
        "item_scraped_count": 100,
        "item/pages": 100,
        "item/page_missing/caption": 20,
    }
    for name, count in (missing or {}).items():
        base_stats[f"item/page_missing/{name}"] = count
    base_stats.update(stats or {})
    values: dict[str, Any] = {
        "run_id": run_id,
        "source": "amnestyusa",
        "mode": "full",
        "status": "finished",
        "started_at": stamp(start),
        "finished_at": stamp(start + timedelta(minutes=30)),
        "finish_reason": "finished",
        "items_seen": 100,
        "new": 2,
        "stats": base_stats,
        "cards": 100,
        "card_counts": {
            "title": 100,
            "tag_line": 100,
            "date_text": 100,
            "type_label": 90,
            "teaser": 100,
            "image_url": 85,
        },
    }
    values.update(fields)
    return RunFacts(**values)


def history(count: int = 5, **fields: Any) -> list[RunFacts]:
    """Healthy full runs 1..count, a day apart."""
    return [facts(i, **fields) for i in range(1, count + 1)]


def cli() -> click.Group:
    """`newsroom-archive`, whose `check` command the tests drive."""
    return main
