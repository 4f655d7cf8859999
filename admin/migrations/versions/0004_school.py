"""School sessions: one row per class visit (no student data).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("age_group", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("pack", sa.String(64), nullable=False),
        sa.Column("stories", sa.String(1000), nullable=False),
        sa.Column("discussion", sa.Boolean, nullable=False),
        sa.Column("kiosks", sa.Integer, nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_school_sessions_code", "school_sessions", ["code"], unique=True)
    op.create_index("ix_school_sessions_day", "school_sessions", ["day"])


def downgrade() -> None:
    op.drop_index("ix_school_sessions_day", "school_sessions")
    op.drop_index("ix_school_sessions_code", "school_sessions")
    op.drop_table("school_sessions")
