"""The heartbeat: ``POST /api/v1/heartbeat`` with a kiosk's token reports the kiosk's health.

A heartbeat is a JSON object; every field may be null or left out when the kiosk does not
know it, and no other field is taken (nothing that could identify a visitor has a place):

=================  ================================================================
``playing``        the pack playing: ``{"id", "version", "sha256"}`` (sha256: of its files,
                   as a bundle names them: ``kiosk.fleet.heartbeat.pack_digest``)
``assigned``       the pack the kiosk was told to play (same form; sha256: the bundle's,
                   as the signed manifest names it)
``download``       ``{"done", "total"}`` bytes of the assigned pack fetched so far
``switch``         the switch planned: ``{"version", "when"}`` (when: words, <= 40 chars)
``disk``           ``{"free", "total"}`` bytes of the kiosk's data disk
``program``        the kiosk program's version
``uptime``         seconds since the kiosk program started
``last_error``     the last error of the kiosk's update path since start (<= 500 chars)
``screen_failures``  screens that failed since start (each visitor was taken to safety)
``waiting``        visitor events recorded and not yet synced (a count)
``clock``          the kiosk's clock, seconds since 1970 (the admin computes the skew)
``screen``         ``"1920x1080"``; ``time_zone``: the kiosk's IANA time zone
=================  ================================================================

The admin keeps the latest per kiosk (``kiosk_health``) and a history of
``HEARTBEAT_HISTORY`` per kiosk (``kiosk_heartbeats``); ``store`` is also what a poll of the
fleet's distribution calls with the heartbeat it carries. The answer: ``{"received_at",
"skew_seconds"}``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from flask import Blueprint, current_app, g, jsonify
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from admin.access import KIOSK_TOKEN, allow
from admin.db import get_db
from admin.feedback.api import PREFIX, authenticate, error, json_body
from admin.feedback.ingest import MAX_WAITING
from admin.feedback.openapi import describe
from admin.fleet import rollout
from admin.models import utcnow
from admin.models_feedback import Kiosk
from admin.models_fleet_health import KioskHealth, KioskHeartbeat
from kiosk.record.kinds import is_id, is_version

bp = Blueprint("heartbeat", __name__, url_prefix=PREFIX)
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SCREEN = re.compile(r"^[1-9][0-9]{2,4}x[1-9][0-9]{2,4}$")
BIG = 2 ** 53  # bytes and counts beyond this are not a real kiosk's
FIELDS = ("playing", "assigned", "download", "switch", "disk", "program", "uptime",
          "last_error", "screen_failures", "waiting", "clock", "screen", "time_zone")


@bp.record_once
def _exempt_from_csrf(state) -> None:
    """Token-authenticated JSON needs no CSRF token (see admin.feedback.api)."""
    state.app.extensions["csrf"].exempt(bp)


class Malformed(ValueError):
    """A heartbeat that is not one; the message names the field."""


def _count(value: object, name: str, limit: int = BIG) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise Malformed(f"{name} must be a whole number from 0 to {limit}")
    return value


def _number(value: object, name: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value < BIG:
        raise Malformed(f"{name} must be a number of seconds")
    return float(value)


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise Malformed(f"{name} must be a text of at most {limit} characters")
    return value


def _object(value: object, name: str, keys: set[str]) -> dict:
    if not isinstance(value, dict) or set(value) != keys:
        raise Malformed(f"{name} must be an object with {', '.join(sorted(keys))}")
    return value


def _pack(value: object, name: str) -> dict:
    v = _object(value, name, {"id", "version", "sha256"})
    if not is_id(v["id"]) or not is_version(v["version"]) or not (
            isinstance(v["sha256"], str) and HEX64.match(v["sha256"])):
        raise Malformed(f"{name} must carry a pack id, a version like 1.2.0 and a sha256 "
                        f"in lower-case hex")
    return {"id": v["id"], "version": v["version"], "sha256": v["sha256"]}


def _pair(value: object, name: str, first: str, second: str) -> dict:
    v = _object(value, name, {first, second})
    a, b = _count(v[first], f"{name}.{first}"), _count(v[second], f"{name}.{second}")
    if a > b:
        raise Malformed(f"{name}.{first} cannot exceed {name}.{second}")
    return {first: a, second: b}


def check(raw: object) -> dict:
    """The heartbeat as stored (nulls left out); Malformed when it is not one."""
    if not isinstance(raw, dict):
        raise Malformed("a heartbeat is a JSON object")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise Malformed(f"unknown field(s) {', '.join(unknown)}; a heartbeat takes "
                        f"{', '.join(FIELDS)}")
    given = {k: v for k, v in raw.items() if v is not None}
    out: dict = {}
    for name in ("playing", "assigned"):
        if name in given:
            out[name] = _pack(given[name], name)
    if "download" in given:
        out["download"] = _pair(given["download"], "download", "done", "total")
    if "disk" in given:
        out["disk"] = _pair(given["disk"], "disk", "free", "total")
    if "switch" in given:
        v = _object(given["switch"], "switch", {"version", "when"})
        if not is_version(v["version"]):
            raise Malformed("switch.version must be a version like 1.2.0")
        out["switch"] = {"version": v["version"], "when": _text(v["when"], "switch.when", 40)}
    for name, limit in (("program", 40), ("last_error", 500), ("time_zone", 64)):
        if name in given:
            out[name] = _text(given[name], name, limit)
    if "screen" in given:
        if not (isinstance(given["screen"], str) and SCREEN.match(given["screen"])):
            raise Malformed("screen must be the size in pixels, like 1920x1080")
        out["screen"] = given["screen"]
    for name in ("uptime", "clock"):
        if name in given:
            out[name] = _number(given[name], name)
    if "screen_failures" in given:
        out["screen_failures"] = _count(given["screen_failures"], "screen_failures")
    if "waiting" in given:
        out["waiting"] = _count(given["waiting"], "waiting", MAX_WAITING)
    return out


def store(db: Session, kiosk: Kiosk, report: dict, history: int,
          now: datetime | None = None) -> float | None:
    """Keep a checked heartbeat as the kiosk's latest and in its history (no commit);
    returns the skew in seconds (kiosk minus admin), None without the kiosk's clock."""
    now = now or utcnow()
    skew = None
    if "clock" in report:
        skew = round(report["clock"] - now.replace(tzinfo=UTC).timestamp(), 3)
    text = json.dumps(report, separators=(",", ":"), sort_keys=True)
    latest = db.get(KioskHealth, kiosk.id)
    if latest is None:
        db.add(KioskHealth(kiosk_id=kiosk.id, received_at=now, skew_seconds=skew or 0.0,
                           report=text))
    else:
        latest.received_at, latest.skew_seconds, latest.report = now, skew or 0.0, text
    db.add(KioskHeartbeat(kiosk_id=kiosk.id, received_at=now, skew_seconds=skew or 0.0,
                          report=text))
    db.flush()
    # one statement: drop what is older than the kiosk's `history`-th newest heartbeat
    oldest_kept = (select(KioskHeartbeat.id).where(KioskHeartbeat.kiosk_id == kiosk.id)
                   .order_by(KioskHeartbeat.id.desc()).offset(history - 1).limit(1)
                   .scalar_subquery())
    db.execute(delete(KioskHeartbeat).where(KioskHeartbeat.kiosk_id == kiosk.id,
                                            KioskHeartbeat.id < oldest_kept))
    kiosk.last_contact = now
    if "playing" in report:
        kiosk.pack_id = report["playing"]["id"]
        kiosk.pack_version = report["playing"]["version"]
    if "waiting" in report:
        kiosk.waiting = report["waiting"]
    return skew


