"""Images: the real URL behind lazy-loading markup."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

__all__ = ["absolute_url", "parse_srcset", "pick_image_url"]


def absolute_url(url: str | None, base_url: str | None = None) -> str | None:
    """Absolute http(s) URL, or None for empty values and ``data:`` placeholders."""
    if not url:
        return None
    url = url.strip()
    if not url or url.lower().startswith(("data:", "javascript:", "about:")):
        return None
    try:
        joined = urljoin(base_url, url) if base_url else url
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return joined


def _descriptor_value(descriptor: str) -> tuple[str, float] | None:
    descriptor = descriptor.strip().lower()
    if not descriptor:
        return "x", 1.0
    unit = descriptor[-1]
    if unit not in "wx":
        return None
    try:
        value = float(descriptor[:-1])
    except ValueError:
        return None
    return unit, value


def parse_srcset(srcset: str | None) -> list[tuple[str, str, float]]:
    """Candidates of a ``srcset`` as (url, unit, value); unit is ``w`` or ``x``.

    URLs may contain commas (``?fit=2500,1250``): following the HTML rules, a URL runs
    to the next white space, and only a comma after it separates candidates.
    """
    found: list[tuple[str, str, float]] = []
    if not srcset:
        return found
    text = srcset.strip()
    i, n = 0, len(text)
    while i < n:
        while i < n and (text[i].isspace() or text[i] == ","):
            i += 1
        start = i
        while i < n and not text[i].isspace():
            i += 1
        url = text[start:i]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start = i
            while i < n and text[i] != ",":
                i += 1
            descriptor = text[start:i]
        if not url:
            continue
        value = _descriptor_value(descriptor)
        if value is not None:
            found.append((url, value[0], value[1]))
    return found


def pick_image_url(
    src: str | None,
    data_src: str | None = None,
    srcset: str | None = None,
    base_url: str | None = None,
) -> str | None:
    """Absolute URL of the real image: the largest ``srcset`` candidate (by width
    descriptor, else density), else ``data-src``, else ``src``; never a ``data:``
    placeholder."""
    candidates = [c for c in parse_srcset(srcset) if absolute_url(c[0], base_url)]
    widths = [c for c in candidates if c[1] == "w"]
    pool = widths or candidates
    if pool:
        best = max(pool, key=lambda c: c[2])
        return absolute_url(best[0], base_url)
    for value in (data_src, src):
        url = absolute_url(value, base_url)
        if url:
            return url
    return None
