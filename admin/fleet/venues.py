"""Venues: where kiosks stand, each with a name and an IANA time zone; kiosks moved between them.

Every change is audited (``venue.create``, ``venue.update``, ``kiosk.move``) and committed by
the caller. A time zone is checked against the tz database (``zoneinfo``): Stockholm and Rome
run on CET (``Europe/Stockholm``, ``Europe/Rome``), Riga and Athens on EET (``Europe/Riga``,
``Europe/Athens``). Errors are sentences in the staff member's language. A kiosk moved to
a venue follows that venue's assignment unless it has its own (``admin.fleet.assign``).
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin import audit
from admin.fleet import assign
from admin.models import User
from admin.models_feedback import Kiosk
from admin.models_fleet_health import Venue

NAME_MAX = 100


class VenueError(ValueError):
    """A venue change that cannot be made; the message says why."""


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_zone(name: str) -> str:
    """The IANA time zone name, stripped; VenueError when the tz database lacks it."""
    name = (name or "").strip()
    if name not in _zones():
        raise VenueError(_("%(zone)s is not a time zone of the tz database; write it like Europe/Stockholm or Europe/Riga.", zone=name or "''"))  # noqa: E501 - one msgid
    return name


def _check_name(db: Session, name: str, venue: Venue | None = None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise VenueError(_("A venue needs a name of 1 to %(max)d characters.", max=NAME_MAX))
    other = db.scalar(select(Venue).where(Venue.name == name))
    if other is not None and other is not venue:
        raise VenueError(_("There is already a venue named %(name)s.", name=name))
    return name


def all_venues(db: Session) -> list[Venue]:
    """Every venue, by name."""
    return list(db.scalars(select(Venue).order_by(Venue.name)))


def create(db: Session, name: str, time_zone: str, actor: User | None) -> Venue:
    """Add a venue and audit it (no commit)."""
    venue = Venue(name=_check_name(db, name), time_zone=check_zone(time_zone))
    db.add(venue)
    db.flush()
    audit.record(db, actor, "venue.create", f"venue:{venue.id}", None, venue.snapshot())
    return venue


def update(db: Session, venue: Venue, name: str, time_zone: str, actor: User | None) -> bool:
    """Rename a venue or change its time zone and audit it (no commit); False if unchanged."""
    name, time_zone = _check_name(db, name, venue), check_zone(time_zone)
    if (name, time_zone) == (venue.name, venue.time_zone):
        return False
    before = venue.snapshot()
    venue.name, venue.time_zone = name, time_zone
    audit.record(db, actor, "venue.update", f"venue:{venue.id}", before, venue.snapshot())
    return True


def move(db: Session, kiosk: Kiosk, venue: Venue | None, actor: User | None,
         actor_name: str = "") -> bool:
    """Put a kiosk in a venue (None: in none) and audit it (no commit); False if unchanged."""
    venue_id = venue.id if venue is not None else None
    if kiosk.venue_id == venue_id:
        return False
    before = kiosk.snapshot()
    following = assign.current(db, kiosk)
    kiosk.venue_id = venue_id
    db.flush()
    assign.hold_if_older(db, kiosk, following, actor.username if actor else actor_name or "system")
    audit.record(db, actor, "kiosk.move", f"kiosk:{kiosk.id}", before, kiosk.snapshot(),
                 actor_name=actor_name or None)
    return True
