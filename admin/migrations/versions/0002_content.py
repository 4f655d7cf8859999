"""Content editing: story-file revisions, translation marks, the media library.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("before_hash", sa.String(64), nullable=False),
        sa.Column("after_hash", sa.String(64), nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
    )
    for col in ("at", "pack_id", "file", "before_hash", "after_hash"):
        op.create_index(f"ix_content_revisions_{col}", "content_revisions", [col])
    op.create_table(
        "translation_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("line_id", sa.String(300), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.UniqueConstraint("pack_id", "line_id", "language"),
    )
    op.create_index("ix_translation_marks_pack_id", "translation_marks", ["pack_id"])
    op.create_table(
        "media_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("alt", sa.Text, nullable=False),
        sa.Column("tags", sa.String(500), nullable=False),
        sa.Column("override_reason", sa.Text, nullable=False),
        sa.Column("override_by", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("pack_id", "path"),
    )
    op.create_index("ix_media_items_pack_id", "media_items", ["pack_id"])


def downgrade() -> None:
    op.drop_table("media_items")
    op.drop_table("translation_marks")
    op.drop_table("content_revisions")
