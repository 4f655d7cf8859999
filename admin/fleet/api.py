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
from admin.fleet import assign, downloads, manifest

bp = Blueprint("fleet_api", __name__, url_prefix=PREFIX)


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
    row = assign.current(get_db(), g.kiosk.id)
    if row is None or (row.bundle.pack_id, row.bundle.version) != (pack_id, version):
        return error(403, "not_assigned", "this kiosk is not assigned that pack version; "
                                          "ask /api/v1/assignment what it plays")
    return downloads.send(current_app, row.bundle)
