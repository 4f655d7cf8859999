"""Staff assign a published pack version to one kiosk, to a venue's kiosks or to every kiosk.

An assignment is a new row, never an edit (``admin.models_distribution``). The most
specific target wins: a kiosk's own assignment, else its venue's (kiosks added to the venue
later included), else the one for every kiosk; a hold row (a kiosk moved, a rollout
stopped) stands until a newer row reaches the kiosk. Of a rollout's rows only the newest
reaching a kiosk counts (its latest step), so a finished rollout leaves no venue pinned. The winning row's id becomes the
version of the manifest the kiosk receives; ``hold`` is written wherever a kiosk's winning
row would otherwise become an older one, so a kiosk's manifest version only grows. An
assignment of a lower version of the same pack than the one the target had is a
**rollback**, signed as such, which is the only way a kiosk takes an older pack.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from admin import audit
from admin.models import User
from admin.models_distribution import SWITCH_MODES, Assignment, FleetBundle
from admin.models_feedback import Kiosk
from admin.models_fleet_health import Venue
from kiosk.content.versions import version_key

DEFAULT_TIMEZONE = "Europe/Stockholm"  # for kiosks in no venue
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class AssignError(ValueError):
    """An assignment that cannot be made; ``msgid`` and ``params`` say why, translatable."""

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


def _reaching(kiosk: Kiosk):
    """The condition of the rows that reach a kiosk: its own, its venue's, every kiosk's."""
    every = and_(Assignment.kiosk_id.is_(None), Assignment.venue_id.is_(None))
    if kiosk.venue_id is None:
        return or_(Assignment.kiosk_id == kiosk.id, every)
    return or_(Assignment.kiosk_id == kiosk.id, every,
               and_(Assignment.kiosk_id.is_(None), Assignment.venue_id == kiosk.venue_id))


def specificity(row: Assignment) -> int:
    """2 for a kiosk's own row, 1 for a venue's, 0 for every kiosk's."""
    return 2 if row.kiosk_id is not None else 1 if row.venue_id is not None else 0


def current(db: Session, kiosk: Kiosk, before_id: int | None = None) -> Assignment | None:
    """The assignment a kiosk follows now (or just before row ``before_id``): the newest hold
    if no newer row reaches it, else its own newest row (none before a hold), else its
    venue's, else every kiosk's; of a rollout's rows only its newest counts."""
    query = select(Assignment).where(_reaching(kiosk))
    if before_id is not None:
        query = query.where(Assignment.id < before_id)
    rows = list(db.scalars(query.order_by(Assignment.id.desc()).limit(200)))
    if not rows or rows[0].hold:
        return rows[0] if rows else None
    held = next((r.id for r in rows if r.hold), 0)  # a hold forgets the kiosk's own rows before
    seen: set[int] = set()  # of a rollout's rows, the newest stands: its latest step
    plain = []
    for r in rows:
        if r.rollout_id is not None:
            if r.rollout_id in seen:
                continue
            seen.add(r.rollout_id)
        if not r.hold and (r.kiosk_id is None or r.id > held):
            plain.append(r)
    return max(plain, key=lambda r: (specificity(r), r.id)) if plain else None


def rolls_back(db: Session, row: Assignment, kiosk: Kiosk) -> bool:
    """True when, for this kiosk, the assignment goes to an older version of the same pack
    than the one it followed before (an "every kiosk" assignment after a kiosk's own, too)."""
    if row.rollback:
        return True
    before = current(db, kiosk, before_id=row.id)
    return (before is not None and before.bundle.pack_id == row.bundle.pack_id
            and version_key(row.bundle.version) < version_key(before.bundle.version))


def _previous(db: Session, kiosk: Kiosk | None, venue: Venue | None) -> Assignment | None:
    if kiosk is not None:
        return current(db, kiosk)
    scope = Assignment.venue_id == venue.id if venue is not None else \
        Assignment.venue_id.is_(None)
    return db.scalar(select(Assignment).where(Assignment.kiosk_id.is_(None), scope)
                     .order_by(Assignment.id.desc()).limit(1))


def time_zone(row: Assignment, kiosk: Kiosk, venues: dict[int, str]) -> str:
    """The time zone of a row's switch on this kiosk: the row's, else the kiosk's venue's,
    else DEFAULT_TIMEZONE."""
    return row.timezone or venues.get(kiosk.venue_id or 0) or DEFAULT_TIMEZONE


def hold_if_older(db: Session, kiosk: Kiosk, before: Assignment | None,
                  actor_name: str) -> Assignment | None:
    """After a change of what reaches a kiosk (a move), keep its manifest version growing:
    when its winning row is now an older one, write a hold of that row (no commit)."""
    after = current(db, kiosk)
    if after is None or before is None or after.id >= before.id:
        return None
    return _hold(db, kiosk, after, actor_name)


