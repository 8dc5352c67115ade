"""Titles: cleaned, without the site's suffix and without type prefixes."""

from __future__ import annotations

import functools
import re

from newsroom_archive.normalise.text import clean_text

__all__ = ["TYPE_PREFIXES", "clean_title", "strip_type_prefix"]

_SEPARATORS = "|–—\\-:·•"
TYPE_PREFIXES: tuple[str, ...] = (
    "press releases",
    "press release",
    "press statement",
    "public statement",
    "news release",
    "media release",
    "media advisory",
    "statement",
    "report",
    "update",
    "pressemitteilung",
    "pressemeldung",
    "stellungnahme",
    "erklärung",
    "bericht",
)
"""Type labels removed from the start of a title when followed by ``:``, `` - `` or
``|``. Deliberately narrow: ``Interview: …`` or ``Opinion: …`` are usually part of
the headline as written, so they stay."""
_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in TYPE_PREFIXES) + r")\s*(?::|\s[-–—|]|\|)\s*",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=256)
def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str] | None:
    names = [s.strip().lstrip(_SEPARATORS.replace("\\", "")).strip() for s in suffixes]
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\s*[{_SEPARATORS}]\s*(?:{alternation})\s*$", re.IGNORECASE)


def strip_type_prefix(title: str) -> str:
    """``Press Release: X`` → ``X``; the prefix stays if nothing would be left."""
    while True:
        m = _PREFIX.match(title)
        if not m or m.end() >= len(title):
            return title
        title = title[m.end() :]


def clean_title(value: str | None, suffixes: tuple[str, ...] = ()) -> str | None:
    """Cleaned title without site suffixes (see ``SourceRules.title_suffixes``) and
    without type prefixes (``Press Release: …``, ``Report: …``, ``Update - …``)."""
    text = clean_text(value)
    if not text:
        return None
    pattern = _suffix_pattern(tuple(suffixes))
    if pattern is not None:
        while True:
            m = pattern.search(text)
            if not m or m.start() == 0:
                break
            text = text[: m.start()]
    return strip_type_prefix(text) or None
