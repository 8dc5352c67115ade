"""The limits of a healthy run (``HealthThresholds``) and the TOML file that sets them
per newsroom (``load_thresholds``)."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsroom_archive.health.facts import MEASURED_FIELDS, is_number
from newsroom_archive.items import CARD_FIELDS

CONFIG_ENV = "NEWSROOM_HEALTH_CONFIG"


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
        if name not in MEASURED_FIELDS:
            problems.append(f"min_coverage: unknown field {name!r}")
        elif not 0 <= value <= 1:
            problems.append(f"min_coverage.{name} must be between 0 and 1, got {value}")
    for name in t.coverage_fields:
        if name not in MEASURED_FIELDS:
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
        if not isinstance(value, dict) or not all(is_number(v) for v in value.values()):
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
    if not is_number(value):
        raise wrong("a number")
    return float(value)
