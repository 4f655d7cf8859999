"""Fleet health: venues, kiosks' venue, one-time enrolment codes, heartbeats.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "venues",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("venue_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_kiosks_venue_id_venues", "venues", ["venue_id"], ["id"])
        batch.create_index("ix_kiosks_venue_id", ["venue_id"])
    op.create_table(
        "enrolment_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("venue_id", sa.Integer, sa.ForeignKey("venues.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.Column("kiosk_id", sa.Integer, sa.ForeignKey("kiosks.id"), nullable=True),
    )
    op.create_index("ix_enrolment_codes_code_hash", "enrolment_codes", ["code_hash"],
                    unique=True)
    op.create_table(
        "kiosk_health",
        sa.Column("kiosk_id", sa.Integer, sa.ForeignKey("kiosks.id"), primary_key=True),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("skew_seconds", sa.Float, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kiosk_id", sa.Integer, sa.ForeignKey("kiosks.id"), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("skew_seconds", sa.Float, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_index("ix_kiosk_heartbeats_kiosk_id_id", "kiosk_heartbeats", ["kiosk_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_kiosk_heartbeats_kiosk_id_id", "kiosk_heartbeats")
    op.drop_table("kiosk_heartbeats")
    op.drop_table("kiosk_health")
    op.drop_index("ix_enrolment_codes_code_hash", "enrolment_codes")
    op.drop_table("enrolment_codes")
    with op.batch_alter_table("kiosks") as batch:
        batch.drop_index("ix_kiosks_venue_id")
        batch.drop_constraint("fk_kiosks_venue_id_venues", type_="foreignkey")
        batch.drop_column("venue_id")
    op.drop_table("venues")
