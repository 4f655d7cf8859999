"""Rollouts in steps: one kiosk first, then its venue, then every kiosk, with an automatic stop.

Each step is an assignment carrying the rollout's id (``admin.fleet.assign``): step 1 a hold
of the first kiosk (so that, once the rollout moves on, the kiosk follows its venue again),
step 2 the venue's (skipped when the first kiosk is in no venue), step 3 every kiosk's. A
step's kiosks are the kiosks whose assignment now comes from this rollout. The next step
starts when staff press it, or, with ``auto``, once every kiosk of the step reports the
version playing.

The admin stops a rollout by itself (``evaluate``, after each heartbeat and on the
Distribution page) when at least ``FLEET_ROLLOUT_STOP_PERCENT`` of the step's kiosks report
a failure since the step started: a ``last_error`` in their heartbeat, which is also how a
kiosk that went back by itself says so (``kiosk.fleet.switch.roll_back``). A stop, by staff
or by itself, is an emergency stop: each kiosk of the step not yet playing the version gets
a hold of the pack it reports playing (else of what it followed before), so it stays there;
kiosks already switched keep the new version. Resume assigns the current step again.
Starts, steps, stops and resumes are audited (``rollout.*``); nothing is committed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin import audit
from admin.fleet import assign
from admin.fleet.assign import AssignError
from admin.fleet.health import parse
from admin.models import User, utcnow
from admin.models_distribution import (
    DONE,
    RUNNING,
    STOPPED,
    Assignment,
    FleetBundle,
    Rollout,
)
from admin.models_feedback import Kiosk
from admin.models_fleet_health import KioskHealth, Venue
from kiosk.content.versions import version_key

KIOSK_STEP, VENUE_STEP, ALL_STEP = 1, 2, 3


@dataclass
class StepKiosk:
    """A kiosk of the current step, as the rollout judges it."""

    kiosk: Kiosk
    report: dict
    playing: bool  # reports the rollout's version playing
    failed: bool  # reports an error since the step started


def running(db: Session) -> Rollout | None:
    """The rollout under way, if any (one at a time)."""
    return db.scalar(select(Rollout).where(Rollout.state == RUNNING).limit(1))


def latest(db: Session) -> Rollout | None:
    """The newest rollout, whatever its state."""
    return db.scalar(select(Rollout).order_by(Rollout.id.desc()).limit(1))


def _first_of(db: Session, venue: Venue) -> Kiosk | None:
    return db.scalar(select(Kiosk).where(Kiosk.venue_id == venue.id, Kiosk.revoked_at.is_(None))
                     .order_by(Kiosk.name).limit(1))


def start(db: Session, bundle: FleetBundle, first: Kiosk | None, venue: Venue | None,
          mode: str, at: str | None, timezone: str, auto: bool, actor: User | None) -> Rollout:
    """Start rolling a bundle out: to ``first`` (None: the first kiosk of ``venue`` by name)."""
    assign.check_switch(mode, at, timezone)
    under_way = running(db)
    if under_way is not None:
        raise AssignError("the rollout of %(pack)s is under way: stop it first",
                          pack=f"{under_way.bundle.pack_id} {under_way.bundle.version}")
    if first is None:
        first = _first_of(db, venue) if venue is not None else None
        if first is None:
            raise AssignError("pick the first kiosk, or a venue with a kiosk in it")
    if first.revoked:
        raise AssignError("kiosk %(name)s is revoked", name=first.name)
    row = Rollout(bundle_id=bundle.id, first_kiosk_id=first.id,
                  venue_id=first.venue_id if venue is None else venue.id, step=KIOSK_STEP,
                  state=RUNNING, auto=auto, switch_mode=mode,
                  switch_at=at if mode == "at" else None, timezone=timezone,
                  step_started_at=utcnow(), stop_reason="",
                  created_by=actor.username if actor else "system")
    db.add(row)
    db.flush()
    row.bundle = bundle
    _assign_step(db, row, actor)
    audit.record(db, actor, "rollout.start", f"rollout:{row.id}", None, _snapshot(row))
    return row


def _assign_step(db: Session, r: Rollout, actor: User | None) -> Assignment:
    kiosk = db.get(Kiosk, r.first_kiosk_id) if r.step == KIOSK_STEP else None
    venue = db.get(Venue, r.venue_id) if r.step == VENUE_STEP else None
    row = assign.assign(db, r.bundle, kiosk, r.switch_mode, r.switch_at, r.timezone, actor,
                        venue=venue, rollout_id=r.id)
    row.hold = r.step == KIOSK_STEP  # the first kiosk follows its venue again afterwards
    r.step_started_at = utcnow()
    return row


def _snapshot(r: Rollout) -> dict:
    return {"pack": f"{r.bundle.pack_id}:{r.bundle.version}", "step": r.step, "state": r.state,
            "auto": r.auto, "first_kiosk": r.first_kiosk_id, "venue": r.venue_id,
            "reason": r.stop_reason or None}


def step_kiosks(db: Session, r: Rollout) -> list[StepKiosk]:
    """The kiosks whose assignment comes from this rollout now, judged by their latest
    heartbeat."""
    out = []
    kiosks = db.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.name))
    for kiosk in kiosks:
        following = assign.current(db, kiosk)
        if following is None or following.rollout_id != r.id:
            continue
        health = db.get(KioskHealth, kiosk.id)
        report = parse(health)
        playing = report.get("playing") or {}
        fresh = health is not None and health.received_at >= r.step_started_at
        out.append(StepKiosk(kiosk, report,
                             (playing.get("id"), playing.get("version"))
                             == (r.bundle.pack_id, r.bundle.version),
                             fresh and bool(report.get("last_error"))))
    return out


def advance(db: Session, r: Rollout, actor: User | None) -> None:
    """Start the rollout's next step, or end it after the last (audited)."""
    before = _snapshot(r)
    if r.step == ALL_STEP:
        r.state = DONE
        audit.record(db, actor, "rollout.done", f"rollout:{r.id}", before, _snapshot(r))
        return
    r.step = VENUE_STEP if r.step == KIOSK_STEP and r.venue_id is not None else ALL_STEP
    _assign_step(db, r, actor)
    audit.record(db, actor, "rollout.step", f"rollout:{r.id}", before, _snapshot(r))


