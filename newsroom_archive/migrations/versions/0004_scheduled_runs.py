"""Scheduled runs: HTTP validators and last card per article, run health and resumption,
and the crawl lock.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("etag", sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column("last_modified", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("card_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stop_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("resumed_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("health_ok", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("health", sa.Text(), nullable=True))
    op.create_table(
        "crawl_locks",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_crawl_locks")),
    )


def downgrade() -> None:
    op.drop_table("crawl_locks")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("health")
        batch_op.drop_column("health_ok")
        batch_op.drop_column("resumed_from")
        batch_op.drop_column("stop_reason")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("card_hash")
        batch_op.drop_column("last_modified")
        batch_op.drop_column("etag")
