"""School sessions (issue 11): prepare a class visit, print its guides, read its results.

Pages for the pedagogue under ``/school-sessions``; one API route for kiosks,
``GET /api/v1/school-sessions/<code>`` (bearer token of a registered kiosk), answering the
session (its stories, language, discussion mode, date) and how other visitors chose. Kiosks
without a network take the signed code file instead (``admin.school.codes``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from admin import audit
from admin.access import KIOSK_TOKEN, allow
from admin.content.overview import language_name
from admin.content.workspace import workspace
from admin.db import get_db
from admin.feedback import registry
from admin.feedback.labels import scene_name
from admin.feedback.reports import MIN_CELL
from admin.i18n import LANGUAGES
from admin.models import Role, utcnow
from admin.models_feedback import Kiosk
from admin.models_school import SchoolSession
from admin.school import ages, codes, guide, kiosks, paths, publish, results
from admin.school.forms import SessionForm
from kiosk.story import LineProvider

bp = Blueprint("school_sessions", __name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
PEDAGOGUE = (Role.PEDAGOGUE,)
# A session is its pedagogue's; curators (all content, docs/admin.md "Roles") see and close any.
# Administrators keep accounts, not content: not theirs. Another pedagogue's session is 404.
KEEPERS = (Role.PEDAGOGUE, Role.CURATOR)
GUIDE_READERS = (Role.PEDAGOGUE, Role.CURATOR, Role.EDITOR)


def _pack(pack_id: str | None = None):
    """The working copy's loaded pack (the first one when no id is given); 404 if missing."""
    ws = workspace()
    copies = ws.working_copies()
    if not copies:
        abort(404)
    wc = ws.working_copy(pack_id) if pack_id else copies[0]
    pack = ws.load(wc.root).pack
    if pack is None:
        abort(404)
    return pack


def _session(code: str) -> SchoolSession:
    code = codes.normalise(code)
    if not codes.is_code(code):
        abort(404)
    found = get_db().scalar(select(SchoolSession).where(SchoolSession.code == code))
    if found is None or not _keeps(found):
        abort(404)  # another pedagogue's session: as if it did not exist
    return found


def _keeps(session: SchoolSession) -> bool:
    """True when the user may see and close the session (its pedagogue, or a curator)."""
    return Role(g.user.role) == Role.CURATOR or session.created_by == g.user.username


def _names(pack) -> dict[str, str]:
    """Each of the pack's languages by its own name (CLDR), for the pickers."""
    return {code: language_name(code) for code in pack.languages}


@bp.route("/school-sessions/")
@allow(*KEEPERS)
def index():
    """The user's sessions (a curator's: all) from today on, then past ones (newest first)."""
    query = select(SchoolSession).order_by(SchoolSession.day.desc(), SchoolSession.id.desc())
    if Role(g.user.role) != Role.CURATOR:
        query = query.where(SchoolSession.created_by == g.user.username)
    rows = get_db().scalars(query).all()
    today = date.today()
    return render_template("sessions/index.html", today=today,
                           coming=[s for s in rows if s.day >= today][::-1],
                           past=[s for s in rows if s.day < today], groups=ages.AGE_GROUPS)


