"""Initial schema: sources, crawl runs, articles, versions, changes, sightings, quarantine.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 08:01:54.794178
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("first_seen_at", sa.String(length=32), nullable=False),
        sa.Column("last_seen_at", sa.String(length=32), nullable=False),
        sa.Column("removed_at", sa.String(length=32), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_articles_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("url", name=op.f("uq_articles_url")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_last_run_id"), ["last_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_source_id"), ["source_id"], unique=False)

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("spider", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("finish_reason", sa.String(length=100), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("hostname", sa.String(length=255), nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("items_seen", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("stats", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_crawl_runs_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_source_id"), ["source_id"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_quarantine_run_id_crawl_runs")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_quarantine_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantine_run_id"), ["run_id"], unique=False)

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.String(length=32), nullable=False),
        sa.Column("listing_url", sa.Text(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("tag_line", sa.Text(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("type_label", sa.Text(), nullable=True),
        sa.Column("teaser", sa.Text(), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("image_alt", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("photo_credit", sa.Text(), nullable=True),
        sa.Column("card_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_sightings_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_sightings_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sightings")),
    )
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.create_index("ix_sightings_article_run", ["article_id", "run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sightings_run_id"), ["run_id"], unique=False)

    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("type_label", sa.Text(), nullable=True),
        sa.Column("published_date", sa.String(length=10), nullable=True),
        sa.Column("published_at", sa.String(length=32), nullable=True),
        sa.Column("date_source", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.String(length=32), nullable=True),
        sa.Column("teaser", sa.Text(), nullable=True),
        sa.Column("teaser_truncated", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("image_alt", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("photo_credit", sa.Text(), nullable=True),
        sa.Column("photographers", sa.Text(), nullable=False),
        sa.Column("photo_agencies", sa.Text(), nullable=False),
        sa.Column("caption_place", sa.Text(), nullable=True),
        sa.Column("caption_date", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_versions_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_versions_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("article_id", "version", name="uq_versions_article"),
    )
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_versions_article_id"), ["article_id"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("detected_at", sa.String(length=32), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_changes_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_changes_run_id_crawl_runs")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_changes_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_detected_at"), ["detected_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_run_id"))
        batch_op.drop_index(batch_op.f("ix_changes_detected_at"))
        batch_op.drop_index(batch_op.f("ix_changes_article_id"))

    op.drop_table("changes")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_versions_article_id"))

    op.drop_table("versions")
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sightings_run_id"))
        batch_op.drop_index("ix_sightings_article_run")

    op.drop_table("sightings")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantine_run_id"))

    op.drop_table("quarantine")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_source_id"))

    op.drop_table("crawl_runs")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_source_id"))
        batch_op.drop_index(batch_op.f("ix_articles_last_run_id"))

    op.drop_table("articles")
    op.drop_table("sources")
