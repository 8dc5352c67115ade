"""Typed records that flow from page parsing to the archive.

They carry data only. Parsing (``newsroom_archive.sites``) fills the raw records,
normalisation (``newsroom_archive.normalise``) turns them into an ``ArticleRecord``,
and the archive stores that.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class ListingPage:
    url: str
    cards: list[ListingCard] = field(default_factory=list)
    next_url: str | None = None
    page_number: int | None = None


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


@dataclass
class Sighting:
    """Where and how a card was seen on a listing page."""

    listing_url: str
    page_number: int | None
    position: int
    card: ListingCard


@dataclass
class Fetch:
    """HTTP facts about the article page request (never part of the content hash)."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None


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


@dataclass
class ArticleRecord:
    """Research-grade fields of one article; the names are the CSV columns."""

    source: str
    url: str
    title: str | None = None
    kind: str | None = None
    type_label: str | None = None
    published_date: str | None = None
    published_at: str | None = None
    date_source: str | None = None
    updated_at: str | None = None
    teaser: str | None = None
    teaser_truncated: bool = False
    body: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    caption: str | None = None
    photo_credit: str | None = None
    photographers: list[str] = field(default_factory=list)
    photo_agencies: list[str] = field(default_factory=list)
    caption_place: str | None = None
    caption_date: str | None = None


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
