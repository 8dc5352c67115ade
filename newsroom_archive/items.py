"""Typed records that flow from page parsing to the archive.

They carry data only. Parsing (``newsroom_archive.sites``) fills the raw records,
normalisation (``newsroom_archive.normalise``) turns them into an ``ArticleRecord``,
and the archive stores that.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import get_type_hints


@dataclass
class ListingCard:
    """One card on a listing page, as shown (text cleaned of markup, not normalised)."""

    url: str
    """Absolute URL of the article the card links to, as linked."""
    position: int
    """1-based position of the card on its listing page."""
    title: str | None = None
    tag_line: str | None = None
    """The whole tag line as shown, e.g. ``December 3, 2021 • Press Release``."""
    date_text: str | None = None
    type_label: str | None = None
    teaser: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    caption: str | None = None
    """Caption text as shown, possibly ending with the credit."""
    photo_credit: str | None = None
    """Credit found in its own element or attribute, if any."""


CARD_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ListingCard) if f.name not in ("url", "position")
)
"""What a listing card shows (its link and position are where, not what): the card hash,
the ``sightings`` columns and ``export sightings`` follow from it."""


@dataclass
class ListingPage:
    url: str
    cards: list[ListingCard] = field(default_factory=list)
    next_url: str | None = None
    page_number: int | None = None
    extractor: str | None = None
    """Who read the page: ``profile:NAME/LAYOUT`` or ``generic``."""


@dataclass
class ArticlePage:
    """What an article page shows, raw."""

    url: str
    canonical_url: str | None = None
    title: str | None = None
    """``og:title``, else the page heading."""
    html_title: str | None = None
    """``<title>``, which carries the site suffix."""
    description: str | None = None
    type_label: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    date_source: str | None = None
    """Where ``date_published`` was found: jsonld, meta, time-element, listing, url."""
    body: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    caption: str | None = None
    photo_credit: str | None = None
    og_image: str | None = None
    emails: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    """Absolute URLs of documents the article links as its attachments (PDFs …)."""
    extractor: str | None = None
    """Who read the page: ``profile:NAME/LAYOUT`` or ``generic``."""


@dataclass
class Sighting:
    """Where and how a card was seen on a listing page."""

    listing_url: str
    page_number: int | None
    position: int
    card: ListingCard
    warc_record_id: str | None = None
    """The WARC record of the listing page the card was seen on."""
    observed_at: str | None = None
    """When the listing showed the card (a web archive's capture time); None: now."""
    origin: str = "live"
    """``live`` (the newsroom itself) or ``wayback``."""


@dataclass
class Fetch:
    """HTTP facts about the article page request (never part of the content hash)."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    warc_record_id: str | None = None
    """The WARC record of the response (``captures``), when the crawl captured it."""
    observed_at: str | None = None
    """When the content was observed, if not now: a web archive capture's timestamp.
    None: a live fetch, observed at ``fetched_at`` (else when it is written)."""
    origin: str = "live"
    """Where it was observed: ``live`` (the newsroom itself) or ``wayback``."""


@dataclass
class ScrapedArticle:
    """The Scrapy item: everything the spider found about one article, unnormalised."""

    source: str
    url: str
    """Canonical URL: the article's identity."""
    card: ListingCard | None = None
    page: ArticlePage | None = None
    sighting: Sighting | None = None
    fetch: Fetch | None = None
    parse_errors: list[str] = field(default_factory=list)
    extractor: str | None = None
    """Who read the listing card, when no article page says otherwise."""


# Metadata of the record's content fields. ``hashed``: a change of the field is an edit
# (a new version); provenance such as where a date was found is kept with the version but
# never makes one. ``exported``: a column of ``export articles`` (every content field is a
# column of ``versions`` and ``export versions``).
_CONTENT = {"hashed": True, "exported": True}
_PROVENANCE = {"hashed": False, "exported": True}
_VERSION_ONLY = {"hashed": True, "exported": False}
# Content fields added after archives existed: hashed only when they hold a value, so an
# article without one keeps the hash its versions were stored with (no false edit after
# an upgrade), and one that gains a value gains a version.
_ADDED = {"hashed": True, "exported": True, "hashed_when_set": True}


@dataclass
class ArticleRecord:
    """Research-grade fields of one article; the names are the CSV columns.

    This is the one definition of the record: the content hash, the ``versions``
    columns, the export columns and the ``current_articles`` view follow from the field
    metadata here (``RECORD_FIELDS``, ``VERSION_FIELDS``, ``CONTENT_FIELDS`` below).
    """

    source: str
    url: str
    title: str | None = field(default=None, metadata=_CONTENT)
    kind: str | None = field(default=None, metadata=_CONTENT)
    type_label: str | None = field(default=None, metadata=_CONTENT)
    published_date: str | None = field(default=None, metadata=_CONTENT)
    published_at: str | None = field(default=None, metadata=_CONTENT)
    date_source: str | None = field(default=None, metadata=_PROVENANCE)
    updated_at: str | None = field(default=None, metadata=_VERSION_ONLY)
    teaser: str | None = field(default=None, metadata=_CONTENT)
    teaser_truncated: bool = field(default=False, metadata=_CONTENT)
    body: str | None = field(default=None, metadata=_CONTENT)
    image_url: str | None = field(default=None, metadata=_CONTENT)
    image_alt: str | None = field(default=None, metadata=_CONTENT)
    caption: str | None = field(default=None, metadata=_CONTENT)
    photo_credit: str | None = field(default=None, metadata=_CONTENT)
    photographers: list[str] = field(default_factory=list, metadata=_CONTENT)
    photo_agencies: list[str] = field(default_factory=list, metadata=_CONTENT)
    caption_place: str | None = field(default=None, metadata=_CONTENT)
    caption_date: str | None = field(default=None, metadata=_CONTENT)
    tags: list[str] = field(default_factory=list, metadata=_ADDED)
    attachments: list[str] = field(default_factory=list, metadata=_ADDED)
    extractor: str | None = field(default=None, metadata=_PROVENANCE)
    """Who read the page: ``profile:NAME/LAYOUT`` or ``generic``."""


_FIELDS = {f.name: f for f in dataclasses.fields(ArticleRecord) if "hashed" in f.metadata}
_TYPES = get_type_hints(ArticleRecord)

RECORD_FIELDS: tuple[str, ...] = tuple(n for n, f in _FIELDS.items() if f.metadata["exported"])
"""The content columns of ``export articles``, in their CSV order."""

VERSION_FIELDS: tuple[str, ...] = (
    *RECORD_FIELDS,
    *(n for n, f in _FIELDS.items() if not f.metadata["exported"]),
)
"""The content columns of a ``versions`` row (and of ``export versions``), in order."""

CONTENT_FIELDS: tuple[str, ...] = tuple(n for n in VERSION_FIELDS if _FIELDS[n].metadata["hashed"])
"""Fields whose change is an edit: hashed into ``content_hash``, one ``changed`` row each."""

HASHED_WHEN_SET: frozenset[str] = frozenset(
    n for n, f in _FIELDS.items() if f.metadata.get("hashed_when_set")
)
"""Content fields left out of the hash while empty (added to archives that existed)."""

LIST_FIELDS: frozenset[str] = frozenset(n for n in _FIELDS if _TYPES[n] == list[str])
"""Fields holding several names: JSON arrays in the archive, joined by ``; `` in CSV."""

FLAG_FIELDS: frozenset[str] = frozenset(n for n in _FIELDS if _TYPES[n] is bool)
"""True/false fields: booleans in the archive, ``true``/``false`` in CSV."""


@dataclass
class NormalisedArticle:
    """The pipeline's output: the record plus what the archive needs besides content."""

    record: ArticleRecord
    sighting: Sighting | None = None
    fetch: Fetch | None = None
    complete: bool = True
    """False when the article page was not fetched or parsed: only the card is known,
    which records a sighting but never a new version."""
    problems: list[str] = field(default_factory=list)
    """Validation failures; on a complete item they send it to quarantine."""
    raw: dict[str, object] = field(default_factory=dict)
    """The scraped values, kept for quarantine."""


@dataclass
class RemovalCheck:
    """Result of re-requesting an archived article that a full crawl did not see."""

    source: str
    url: str
    status: int
    warc_record_id: str | None = None


@dataclass
class KnownArticle:
    """What the archive already knows of an article, for deciding what to fetch."""

    url: str
    card_hash: str | None
    etag: str | None = None
    last_modified: str | None = None
    published_date: str | None = None
    card: ListingCard | None = None
    """The card as last seen on a listing."""
