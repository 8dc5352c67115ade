"""Newsroom profiles: tags, attachments and the extractor of every version.

Existing versions get empty tags and attachments and no extractor (they were read by the
newsroom's own parser before profiles existed); the hashes stay valid because empty tags
and attachments are left out of the content hash.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SELECT = """
SELECT a.id AS id, s.name AS source, a.url AS url, v.title AS title, v.kind AS kind,
       v.type_label AS type_label, v.published_date AS published_date,
       v.published_at AS published_at, v.date_source AS date_source,
       substr(v.published_date, 1, 4) AS year, v.updated_at AS updated_at,
       v.teaser AS teaser, v.teaser_truncated AS teaser_truncated, v.body AS body,
       v.image_url AS image_url, v.image_alt AS image_alt, v.caption AS caption,
       v.photo_credit AS photo_credit, v.photographers AS photographers,
       v.photo_agencies AS photo_agencies, v.caption_place AS caption_place,
       v.caption_date AS caption_date,{added} a.status AS status, a.listed AS listed,
       a.first_seen_at AS first_seen_at, a.last_seen_at AS last_seen_at,
       a.removed_at AS removed_at, a.version_count AS version_count,
       a.content_hash AS content_hash
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN versions v ON v.id = a.current_version_id
"""
_ADDED = " v.tags AS tags, v.attachments AS attachments, v.extractor AS extractor,"


def _view(added: str) -> str:
    return "CREATE VIEW current_articles AS" + _SELECT.format(added=added)


def upgrade() -> None:
    op.execute("DROP VIEW current_articles")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tags", sa.Text(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("attachments", sa.Text(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("extractor", sa.String(length=100), nullable=True))
    op.execute(_view(_ADDED))


def downgrade() -> None:
    op.execute("DROP VIEW current_articles")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_column("extractor")
        batch_op.drop_column("attachments")
        batch_op.drop_column("tags")
    op.execute(_view(""))
