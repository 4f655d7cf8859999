"""The Visitor feedback reports: per story started, finished, left (and where), median time,
a funnel over scenes; filters; charts as SVG; CSV of the aggregated tables. Small cells are
suppressed in every view and export (``admin.feedback.reports``).
"""

from __future__ import annotations

import csv
import io
import re

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _

from admin.access import allow
from admin.db import database, get_db
from admin.feedback import reports
from admin.feedback.svg import bar_chart
from admin.models import Role

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = (Role.ADMINISTRATOR, Role.CURATOR, Role.EDITOR, Role.PEDAGOGUE, Role.VIEWER)
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")
DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")


def _filters() -> reports.Filters:
    """The filters from the query string; 400 for a value of the wrong form."""
    args = request.args
    values = {name: args.get(name, "").strip() for name in
              ("pack", "story", "language", "kiosk", "date_from", "date_to")}
    for name in ("pack", "story", "language", "kiosk"):
        if not ID_RE.match(values[name]):
            abort(400)
    for name in ("date_from", "date_to"):
        if not DATE_RE.match(values[name]):
            abort(400)
    audience = args.get("audience", "all") or "all"
    if audience not in reports.AUDIENCES:
        abort(400)
    return reports.Filters(**values, audience=audience)


@bp.route("/")
@allow(*READERS)
def index():
    """The per-story report with its charts, for the chosen filters."""
    filters = _filters()
    db = get_db()
    report = reports.story_report(db, filters)
    chart = bar_chart(_("Visitor sessions per story"),
                      [(r.story, [r.started, r.finished, r.left]) for r in report.rows],
                      [_("started"), _("finished"), _("left")], _("fewer than 5"))
    funnels = [(r, bar_chart(_("Sessions that saw each scene of %(story)s", story=r.story),
                             [(scene, [n]) for scene, n in r.funnel], [_("saw the scene")],
                             _("fewer than 5"))) for r in report.rows if r.funnel]
    return render_template("feedback/reports.html", report=report, filters=filters,
                           chart=chart, funnels=funnels, options=reports.options(db),
                           audiences=reports.AUDIENCES, min_cell=reports.MIN_CELL)


def _csv(rows: list[list], name: str) -> Response:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return Response(buf.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _filter_lines(filters: reports.Filters) -> list[list]:
    stated = "; ".join(f"{k}={v}" for k, v in filters.described()) or "none"
    return [["# filters", stated],
            ["# cells resting on fewer than 5 visitor sessions", reports.SUPPRESSED]]


@bp.route("/stories.csv")
@allow(*READERS)
def stories_csv():
    """The per-story table as CSV (suppressed cells as <5; totals of shown cells)."""
    filters = _filters()
    report = reports.story_report(get_db(), filters)
    rows: list[list] = [["story", "started", "finished", "left", "median_seconds"]]
    rows += [[r.story, r.started, r.finished, r.left,
              "" if r.median_seconds is None else r.median_seconds] for r in report.rows]
    rows.append(["(total of shown cells)", report.totals["started"], report.totals["finished"],
                 report.totals["left"], ""])
    return _csv(rows + _filter_lines(filters), "stories.csv")


@bp.route("/scenes.csv")
@allow(*READERS)
def scenes_csv():
    """Per story and scene: sessions that saw it, and that left there (suppressed as <5)."""
    filters = _filters()
    report = reports.story_report(get_db(), filters)
    rows: list[list] = [["story", "scene", "measure", "sessions"]]
    for r in report.rows:
        rows += [[r.story, scene, "saw", n] for scene, n in r.funnel]
        rows += [[r.story, scene, "left_here", n] for scene, n in r.left_at]
    return _csv(rows + _filter_lines(filters), "scenes.csv")


@bp.route("/events.csv")
@allow(Role.ADMINISTRATOR)
def events_csv():
    """The raw anonymous events of the selection, streamed (administrators only).

    Free text waits for moderation (ETHICS.md rule 10) and is left out.
    """
    filters = _filters()
    query = reports.raw_events(filters)
    get_db().close()  # the rows come from a session of the stream's own, closed at its end

    def rows():
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\r\n")
        out.writerow(["id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"])
        with database().session() as db:
            for row in db.execute(query.execution_options(yield_per=5000)):
                out.writerow(row)
                if buf.tell() > 1 << 16:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
        yield buf.getvalue()

    return Response(stream_with_context(rows()), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="events.csv"', "Cache-Control": "no-store"})
