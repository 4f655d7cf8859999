"""Stories: a new story (blank or a copy), deleting one to the trash, restoring it.

Routes of the stories blueprint (``admin.views.stories`` imports this module); the work is
``admin.content.lifecycle``.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.access import allow
from admin.content import lifecycle
from admin.content.overview import story_title
from admin.content.revisions import SaveContext, base_file, in_copy
from admin.content.storyfile import Conflict, read
from admin.content.workspace import workspace
from admin.content.yamledit import EditError
from admin.db import get_db
from admin.i18n import reason
from admin.models_content import Revision
from admin.views.stories import DIFF_READERS, EDITORS, _prefer, _story, bp


def _pack(pack_id: str):
    ws = workspace()
    wc = ws.working_copy(pack_id)
    loaded = ws.load(wc.root)
    if loaded.pack is None:
        abort(404)
    return ws, wc, loaded


@bp.route("/<pack_id>/new", methods=["GET", "POST"])
@allow(*EDITORS)
def new_story(pack_id: str):
    """A new story: blank (title, id, summary, a first scene) or as a copy of another."""
    ws, wc, loaded = _pack(pack_id)
    pack = loaded.pack
    others = sorted((sid, story_title(st, _prefer(pack))) for sid, st in pack.stories.items())
    form = request.form if request.method == "POST" else {"copy_of": request.args.get(
        "copy_of", "")}
    findings: list = []
    status = 200
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        if "title" not in request.form or "copy_of" not in request.form:
            abort(400)
        story_id = request.form.get("story_id", "").strip() or lifecycle.id_from_title(title)
        copy_of = request.form.get("copy_of", "")
        try:
            if not story_id:
                raise EditError("give the story an id: lower-case Latin letters, digits, - and _")
            lifecycle.check_new_id(pack, wc, story_id)
            if copy_of:
                if copy_of not in pack.stories:
                    abort(404)
                text, _h = read(wc.root / pack.stories[copy_of].file)
                text = lifecycle.copy_text(text, story_id, pack.default_language, title)
                summary = f"new story {story_id}, a copy of {copy_of}"
            else:
                if not all(request.form.get(k, "").strip() for k in ("title", "summary", "text")):
                    raise EditError("a new story needs a title, a summary and the text of its "
                                    "first scene")
                text = lifecycle.blank_text(
                    story_id, title, pack.default_language, request.form.get("summary", ""),
                    request.form.get("text", ""), request.form.get("duration", ""),
                    request.form.get("age_min", ""))
                summary = f"new story {story_id}"
            result = lifecycle.create(SaveContext(ws, get_db(), g.user), wc, story_id, text,
                                      summary, loaded)
        except EditError as exc:
            flash(_("Not created: %(why)s", why=reason(exc)))
            status = 400
        else:
            if result.revision is not None:
                flash(_("Created story %(id)s. Fill in its settings: consent, languages, content notes.", id=story_id))  # noqa: E501 - one msgid
                return redirect(url_for("stories.settings", pack_id=pack_id,
                                        story_id=story_id), 303)
            flash(_("Not created: the validator found errors, shown below."))
            findings, status = result.errors, 422
    return render_template("stories/new.html", wc=wc, pack=pack, others=others, form=form,
                           findings=findings), status


@bp.route("/<pack_id>/<story_id>/delete", methods=["POST"])
@allow(*EDITORS)
def delete_story(pack_id: str, story_id: str):
    """Move a story to the pack's trash (its text kept in the history; restorable)."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    if not in_copy(wc, st.file):  # an overlay hides a base story (pack.yaml's hide:)
        flash(reason(base_file(st.file).phrase()))
        return redirect(url_for("stories.story", pack_id=pack_id, story_id=story_id), 303)
    try:
        lifecycle.delete(SaveContext(ws, get_db(), g.user), wc, st, base_hash)
    except Conflict:
        flash(_("Not deleted: the story changed since you opened the page; look again."))
        return redirect(url_for("stories.story", pack_id=pack_id, story_id=story_id), 303)
    flash(_("Story %(id)s moved to the trash. It can be restored from there.", id=story_id))
    return redirect(url_for("stories.trash", pack_id=pack_id), 303)


@bp.route("/<pack_id>/trash")
@allow(*DIFF_READERS)
def trash(pack_id: str):
    """The pack's deleted stories, with Restore."""
    ws, wc, _loaded = _pack(pack_id)
    rows = lifecycle.trash(SaveContext(ws, get_db(), g.user), wc)
    return render_template("stories/trash.html", wc=wc, rows=rows)


@bp.route("/<pack_id>/trash/<int:revision_id>/restore", methods=["POST"])
@allow(*EDITORS)
def restore_story(pack_id: str, revision_id: int):
    """Put a deleted story back (never over a file of that name)."""
    ws, wc, loaded = _pack(pack_id)
    rev = get_db().get(Revision, revision_id)
    if rev is None or rev.pack_id != pack_id:
        abort(404)
    if request.form.get("confirm") != "1":
        abort(400)
    try:
        result = lifecycle.restore(SaveContext(ws, get_db(), g.user), wc, rev, loaded)
    except EditError as exc:
        flash(_("Not restored: %(why)s", why=reason(exc)))
        return redirect(url_for("stories.trash", pack_id=pack_id), 303)
    if result.revision is None:
        flash(_("Not restored: %(why)s", why="; ".join(f.format() for f in result.errors[:3])))
        return redirect(url_for("stories.trash", pack_id=pack_id), 303)
    story_id = rev.file.rsplit("/", 1)[-1][:-len(".yaml")]
    flash(_("Restored story %(id)s.", id=story_id))
    return redirect(url_for("stories.story", pack_id=pack_id, story_id=story_id), 303)
