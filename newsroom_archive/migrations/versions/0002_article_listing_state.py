"""Article listing state: whether a full crawl still finds it on the listing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:06:31.907489
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("listed", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("unlisted_at", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("unlisted_at")
        batch_op.drop_column("listed")
