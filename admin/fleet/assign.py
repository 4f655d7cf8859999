"""Staff assign a published pack version to one kiosk or to every kiosk.

An assignment is a new row, never an edit (``admin.models_distribution``): its id becomes
the version of the manifest the kiosks it names receive, so a kiosk's manifest version only
grows. An assignment of a lower version of the same pack than the one the target had is a
**rollback**, signed as such, which is the only way a kiosk takes an older pack.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from admin import audit
from admin.models import User
from admin.models_distribution import SWITCH_MODES, Assignment, FleetBundle
from admin.models_feedback import Kiosk
from kiosk.content.versions import version_key

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class AssignError(ValueError):
    """An assignment that cannot be made; ``msgid`` and ``params`` say why, translatable."""

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


def current(db: Session, kiosk_id: int) -> Assignment | None:
    """The assignment a kiosk follows now: the newest naming it or every kiosk."""
    return db.scalar(select(Assignment)
                     .where(or_(Assignment.kiosk_id == kiosk_id, Assignment.kiosk_id.is_(None)))
                     .order_by(Assignment.id.desc()).limit(1))


def rolls_back(db: Session, row: Assignment, kiosk_id: int) -> bool:
    """True when, for this kiosk, the assignment goes to an older version of the same pack
    than the one it followed before (an "every kiosk" assignment after a kiosk's own, too)."""
    if row.rollback:
        return True
    before = db.scalar(select(Assignment)
                       .where(or_(Assignment.kiosk_id == kiosk_id, Assignment.kiosk_id.is_(None)),
                              Assignment.id < row.id)
                       .order_by(Assignment.id.desc()).limit(1))
    return (before is not None and before.bundle.pack_id == row.bundle.pack_id
            and version_key(row.bundle.version) < version_key(before.bundle.version))


def _previous(db: Session, kiosk_id: int | None) -> Assignment | None:
    if kiosk_id is not None:
        return current(db, kiosk_id)
    return db.scalar(select(Assignment).where(Assignment.kiosk_id.is_(None))
                     .order_by(Assignment.id.desc()).limit(1))


def check_switch(mode: str, at: str | None, timezone: str) -> None:
    """Refuse a switch mode, time or time zone that is not one (AssignError)."""
    if mode not in SWITCH_MODES:
        raise AssignError("choose when the kiosks switch: %(modes)s", modes=", ".join(SWITCH_MODES))
    if mode == "at" and not (at and _HHMM.match(at)):
        raise AssignError("give the local time to switch as HH:MM, for example 22:30")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AssignError('"%(zone)s" is not a time zone; use a name like Europe/Rome',
                          zone=timezone) from None


def assign(db: Session, bundle: FleetBundle, kiosk: Kiosk | None, mode: str, at: str | None,
           timezone: str, actor: User | None) -> Assignment:
    """Assign a bundle to a kiosk (None: every kiosk) and audit it (no commit)."""
    check_switch(mode, at, timezone)
    if kiosk is not None and kiosk.revoked:
        raise AssignError("kiosk %(name)s is revoked", name=kiosk.name)
    before = _previous(db, kiosk.id if kiosk else None)
    rollback = (before is not None and before.bundle.pack_id == bundle.pack_id
                and version_key(bundle.version) < version_key(before.bundle.version))
    row = Assignment(kiosk_id=kiosk.id if kiosk else None, bundle_id=bundle.id,
                     switch_mode=mode, switch_at=at if mode == "at" else None,
                     timezone=timezone, rollback=rollback,
                     created_by=actor.username if actor else "system")
    db.add(row)
    db.flush()
    target = f"kiosk:{kiosk.id}" if kiosk else "kiosk:all"
    audit.record(db, actor, "fleet.assign", target,
                 {"pack": f"{before.bundle.pack_id}:{before.bundle.version}"} if before else None,
                 {"pack": f"{bundle.pack_id}:{bundle.version}", "switch": mode, "at": at,
                  "timezone": timezone, "rollback": rollback})
    return row


def recent(db: Session, limit: int = 50) -> list[Assignment]:
    """The latest assignments, newest first."""
    return list(db.scalars(select(Assignment).order_by(Assignment.id.desc()).limit(limit)))
