"""What the crawl needs to know of the archive before it reads a listing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from newsroom_archive.archive.database import Database
from newsroom_archive.archive.models import Article, Sighting, Version
from newsroom_archive.items import CARD_FIELDS, KnownArticle, ListingCard

CARD_PREFIX = "card_"


def latest_sighting() -> Any:
    """The id of an article's last sighting, correlated to ``Article`` of the query."""
    return (
        select(func.max(Sighting.id))
        .where(Sighting.article_id == Article.id)
        .correlate(Article)
        .scalar_subquery()
    )


def card_columns() -> list[Any]:
    """The last card's columns, labelled ``card_…`` beside the versions' own."""
    return [
        *(getattr(Sighting, f).label(CARD_PREFIX + f) for f in CARD_FIELDS),
        Sighting.position.label(CARD_PREFIX + "position"),
    ]


def card_of(row: Any, url: str) -> ListingCard | None:
    """The card of a row selected with ``card_columns`` (None: never seen on a listing)."""
    if getattr(row, CARD_PREFIX + "position") is None:
        return None
    return ListingCard(
        url=url,
        position=getattr(row, CARD_PREFIX + "position"),
        **{f: getattr(row, CARD_PREFIX + f) for f in CARD_FIELDS},
    )


def known_articles(db: Database, source_id: int) -> dict[str, KnownArticle]:
    """Every active article of a source with its last card and HTTP validators."""
    query = (
        select(
            Article.url,
            Article.card_hash,
            Article.etag,
            Article.last_modified,
            Version.published_date,
            *card_columns(),
        )
        .join(Version, Version.id == Article.current_version_id)
        .outerjoin(Sighting, Sighting.id == latest_sighting())
        .where(Article.source_id == source_id, Article.status == "active")
    )
    known: dict[str, KnownArticle] = {}
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            card = card_of(row, row.url)
            known[row.url] = KnownArticle(
                url=row.url,
                card_hash=row.card_hash,
                etag=row.etag,
                last_modified=row.last_modified,
                published_date=row.published_date,
                card=card,
            )
    return known
