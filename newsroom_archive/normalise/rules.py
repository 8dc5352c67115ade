"""Per-newsroom settings that normalisation needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["SourceRules"]


@dataclass(frozen=True)
class SourceRules:
    """What normalisation needs to know about one newsroom."""

    name: str
    day_first: bool = False
    """How to read an ambiguous numeric date such as 03/04/2020 on this source.

    False (the default) reads it month first (3 April becomes March 4). Numeric dates
    that can only be read one way (13/04/2020, 04/13/2020) ignore this setting, and
    dotted dates (16.02.2022) are always day first.
    """
    title_suffixes: tuple[str, ...] = ()
    """Site names appended to titles, e.g. `` | Amnesty International USA``.

    The separator is matched loosely: ``|``, ``–``, ``—``, ``-``, ``:``, ``·`` and
    ``•`` are all removed together with the name.
    """
    language: str = "en"
    kind_folders: dict[str, str] = field(default_factory=dict)
    """Extra URL folder → kind slug mappings; they take precedence over the defaults."""
    kind_labels: dict[str, str] = field(default_factory=dict)
    """Extra type label → kind slug mappings; they take precedence over the defaults."""
    icon_alt_texts: tuple[str, ...] = ()
    """Icon alt texts that leak into type labels on this source (besides the defaults)."""
    timezone: str | None = None
    """IANA zone of naive times shown by this source (e.g. ``America/New_York``).

    Without it a time without an offset never yields ``published_at``: the archive
    does not invent offsets.
    """
    date_formats: tuple[str, ...] = ()
    """strptime formats of this source's dates, tried before the built-in reader
    (month names of the month table's languages are understood)."""
    agency_files: tuple[str, ...] = ()
    """Extra CSV files (alias,canonical,kind) extending the agency table."""

    def __post_init__(self) -> None:
        if self.timezone is not None:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown timezone {self.timezone!r} for {self.name}") from exc
