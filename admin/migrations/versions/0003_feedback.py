"""Visitor feedback: registered kiosks, their events, visitor sessions, story visits and
scene views (kept current on ingest, for the reports), USB imports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=False),
        sa.Column("last_contact", sa.DateTime, nullable=True),
        sa.Column("pack_id", sa.String(64), nullable=True),
        sa.Column("pack_version", sa.String(40), nullable=True),
        sa.Column("waiting", sa.Integer, nullable=True),
        sa.Column("received", sa.Integer, nullable=False),
    )
    op.create_index("ix_kiosks_name", "kiosks", ["name"], unique=True)
    op.create_index("ix_kiosks_token_hash", "kiosks", ["token_hash"], unique=True)
    op.create_index("ix_kiosks_record_id", "kiosks", ["record_id"], unique=True)
    op.create_table(
        "feedback_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("at_minute", sa.String(17), nullable=False),
        sa.Column("offset_ms", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("story", sa.String(64), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    for col in ("kiosk_id", "session_id", "at_minute"):
        op.create_index(f"ix_feedback_events_{col}", "feedback_events", [col])
    op.create_index("ix_feedback_events_kind_story", "feedback_events", ["kind", "story"])
    op.create_table(
        "feedback_sessions",
        sa.Column("session_id", sa.String(32), primary_key=True),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("pack", sa.String(64), nullable=False),
        sa.Column("pack_version", sa.String(40), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("school", sa.Boolean, nullable=False),
        sa.Column("started_minute", sa.String(17), nullable=False),
    )
    for col in ("kiosk_id", "pack", "language", "started_minute"):
        op.create_index(f"ix_feedback_sessions_{col}", "feedback_sessions", [col])
    op.create_table(
        "feedback_story_visits",
        sa.Column("session_id", sa.String(32), primary_key=True),
        sa.Column("story", sa.String(64), primary_key=True),
        sa.Column("started", sa.Boolean, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("ms", sa.Integer, nullable=False),
        sa.Column("last_scene", sa.String(64), nullable=True),
        sa.Column("last_offset", sa.Integer, nullable=False),
    )
    op.create_index("ix_feedback_story_visits_story", "feedback_story_visits", ["story"])
    op.create_table(
        "feedback_scene_views",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("story", sa.String(64), nullable=False),
        sa.Column("scene", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "story", "scene"),
    )
    op.create_table(
        "feedback_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("duplicates", sa.Integer, nullable=False),
    )
    for col in ("at", "kiosk_id", "sha256"):
        op.create_index(f"ix_feedback_imports_{col}", "feedback_imports", [col])


def downgrade() -> None:
    op.drop_table("feedback_imports")
    op.drop_table("feedback_scene_views")
    op.drop_table("feedback_story_visits")
    op.drop_table("feedback_sessions")
    op.drop_table("feedback_events")
    op.drop_table("kiosks")
