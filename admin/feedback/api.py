"""The sync API, ``/api/v1/...``: kiosks upload their anonymous events with a bearer token.

Every answer is JSON; every refusal is ``{"error": {"code", "message", ...}}`` with a status
that says what to do (400 fix the request, 401/403 the token, 409 the kiosk's identity,
413 smaller batches) and nothing stored. The document at ``/api/v1/openapi.json``
(``admin.feedback.openapi``) describes it all. Requests must be ``application/json``: besides
being the API's format, a browser cannot send that across sites without asking first, so no
page elsewhere can make a staff member's browser post here.
"""

from __future__ import annotations

import re

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from admin.access import KIOSK_TOKEN, PUBLIC, allow
from admin.db import get_db
from admin.feedback import ingest, registry
from admin.feedback.openapi import document
from admin.models import utcnow
from admin.models_feedback import Kiosk

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
VERSION_RE = re.compile(r"^[A-Za-z0-9_.+-]{1,40}$")
MAX_WAITING = 10**9


@bp.record_once
def _exempt_from_csrf(state) -> None:
    """Token-authenticated JSON needs no CSRF token (see the module docstring)."""
    state.app.extensions["csrf"].exempt(bp)


def error(status: int, code: str, message: str, **extra):
    """A JSON refusal."""
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    return error(413, "request_too_large", "the request body is larger than the server takes; "
                                           "send fewer events per batch")


def _authenticate():
    """Check JSON and the bearer token; put the kiosk in g.kiosk or return a refusal."""
    if not request.is_json:
        return error(400, "not_json", "send the request body as application/json")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error(401, "no_token", "send the kiosk's token as 'Authorization: Bearer <token>'")
    kiosk = registry.find(get_db(), token.strip())
    if kiosk is None:
        return error(401, "unknown_token", "this token belongs to no registered kiosk")
    if kiosk.revoked:
        return error(403, "token_revoked", "this kiosk's token was revoked by an administrator; "
                                           "ask for a new registration")
    g.kiosk = kiosk
    return None


def _body() -> dict | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _status(raw: object) -> dict:
    """A kiosk's status report as column values; raise Malformed when it is not one."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - {"pack_id", "pack_version", "waiting"}:
        raise ingest.Malformed("status is an object with pack_id, pack_version and waiting")
    out: dict = {}
    if raw.get("pack_id") is not None:
        if not isinstance(raw["pack_id"], str) or not ID_RE.match(raw["pack_id"]):
            raise ingest.Malformed("status.pack_id must be a content id")
        out["pack_id"] = raw["pack_id"]
    if raw.get("pack_version") is not None:
        if not isinstance(raw["pack_version"], str) or not VERSION_RE.match(raw["pack_version"]):
            raise ingest.Malformed("status.pack_version must be a version like 1.2.0")
        out["pack_version"] = raw["pack_version"]
    if "waiting" in raw:
        w = raw["waiting"]
        if not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= MAX_WAITING:
            raise ingest.Malformed("status.waiting must be a whole number of events")
        out["waiting"] = w
    return out


def _bind_record(kiosk: Kiosk, rows: list[dict]):
    """Tie the kiosk to its record id on first upload; refuse events of another record."""
    ids = {r["kiosk_id"] for r in rows}
    if not ids:
        return None
    if len(ids) > 1 or (kiosk.record_id and ids != {kiosk.record_id}):
        return error(400, "malformed_event", "every event must carry this kiosk's own "
                                             "kiosk_id (the id in its data folder)")
    record_id = ids.pop()
    if kiosk.record_id is None:
        db = get_db()
        other = db.scalar(select(Kiosk).where(Kiosk.record_id == record_id))
        if other is not None and not other.revoked:
            return error(409, "record_claimed", f"these events belong to the kiosk registered "
                                                f"as {other.name!r}; use its token")
        if other is not None:  # re-registered after a revocation: the new entry takes over
            other.record_id = None
            db.flush()
        kiosk.record_id = record_id
    return None


@bp.route("/openapi.json")
@allow(PUBLIC)
def openapi():
    """The OpenAPI document of this API."""
    return jsonify(document(ingest.MAX_BATCH))


@bp.route("/events", methods=["POST"])
@allow(KIOSK_TOKEN)
def events():
    """Store a batch of events; answer which ids were stored and which were held already."""
    refused = _authenticate()
    if refused:
        return refused
    body = _body()
    if body is None or "events" not in body or set(body) - {"events", "status"}:
        return error(400, "malformed_request", "send {\"events\": [...], \"status\": {...}}")
    try:
        rows = ingest.check_batch(body["events"])
        status = _status(body.get("status"))
    except ingest.BatchTooLarge as exc:
        return error(413, "batch_too_large", str(exc), limit=exc.limit)
    except ingest.Malformed as exc:
        return jsonify({"error": exc.as_dict()}), 400
    db = get_db()
    kiosk: Kiosk = g.kiosk
    refused = _bind_record(kiosk, rows)
    if refused:
        db.rollback()
        return refused
    outcome = ingest.store(db, rows, "sync")
    _touch(kiosk, status, len(outcome.stored))
    db.commit()
    return jsonify({"stored": outcome.stored, "duplicates": outcome.duplicates,
                    "received": len(rows)})


@bp.route("/status", methods=["POST"])
@allow(KIOSK_TOKEN)
def status():
    """A kiosk's report without events: pack, version, events waiting."""
    refused = _authenticate()
    if refused:
        return refused
    body = _body()
    if body is None:
        return error(400, "malformed_request", "send a JSON object")
    try:
        values = _status(body)
    except ingest.Malformed as exc:
        return error(400, "malformed_status", str(exc))
    _touch(g.kiosk, values, 0)
    get_db().commit()
    return jsonify({"kiosk": g.kiosk.name, "received": g.kiosk.received})


def _touch(kiosk: Kiosk, status: dict, stored: int) -> None:
    kiosk.last_contact = utcnow()
    for name, value in status.items():
        setattr(kiosk, name, value)
    if stored:  # in SQL, so that two uploads at once both count
        kiosk.received = Kiosk.received + stored
