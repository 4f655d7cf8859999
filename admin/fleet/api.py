"""The fleet's kiosk routes: a kiosk's signed assignment and the bundle assigned to it.

Both take the kiosk's bearer token through the sync API's own check
(``admin.feedback.api.authenticate_kiosk``: a revoked token refused, the per-minute rate
counted) and answer refusals as the sync API does, in JSON.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from admin.access import KIOSK_TOKEN, allow
from admin.db import get_db
from admin.feedback.api import PREFIX, authenticate_kiosk, error
from admin.feedback.openapi import describe
from admin.fleet import assign, downloads, manifest

bp = Blueprint("fleet_api", __name__, url_prefix=PREFIX)

_TOKEN_REFUSALS = {
    "401": {"description": "No token or an unknown one (no_token, unknown_token)."},
    "403": {"description": "The kiosk's token was revoked (token_revoked)."},
    "429": {"description": "Too many requests from this token this minute (rate_limited)."},
}
describe("/assignment", {"get": {
    "operationId": "assignment",
    "summary": "The kiosk's assigned pack, signed (docs/fleet.md).",
    "description": "{signed: {kiosk, version, issued, expires, pack: {id, version, sha256, "
                   "size, url} | null, switch: {mode, at, timezone} | null, rollback}, "
                   "signature}: Ed25519 over the canonical JSON of signed (keys sorted, no "
                   "spaces, UTF-8), with the admin's key (flask --app admin fleet public-key).",
    "security": [{"kioskToken": []}],
    "responses": {"200": {"description": "The signed manifest."}, **_TOKEN_REFUSALS},
}})
describe("/bundles/{pack_id}/{version}", {"get": {
    "operationId": "bundle",
    "summary": "The bundle assigned to this kiosk; Range and If-Range answered.",
    "security": [{"kioskToken": []}],
    "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                   for n in ("pack_id", "version")],
    "responses": {"200": {"description": "The bundle (a zip)."},
                  "206": {"description": "The range asked for."},
                  **_TOKEN_REFUSALS,
                  "403": {"description": "Revoked, or not the bundle assigned to this kiosk "
                                         "(token_revoked, not_assigned)."}},
}})


@bp.route("/assignment")
@allow(KIOSK_TOKEN)
def assignment():
    """The kiosk's current assignment, signed."""
    refused = authenticate_kiosk()
    if refused:
        return refused
    response = jsonify(manifest.for_kiosk(current_app, get_db(), g.kiosk))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/bundles/<pack_id>/<version>")
@allow(KIOSK_TOKEN)
def bundle(pack_id: str, version: str):
    """The bundle assigned to this kiosk (HTTP ranges answered); 403 for any other."""
    refused = authenticate_kiosk()
    if refused:
        return refused
    row = assign.current(get_db(), g.kiosk)
    if row is None or (row.bundle.pack_id, row.bundle.version) != (pack_id, version):
        return error(403, "not_assigned", "this kiosk is not assigned that pack version; "
                                          "ask /api/v1/assignment what it plays")
    return downloads.send(current_app, row.bundle)
