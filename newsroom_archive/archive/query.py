"""Read-side queries: filters, search, "as of" snapshots, statistics.

Everything here reads through ``current_articles`` (a view: one row per article with
its current version) or the base tables; nothing writes.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.exc import OperationalError, ProgrammingError

from newsroom_archive.archive import Archive, ArchiveError
from newsroom_archive.archive.database import iso_moment
from newsroom_archive.archive.models import Article, Change, CrawlRun, Sighting, Source, Version
from newsroom_archive.items import CONTENT_FIELDS, VERSION_FIELDS
from newsroom_archive.normalise.kinds import KINDS
from newsroom_archive.sites.common import canonical_url

CURRENT_COLUMNS = (
    "id",
    "source",
    "url",
    *VERSION_FIELDS,
    "year",
    "status",
    "listed",
    "first_seen_at",
    "last_seen_at",
    "removed_at",
    "version_count",
    "content_hash",
)
"""Columns of the `current_articles` view (migration 0003)."""
AnySelect = Select[*tuple[Any, ...]]
"""A SELECT of any columns (the typed Select is generic over its row)."""


def _view_column(name: str) -> Any:
    """A view column with the type of the table column it shows (lists and flags decode)."""
    for model in (Version, Article):
        if name in model.__table__.c and name != "id":
            return column(name, model.__table__.c[name].type)
    return column(name)


current_articles = table("current_articles", *(_view_column(name) for name in CURRENT_COLUMNS))


CHANGE_FIELDS = (*CONTENT_FIELDS, "http_status")
"""The values of `changes.field`: the content fields, and `http_status` of removals."""


@dataclass(frozen=True)
class Filters:
    """The filters of the read commands. Dates are ISO strings (validated by the CLI).

    ``since``/``until`` are days of publication (the article's version in question);
    ``detected_since``/``detected_until`` the moment an event was detected (changes only).
    """

    source: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    agency: str | None = None
    photographer: str | None = None
    status: str | None = None
    detected_since: str | None = None
    detected_until: str | None = None

    def active(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


FILTER_NAMES = tuple(f.name for f in fields(Filters))
ARTICLE_FILTERS = frozenset(FILTER_NAMES) - {"detected_since", "detected_until"}
"""The filters on an article's version: every table about articles takes them."""
EVENT_FILTERS = frozenset({"detected_since", "detected_until"})


class UnknownValue(ValueError):
    """A filter value that cannot match: unknown (the message lists the known ones), or a
    date range that ends before it starts."""


def refuse_unknown(what: str, value: str, known: Iterable[str], option: str = "") -> None:
    """Raise UnknownValue unless `value` is one of `known`, naming the closest match."""
    choices = sorted(set(known))
    if value in choices:
        return
    close = difflib.get_close_matches(value.lower(), choices, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(choices) if choices else "none yet"
    prefix = f"{option}: " if option else ""
    raise UnknownValue(f"{prefix}{value!r} is not a known {what}{hint}; known: {listed}")


def check_filters(archive: Archive, filters: Filters) -> None:
    """Refuse values that cannot match: an unknown kind or source, an empty date range."""
    if filters.kind is not None:
        refuse_unknown("kind", filters.kind, KINDS, "--kind")
    if filters.source is not None:
        refuse_unknown("source", filters.source, sources(archive), "--source")
    for low, high in (("since", "until"), ("detected_since", "detected_until")):
        start, end = getattr(filters, low), getattr(filters, high)
        if start is not None and end is not None and start_of(start) > end_of(end):
            raise UnknownValue(
                f"--{low.replace('_', '-')} {start} is after --{high.replace('_', '-')} {end}: "
                "nothing can match"
            )


def sources(archive: Archive) -> list[str]:
    with archive.engine.connect() as conn:
        return list(conn.execute(select(Source.name).order_by(Source.name)).scalars())


def first_run_started(archive: Archive) -> str | None:
    """When the archive's first crawl run started (None for an archive without runs)."""
    with archive.engine.connect() as conn:
        return conn.execute(select(func.min(CrawlRun.started_at))).scalar()


def _json_array_contains(col: Any, value: str) -> ColumnElement[bool]:
    # The arrays are JSON text written by the archive itself, so an element is exactly
    # `"value"` between delimiters: portable across SQLite and PostgreSQL, and exact.
    needle = json.dumps(value, ensure_ascii=False).lower()
    return func.lower(col).contains(needle, autoescape=True)


def filter_clauses(filters: Filters, cols: Any = None) -> list[ColumnElement[bool]]:
    """The shared filters, over `current_articles` or any object with the same columns
    (source, kind, published_date, photo_agencies, photographers, status)."""
    c = current_articles.c if cols is None else cols
    clauses: list[ColumnElement[bool]] = []
    if filters.source:
        clauses.append(c.source == filters.source)
    if filters.kind:
        clauses.append(c.kind == filters.kind)
    if filters.since:
        clauses.append(c.published_date >= filters.since)
    if filters.until:
        clauses.append(c.published_date <= filters.until)
    if filters.agency:
        clauses.append(_json_array_contains(c.photo_agencies, filters.agency))
    if filters.photographer:
        clauses.append(_json_array_contains(c.photographers, filters.photographer))
    if filters.status:
        clauses.append(c.status == filters.status)
    return clauses


def event_clauses(filters: Filters, detected_at: Any) -> list[ColumnElement[bool]]:
    """The detection-time filters over an event's timestamp column."""
    clauses: list[ColumnElement[bool]] = []
    if filters.detected_since:
        clauses.append(detected_at >= start_of(filters.detected_since))
    if filters.detected_until:
        clauses.append(detected_at <= end_of(filters.detected_until))
    return clauses


# The columns the article filters read, when an article row is Source + Article + Version.
ARTICLE_FILTER_COLUMNS = SimpleNamespace(
    source=Source.name,
    kind=Version.kind,
    published_date=Version.published_date,
    photo_agencies=Version.photo_agencies,
    photographers=Version.photographers,
    status=Article.status,
)


def _utc(moment: str) -> str:
    return iso_moment(moment)


def start_of(moment: str) -> str:
    """A date or time as the first archive timestamp it covers (a date: its start, UTC)."""
    return moment if len(moment) == 10 else _utc(moment)


def end_of(moment: str) -> str:
    """An --as-of value as the last archive timestamp it covers (dates mean the whole day)."""
    if len(moment) == 10:
        return f"{moment}T23:59:59.999999Z"
    return _utc(moment)


def as_of_versions(moment: str) -> AnySelect:
    """For each article present at `moment`, the id of its version current then: the
    latest observed by then (``version`` counts in observation order).

    Present: observed by then, and its latest removed/reappeared event by then is not
    a removal.
    """
    latest = (
        select(Version.article_id, func.max(Version.version).label("version"))
        .where(Version.observed_at <= moment)
        .group_by(Version.article_id)
        .subquery()
    )
    last_event = (
        select(Change.change)
        .where(
            Change.article_id == latest.c.article_id,
            Change.change.in_(("removed", "reappeared")),
            Change.detected_at <= moment,
        )
        .order_by(Change.detected_at.desc(), Change.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Version.id)
        .join(
            latest,
            and_(Version.article_id == latest.c.article_id, Version.version == latest.c.version),
        )
        .where(or_(last_event.is_(None), last_event != "removed"))
    )


FTS_QUERY_ERRORS = ("fts5:", "no such column", "unterminated string", "unknown special query")
SEARCH_SYNTAX = (
    'search syntax: words (all must match), "a phrase", a OR b, a NOT b, word* for a prefix; '
    "put words with - : ( ) or other punctuation in double quotes"
)


def search(archive: Archive, query: str, filters: Filters, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked full-text matches over title, teaser, body and caption, with a snippet."""
    c = current_articles.c
    shown = [c.id, c.source, c.url, c.title, c.kind, c.published_date, c.status]
    if archive.engine.dialect.name == "postgresql":
        document = func.to_tsvector(
            literal_column("'english'"),
            func.coalesce(Version.title, "")
            + " "
            + func.coalesce(Version.teaser, "")
            + " "
            + func.coalesce(Version.body, "")
            + " "
            + func.coalesce(Version.caption, ""),
        )
        ts_query = func.websearch_to_tsquery(literal_column("'english'"), query)
        rank: Any = func.ts_rank(document, ts_query)
        snippet = func.ts_headline(
            literal_column("'english'"),
            func.coalesce(Version.body, Version.teaser, Version.title, ""),
            ts_query,
            "StartSel=[, StopSel=], MaxWords=25, MinWords=10",
        )
        statement = (
            select(*shown, snippet.label("snippet"), rank.label("rank"))
            .select_from(current_articles)
            .join(Article, Article.id == c.id)
            .join(Version, Version.id == Article.current_version_id)
            .where(document.op("@@")(ts_query), *filter_clauses(filters))
            .order_by(rank.desc(), c.url)
            .limit(limit)
        )
    else:
        fts = table("articles_fts", column("rowid"))
        rank = literal_column("bm25(articles_fts)")
        statement = (
            select(
                *shown,
                literal_column("snippet(articles_fts, -1, '[', ']', '…', 16)").label("snippet"),
                rank.label("rank"),
            )
            .select_from(fts)
            .join(current_articles, c.id == fts.c.rowid)
            .where(text("articles_fts MATCH :query"), *filter_clauses(filters))
            .order_by(rank, c.url)
            .limit(limit)
        )
        statement = statement.params(query=query)
    try:
        with archive.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(statement)]
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        # SQLite's FTS5 reads the query as an expression; its errors name the parser's
        # complaint, not what the user can type instead.
        if reason.startswith(FTS_QUERY_ERRORS):
            reason += f" ({SEARCH_SYNTAX})"
        raise ArchiveError(f"cannot search for {query!r}: {reason}") from None


def _url_key(url: str) -> tuple[str, int | None, str, str]:
    """What two spellings of one URL share: host without www., port, path without its
    trailing slash, query; not the scheme, not the case of the host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, port, parts.path.rstrip("/"), parts.query


def article_url(archive: Archive, ref: str) -> str:
    """The archived URL of the article `ref` names: its id (as `show` prints it, or
    ``#id`` as `search` does), or its URL in any spelling (tracking parameters, http or
    https, with or without www. or the trailing slash). ArchiveError when it names none,
    or several."""
    ref = ref.strip()
    # `search` and `changes` print the id as #12; pasted back whole, it is still the id.
    if ref.startswith("#") and ref[1:].isdigit():
        ref = ref[1:]
    with archive.engine.connect() as conn:
        if ref.isdigit():
            found = conn.execute(select(Article.url).where(Article.id == int(ref))).scalar()
            if found is None:
                raise ArchiveError(f"no article with id {ref} in the archive")
            return str(found)
        url = canonical_url(ref)
        if conn.execute(select(Article.id).where(Article.url == url)).first() is not None:
            return url
        key = _url_key(url)
        # The spellings share the path (or the host, for a front page): narrow to those.
        needle = key[2] or key[0]
        candidates = conn.execute(
            select(Article.url).where(
                func.lower(Article.url).contains(needle.lower(), autoescape=True)
            )
        ).scalars()
        matches = sorted({c for c in candidates if _url_key(c) == key})
    if not matches:
        raise ArchiveError(f"no article with URL {url} in the archive")
    if len(matches) > 1:
        raise ArchiveError(f"{ref} may be any of {len(matches)} articles: {' '.join(matches)}")
    return matches[0]


def current(archive: Archive, ref: str) -> dict[str, Any]:
    """The current version and archive state of the article `ref` names (see article_url)."""
    url = article_url(archive, ref)
    with archive.engine.connect() as conn:
        row = conn.execute(select(current_articles).where(current_articles.c.url == url)).one()
    article = dict(row._mapping)
    # A removed article is on no listing, whatever its last listing check said.
    if article["status"] == "removed":
        article["listed"] = False
    return article


def recent_changes(
    archive: Archive,
    filters: Filters | None = None,
    field: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events newest first, with the article's id and current title; `filters` select
    the articles (by their current version) and the detection time."""
    filters = filters or Filters()
    statement = (
        select(
            Change.detected_at,
            Change.change,
            Change.field,
            Source.name.label("source"),
            Article.id.label("article_id"),
            Article.url,
            Version.title,
            Change.old_value,
            Change.new_value,
            Change.run_id,
        )
        .join(Article, Article.id == Change.article_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(Version, Version.id == Article.current_version_id)
        .where(
            *filter_clauses(filters, ARTICLE_FILTER_COLUMNS),
            *event_clauses(filters, Change.detected_at),
        )
        .order_by(Change.detected_at.desc(), Change.id.desc())
    )
    if field:
        statement = statement.where(Change.field == field)
    if limit:
        statement = statement.limit(limit)
    with archive.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def _counts(archive: Archive, statement: AnySelect) -> list[tuple[Any, ...]]:
    with archive.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(statement)]


def statistics(archive: Archive, filters: Filters, top: int = 10) -> dict[str, Any]:
    c = current_articles.c
    where = filter_clauses(filters)
    month = func.substr(c.published_date, 1, 7)
    per_source = select(c.source, func.count()).where(*where).group_by(c.source).order_by(c.source)
    per_kind = (
        select(c.source, c.kind, func.count())
        .where(*where)
        .group_by(c.source, c.kind)
        .order_by(c.source, func.count().desc(), c.kind)
    )
    per_month = (
        select(c.source, month, func.count())
        .where(*where)
        .group_by(c.source, month)
        .order_by(c.source, month)
    )
    names: dict[str, list[tuple[str, int]]] = {}
    with archive.engine.connect() as conn:
        tallies: dict[str, dict[str, int]] = {"photo_agencies": {}, "photographers": {}}
        for agencies, people in conn.execute(
            select(c.photo_agencies, c.photographers).where(*where)
        ):
            for key, value in (("photo_agencies", agencies), ("photographers", people)):
                for name in value:
                    tallies[key][name] = tallies[key].get(name, 0) + 1
    for key, tally in tallies.items():
        names[key] = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    runs = select(Source.name, CrawlRun.status, func.count(), func.max(CrawlRun.finished_at)).join(
        Source, Source.id == CrawlRun.source_id
    )
    if filters.source:
        runs = runs.where(Source.name == filters.source)
    runs = runs.group_by(Source.name, CrawlRun.status).order_by(Source.name, CrawlRun.status)
    return {
        "articles_per_source": _counts(archive, per_source),
        "articles_per_kind": _counts(archive, per_kind),
        "articles_per_month": _counts(archive, per_month),
        "top_agencies": names["photo_agencies"],
        "top_photographers": names["photographers"],
        "runs": _counts(archive, runs),
    }


def runs_covered(archive: Archive) -> list[dict[str, Any]]:
    """The crawl runs whose data an export contains (for manifests)."""
    with archive.engine.connect() as conn:
        return [
            dict(row._mapping)
            for row in conn.execute(
                select(
                    CrawlRun.id.label("run_id"),
                    Source.name.label("source"),
                    CrawlRun.mode,
                    CrawlRun.status,
                    CrawlRun.started_at,
                    CrawlRun.finished_at,
                )
                .join(Source, Source.id == CrawlRun.source_id)
                .order_by(CrawlRun.id)
            )
        ]


ORIGINS = ("live", "wayback")
COVERAGE_COLUMNS = (
    "source",
    "month",
    "observations",
    *(f"{kind}_{origin}" for origin in ORIGINS for kind in ("versions", "sightings")),
)
"""Columns of `coverage`: per origin, versions and sightings observed in the month."""


def _month(moment: str) -> tuple[int, int]:
    return int(moment[:4]), int(moment[5:7])


def coverage(archive: Archive, source: str | None = None) -> list[dict[str, Any]]:
    """Per source and month (by observation time), how many versions and sightings were
    observed, by origin; every month from a source's first to its last observation has a
    row, so a month without observations shows 0: not observed, never "unchanged"."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for kind, model in (("versions", Version), ("sightings", Sighting)):
        observed_month = func.substr(model.observed_at, 1, 7)
        statement = (
            select(Source.name, observed_month, model.origin, func.count())
            .join(Article, Article.id == model.article_id)
            .join(Source, Source.id == Article.source_id)
            .group_by(Source.name, observed_month, model.origin)
        )
        if source is not None:
            statement = statement.where(Source.name == source)
        with archive.engine.connect() as conn:
            for name, when, origin, n in conn.execute(statement):
                counts.setdefault((name, when), {})[f"{kind}_{origin}"] = int(n)
    rows: list[dict[str, Any]] = []
    for name in sorted({name for name, _ in counts}):
        months = sorted(when for found, when in counts if found == name)
        (year, month), last = _month(months[0]), _month(months[-1])
        while (year, month) <= last:
            key = f"{year:04d}-{month:02d}"
            found = counts.get((name, key), {})
            row: dict[str, Any] = {"source": name, "month": key}
            row |= {c: found.get(c, 0) for c in COVERAGE_COLUMNS[3:]}
            row["observations"] = sum(found.values())
            rows.append({c: row[c] for c in COVERAGE_COLUMNS})
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows
