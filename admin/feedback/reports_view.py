"""The Visitor feedback reports: stories (started, finished, left and where, median time,
funnel), choices at each branching point, surveys before and after with the paired shift,
breakdowns (language, country, kiosk, day, hour, school or general), the printable impact
report, and CSV of every aggregated table (plain, or for Excel: ``csvfile``). Filters on every page; small cells suppressed in
every view and export (``admin.feedback.suppress``).
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.access import allow
from admin.db import database, get_db
from admin.feedback import breakdowns, choices, csvfile, impact, reports, surveys, tables
from admin.feedback.labels import Labels, labels
from admin.feedback.svg import bar_chart
from admin.models import Role

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = (Role.ADMINISTRATOR, Role.CURATOR, Role.EDITOR, Role.PEDAGOGUE, Role.VIEWER)
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")
DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")
TABS = [("reports.index", _l("Stories")), ("reports.choices_page", _l("Choices")),
        ("reports.surveys_page", _l("Surveys")), ("reports.breakdowns_page", _l("Breakdowns")),
        ("reports.impact_page", _l("Printable impact report"))]


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


def _labels(db) -> Labels:
    """Names and wording for the page's language."""
    return labels(current_app, db, str(get_locale() or "en"))


def _page(template: str, filters: reports.Filters, **context) -> str:
    db = get_db()
    return render_template(template, filters=filters, options=reports.options(db),
                           audiences=reports.AUDIENCES, min_cell=reports.MIN_CELL,
                           tabs=TABS, labels=context.pop("labels", None) or _labels(db),
                           **context)


def hidden_texts() -> tuple[str, str, str]:
    """How a hidden value reads in a chart: (small, protecting, withheld), in the page's language."""
    return _("fewer than 5"), _("hidden to protect a small group"), _("hidden")


def story_charts(report: reports.StoryReport, names: Labels):
    """The stories chart and one funnel chart per story."""
    chart = bar_chart(_("Visitor sessions per story"),
                      [(names.story(r.story), [r.started, r.finished, r.left])
                       for r in report.rows],
                      [_("started"), _("finished"), _("left")], *hidden_texts())
    funnels = [(r, bar_chart(_("Sessions that saw each scene of %(story)s",
                               story=names.story(r.story)),
                             [(names.scene(r.story, scene), [n]) for scene, n in r.funnel],
                             [_("saw the scene")],
                             *hidden_texts())) for r in report.rows if r.funnel]
    return chart, funnels


def choice_charts(points: list[choices.BranchPoint], names: Labels):
    """One chart per branching point: its choices, overall."""
    return [(p, bar_chart(_("Choices at %(story)s / %(scene)s", story=names.story(p.story),
                          scene=names.scene(p.story, p.scene)),
                          [(names.choice(p.story, p.scene, ch), [n])
                           for ch, n, _share in p.overall.cells],
                          [_("sessions")], *hidden_texts())) for p in points]


def survey_charts(rows: list[surveys.QuestionRow], names: Labels):
    """One chart per question and story: the answers before and after, side by side."""
    out = []
    for q in rows:
        before, after = dict(q.before), dict(q.after)
        answers = list(dict.fromkeys([a for a, _n in q.before] + [a for a, _n in q.after]))
        out.append((q, bar_chart(_("Answers to %(q)s around %(story)s", q=q.question,
                                   story=names.story(q.story)),
                                 [(a, [before.get(a, 0), after.get(a, 0)]) for a in answers],
                                 [_("before"), _("after")], *hidden_texts())
                    if answers else None))
    return out


DIMENSION_TITLES = {"language": _l("Languages"), "country": _l("Countries"),
                    "kiosk": _l("Kiosks"), "day": _l("Days (UTC)"), "hour": _l("Hours (UTC)"),
                    "audience": _l("School sessions and general visitors")}


def breakdown_charts(items: list[breakdowns.Breakdown]):
    """One chart per dimension: sessions per group."""
    return [(b, bar_chart(str(DIMENSION_TITLES[b.dimension]),
                          [(row[0], [row[1]]) for row in b.rows], [_("sessions")],
                          *hidden_texts())) for b in items]


@bp.route("/")
@allow(*READERS)
def index():
    """The per-story report with its charts, for the chosen filters."""
    filters = _filters()
    db = get_db()
    names = _labels(db)
    report = reports.story_report(db, filters)
    chart, funnels = story_charts(report, names)
    return _page("feedback/reports.html", filters, labels=names, report=report, chart=chart,
                 funnels=funnels)


