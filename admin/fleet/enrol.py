"""Enrolment: a one-time code on the Kiosks page turns a new kiosk PC into a registered kiosk.

An administrator makes a code (optionally for a venue). It is eight characters of the school
codes' alphabet (``kiosk.school.ALPHABET``: no 0/O, 1/I/L, 5/S, 2/Z, 8/B), shown as
``ABCD-EFGH`` to be read aloud or typed; 25**8 (about 1.5e11) codes. Only its SHA-256 is kept.
It expires after ``ENROLMENT_CODE_MINUTES`` and serves once.

``POST /api/v1/enrol`` (no token yet; JSON ``{"code", "name", "screen": "1920x1080",
"time_zone": "Europe/Riga"}``) registers the kiosk through the same token registry as the
Kiosks page (``admin.feedback.registry``), places it in the code's venue and answers
``{"token", "kiosk", "venue", "signing_key"}``: ``signing_key`` is the admin's public key
(``admin.fleet.signing.public_key_b64``), which the kiosk pins to check every pack manifest.
Wrong codes are counted per client address with the login limits (``admin.ratelimit``): after
a few, each further try waits (429 with Retry-After), so codes cannot be guessed.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import zoneinfo
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from admin import audit, ratelimit
from admin.access import PUBLIC, allow
from admin.db import get_db
from admin.feedback import registry
from admin.feedback.api import PREFIX, error
from admin.feedback.openapi import describe
from admin.fleet import signing, venues
from admin.models import User, utcnow
from admin.models_feedback import Kiosk
from admin.models_fleet_health import EnrolmentCode, KioskHealth, Venue
from kiosk.school import ALPHABET, normalise

LENGTH = 8
RATE_ACCOUNT = "#enrol"  # the login limits' account key for enrolment tries (no user has '#')
SCREEN_RE = re.compile(r"^([1-9][0-9]{2,4})x([1-9][0-9]{2,4})$")

bp = Blueprint("enrol", __name__, url_prefix=PREFIX)


@bp.record_once
def _exempt_from_csrf(state) -> None:
    """A kiosk posts JSON without a session (see admin.feedback.api's docstring)."""
    state.app.extensions["csrf"].exempt(bp)


def hash_code(code: str) -> str:
    """The hex SHA-256 of a code, normalised (case, spaces and dashes forgiven)."""
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def shown(code: str) -> str:
    """The code as staff read it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def make_code(db: Session, venue: Venue | None, actor: User | None, minutes: int,
              actor_name: str = "") -> tuple[EnrolmentCode, str]:
    """Make a code and audit it (no commit); returns it and the code (shown once)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    entry = EnrolmentCode(code_hash=hash_code(code), venue_id=venue.id if venue else None,
                          created_by=actor.username if actor else (actor_name or "system"),
                          expires_at=utcnow() + timedelta(minutes=minutes))
    db.add(entry)
    db.flush()
    audit.record(db, actor, "enrolment.create", f"enrolment:{entry.id}", None,
                 {"venue_id": entry.venue_id, "expires_at": entry.expires_at},
                 actor_name=actor_name or None)
    return entry, shown(code)


class NotEnrolled(Exception):
    """An enrolment the admin refuses: status, code and sentence of the JSON answer."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _checked(body: object) -> tuple[str, str, str, str]:
    """(code, name, screen, time zone) from the request body, or NotEnrolled."""
    if not isinstance(body, dict) or set(body) - {"code", "name", "screen", "time_zone"}:
        raise NotEnrolled(400, "malformed_request", 'send {"code", "name", "screen", '
                                                '"time_zone"} as a JSON object')
    values = [body.get(k) for k in ("code", "name", "screen", "time_zone")]
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise NotEnrolled(400, "malformed_request", "code, name, screen and time_zone are "
                                                "non-empty strings")
    code, name, screen, zone = (v.strip() for v in values)
    if len(" ".join(name.split())) > registry.NAME_MAX:
        raise NotEnrolled(400, "malformed_request", f"name is at most {registry.NAME_MAX} "
                                                    f"characters")
    if not SCREEN_RE.match(screen):
        raise NotEnrolled(400, "malformed_request", "screen is the width x height in pixels, "
                                                "like 1920x1080")
    if zone not in zoneinfo.available_timezones():
        raise NotEnrolled(400, "malformed_request", "time_zone is an IANA time zone name, like "
                                                "Europe/Riga")
    return code, name, screen, zone


def redeem(db: Session, code: str, name: str, screen: str, time_zone: str) -> tuple[
        Kiosk, str]:
    """Use a code: register the kiosk in the code's venue (no commit); NotEnrolled if not valid."""
    entry = db.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == hash_code(code)))
    if entry is None:
        raise NotEnrolled(403, "wrong_code", "this enrolment code is not one the admin made; "
                                         "check it on the Kiosks page")
    if entry.used_at is not None:
        raise NotEnrolled(403, "code_used", "this enrolment code was used already; an "
                                        "administrator makes a new one on the Kiosks page")
    if entry.expires_at <= utcnow():
        raise NotEnrolled(403, "code_expired", "this enrolment code has expired; an "
                                           "administrator makes a new one on the Kiosks page")
    try:
        kiosk, token = registry.register(db, name, None, actor_name="enrolment")
    except registry.RegistryError as exc:
        raise NotEnrolled(409, "name_taken", f"{exc}; enrol with another name") from None
    # one UPDATE that only an unused code passes: two kiosks racing for a code, one wins
    won = db.execute(update(EnrolmentCode).where(EnrolmentCode.id == entry.id,
                                                 EnrolmentCode.used_at.is_(None))
                     .values(used_at=utcnow(), kiosk_id=kiosk.id))
    if won.rowcount != 1:
        raise NotEnrolled(403, "code_used", "this enrolment code was used already")
    if entry.venue_id is not None:
        venues.move(db, kiosk, db.get(Venue, entry.venue_id), None, actor_name="enrolment")
    # what the kiosk said of itself, until its first heartbeat says more
    db.add(KioskHealth(kiosk_id=kiosk.id, received_at=utcnow(), skew_seconds=0.0,
                       report=_json({"screen": screen, "time_zone": time_zone})))
    return kiosk, token


