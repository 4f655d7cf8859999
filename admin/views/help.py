"""Help: the guides of docs/ (and the reference pages they link to) as admin pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory

from admin import docpages
from admin.access import ANY_STAFF, allow

bp = Blueprint("help", __name__, url_prefix="/help")


@bp.route("/<path:page>")
@allow(ANY_STAFF)
def page(page: str):
    """One documentation page, in English (the guides are not translated)."""
    try:
        body = docpages.render(page)
    except KeyError:
        abort(404)
    return render_template("help/page.html", body=body)


@bp.route("/screenshots/<picture>")
@allow(ANY_STAFF)
def screenshot(picture: str):
    """A screenshot the guides show (only the PNG files of docs/screenshots)."""
    if not picture.endswith(".png"):
        abort(404)
    return send_from_directory(docpages.PICTURES, picture)
