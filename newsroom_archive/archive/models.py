"""The archive's tables (SQLAlchemy 2 typed declarative models).

Design after the item / item_version split: ``articles`` holds one row per canonical
URL with its current state, ``versions`` an immutable row each time the content hash
changes, ``changes`` one row per event, ``sightings`` one row per card seen on a listing.
Timestamps are ISO 8601 strings in UTC with a ``Z``, so SQLite, CSV and Datasette all
show the same text and sort correctly.
"""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from newsroom_archive.archive.columns import JSONList

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _no_names() -> list[str]:
    return []


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    spider: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(20))
    args: Mapped[str] = mapped_column(Text, default="{}")
    """Spider arguments as JSON."""
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    """running, finished, failed, interrupted."""
    finish_reason: Mapped[str | None] = mapped_column(String(100))
    pid: Mapped[int | None] = mapped_column(Integer)
    hostname: Mapped[str | None] = mapped_column(String(255))
    pages_fetched: Mapped[int] = mapped_column(default=0)
    items_seen: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    stats: Mapped[str] = mapped_column(Text, default="{}")
    """The Scrapy stats at the end of the run, as JSON."""
    stop_reason: Mapped[str | None] = mapped_column(Text)
    """Why the crawl stopped reading the listing (incremental runs stop early)."""
    resumed_from: Mapped[int | None] = mapped_column(Integer)
    """The run this one continues (a JOBDIR crawl resumed after an interruption)."""
    health_ok: Mapped[bool | None] = mapped_column()
    health: Mapped[str | None] = mapped_column(Text)
    """The health check's report, as JSON."""


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    first_seen_at: Mapped[str] = mapped_column(String(32))
    last_seen_at: Mapped[str] = mapped_column(String(32))
    removed_at: Mapped[str | None] = mapped_column(String(32))
    listed: Mapped[bool] = mapped_column(default=True, server_default=true())
    """False once a full crawl found it missing from the listing while its page still answers."""
    unlisted_at: Mapped[str | None] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    version_count: Mapped[int] = mapped_column(default=1)
    etag: Mapped[str | None] = mapped_column(String(512))
    """HTTP validators of the article page's last 200 response, for conditional requests."""
    last_modified: Mapped[str | None] = mapped_column(String(64))
    card_hash: Mapped[str | None] = mapped_column(String(64))
    """Hash of the card as last seen on a listing (see sightings.card_hash)."""
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    last_run_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_versions_article"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    seen_at: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))
    type_label: Mapped[str | None] = mapped_column(Text)
    published_date: Mapped[str | None] = mapped_column(String(10))
    published_at: Mapped[str | None] = mapped_column(String(32))
    date_source: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[str | None] = mapped_column(String(32))
    teaser: Mapped[str | None] = mapped_column(Text)
    teaser_truncated: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(Text)
    image_alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    photo_credit: Mapped[str | None] = mapped_column(Text)
    photographers: Mapped[list[str]] = mapped_column(JSONList, default=_no_names)
    """JSON array of names."""
    photo_agencies: Mapped[list[str]] = mapped_column(JSONList, default=_no_names)
    """JSON array of canonical agency names."""
    caption_place: Mapped[str | None] = mapped_column(Text)
    caption_date: Mapped[str | None] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSONList, default=_no_names, server_default="[]")
    """JSON array of the article's tags, as its profile reads them (migration 0005)."""
    attachments: Mapped[list[str]] = mapped_column(JSONList, default=_no_names, server_default="[]")
    """JSON array of absolute URLs of attached documents."""
    extractor: Mapped[str | None] = mapped_column(String(100))
    """Who read the page: ``profile:NAME/LAYOUT`` or ``generic``."""
    cause: Mapped[str] = mapped_column(String(20), default="crawl", server_default="crawl")
    """Why the version exists: ``crawl`` (the newsroom served it) or ``reparse`` (today's
    parser read a stored page differently; never an edit by the newsroom)."""
    parser_version: Mapped[str | None] = mapped_column(String(40))
    """The project version whose parser and normalisers read the page (migration 0006)."""
    warc_record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    """The WARC response record of the page this version was read from (``captures``)."""
    observed_at: Mapped[str] = mapped_column(String(32), index=True)
    """When the content was observed: the fetch of a live crawl, a web archive's capture
    (migration 0007). Versions are ordered by it; ``version`` counts in its order."""
    origin: Mapped[str] = mapped_column(String(20), default="live", server_default="live")
    """Where it was observed: ``live`` (the newsroom itself) or ``wayback``."""


