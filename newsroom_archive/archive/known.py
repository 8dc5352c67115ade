"""What the crawl needs to know of the archive before it reads a listing."""

from __future__ import annotations

from sqlalchemy import func, select

from newsroom_archive.archive.database import Database
from newsroom_archive.archive.models import Article, Sighting, Version
from newsroom_archive.items import CARD_FIELDS, KnownArticle, ListingCard


def known_articles(db: Database, source_id: int) -> dict[str, KnownArticle]:
    """Every active article of a source with its last card and HTTP validators."""
    latest = (
        select(func.max(Sighting.id))
        .where(Sighting.article_id == Article.id)
        .correlate(Article)
        .scalar_subquery()
    )
    query = (
        select(
            Article.url,
            Article.card_hash,
            Article.etag,
            Article.last_modified,
            Version.published_date,
            *(getattr(Sighting, f) for f in CARD_FIELDS),
            Sighting.position,
        )
        .join(Version, Version.id == Article.current_version_id)
        .outerjoin(Sighting, Sighting.id == latest)
        .where(Article.source_id == source_id, Article.status == "active")
    )
    known: dict[str, KnownArticle] = {}
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            card = None
            if row.position is not None:
                card = ListingCard(
                    url=row.url,
                    position=row.position,
                    **{f: getattr(row, f) for f in CARD_FIELDS},
                )
            known[row.url] = KnownArticle(
                url=row.url,
                card_hash=row.card_hash,
                etag=row.etag,
                last_modified=row.last_modified,
                published_date=row.published_date,
                card=card,
            )
    return known