def stop(db: Session, r: Rollout, actor: User | None, reason: str) -> list[Kiosk]:
    """Stop a rollout at once: the step's kiosks not yet switched stay on their pack (holds);
    audited. The kiosks held."""
    before = _snapshot(r)
    held = []
    first_row = db.scalar(select(Assignment.id).where(Assignment.rollout_id == r.id)
                          .order_by(Assignment.id).limit(1))
    name = actor.username if actor else "system"
    for entry in step_kiosks(db, r):
        if entry.playing:
            continue
        kiosk = entry.kiosk
        plays = (db.scalar(select(FleetBundle).where(FleetBundle.pack_id == kiosk.pack_id,
                                                     FleetBundle.version == kiosk.pack_version))
                 if kiosk.pack_version else None)
        earlier = assign.current(db, kiosk, before_id=first_row)
        bundle = plays or (earlier.bundle if earlier is not None else None)
        if bundle is None:
            continue  # nothing published it plays, nothing followed before: nothing to hold
        hold = assign.hold(db, kiosk, bundle, name)
        hold.rollback = (bundle.pack_id == r.bundle.pack_id
                         and version_key(bundle.version) < version_key(r.bundle.version))
        held.append(kiosk)
    r.state, r.stop_reason = STOPPED, reason[:300]
    after = _snapshot(r) | {"held": [k.id for k in held]}
    audit.record(db, actor, "rollout.stop", f"rollout:{r.id}", before, after)
    return held


def resume(db: Session, r: Rollout, actor: User | None) -> None:
    """Go on with a stopped rollout: its current step is assigned again (audited)."""
    under_way = running(db)
    if under_way is not None:
        raise AssignError("the rollout of %(pack)s is under way: stop it first",
                          pack=f"{under_way.bundle.pack_id} {under_way.bundle.version}")
    before = _snapshot(r)
    r.state, r.stop_reason = RUNNING, ""
    _assign_step(db, r, actor)
    audit.record(db, actor, "rollout.resume", f"rollout:{r.id}", before, _snapshot(r))


def evaluate(db: Session, stop_percent: int) -> str | None:
    """Judge the running rollout's step: stop it when at least ``stop_percent`` of its kiosks
    failed, start the next step when ``auto`` and all play the version. What was done
    ("stopped", "advanced"), or None."""
    r = running(db)
    if r is None:
        return None
    kiosks = step_kiosks(db, r)
    if not kiosks:
        return None
    failed = [k for k in kiosks if k.failed]
    if failed and len(failed) * 100 >= stop_percent * len(kiosks):
        stop(db, r, None, f"{len(failed)} of {len(kiosks)} kiosks of step {r.step} reported "
                          f"a failure: " + ", ".join(k.kiosk.name for k in failed[:5]))
        return "stopped"
    if r.auto and all(k.playing for k in kiosks):
        advance(db, r, None)
        return "advanced"
    return None


def after_heartbeat(db: Session, kiosk: Kiosk, report: dict, stop_percent: int) -> str | None:
    """Judge the running rollout after a heartbeat that may change its course: from a kiosk
    following it that reports an error or the version playing (cheap otherwise: one query)."""
    r = running(db)
    if r is None or not (report.get("last_error") or report.get("playing")):
        return None
    following = assign.current(db, kiosk)
    if following is None or following.rollout_id != r.id:
        return None
    return evaluate(db, stop_percent)