@bp.route("/school-sessions/new", methods=["GET", "POST"])
@allow(*PEDAGOGUE)
def new():
    """Step 1 (GET): age group and language. Step 2: the stories that fit, and the rest."""
    pack = _pack()
    group = request.values.get("age_group", "")
    language = request.values.get("language", "")
    if request.args.get("back") or group not in ages.AGE_GROUPS \
            or language not in pack.languages:
        return render_template("sessions/new_step1.html", groups=ages.AGE_GROUPS,
                               languages=pack.languages, names=_names(pack), pack=pack,
                               group=group, language=language)
    fitting = ages.fitting(pack, group, language)
    lines = LineProvider(pack, language)
    form = SessionForm()
    form.stories.choices = [(s.id, f"{lines.story_title(s.id)} ({s.id})") for s in fitting]
    if request.method == "GET":
        form.day.data = form.day.data or date.today()
        form.stories.data = [s.id for s in fitting]
    if form.validate_on_submit():
        db = get_db()
        code = codes.generate(lambda c: db.scalar(
            select(SchoolSession.id).where(SchoolSession.code == c)) is not None)
        session = SchoolSession(
            code=code, day=form.day.data, age_group=group, language=language, pack=pack.id,
            stories=",".join(form.stories.data), discussion=bool(form.discussion.data),
            kiosks=form.kiosks.data, label=(form.label.data or "").strip(),
            created_by=g.user.username)
        db.add(session)
        db.flush()
        audit.record(db, g.user, "school_session.create", f"school_session:{code}", None,
                     session.snapshot())
        db.commit()
        flash(_("Session %(code)s created.", code=code))
        return redirect(url_for("school_sessions.show", code=code))
    return render_template("sessions/new.html", form=form, group=group, language=language,
                           names=_names(pack), groups=ages.AGE_GROUPS, pack=pack,
                           too_young=[s for s in pack.stories.values()
                                      if s.age_min > ages.youngest(group)])


@bp.route("/school-sessions/<code>")
@allow(*KEEPERS)
def show(code: str):
    """The session: its code in large letters, the QR code, the guides, the results."""
    session = _session(code)
    pack = _pack(session.pack)
    lines = LineProvider(pack, session.language)
    titles = {s: lines.story_title(s) for s in session.story_list if s in pack.stories}
    return render_template("sessions/show.html", s=session, titles=titles,
                           used=kiosks.kiosks_used(get_db(), session.code),
                           qr=codes.qr_svg(session.code), today=date.today(),
                           group_label=ages.AGE_GROUPS.get(session.age_group, ("", ""))[1],
                           names=_names(pack))


def _kiosk_document(session: SchoolSession) -> dict:
    """What a kiosk learns of a session: the session and how other visitors chose."""
    data = session.snapshot()
    data["others"] = results.other_visitors(get_db(), session.pack, session.story_list)
    data["min_cell"] = MIN_CELL
    return data


@bp.route("/school-sessions/<code>/code-file.json")
@allow(*KEEPERS)
def code_file(code: str):
    """The signed code file, for a kiosk without a network (copy it to a USB stick)."""
    session = _session(code)
    if session.closed_at is not None:
        abort(410)  # a closed session's code no longer works, offline either
    hashes = list(get_db().scalars(select(Kiosk.token_hash).where(Kiosk.revoked_at.is_(None))))
    body = json.dumps(codes.code_file(_kiosk_document(session), hashes), ensure_ascii=False,
                      indent=1, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="school-session-{session.code}.json"',
        "Cache-Control": "no-store"})


@bp.route("/school-sessions/guide/<story_id>/<language>")
@allow(*GUIDE_READERS)
def teacher_guide(story_id: str, language: str):
    """The teacher's guide of a story in a language (print it, or save it with ?download=1)."""
    pack = _pack(request.args.get("pack") or None)
    if story_id not in pack.stories or language not in pack.languages:
        abort(404)
    download = bool(request.args.get("download"))
    # A saved guide opens from disk, where /static is out of reach: it carries its styles.
    inline_css = "\n".join((STATIC / name).read_text(encoding="utf-8")
                           for name in ("admin.css", "school.css")) if download else ""
    # The guide's own words follow the story's language where the admin speaks it.
    with force_locale(language if language in LANGUAGES else get_locale()):
        html = render_template("sessions/guide.html",
                               guide=guide.build(pack, story_id, language), pack=pack,
                               names=_names(pack), inline_css=inline_css)
    headers = {}
    if download:
        headers["Content-Disposition"] = (f'attachment; filename="guide-{story_id}-'
                                          f'{language}.html"')
    return Response(html, mimetype="text/html", headers=headers)


