"""The sync API, ``/api/v1/...``: kiosks upload their anonymous events with a bearer token.

Every answer is JSON, refusals too, whatever their cause (an unknown path, a wrong method, a
body too large, too deep or not UTF-8, a failure of the server): ``{"error": {"code",
"message", ...}}`` with a status that says what to do (400 fix the request, 401/403 the token,
404/405 the address or method, 409 the kiosk's identity, 413 smaller batches, 415 send JSON,
429 wait ``Retry-After`` seconds, 500 try later), and nothing stored. Within a batch, events
are judged one by one: the answer lists each refused event (index, id, code, message) and
stores the others. The document at ``/api/v1/openapi.json``
(``admin.feedback.openapi``) describes it all. Requests must be ``application/json``: besides
being the API's format, a browser cannot send that across sites without asking first, so no
page elsewhere can make a staff member's browser post here.
"""

from __future__ import annotations

import json
import time

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import case, select, update
from werkzeug.exceptions import HTTPException, InternalServerError

from admin.access import KIOSK_TOKEN, PUBLIC, allow
from admin.db import get_db
from admin.feedback import ingest, registry
from admin.feedback.openapi import HTTP_CODES, document
from admin.models import utcnow
from admin.models_feedback import Kiosk
from kiosk.record.kinds import is_id, is_version

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)


@bp.record_once
def _exempt_from_csrf(state) -> None:
    """Token-authenticated JSON needs no CSRF token (see the module docstring)."""
    state.app.extensions["csrf"].exempt(bp)


def error(status: int, code: str, message: str, **extra):
    """A JSON refusal."""
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


MESSAGES = {
    404: "no such address in the sync API; see /api/v1/openapi.json",
    405: "this address does not take that method; see the Allow header",
    413: "the request body is larger than the server takes; send fewer events per batch",
    500: "the server failed on this request; nothing was stored; try again later",
}


def _is_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _json_refusal(exc: HTTPException):
    """Any HTTP error under the API's prefix as a JSON refusal (405 keeps its Allow)."""
    status = exc.code or 500
    code = HTTP_CODES.get(status, f"http_{status}")
    response, status = error(status, code, MESSAGES.get(status) or exc.description or code)
    for name, value in exc.get_headers():
        if name.lower() in ("allow", "retry-after"):
            response.headers[name] = value
    return response, status


@bp.record_once
def _json_errors(state) -> None:
    """Answer errors under /api/v1 as JSON, the rest of the admin keeps its error pages.

    Routing errors (404, 405) and 500s are handled by the app, not the blueprint, so the app's
    handlers are wrapped: under the API's prefix the JSON refusal, elsewhere the page as before.
    """
    app = state.app

    def wrap(previous):
        def handler(exc):
            if _is_api():
                return _json_refusal(exc if isinstance(exc, HTTPException) else
                                     _internal(exc))
            return previous(exc) if previous else exc
        return handler

    for code, by_class in list(app.error_handler_spec[None].items()):
        if code is not None:
            for cls, previous in list(by_class.items()):
                app.register_error_handler(cls, wrap(previous))
    for code in HTTP_CODES:
        if not app.error_handler_spec[None].get(code):
            app.register_error_handler(code, wrap(None))


def _internal(exc: BaseException) -> HTTPException:
    return InternalServerError(original_exception=exc)


def _rate_limited():
    """Count this request against the kiosk's minute; a 429 refusal when over the limit.

    Counted in one UPDATE and committed at once, so that every worker sees the same count
    and a refused or failed request still counts.
    """
    limit = current_app.config["API_RATE_LIMIT"]
    now = time.time()
    minute = int(now // 60)
    db = get_db()
    count = db.execute(
        update(Kiosk).where(Kiosk.id == g.kiosk.id)
        .values(rate_count=case((Kiosk.rate_minute == minute, Kiosk.rate_count + 1), else_=1),
                rate_minute=minute)
        .returning(Kiosk.rate_count)).scalar_one()
    db.commit()
    if count <= limit:
        return None
    retry = max(1, int((minute + 1) * 60 - now + 0.999))
    response, status = error(429, "rate_limited", f"this kiosk sent more than {limit} requests "
                                                  f"this minute; wait {retry} s", retry_after=retry)
    response.headers["Retry-After"] = str(retry)
    return response, status


def authenticate():
    """Check JSON, the bearer token and its rate; put the kiosk in g.kiosk or refuse."""
    if not request.is_json:
        return error(415, "not_json", "send the request body as application/json")
    return authenticate_kiosk()


def authenticate_kiosk():
    """Check the bearer token and its rate; put the kiosk in g.kiosk, or a JSON refusal
    (the one token check of every kiosk route, those without a body too)."""
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
    return _rate_limited()


def json_body() -> dict | None:
    """The JSON object sent, or None: not UTF-8, not JSON, nested too deep, a lone surrogate."""
    try:
        data = json.loads(request.get_data(cache=True).decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    if not isinstance(data, dict):
        return None
    return data


def _status(raw: object) -> dict:
    """A kiosk's status report as column values; raise Malformed when it is not one."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - {"pack_id", "pack_version", "waiting"}:
        raise ingest.Malformed("status is an object with pack_id, pack_version and waiting")
    out: dict = {}
    if raw.get("pack_id") is not None:
        if not is_id(raw["pack_id"]):
            raise ingest.Malformed("status.pack_id must be a content id")
        out["pack_id"] = raw["pack_id"]
    if raw.get("pack_version") is not None:
        if not is_version(raw["pack_version"]):
            raise ingest.Malformed("status.pack_version must be a version like 1.2.0")
        out["pack_version"] = raw["pack_version"]
    if "waiting" in raw:
        w = raw["waiting"]
        if not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= ingest.MAX_WAITING:
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
    """Store a batch's good events; answer which were stored, held already, or refused."""
    refused = authenticate()
    if refused:
        return refused
    body = json_body()
    if body is None or "events" not in body or set(body) - {"events", "status"}:
        return error(400, "malformed_request", "send {\"events\": [...], \"status\": {...}}")
    try:
        rows, rejects = ingest.check_batch(body["events"])
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
    _touch(kiosk, status, len(outcome.stored), len(rejects))
    db.commit()
    return jsonify({"stored": outcome.stored, "duplicates": outcome.duplicates,
                    "refused": [r.as_dict() for r in rejects],
                    "received": len(rows) + len(rejects)})


@bp.route("/status", methods=["POST"])
@allow(KIOSK_TOKEN)
def status():
    """A kiosk's report without events: pack, version, events waiting."""
    refused = authenticate()
    if refused:
        return refused
    body = json_body()
    if body is None:
        return error(400, "malformed_request", "send a JSON object")
    try:
        values = _status(body)
    except ingest.Malformed as exc:
        return error(400, "malformed_status", str(exc))
    _touch(g.kiosk, values, 0)
    get_db().commit()
    return jsonify({"kiosk": g.kiosk.name, "received": g.kiosk.received})


def _touch(kiosk: Kiosk, status: dict, stored: int, refused: int = 0) -> None:
    kiosk.last_contact = utcnow()
    for name, value in status.items():
        setattr(kiosk, name, value)
    if stored:  # in SQL, so that two uploads at once both count
        kiosk.received = Kiosk.received + stored
    if refused:
        kiosk.refused = Kiosk.refused + refused
