"""A small Wayback Machine on loopback: the sample newsroom's past, as a web archive has it.

Backfilling history from the Internet Archive is tested against this replica, never the
real service. It serves, at the real service's paths:

- the CDX API, ``/cdx/search/cdx``: ``url`` (``matchType=exact|prefix|host|domain``, or
  ``url=…*`` for a prefix), ``from`` / ``to`` (1–14 digit ``yyyyMMddhhmmss`` prefixes,
  both inclusive), ``filter=[!]field:regex`` (full match, any number), ``collapse=field``
  / ``field:N`` (adjacent rows whose first N characters repeat the last kept row's),
  ``fl=``, ``limit`` (negative: the last N), ``offset``, ``showResumeKey=true`` /
  ``resumeKey=``, ``page`` / ``pageSize`` / ``showNumPages=true``, ``output=json`` (first
  row the field names; ``[]`` when nothing matched) or space-separated text;
- mementos: ``/web/{timestamp}id_/{original URL}`` answers the capture's original status,
  body and ``Content-Type`` when the timestamp is a capture's, else a 302 to the nearest
  capture's ``id_`` URL; ``/web/{timestamp}/{url}`` does the same without ``id_``.

Where it is simpler than the real service (kept so on purpose, and what a client must
not rely on): ``length`` is the body's length, not the compressed WARC record's; a page
of the pagination API is ``pageSize`` index rows (the real one is ``pageSize`` blocks of
about 3,000), taken before ``from``/``to``, filters and collapsing as there; the non-``id_``
form does not rewrite links or add a toolbar; a redirect capture's ``Location`` points at
the target's memento in this archive (the original is in ``X-Archive-Orig-Location``); the
CDX answers are not gzip-encoded. A URL without captures is a 404.

The captures (``history``) are the Amnesty International USA sample newsroom at four
moments: October 2020 and March 2021 in the 2019–2021 theme (``article.news-card``,
read by the profile's ``news-card-2019`` layout), June 2023 and February 2024 in today's
block theme. Between them articles are published, edited (a title in October 2020 and
again by 2024), one is removed from the newsroom for good (``GONE``: archived, no longer
served live), one answers 404 once deleted, a listing page answers 503 once, and one
capture is a 301. Each capture carries its answer key: the articles, with listing page and
position, a correct reading of it finds.

``WaybackReplica(cdx_429_every=N, memento_429_every=K)`` answers every Nth CDX request
and every Kth memento request with ``429 Too Many Requests`` and ``Retry-After``, as the
archive does to clients that go too fast; the request log (``requests``, with arrival
times) shows how polite a client was.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal
from urllib.parse import parse_qs, quote_plus, unquote_plus, urljoin, urlsplit

import surt

from newsroom_archive.sample_site.content import (
    ARTICLES,
    CARDS_PER_PAGE,
    DELETE,
    NEW_ARTICLE,
    STATES,
    ArticleSpec,
    _paras,
    _text,
    _upload,
)
from newsroom_archive.sample_site.pages import TEXT_TYPE, Page, http_date
from newsroom_archive.sample_site.render import render_content, render_not_found
from newsroom_archive.sample_site.server import LoopbackServer
from newsroom_archive.sample_site.states import Mutation, State, Timeline, edit, ny_time

__all__ = [
    "CDX_FIELDS",
    "GONE",
    "SITE_URL",
    "WAYBACK_TIMELINE",
    "Capture",
    "WaybackReplica",
    "digest",
    "history",
    "urlkey",
]

SITE_URL = "https://www.amnestyusa.org"
"""Whose past the captures are, unless the replica is given a live sample newsroom's URL."""
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
"""The fields the CDX API gives, in its order."""

# --- the newsroom's past -----------------------------------------------------------------

GONE = ArticleSpec(
    slug="detained-asylum-seekers-moved-without-notice-to-lawyers",
    folder="press-releases",
    title="Detained Asylum-Seekers Moved Without Notice to Lawyers",
    type_label="Press Release",
    published=ny_time("2020-09-28 11:00"),
    modified=ny_time("2020-09-28 11:00"),
    teaser_full=_text("""
        Lawyers for people held in immigration detention learned of their clients' transfer
        to other states only when their calls went unanswered."""),
    body=_paras("""
        At least 40 people were moved from one detention center in a single week, according
        to lawyers who spoke to Amnesty International USA.

        Transfers without notice cut people off from the lawyers preparing their cases."""),
    image=_upload("2020-09", "GettyImages-1228371045"),
    image_alt="A detention center fence",
    caption="A fence surrounds a detention center. (Photo by Ruth Amsel/Getty Images)",
    credit="(Photo by Ruth Amsel/Getty Images)",
    credit_shape="photo-by-getty-in-parentheses",
    photographers=["Ruth Amsel"],
    photo_agencies=["Getty Images"],
)
"""An article of 2020 that the newsroom took down before 2023: only the archive has it."""