class Change(Base):
    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    detected_at: Mapped[str] = mapped_column(String(32), index=True)
    change: Mapped[str] = mapped_column(String(20))
    """new, changed, removed, reappeared, unlisted, relisted."""
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    warc_record_id: Mapped[str | None] = mapped_column(String(64))
    """The WARC record of the response behind the change (a removal check's 404)."""


class Sighting(Base):
    __tablename__ = "sightings"
    __table_args__ = (Index("ix_sightings_article_run", "article_id", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    seen_at: Mapped[str] = mapped_column(String(32))
    listing_url: Mapped[str] = mapped_column(Text)
    page_number: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    tag_line: Mapped[str | None] = mapped_column(Text)
    date_text: Mapped[str | None] = mapped_column(Text)
    type_label: Mapped[str | None] = mapped_column(Text)
    teaser: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(Text)
    image_alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    photo_credit: Mapped[str | None] = mapped_column(Text)
    card_hash: Mapped[str] = mapped_column(String(64))
    """Hash of the card's fields as shown; a changed card means the listing changed."""
    warc_record_id: Mapped[str | None] = mapped_column(String(64))
    """The WARC record of the listing page the card was seen on (``captures``)."""
    observed_at: Mapped[str] = mapped_column(String(32), index=True)
    """When the listing showed the card (a live crawl's fetch, a capture's time)."""
    origin: Mapped[str] = mapped_column(String(20), default="live", server_default="live")
    """Where the listing was observed: ``live`` or ``wayback``."""


class Capture(Base):
    """One WARC record the crawl wrote: where it is on disk and what it holds.

    Versions, sightings and changes name their record by ``warc_record_id``; a revisit
    record names the response it repeats (``refers_to``)."""

    __tablename__ = "captures"
    __table_args__ = (Index("ix_captures_uri_digest", "uri", "payload_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    """``WARC-Record-ID`` (``<urn:uuid:…>``)."""
    warc_type: Mapped[str] = mapped_column(String(20))
    """``response`` or ``revisit``."""
    uri: Mapped[str] = mapped_column(Text)
    warc_date: Mapped[str] = mapped_column(String(32))
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    payload_digest: Mapped[str] = mapped_column(String(80))
    """``sha1:BASE32`` of the body as served (the WARC payload digest)."""
    refers_to: Mapped[str | None] = mapped_column(String(64))
    """A revisit's original response record."""
    filename: Mapped[str] = mapped_column(Text)
    """The WARC file, relative to the WARC folder."""
    offset: Mapped[int] = mapped_column(Integer)
    length: Mapped[int] = mapped_column(Integer)
    """Bytes of the gzip member holding the record."""


class CrawlLock(Base):
    """One running crawl per archive and spider; a row of a dead process is stale."""

    __tablename__ = "crawl_locks"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    pid: Mapped[int] = mapped_column(Integer)
    hostname: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[str] = mapped_column(String(32))


class Quarantine(Base):
    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    """The scraped values as JSON, so nothing is lost."""
    created_at: Mapped[str] = mapped_column(String(32))


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """For Alembic: the search indexes are made by migrations as SQL, not by these models."""
    if name is None:
        return True
    if kind == "table":
        return not name.startswith("articles_fts")
    return not (kind == "index" and name == "ix_versions_search")
