"""Stories: "Import from Twine": upload a Twine file, see what it becomes, then create it.

Routes of the stories blueprint (``admin.views.stories`` imports this module); the work is
``admin.content.twineimport`` and, for the writing, ``admin.content.lifecycle.create``.
One route, three steps: GET shows the upload form; POST ``step=preview`` reads the file (or
the source the preview page carries back) and shows scenes, choices, endings and warnings,
writing nothing; POST ``step=import`` writes the story as a new story is written. The file's
text travels in the preview form, so nothing is kept on the server between the steps; the
admin's request limit (``MAX_REQUEST_BYTES``) bounds it.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.access import allow
from admin.content import lifecycle
from admin.content import twineimport as TI
from admin.content.overview import language_name
from admin.content.revisions import SaveContext
from admin.content.yamledit import EditError
from admin.db import get_db
from admin.i18n import reason
from admin.views.stories import EDITORS, bp
from admin.views.storylife import _pack
from kiosk.content.twine import TwineError


@bp.route("/<pack_id>/import-twine", methods=["GET", "POST"])
@allow(*EDITORS)
def import_twine(pack_id: str):
    """Import a story from a Twine file: upload, preview, then create."""
    ws, wc, loaded = _pack(pack_id)
    pack = loaded.pack
    page = {"wc": wc, "pack": pack, "form": request.form, "plan": None, "stories": [],
            "source": "", "filename": "", "findings": [], "checked": None, "language_name": language_name}
    if request.method == "GET":
        return render_template("stories/import_twine.html", **page)
    step = request.form.get("step")
    if step not in ("preview", "import"):
        abort(400)
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        raw, filename = upload.read(), upload.filename
    else:
        # a browser sends a textarea's lines with CRLF: give back the file's own newlines
        raw = request.form.get("source", "").replace("\r\n", "\n").encode("utf-8")
        filename = request.form.get("filename", "")
    if not raw:
        flash(_("Choose a Twine file (.twee or .html) to import."))
        return render_template("stories/import_twine.html", **page), 400
    lang = request.form.get("lang") or pack.default_language
    if lang not in pack.languages:
        abort(400)
    try:
        stories = TI.read_file(raw, filename)
        plan = TI.prepare(stories, request.form.get("name", ""),
                          request.form.get("story_id", "").strip(), lang, pack)
    except TwineError as exc:
        flash(_("Refused, nothing was written: %(why)s", why=reason(exc)))
        return render_template("stories/import_twine.html", **page), 400
    page.update(plan=plan, stories=stories, source=raw.decode("utf-8-sig"), filename=filename,
                lang=lang)
    text = TI.complete(plan.result.yaml_text, lang, request.form.get("summary", ""),
                       request.form.get("duration", ""), request.form.get("age_min", ""))
    if step == "preview":
        page["checked"] = TI.check(plan, pack, wc.root, text)
        return render_template("stories/import_twine.html", **page)
    status = 400
    try:
        lifecycle.check_new_id(pack, wc, plan.story_id)
        if not request.form.get("summary", "").strip():
            raise EditError("a new story needs a title, a summary and the text of its "
                            "first scene")
        result = lifecycle.create(SaveContext(ws, get_db(), g.user), wc, plan.story_id, text,
                                  f"new story {plan.story_id}, imported from Twine", loaded)
    except EditError as exc:
        flash(_("Not created: %(why)s", why=reason(exc)))
    else:
        if result.revision is not None:
            flash(_("Imported story %(id)s from Twine. Twine has no consent, content notes or helplines: add them here.", id=plan.story_id))  # noqa: E501 - one msgid
            return redirect(url_for("stories.settings", pack_id=pack_id,
                                    story_id=plan.story_id), 303)
        flash(_("Not created: the validator found errors, shown below."))
        page["findings"], status = result.errors, 422
    return render_template("stories/import_twine.html", **page), status