_ARTICLES = (*ARTICLES, GONE)
_BY_SLUG = {a.slug: a for a in _ARTICLES}
_NIGERIA = "nigeria-investigate-killings-of-protesters-at-lagos-toll-gate"
NIGERIA_FIRST = edit(
    _BY_SLUG,
    _NIGERIA,
    "title",
    "Nigeria: Investigate Shooting of Protesters in Lagos",
    _BY_SLUG[_NIGERIA].published,
)
"""The report as first published; the title was changed the next day (its ``modified``)."""
_TAKEN_DOWN = Mutation("delete", GONE.slug)

WAYBACK_STATES: dict[str, State] = {
    s.name: s
    for s in (
        State(
            "2020-10-21-morning",
            "the 2019–2021 theme before the Nigeria report was published",
            card_style="news-card-2019",
            as_of=ny_time("2020-10-21 07:30"),
        ),
        State(
            "2020-10-21",
            "the 2019–2021 theme with the Nigeria report under its first title",
            (NIGERIA_FIRST,),
            card_style="news-card-2019",
            as_of=ny_time("2020-10-21 18:00"),
        ),
        State(
            "2021-03-31",
            "the 2019–2021 theme; the Nigeria report retitled",
            card_style="news-card-2019",
            as_of=ny_time("2021-03-31 13:00"),
        ),
        State(
            "2023-06-01",
            "the block theme with the sample newsroom's base content; one article taken down",
            (_TAKEN_DOWN,),
        ),
        State(
            "2024-02-01",
            "the block theme with the sample newsroom's edited content",
            (_TAKEN_DOWN, *STATES["edited"].mutations),
        ),
    )
}
WAYBACK_TIMELINE: Timeline[ArticleSpec] = Timeline(
    _ARTICLES, NEW_ARTICLE, WAYBACK_STATES, {}, CARDS_PER_PAGE
)
"""The states of the captures, with the answer key for each (``content(state)``)."""

_TITLE_EDITED = next(m.slug for m in STATES["edited"].mutations if m.field == "title")
_UNCHANGED = "census-cutoff-risks-undercounting-immigrant-communities"
_UNAVAILABLE = b"<html><body><h1>Service unavailable</h1></body></html>"

Kind = Literal["listing", "article", "other"]

# (timestamp in UTC, state, path, served as): what the archive captured, and when.
# "page" is the page the state serves (or its 404); "unavailable" a 503 of that moment.
_SCHEDULE: tuple[tuple[str, str, str, Literal["page", "unavailable"]], ...] = (
    ("20201021113000", "2020-10-21-morning", "/news/", "page"),
    ("20201021220000", "2020-10-21", "/news/", "page"),
    ("20201021220412", "2020-10-21", "/news/page/2/", "page"),
    ("20201021221030", "2020-10-21", f"/reports/{_NIGERIA}/", "page"),
    ("20201021221500", "2020-10-21", GONE.path, "page"),
    ("20201021222000", "2020-10-21", f"/press-releases/{_UNCHANGED}/", "page"),
    ("20210331170000", "2021-03-31", "/news/", "page"),
    ("20210331170500", "2021-03-31", "/news/page/2/", "unavailable"),
    ("20210331171000", "2021-03-31", f"/reports/{_NIGERIA}/", "page"),
    ("20210331171500", "2021-03-31", GONE.path, "page"),
    ("20210331172000", "2021-03-31", f"/press-releases/{_UNCHANGED}/", "page"),
    ("20230601090000", "2023-06-01", "/news/", "page"),
    ("20230601090200", "2023-06-01", "/news/page/1/", "page"),
    ("20230601090500", "2023-06-01", "/news/page/2/", "page"),
    ("20230601091000", "2023-06-01", f"/reports/{_NIGERIA}/", "page"),
    ("20230601091500", "2023-06-01", GONE.path, "page"),
    ("20230601092000", "2023-06-01", f"/press-releases/{_UNCHANGED}/", "page"),
    ("20230601092500", "2023-06-01", f"/press-releases/{_TITLE_EDITED}/", "page"),
    ("20240201150000", "2024-02-01", "/news/", "page"),
    ("20240201150500", "2024-02-01", f"/press-releases/{_TITLE_EDITED}/", "page"),
    ("20240201151000", "2024-02-01", f"/updates/{DELETE.slug}/", "page"),
    ("20240201151500", "2024-02-01", f"/press-releases/{_UNCHANGED}/", "page"),
)