def _json(value: dict) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


@bp.route("/enrol", methods=["POST"])
@allow(PUBLIC)
def enrol():
    """Register a new kiosk with a one-time code; answer its token."""
    if not request.is_json:
        return error(415, "not_json", "send the request body as application/json")
    address = request.remote_addr or "unknown"
    wait = ratelimit.take(current_app, RATE_ACCOUNT, address)
    if wait:
        response, status = error(429, "rate_limited", f"too many wrong enrolment codes from "
                                                      f"this address; wait {int(wait)} s")
        response.headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        return response, status
    db = get_db()
    try:
        kiosk, token = redeem(db, *_checked(request.get_json(silent=True)))
    except NotEnrolled as exc:
        db.rollback()
        if exc.code not in ("wrong_code", "code_used", "code_expired"):
            ratelimit.give_back(current_app, RATE_ACCOUNT, address, logged_in=False)
        return error(exc.status, exc.code, exc.message)
    db.commit()
    ratelimit.give_back(current_app, RATE_ACCOUNT, address, logged_in=True)
    venue = db.get(Venue, kiosk.venue_id) if kiosk.venue_id else None
    response = jsonify({"token": token, "kiosk": kiosk.name,
                        "venue": venue.snapshot() if venue else None,
                        "signing_key": signing.public_key_b64(current_app)})
    response.headers["Cache-Control"] = "no-store"  # the token is shown this once
    return response


describe("/enrol", {"post": {
    "operationId": "enrol",
    "summary": "Register a new kiosk with a one-time enrolment code (admin.fleet.enrol).",
    "security": [],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["code", "name", "screen", "time_zone"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                       "screen": {"type": "string", "pattern": SCREEN_RE.pattern},
                       "time_zone": {"type": "string"}}}}}},
    "responses": {
        "200": {"description": "Registered: the kiosk's token (shown once), its name, its "
                              "venue, and the admin's signing key when the fleet signs."},
        "400": {"description": "A malformed request (malformed_request)."},
        "403": {"description": "wrong_code, code_used or code_expired."},
        "409": {"description": "A kiosk of that name is registered (name_taken)."},
        "429": {"description": "Too many wrong codes from this address (rate_limited)."},
    }}})