@bp.route("/heartbeat", methods=["POST"])
@allow(KIOSK_TOKEN)
def heartbeat():
    """Keep a kiosk's heartbeat; answer when it came and the kiosk's clock skew."""
    refused = authenticate()
    if refused:
        return refused
    body = json_body()
    try:
        report = check(body)
    except Malformed as exc:
        return error(400, "malformed_heartbeat", str(exc))
    db = get_db()
    now = utcnow()
    skew = store(db, g.kiosk, report, current_app.config["HEARTBEAT_HISTORY"], now)
    rollout.after_heartbeat(db, g.kiosk, report, current_app.config["FLEET_ROLLOUT_STOP_PERCENT"])
    db.commit()
    return jsonify({"received_at": now.replace(tzinfo=UTC).isoformat(),
                    "skew_seconds": skew})


describe("/heartbeat", {"post": {
    "operationId": "heartbeat",
    "summary": "A kiosk's health: pack playing and assigned, download, disk, clock... "
               "(admin.fleet.heartbeat).",
    "security": [{"kioskToken": []}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {name: {} for name in FIELDS},
        "additionalProperties": False}}}},
    "responses": {
        "200": {"description": "Kept: received_at (UTC) and skew_seconds (kiosk minus admin)."},
        "400": {"description": "Not a heartbeat (malformed_heartbeat)."},
        "401": {"description": "No token or an unknown one."},
        "403": {"description": "The kiosk's token was revoked (token_revoked)."},
        "429": {"description": "Too many requests this minute (rate_limited)."},
    }}})