@bp.route("/choices")
@allow(*READERS)
def choices_page():
    """How visitors chose at each branching point: overall, by language, country, kiosk."""
    filters = _filters()
    db = get_db()
    names = _labels(db)
    points = choices.choice_report(db, filters, names)
    return _page("feedback/choices.html", filters, labels=names, points=choice_charts(points, names),
                 dimensions=choices.DIMENSIONS)


@bp.route("/surveys")
@allow(*READERS)
def surveys_page():
    """Answers before and after each story, and the paired shift with its interval."""
    filters = _filters()
    db = get_db()
    names = _labels(db)
    rows = surveys.survey_report(db, filters)
    return _page("feedback/surveys.html", filters, labels=names,
                 questions=survey_charts(rows, names),
                 min_pairs=surveys.MIN_PAIRS)


@bp.route("/breakdowns")
@allow(*READERS)
def breakdowns_page():
    """Sessions and stories by language, country, kiosk, day, hour, school or general."""
    filters = _filters()
    db = get_db()
    names = _labels(db)
    items = breakdowns.breakdown_report(db, filters, names)
    return _page("feedback/breakdowns.html", filters, labels=names,
                 items=breakdown_charts(items))


@bp.route("/impact")
@allow(*READERS)
def impact_page():
    """The printable impact report: one page, every report, the period and filters stated."""
    filters = _filters()
    db = get_db()
    names = _labels(db)
    data = impact.impact_report(db, filters, names)
    chart, funnels = story_charts(data.stories, names)
    return _page("feedback/impact.html", filters, labels=names, data=data, chart=chart,
                 funnels=funnels, points=choice_charts(data.choices, names),
                 questions=survey_charts(data.surveys, names),
                 items=breakdown_charts(data.breakdowns), dimensions=choices.DIMENSIONS,
                 min_pairs=surveys.MIN_PAIRS)


def _dialect() -> csvfile.Dialect:
    """Plain CSV, or for Excel in the page's language with ``?excel=1``."""
    if request.args.get("excel") == "1":
        return csvfile.for_excel(str(get_locale() or "en"))
    return csvfile.PLAIN


def _csv(rows: list[list], name: str) -> Response:
    return Response(csvfile.write_rows(rows, _dialect()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


CSV_TABLES = {
    "stories": lambda db, f: tables.stories_rows(reports.story_report(db, f)),
    "scenes": lambda db, f: tables.scenes_rows(reports.story_report(db, f)),
    "choices": lambda db, f: tables.choices_rows(
        choices.choice_report(db, f, labels(current_app, db))),
    "surveys": lambda db, f: tables.surveys_rows(surveys.survey_report(db, f)),
    "breakdowns": lambda db, f: tables.breakdowns_rows(
        breakdowns.breakdown_report(db, f, labels(current_app, db))),
}


def _table_view(table: str):
    """The view of one table's CSV (suppressed cells as <5), the filters stated below it."""
    def view():
        filters = _filters()
        rows = CSV_TABLES[table](get_db(), filters)
        return _csv(rows + tables.filter_lines(filters), f"{table}.csv")

    view.__name__ = f"{table}_csv"
    view.__doc__ = f"The {table} table as CSV (suppressed cells as <5), filters stated."
    return view


# One route per table (reports.stories_csv, reports.choices_csv, ...): no URL argument.
for _table in CSV_TABLES:
    bp.add_url_rule(f"/{_table}.csv", f"{_table}_csv", allow(*READERS)(_table_view(_table)))


@bp.route("/events.csv")
@allow(Role.ADMINISTRATOR)
def events_csv():
    """The raw anonymous events of the selection, streamed (administrators only).

    Free text waits for moderation (ETHICS.md rule 10) and is left out.
    """
    filters = _filters()
    query = reports.raw_events(filters)
    get_db().close()  # the rows come from a session of the stream's own, closed at its end

    dialect = _dialect()

    def rows():
        chunk = [["id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"]]
        first = True
        with database().session() as db:
            for row in db.execute(query.execution_options(yield_per=5000)):
                chunk.append(row)
                if len(chunk) >= 1000:
                    yield csvfile.write_rows(chunk, dialect, first)
                    chunk, first = [], False
        yield csvfile.write_rows(chunk, dialect, first)

    return Response(stream_with_context(rows()), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="events.csv"', "Cache-Control": "no-store"})