def release(db: Session, kiosk: Kiosk, actor: User | None) -> Assignment | None:
    """Let a kiosk follow its venue's (or every kiosk's) assignment again instead of its own:
    a hold of that one, which forgets the kiosk's own rows; audited (no commit). None when
    nothing would reach it."""
    query = select(Assignment).where(_reaching(kiosk), Assignment.kiosk_id.is_(None),
                                     Assignment.hold.is_(False))
    rows = list(db.scalars(query.order_by(Assignment.id.desc()).limit(200)))
    if not rows:
        return None
    before = current(db, kiosk)
    wider = max(rows, key=lambda r: (specificity(r), r.id))
    row = _hold(db, kiosk, wider, actor.username if actor else "system")
    row.rollback = (before is not None and before.bundle.pack_id == wider.bundle.pack_id
                    and version_key(wider.bundle.version) < version_key(before.bundle.version))
    audit.record(db, actor, "fleet.release", f"kiosk:{kiosk.id}",
                 {"pack": f"{before.bundle.pack_id}:{before.bundle.version}"} if before else None,
                 {"pack": f"{wider.bundle.pack_id}:{wider.bundle.version}",
                  "rollback": row.rollback})
    return row


def _hold(db: Session, kiosk: Kiosk, like: Assignment, actor_name: str) -> Assignment:
    return hold(db, kiosk, like.bundle, actor_name, like.switch_mode, like.switch_at,
                like.timezone)


def hold(db: Session, kiosk: Kiosk, bundle: FleetBundle, actor_name: str,
         mode: str = "attract", at: str | None = None, timezone: str = "") -> Assignment:
    """Write a hold: the kiosk plays this bundle until a newer row reaches it (no commit)."""
    row = Assignment(kiosk_id=kiosk.id, bundle_id=bundle.id, switch_mode=mode, switch_at=at,
                     timezone=timezone, rollback=False, hold=True, created_by=actor_name)
    db.add(row)
    db.flush()
    row.bundle = bundle
    return row


def check_switch(mode: str, at: str | None, timezone: str) -> None:
    """Refuse a switch mode, time or time zone that is not one (AssignError); an empty time
    zone is the venue's."""
    if mode not in SWITCH_MODES:
        raise AssignError("choose when the kiosks switch: %(modes)s", modes=", ".join(SWITCH_MODES))
    if mode == "at" and not (at and _HHMM.match(at)):
        raise AssignError("give the local time to switch as HH:MM, for example 22:30")
    if not timezone:
        return
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AssignError('"%(zone)s" is not a time zone; use a name like Europe/Rome',
                          zone=timezone) from None


def assign(db: Session, bundle: FleetBundle, kiosk: Kiosk | None, mode: str, at: str | None,
           timezone: str, actor: User | None, venue: Venue | None = None,
           rollout_id: int | None = None) -> Assignment:
    """Assign a bundle to a kiosk, a venue's kiosks, or (neither) every kiosk, and audit it
    (no commit)."""
    check_switch(mode, at, timezone)
    if kiosk is not None and kiosk.revoked:
        raise AssignError("kiosk %(name)s is revoked", name=kiosk.name)
    before = _previous(db, kiosk, venue)
    rollback = (before is not None and before.bundle.pack_id == bundle.pack_id
                and version_key(bundle.version) < version_key(before.bundle.version))
    row = Assignment(kiosk_id=kiosk.id if kiosk else None,
                     venue_id=venue.id if venue is not None and kiosk is None else None,
                     bundle_id=bundle.id, switch_mode=mode,
                     switch_at=at if mode == "at" else None, timezone=timezone,
                     rollback=rollback, rollout_id=rollout_id,
                     created_by=actor.username if actor else "system")
    db.add(row)
    db.flush()
    target = (f"kiosk:{kiosk.id}" if kiosk else f"venue:{venue.id}" if venue is not None
              else "kiosk:all")
    audit.record(db, actor, "fleet.assign", target,
                 {"pack": f"{before.bundle.pack_id}:{before.bundle.version}"} if before else None,
                 {"pack": f"{bundle.pack_id}:{bundle.version}", "switch": mode, "at": at,
                  "timezone": timezone, "rollback": rollback})
    return row


def recent(db: Session, limit: int = 50) -> list[Assignment]:
    """The latest assignments, newest first."""
    return list(db.scalars(select(Assignment).order_by(Assignment.id.desc()).limit(limit)))
