"""School sessions: when the pedagogue closed one (its results are published from then on).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school_sessions") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("school_sessions") as batch:
        batch.drop_column("closed_at")
