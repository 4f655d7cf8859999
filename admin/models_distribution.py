"""The fleet's distribution tables: bundles published for kiosks, and assignments.

``fleet_bundles`` holds one row per pack version published for the kiosks: its file in the
instance folder, its SHA-256 and size (what the signed manifest carries). A published
version never changes: publishing the same pack version with other bytes is refused.

``fleet_assignments`` is append-only: each row says "from now on, this kiosk, the kiosks of
this venue, or every kiosk (``kiosk_id`` and ``venue_id`` both NULL) play this bundle,
switching so". The most specific target wins: a kiosk's own newest row, else its venue's,
else the newest for every kiosk; a *hold* row (``hold``, written when a kiosk moves or a
rollout stops) keeps a kiosk on its pack until any newer row reaches it
(``admin.fleet.assign.current``). The winning row's id is the version of the manifest it is
signed into; holds are what keep it growing, which lets a kiosk refuse an older manifest
(docs/fleet.md). An empty ``timezone`` means the kiosk's venue's.

``fleet_rollouts``: a version rolled out in steps (one kiosk, its venue, every kiosk);
each step is an assignment row carrying the rollout's id (``admin.fleet.rollout``).
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
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), nullable=True,
                                                 index=True)
    rollout_id: Mapped[int | None] = mapped_column(ForeignKey("fleet_rollouts.id"),
                                                   nullable=True)
    hold: Mapped[bool] = mapped_column(Boolean, default=False)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("fleet_bundles.id"))
    switch_mode: Mapped[str] = mapped_column(String(10))  # one of SWITCH_MODES
    switch_at: Mapped[str | None] = mapped_column(String(5), nullable=True)  # HH:MM, mode "at"
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, "" for the venue's
    rollback: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    bundle: Mapped[FleetBundle] = relationship(lazy="joined")


ROLLOUT_STEPS = ("kiosk", "venue", "all")  # step 1, 2, 3
RUNNING, STOPPED, DONE = "running", "stopped", "done"


class Rollout(Base):
    """A version rolled out in steps: one kiosk, then its venue, then every kiosk."""

    __tablename__ = "fleet_rollouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("fleet_bundles.id"))
    first_kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), nullable=True)
    step: Mapped[int] = mapped_column(Integer, default=1)  # 1-based index in ROLLOUT_STEPS
    state: Mapped[str] = mapped_column(String(10), default=RUNNING)
    auto: Mapped[bool] = mapped_column(Boolean, default=True)  # next step when all play it
    switch_mode: Mapped[str] = mapped_column(String(10))
    switch_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    step_started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    stop_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    bundle: Mapped[FleetBundle] = relationship(lazy="joined")
