"""The audit log, read-only, for administrators."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from admin.access import allow
from admin.db import get_db
from admin.models import AuditEntry, Role

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50


@bp.route("/")
@allow(Role.ADMINISTRATOR)
def index():
    """The newest entries first, 50 a page."""
    db = get_db()
    page = max(1, request.args.get("page", 1, type=int))
    total = db.scalar(select(func.count()).select_from(AuditEntry))
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())
                         .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("audit.html", entries=entries, page=page, pages=pages, total=total)
