"""What the health check knows of one crawl run: ``RunFacts``, read from its
``crawl_runs`` row and the Scrapy stats kept with it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from newsroom_archive.items import ArticleRecord

# `source` and `url` identify an item and are never missing: nothing to measure there.
MEASURED_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ArticleRecord) if f.name not in ("source", "url")
)
"""Record fields whose coverage can be measured: the stats count the items lacking each."""


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
        return int(value) if is_number(value) else 0

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
    return int(value) if is_number(value) else None


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
