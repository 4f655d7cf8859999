"""The signed manifest a kiosk receives from ``GET /api/v1/assignment``.

    {"signed": {"kiosk": 3, "version": 17, "issued": "...Z", "expires": "...Z",
                "pack": {"id", "version", "sha256", "size", "url"} | null,
                "switch": {"mode": "attract" | "at" | "confirm", "at": "HH:MM" | null,
                           "timezone": "Europe/Rome"} | null,
                "rollback": false},
     "signature": "<Ed25519 over the canonical JSON of signed, base64>"}

``version`` is the id of the assignment the kiosk follows (0 before any; the most specific
wins, ``admin.fleet.assign.current``), so it grows with each new assignment; ``timezone`` is
the assignment's, else the kiosk's venue's; ``expires`` is ``FLEET_MANIFEST_HOURS`` after ``issued``. The kiosk
refuses an unsigned, wrongly signed or expired manifest, and one older than the last it
accepted (``kiosk.fleet.verify``).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, url_for
from sqlalchemy.orm import Session

from admin.fleet import assign, signing
from admin.models_feedback import Kiosk
from admin.models_fleet_health import Venue


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def for_kiosk(app: Flask, db: Session, kiosk: Kiosk,
              now: dt.datetime | None = None) -> dict:
    """The signed manifest of a kiosk's current assignment."""
    now = now or dt.datetime.now(dt.UTC)
    row = assign.current(db, kiosk)
    signed: dict = {"kiosk": kiosk.id, "version": row.id if row else 0, "issued": _iso(now),
                    "expires": _iso(now + dt.timedelta(hours=app.config["FLEET_MANIFEST_HOURS"])),
                    "pack": None, "switch": None, "rollback": False}
    if row is not None:
        b = row.bundle
        signed["pack"] = {"id": b.pack_id, "version": b.version, "sha256": b.sha256,
                          "size": b.size,
                          "url": url_for("fleet_api.bundle", pack_id=b.pack_id,
                                         version=b.version)}
        venue = db.get(Venue, kiosk.venue_id) if kiosk.venue_id else None
        signed["switch"] = {"mode": row.switch_mode, "at": row.switch_at,
                            "timezone": assign.time_zone(
                                row, kiosk, {venue.id: venue.time_zone} if venue else {})}
        signed["rollback"] = assign.rolls_back(db, row, kiosk)
    return signing.sign(app, signed)
