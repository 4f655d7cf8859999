"""Media deletions: a deleted media file's record, kept with the file in the trash folder.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_deletions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("trash_name", sa.String(100), nullable=False),
        sa.Column("alt", sa.Text, nullable=False),
        sa.Column("tags", sa.String(500), nullable=False),
        sa.Column("override_reason", sa.Text, nullable=False),
        sa.Column("override_by", sa.String(64), nullable=False),
        sa.Column("deleted_by", sa.String(64), nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=False),
        sa.Column("restored_by", sa.String(64), nullable=False),
        sa.Column("restored_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_media_deletions_pack_id", "media_deletions", ["pack_id"])
    op.create_index("ix_media_deletions_deleted_at", "media_deletions", ["deleted_at"])


def downgrade() -> None:
    op.drop_table("media_deletions")
