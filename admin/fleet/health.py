"""A kiosk's state on the Kiosks page, from its latest heartbeat, and what to flag in words.

One state each, the first that applies: silent (no contact for ``FLEET_SILENT_MINUTES``, or
never), failed (the kiosk reports an error of its update path), downloading (fewer bytes than
the total), switch planned, out of date (the pack playing is not the one assigned), up to
date. Flags are sentences in the staff member's language: a clock off by more than
``FLEET_CLOCK_SKEW_SECONDS``, free disk below ``FLEET_LOW_DISK_MB``, screens that failed, the
last error (in the kiosk's own words).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_decimal, format_timedelta, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from admin.models_feedback import Kiosk
from admin.models_fleet_health import KioskHealth, Venue

SILENT, FAILED, DOWNLOADING, SWITCH_PLANNED, OUT_OF_DATE, UP_TO_DATE, REVOKED = (
    "silent", "failed", "downloading", "switch-planned", "out-of-date", "up-to-date", "revoked")
STATES = (UP_TO_DATE, DOWNLOADING, SWITCH_PLANNED, FAILED, OUT_OF_DATE, SILENT)
LABELS = {UP_TO_DATE: _l("up to date"), DOWNLOADING: _l("downloading"),
          SWITCH_PLANNED: _l("switch planned"), FAILED: _l("failed"),
          OUT_OF_DATE: _l("out of date"), SILENT: _l("silent"), REVOKED: _l("revoked")}


@dataclass
class KioskRow:
    """A kiosk as the Kiosks page shows it."""

    kiosk: Kiosk
    state: str
    report: dict
    skew: float | None
    flags: list[str] = field(default_factory=list)


def parse(health: KioskHealth | None) -> dict:
    """The stored heartbeat as a dict ({} when none came)."""
    return json.loads(health.report) if health is not None else {}


def state(last_contact: datetime | None, report: dict, now: datetime,
          silent_minutes: int) -> str:
    """The kiosk's state (one of STATES)."""
    if last_contact is None or now - last_contact > timedelta(minutes=silent_minutes):
        return SILENT
    if report.get("last_error"):
        return FAILED
    download = report.get("download")
    if download and download["done"] < download["total"]:
        return DOWNLOADING
    if report.get("switch"):
        return SWITCH_PLANNED
    # by id and version: an assigned pack's sha256 is its bundle's, a playing one's the digest
    # of its files (kiosk.fleet.heartbeat.pack_digest); a version never changes once published
    assigned, playing = report.get("assigned"), report.get("playing") or {}
    if assigned and (assigned["id"], assigned["version"]) != (playing.get("id"),
                                                               playing.get("version")):
        return OUT_OF_DATE
    return UP_TO_DATE


def gigabytes(n: int) -> str:
    """Bytes as gigabytes with one decimal, in the staff member's number format."""
    return format_decimal(n / 1e9, "#,##0.0")


def flags(report: dict, skew: float | None, config) -> list[str]:
    """What needs a look, as sentences in the staff member's language."""
    out = []
    if skew is not None and abs(skew) > config["FLEET_CLOCK_SKEW_SECONDS"]:
        amount = format_timedelta(timedelta(seconds=abs(skew)), threshold=1.1)
        out.append(gettext("Its clock is %(amount)s ahead of the admin's.", amount=amount)
                   if skew > 0 else
                   gettext("Its clock is %(amount)s behind the admin's.", amount=amount))
    disk = report.get("disk")
    if disk and disk["free"] < config["FLEET_LOW_DISK_MB"] * 1_000_000:
        out.append(gettext("Low disk: %(free)s GB free of %(total)s GB.",
                           free=gigabytes(disk["free"]), total=gigabytes(disk["total"])))
    failures = report.get("screen_failures") or 0
    if failures:
        out.append(ngettext("%(num)d screen failed since the kiosk started.",
                            "%(num)d screens failed since the kiosk started.", failures))
    if report.get("last_error"):
        out.append(gettext("Last error, in the kiosk's words: %(message)s",
                           message=report["last_error"]))
    return out


def row(kiosk: Kiosk, health: KioskHealth | None, now: datetime, config) -> KioskRow:
    """The kiosk's row: state, latest heartbeat, clock skew and flags."""
    report = parse(health)
    skew = health.skew_seconds if health is not None and "clock" in report else None
    if kiosk.revoked:
        return KioskRow(kiosk, REVOKED, report, skew)
    return KioskRow(kiosk, state(kiosk.last_contact, report, now,
                                 config["FLEET_SILENT_MINUTES"]),
                    report, skew, flags(report, skew, config))


def groups(db, config, now: datetime, state_filter: str | None = None,
           venue_filter: str | None = None) -> list[tuple[object, list[KioskRow]]]:
    """(venue or None, rows) for the Kiosks page, by venue name, kiosks by name, filtered by
    state and venue ("none": kiosks in no venue)."""
    venues = {v.id: v for v in db.scalars(select(Venue))}
    latest = {h.kiosk_id: h for h in db.scalars(select(KioskHealth))}
    by_venue: dict[int | None, list[KioskRow]] = {}
    for kiosk in db.scalars(select(Kiosk).order_by(Kiosk.name)):
        if venue_filter and str(kiosk.venue_id or "none") != venue_filter:
            continue
        r = row(kiosk, latest.get(kiosk.id), now, config)
        if state_filter and r.state != state_filter:
            continue
        by_venue.setdefault(kiosk.venue_id, []).append(r)
    order = sorted(by_venue, key=lambda v: (v is None, venues[v].name if v else ""))
    return [(venues.get(v) if v else None, by_venue[v]) for v in order]
