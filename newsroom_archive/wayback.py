"""The Wayback Machine's CDX API and mementos, as pure functions: query URLs, rows,
paging, and the original bytes' URL of a capture.

Where the service is: the Scrapy setting ``WAYBACK_URL``, else ``$NEWSROOM_WAYBACK_URL``,
else ``https://web.archive.org`` (tests point it at the loopback replica). The CDX API is
at ``{base}/cdx/search/cdx``; a capture's original bytes, unrewritten, at
``{base}/web/{timestamp}id_/{original}``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

DEFAULT_WAYBACK_URL = "https://web.archive.org"
WAYBACK_ENV = "NEWSROOM_WAYBACK_URL"
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


def wayback_url(setting: str | None = None) -> str:
    """The service's base URL, without a trailing slash."""
    return (setting or os.environ.get(WAYBACK_ENV) or DEFAULT_WAYBACK_URL).rstrip("/")


@dataclass(frozen=True)
class CdxCapture:
    """One row of the CDX API: a capture of ``original`` at ``timestamp``."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str

    @property
    def observed_at(self) -> str:
        """The capture's time, ISO 8601 in UTC (CDX timestamps are UTC)."""
        moment = dt.datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
        return moment.replace(tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def day(self) -> dt.date:
        return dt.date(int(self.timestamp[:4]), int(self.timestamp[4:6]), int(self.timestamp[6:8]))


def _stamp(day: dt.date | None, end: bool) -> str | None:
    if day is None:
        return None
    return day.strftime("%Y%m%d") + ("235959" if end else "000000")


def cdx_query(
    base: str,
    prefix: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 1000,
    resume_key: str | None = None,
) -> str:
    """The CDX query for every 200 capture of URLs under ``prefix``, at most one per URL
    and day (``collapse=timestamp:8`` collapses adjacent rows, which the API sorts by URL
    then time), as JSON, a page of ``limit`` rows with a resume key for the next."""
    params: list[tuple[str, str]] = [
        ("url", prefix),
        ("matchType", "prefix"),
        ("output", "json"),
        ("fl", ",".join(CDX_FIELDS)),
        ("filter", "statuscode:200"),
        ("collapse", "timestamp:8"),
        ("limit", str(limit)),
        ("showResumeKey", "true"),
    ]
    if (start := _stamp(since, end=False)) is not None:
        params.append(("from", start))
    if (end := _stamp(until, end=True)) is not None:
        params.append(("to", end))
    if resume_key is not None:
        params.append(("resumeKey", resume_key))
    return f"{base}/cdx/search/cdx?{urlencode(params)}"


def parse_cdx(text: str) -> tuple[list[CdxCapture], str | None]:
    """The rows of a JSON CDX answer and its resume key (None on the last page).

    The first row names the fields; an empty row separates the resume key, the last row,
    from the captures. An empty answer is no captures."""
    if not text.strip():
        return [], None
    rows = json.loads(text)
    if not isinstance(rows, list) or not rows:
        return [], None
    header, *body = rows
    resume = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume = str(body[-1][0])
        body = body[:-2]
    names = [str(name) for name in header]
    captures = []
    for row in body:
        if not row:
            continue
        values = dict(zip(names, (str(v) for v in row), strict=False))
        captures.append(CdxCapture(**{f: values.get(f, "") for f in CDX_FIELDS}))
    return captures, resume


def distinct_contents(captures: Iterable[CdxCapture]) -> Iterator[CdxCapture]:
    """Each URL's captures without the repeats of the same bytes in a row: a capture whose
    digest equals the URL's previous one shows nothing new."""
    last: dict[str, str] = {}
    for capture in captures:
        if last.get(capture.original) == capture.digest:
            continue
        last[capture.original] = capture.digest
        yield capture


def memento_url(base: str, capture: CdxCapture) -> str:
    """Where the capture's original bytes are served, unrewritten (the ``id_`` form)."""
    return f"{base}/web/{capture.timestamp}id_/{capture.original}"