@bp.route("/school-sessions/<code>/results")
@allow(*KEEPERS)
def session_results(code: str):
    """The class's anonymous results beside all visitors (small cells suppressed)."""
    session = _session(code)
    pack = _pack(session.pack)
    lines = LineProvider(pack, session.language)
    at = publish.moment(session)
    found, plays, used = None, [], 0
    if publish.published(session, utcnow()):  # never before: see admin.school.publish
        db = get_db()
        found = results.session_results(db, session.code, pack, received_by=at)
        used = kiosks.kiosks_used(db, session.code, at)
        # the group's collective choices, in full, unless the code went beyond the class's
        # planned kiosks (admin.school.paths, admin.school.kiosks)
        if session.discussion and used <= session.kiosks:
            plays = paths.class_paths(db, results.class_sessions(db, session.code, at), at)
    return render_template("sessions/results.html", s=session, r=found, lines=lines,
                           plays=plays, used=used,
                           pack=pack, min_cell=MIN_CELL, labels=_labels(pack, lines), zip=zip,
                           published_at=publish.local_time(at).strftime("%Y-%m-%d %H:%M"))


@bp.route("/school-sessions/<code>/close", methods=["POST"])
@allow(*KEEPERS)
def close(code: str):
    """Close the session: the code stops working, the results are published after GRACE."""
    session = _session(code)
    db = get_db()
    # a required checkbox, not a script confirm(): the admin's CSP runs no JavaScript
    if session.closed_at is None and request.form.get("confirm") != "yes":
        flash(_("Not closed: tick the box to confirm that the session ends now."))
        return show(code), 400
    if session.closed_at is None:
        before = session.snapshot()
        session.closed_at = utcnow()
        audit.record(db, g.user, "school_session.close", f"school_session:{session.code}",
                     before, session.snapshot())
        db.commit()
        flash(_("Session %(code)s closed: its code no longer works.", code=session.code))
    return redirect(url_for("school_sessions.show", code=session.code))


def _labels(pack, lines) -> dict:
    """Readable names: story titles, scenes (the start of their text), choice labels and
    question texts in the language."""
    out: dict = {}
    for story in pack.stories.values():
        out[story.id] = lines.story_title(story.id)
        for scene in story.scenes.values():
            out[(story.id, scene.id)] = scene_name(lines.pick(scene.text, scene.id))
            for c in scene.choices:
                out[(story.id, scene.id, c.id)] = lines.pick(c.label, c.id)
    for q in pack.surveys.before + pack.surveys.after:
        out[("q", q.id)] = lines.pick(q.text, q.id)
    return out


@bp.route("/api/v1/school-sessions/<code>")
@allow(KIOSK_TOKEN)
def api_session(code: str):
    """For a kiosk with its token: the session of a code (404 unknown, 410 another day)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    kiosk = registry.find(get_db(), token.strip()) if scheme.lower() == "bearer" else None
    if kiosk is None:
        return jsonify({"error": {"code": "unknown_token",
                                  "message": "send a registered kiosk's token"}}), 401
    if kiosk.revoked:
        return jsonify({"error": {"code": "token_revoked",
                                  "message": "this kiosk's token was revoked"}}), 403
    code = codes.normalise(code)
    session = get_db().scalar(select(SchoolSession).where(SchoolSession.code == code)) \
        if codes.is_code(code) else None
    if session is None:
        return jsonify({"error": {"code": "unknown_code", "message": "no such session"}}), 404
    if session.closed_at is not None:
        return jsonify({"error": {"code": "closed",
                                  "message": "the pedagogue closed this session"}}), 410
    if session.day != date.today():
        return jsonify({"error": {"code": "not_today", "date": session.day.isoformat(),
                                  "message": "this session's code is valid on its own day"}}), 410
    return jsonify({"session": _kiosk_document(session)})
