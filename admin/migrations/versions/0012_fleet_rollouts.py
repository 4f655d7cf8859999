"""Assignments to a venue, holds, and rollouts in steps.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_rollouts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bundle_id", sa.Integer, sa.ForeignKey("fleet_bundles.id"), nullable=False),
        sa.Column("first_kiosk_id", sa.Integer, sa.ForeignKey("kiosks.id"), nullable=False),
        sa.Column("venue_id", sa.Integer, sa.ForeignKey("venues.id"), nullable=True),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("auto", sa.Boolean, nullable=False),
        sa.Column("switch_mode", sa.String(10), nullable=False),
        sa.Column("switch_at", sa.String(5), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("step_started_at", sa.DateTime, nullable=False),
        sa.Column("stop_reason", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    with op.batch_alter_table("fleet_assignments") as batch:
        batch.add_column(sa.Column("venue_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("rollout_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("hold", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.create_foreign_key("fk_fleet_assignments_venue_id", "venues",
                                 ["venue_id"], ["id"])
        batch.create_foreign_key("fk_fleet_assignments_rollout_id", "fleet_rollouts",
                                 ["rollout_id"], ["id"])
        batch.create_index("ix_fleet_assignments_venue_id", ["venue_id"])


def downgrade() -> None:
    with op.batch_alter_table("fleet_assignments") as batch:
        batch.drop_index("ix_fleet_assignments_venue_id")
        batch.drop_constraint("fk_fleet_assignments_rollout_id", type_="foreignkey")
        batch.drop_constraint("fk_fleet_assignments_venue_id", type_="foreignkey")
        batch.drop_column("hold")
        batch.drop_column("rollout_id")
        batch.drop_column("venue_id")
    op.drop_table("fleet_rollouts")
