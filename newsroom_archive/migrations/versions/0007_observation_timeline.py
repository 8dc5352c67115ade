"""One timeline: when and where from each version and sighting was observed.

``observed_at`` is when the content was observed (a live crawl's fetch, a web archive's
capture); ``origin`` where from (``live``, ``wayback``). Every row archived so far came
from a live crawl and was observed when it was written, so it gets ``seen_at`` and
``live``. Versions and sightings are then ordered by ``observed_at``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLES = ("versions", "sightings")


def _current_view() -> str | None:
    """The view's SQL on SQLite, where batch mode rebuilds ``versions`` and a view naming
    it would stop the rebuild; None elsewhere (PostgreSQL alters in place)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    found = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'current_articles'")
    ).scalar()
    if found is not None:
        op.execute("DROP VIEW current_articles")
    return str(found) if found is not None else None


def upgrade() -> None:
    view = _current_view()
    for table in _TABLES:
        # Added nullable, filled from seen_at, then made NOT NULL: no row is lost or
        # left without a time (batch mode rebuilds the table on SQLite).
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("observed_at", sa.String(length=32), nullable=True))
            batch_op.add_column(
                sa.Column("origin", sa.String(length=20), nullable=False, server_default="live")
            )
        op.execute(f"UPDATE {table} SET observed_at = seen_at")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("observed_at", existing_type=sa.String(length=32), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_observed_at"), ["observed_at"])
    if view is not None:
        op.execute(view)


def downgrade() -> None:
    view = _current_view()
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_observed_at"))
            batch_op.drop_column("origin")
            batch_op.drop_column("observed_at")
    if view is not None:
        op.execute(view)