def urlkey(url: str) -> str:
    """The capture's sort key as the CDX gives it: the SURT form of the URL (host
    reversed, ``www`` dropped, query sorted), by the Internet Archive's own library."""
    return str(surt.surt(url))


def digest(body: bytes) -> str:
    """The CDX ``digest``: the base32 SHA-1 of the payload."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode()


@dataclass(frozen=True)
class Capture:
    """One capture of a URL and its answer key."""

    timestamp: str
    """``yyyyMMddhhmmss`` in UTC, as the archive names captures."""
    original: str
    state: str
    """The ``WAYBACK_STATES`` entry the page is of."""
    page: Page
    kind: Kind
    expected: tuple[ArticleSpec, ...]
    """What a correct reading finds: a listing's cards in order (with page and position),
    an article page's article; nothing for a redirect or an error page."""
    layout: str | None
    """The profile layout that reads it (``news-card-2019``, ``block-theme``)."""

    @cached_property
    def urlkey(self) -> str:
        return urlkey(self.original)

    @property
    def moment(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    @property
    def mimetype(self) -> str:
        return self.page.content_type.split(";")[0].strip()

    @property
    def statuscode(self) -> str:
        return str(self.page.status)

    @cached_property
    def digest(self) -> str:
        return digest(self.page.body)

    @property
    def length(self) -> str:
        return str(len(self.page.body))

    def cdx(self) -> dict[str, str]:
        """The capture's CDX row by field name."""
        return {f: getattr(self, f) for f in CDX_FIELDS}


def _kind(path: str) -> Kind:
    if path == "/news/" or re.fullmatch(r"/news/page/\d+/", path):
        return "listing"
    return "article"


def history(site_url: str = SITE_URL) -> tuple[Capture, ...]:
    """Every capture of the newsroom at ``site_url``, oldest first: its pages rendered
    with that base, as the live sample newsroom renders them."""
    base = site_url.rstrip("/")
    rendered = {
        name: render_content(WAYBACK_TIMELINE.content(name), base) for name in WAYBACK_STATES
    }
    not_found = render_not_found(base)
    captures = []
    for timestamp, state, path, served in _SCHEDULE:
        content = WAYBACK_TIMELINE.content(state)
        page = rendered[state].get(path, not_found)
        if served == "unavailable":
            page = Page(503, _UNAVAILABLE)
        kind = _kind(path) if page.status == 200 else "other"
        expected: tuple[ArticleSpec, ...] = ()
        if kind == "listing":
            number = int(path.strip("/").rsplit("/", 1)[-1]) if "/page/" in path else 1
            expected = tuple(content.page(number))
        elif kind == "article":
            expected = tuple(a for a in content.served if a.path == path)
        layout = None
        if kind != "other":
            old = kind == "listing" and content.card_style == "news-card-2019"
            layout = "news-card-2019" if old else "block-theme"
        captures.append(Capture(timestamp, base + path, state, page, kind, expected, layout))
    return tuple(captures)


# --- the CDX API -------------------------------------------------------------------------


class CdxError(ValueError):
    """A query the CDX server refuses (400), with its message."""


def _bound(stamp: str, upper: bool) -> str:
    if not re.fullmatch(r"\d{1,14}", stamp):
        raise CdxError(f"invalid timestamp {stamp!r}")
    # A prefix covers every moment it starts: "2020" runs to 20201231235959.
    return stamp.ljust(14, "9" if upper else "0")


def _matcher(url: str, match_type: str) -> tuple[str, str]:
    if url.endswith("*"):
        url, match_type = url[:-1], "prefix"
    if url.startswith("*."):
        url, match_type = url[2:], "domain"
    key = urlkey(url)
    path = urlsplit(url if "//" in url else "//" + url).path
    if match_type == "prefix" and path.endswith("/") and not key.endswith("/"):
        # The SURT drops a trailing slash; a prefix query keeps it, so /news/* does not
        # reach /newsletter-….
        key += "/"
    if match_type not in ("exact", "prefix", "host", "domain"):
        raise CdxError(f"unknown matchType {match_type!r}")
    return key, match_type


def _matches(row_key: str, key: str, match_type: str) -> bool:
    if match_type == "exact":
        return row_key == key
    if match_type == "prefix":
        return row_key.startswith(key) or row_key + "/" == key
    host, row_host = key.split(")", 1)[0], row_key.split(")", 1)[0]
    if match_type == "host":
        return row_host == host
    return row_host == host or row_host.startswith(host + ",")


def _field(name: str) -> str:
    if name.isdigit() and int(name) < len(CDX_FIELDS):
        return CDX_FIELDS[int(name)]
    if name not in CDX_FIELDS:
        raise CdxError(f"unknown field {name!r}")
    return name


@dataclass(frozen=True)
class CdxAnswer:
    rows: list[list[str]]
    fields: tuple[str, ...]
    resume_key: str | None = None
    num_pages: int | None = None

    def render(self, json_output: bool) -> Page:
        if self.num_pages is not None:
            return Page(200, f"{self.num_pages}\n".encode(), TEXT_TYPE)
        if json_output:
            table: list[list[str]] = [list(self.fields), *self.rows] if self.rows else []
            if self.resume_key is not None:
                table += [[], [self.resume_key]]
            return Page(200, json.dumps(table).encode(), "application/json")
        lines = [" ".join(r) for r in self.rows]
        if self.resume_key is not None:
            lines += ["", self.resume_key]
        return Page(200, "".join(line + "\n" for line in lines).encode(), TEXT_TYPE)


def cdx_query(captures: Sequence[Capture], query: str) -> CdxAnswer:
    """Answer a CDX query string over ``captures`` as the CDX server does."""
    params = parse_qs(query, keep_blank_values=True)

    def one(name: str, default: str = "") -> str:
        return params.get(name, [default])[-1]

    url = one("url")
    if not url:
        raise CdxError("Request must include a url")
    key, match_type = _matcher(url, one("matchType", "exact"))
    rows = sorted(
        (c for c in captures if _matches(c.urlkey, key, match_type)),
        key=lambda c: (c.urlkey, c.timestamp),
    )
    page_size = int(one("pageSize", "50") or 50)
    if page_size < 1:
        raise CdxError("pageSize must be at least 1")
    if one("showNumPages") == "true":
        return CdxAnswer([], (), num_pages=max(1, -(-len(rows) // page_size)))
    if one("page"):
        page = int(one("page"))
        if page >= 0:
            rows = rows[page * page_size : (page + 1) * page_size]
    if one("resumeKey"):
        # Given as printed (once decoded by the query) or encoded again by a client's
        # parameter encoding: either way the key is "urlkey timestamp!".
        key = one("resumeKey")
        key = unquote_plus(key) if "%" in key else key
        after = key.removesuffix("!").split(" ")
        mark = (after[0], after[1] if len(after) > 1 else "")
        rows = [c for c in rows if (c.urlkey, c.timestamp) > mark]
    low, high = one("from"), one("to")
    if low:
        rows = [c for c in rows if c.timestamp >= _bound(low, upper=False)]
    if high:
        rows = [c for c in rows if c.timestamp <= _bound(high, upper=True)]
    for spec in params.get("filter", []):
        negate = spec.startswith("!")
        name, _, pattern = spec.removeprefix("!").partition(":")
        regex = re.compile(pattern)
        column = _field(name)
        rows = [c for c in rows if bool(regex.fullmatch(c.cdx()[column])) != negate]
    for spec in params.get("collapse", []):
        name, _, width = spec.partition(":")
        column, size = _field(name), int(width) if width else None
        kept: list[Capture] = []
        for c in rows:
            if kept and kept[-1].cdx()[column][:size] == c.cdx()[column][:size]:
                continue
            kept.append(c)
        rows = kept
    offset = int(one("offset", "0") or 0)
    rows = rows[offset:]
    more = False
    if one("limit"):
        limit = int(one("limit"))
        if limit >= 0:
            more = len(rows) > limit
            rows = rows[:limit]
        else:
            rows = rows[limit:]
    fields = tuple(_field(f) for f in one("fl").split(",")) if one("fl") else CDX_FIELDS
    resume = None
    if one("showResumeKey") == "true" and more and rows:
        resume = quote_plus(f"{rows[-1].urlkey} {rows[-1].timestamp}!")
    return CdxAnswer([[c.cdx()[f] for f in fields] for c in rows], fields, resume)


# --- the replica -------------------------------------------------------------------------

_MEMENTO = re.compile(r"/web/(\d{1,14})(id_)?/(.+)")


@dataclass
class _Counters:
    cdx: int = 0
    memento: int = 0
    by_key: dict[str, list[Capture]] = field(default_factory=dict)


class WaybackReplica(LoopbackServer):
    """The sample newsroom's past behind the Wayback Machine's CDX API and mementos, on
    ``http://127.0.0.1:PORT`` (give that to a crawl as ``WAYBACK_URL``).

    ``site_url`` is whose past it is: the captures' original URLs and the links in their
    pages (a live ``SampleNewsroom``'s base URL, so that a backfill and a live crawl
    archive the same articles). ``cdx_429_every=N`` / ``memento_429_every=K`` answer every
    Nth CDX and every Kth memento request with 429 and ``Retry-After: retry_after``
    (counted per kind, 429s included; off by default).
    """

    validators = False
    label = "wayback replica"

    def __init__(
        self,
        site_url: str = SITE_URL,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        cdx_429_every: int | None = None,
        memento_429_every: int | None = None,
        retry_after: int = 2,
    ) -> None:
        super().__init__(host, port)
        for every in (cdx_429_every, memento_429_every):
            if every is not None and every < 1:
                raise ValueError("a 429 comes every N requests with N at least 1")
        self.captures = history(site_url)
        self._cdx_429_every = cdx_429_every
        self._memento_429_every = memento_429_every
        self._retry_after = retry_after
        self._counters = _Counters()
        for c in self.captures:
            self._counters.by_key.setdefault(c.urlkey, []).append(c)

    def _throttled(self, kind: Literal["cdx", "memento"]) -> bool:
        with self._lock:
            count = getattr(self._counters, kind) + 1
            setattr(self._counters, kind, count)
        every = self._cdx_429_every if kind == "cdx" else self._memento_429_every
        return every is not None and count % every == 0

    def _too_many(self) -> Page:
        return Page(
            429,
            b"<html><body><h1>429 Too Many Requests</h1></body></html>",
            headers=(("Retry-After", str(self._retry_after)),),
        )

    def page(self, target: str) -> Page:
        parts = urlsplit(target)
        if parts.path == "/cdx/search/cdx":
            if self._throttled("cdx"):
                return self._too_many()
            try:
                answer = cdx_query(self.captures, parts.query)
            except (CdxError, ValueError, re.error) as exc:
                return Page(400, f"{exc}\n".encode(), TEXT_TYPE)
            return answer.render(parse_qs(parts.query).get("output", [""])[-1] == "json")
        # The original URL follows the timestamp verbatim, its query string included.
        found = _MEMENTO.fullmatch(target)
        if not found:
            return Page(404, b"<html><body><h1>Not found</h1></body></html>")
        if self._throttled("memento"):
            return self._too_many()
        return self._memento(found[1], bool(found[2]), found[3])

    def _memento(self, stamp: str, raw: bool, original: str) -> Page:
        captures = self._counters.by_key.get(urlkey(original), [])
        if not captures:
            return Page(404, b"<html><body><h1>Not in the archive</h1></body></html>")
        # A short timestamp means the start of its period (2099 -> 20990101000000).
        moment = stamp + "00000101000000"[len(stamp) :]
        times = [c.timestamp for c in captures]
        i = bisect.bisect_left(times, moment)
        near = captures[max(0, i - 1) : i + 1]
        capture = min(near, key=lambda c: abs(_seconds(c.timestamp) - _seconds(moment)))
        mode = "id_" if raw else ""
        if capture.timestamp != stamp:
            return Page(
                302, b"", TEXT_TYPE, location=self.url(f"/web/{capture.timestamp}{mode}/{original}")
            )
        page = capture.page
        headers = [
            ("Memento-Datetime", http_date(capture.moment)),
            ("Link", f'<{capture.original}>; rel="original"'),
        ]
        if page.last_modified:
            headers.append(("X-Archive-Orig-Last-Modified", page.last_modified))
        location = None
        if page.location:
            target = urljoin(capture.original, page.location)
            headers.append(("X-Archive-Orig-Location", page.location))
            location = self.url(f"/web/{capture.timestamp}{mode}/{target}")
        return replace(page, last_modified=None, location=location, headers=tuple(headers))


def _seconds(stamp: str) -> float:
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp()
