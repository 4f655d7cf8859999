"""The fleet's distribution tables: bundles published for kiosks, and assignments.

``fleet_bundles`` holds one row per pack version published for the kiosks: its file in the
instance folder, its SHA-256 and size (what the signed manifest carries). A published
version never changes: publishing the same pack version with other bytes is refused.

``fleet_assignments`` is append-only: each row says "from now on, this kiosk (or every
kiosk, ``kiosk_id`` NULL) plays this bundle, switching so". A kiosk's assignment is the
newest row that names it or every kiosk, and that row's id is the version of the manifest
it is signed into: it only grows, which is what lets a kiosk refuse an older manifest
(docs/fleet.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from admin.models import Base, utcnow

SWITCH_MODES = ("attract", "at", "confirm")


class FleetBundle(Base):
    """A pack version published for the kiosks: a bundle file of the instance folder."""

    __tablename__ = "fleet_bundles"
    __table_args__ = (UniqueConstraint("pack_id", "version", name="uq_fleet_bundle_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    file: Mapped[str] = mapped_column(String(200))  # the name in the bundles folder
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class Assignment(Base):
    """From now on, a kiosk (or every kiosk) plays this bundle; the id is the manifest's
    version."""

    __tablename__ = "fleet_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"), nullable=True,
                                                 index=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("fleet_bundles.id"))
    switch_mode: Mapped[str] = mapped_column(String(10))  # one of SWITCH_MODES
    switch_at: Mapped[str | None] = mapped_column(String(5), nullable=True)  # HH:MM, mode "at"
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, for mode "at"
    rollback: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    bundle: Mapped[FleetBundle] = relationship(lazy="joined")
