"""Login limits as throttle keys taken atomically before hashing (replaces login_attempts).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The old rows were failures within 15 minutes: dropping them forgets at most that.
    op.drop_table("login_attempts")
    op.create_table(
        "login_throttles",
        sa.Column("account", sa.String(64), primary_key=True),
        sa.Column("address", sa.String(64), primary_key=True),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("delay", sa.Float, nullable=False),
        sa.Column("free_at", sa.Float, nullable=False),
        sa.Column("seen_at", sa.Float, nullable=False),
    )
    op.create_index("ix_login_throttles_seen_at", "login_throttles", ["seen_at"])


def downgrade() -> None:
    op.drop_table("login_throttles")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    for col in ("at", "account", "address"):
        op.create_index(f"ix_login_attempts_{col}", "login_attempts", [col])
