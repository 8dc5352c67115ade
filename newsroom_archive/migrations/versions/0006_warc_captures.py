"""WARC captures: every response record the crawl wrote, and the record behind each
version, sighting and change; the cause and parser version of every version.

Existing versions were read by a crawl (cause ``crawl``) before capture existed: they
have no record and no parser version.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("warc_type", sa.String(length=20), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("warc_date", sa.String(length=32), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("payload_digest", sa.String(length=80), nullable=False),
        sa.Column("refers_to", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("offset", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_captures_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.UniqueConstraint("record_id", name=op.f("uq_captures_record_id")),
    )
    op.create_index(op.f("ix_captures_run_id"), "captures", ["run_id"], unique=False)
    op.create_index("ix_captures_uri_digest", "captures", ["uri", "payload_digest"], unique=False)
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cause", sa.String(length=20), nullable=False, server_default="crawl")
        )
        batch_op.add_column(sa.Column("parser_version", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("warc_record_id", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_versions_warc_record_id"), ["warc_record_id"], unique=False
        )
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warc_record_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warc_record_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_column("warc_record_id")
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_column("warc_record_id")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_versions_warc_record_id"))
        batch_op.drop_column("warc_record_id")
        batch_op.drop_column("parser_version")
        batch_op.drop_column("cause")
    op.drop_index("ix_captures_uri_digest", table_name="captures")
    op.drop_index(op.f("ix_captures_run_id"), table_name="captures")
    op.drop_table("captures")
