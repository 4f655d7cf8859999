"""The fleet's distribution: bundles published for kiosks, and assignments.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_bundles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("pack_id", "version", name="uq_fleet_bundle_version"),
    )
    op.create_table(
        "fleet_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kiosk_id", sa.Integer, sa.ForeignKey("kiosks.id"), nullable=True),
        sa.Column("bundle_id", sa.Integer, sa.ForeignKey("fleet_bundles.id"), nullable=False),
        sa.Column("switch_mode", sa.String(10), nullable=False),
        sa.Column("switch_at", sa.String(5), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("rollback", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_fleet_assignments_kiosk_id", "fleet_assignments", ["kiosk_id"])


def downgrade() -> None:
    op.drop_index("ix_fleet_assignments_kiosk_id", "fleet_assignments")
    op.drop_table("fleet_assignments")
    op.drop_table("fleet_bundles")
