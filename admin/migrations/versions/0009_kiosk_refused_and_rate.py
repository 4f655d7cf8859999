"""Kiosks: how many uploaded events the API refused, and each token's request count per minute.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("refused", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("rate_minute", sa.Integer, nullable=True))
        batch.add_column(sa.Column("rate_count", sa.Integer, nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        batch.drop_column("rate_count")
        batch.drop_column("rate_minute")
        batch.drop_column("refused")
