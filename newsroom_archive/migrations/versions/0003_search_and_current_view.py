"""Full-text search over each article's current version, and the current_articles view.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# One row per article with its current content: what `export articles` writes, for SQL,
# Datasette and pandas users. `year` helps faceting.
CURRENT_ARTICLES = """
CREATE VIEW current_articles AS
SELECT a.id AS id, s.name AS source, a.url AS url, v.title AS title, v.kind AS kind,
       v.type_label AS type_label, v.published_date AS published_date,
       v.published_at AS published_at, v.date_source AS date_source,
       substr(v.published_date, 1, 4) AS year, v.updated_at AS updated_at,
       v.teaser AS teaser, v.teaser_truncated AS teaser_truncated, v.body AS body,
       v.image_url AS image_url, v.image_alt AS image_alt, v.caption AS caption,
       v.photo_credit AS photo_credit, v.photographers AS photographers,
       v.photo_agencies AS photo_agencies, v.caption_place AS caption_place,
       v.caption_date AS caption_date, a.status AS status, a.listed AS listed,
       a.first_seen_at AS first_seen_at, a.last_seen_at AS last_seen_at,
       a.removed_at AS removed_at, a.version_count AS version_count,
       a.content_hash AS content_hash
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN versions v ON v.id = a.current_version_id
"""

PG_SEARCH_INDEX = """
CREATE INDEX ix_versions_search ON versions USING gin (to_tsvector('english',
    coalesce(title, '') || ' ' || coalesce(teaser, '') || ' ' || coalesce(body, '') || ' '
    || coalesce(caption, '')))
"""


def upgrade() -> None:
    op.execute(CURRENT_ARTICLES)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_SEARCH_INDEX)
        return
    # rowid is the article id; the archive rewrites an article's row when its content changes.
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, teaser, body, caption, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO articles_fts (rowid, title, teaser, body, caption) "
        "SELECT a.id, v.title, v.teaser, v.body, v.caption FROM articles a "
        "JOIN versions v ON v.id = a.current_version_id"
    )


def downgrade() -> None:
    op.execute("DROP VIEW current_articles")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_versions_search")
    else:
        op.execute("DROP TABLE articles_fts")
