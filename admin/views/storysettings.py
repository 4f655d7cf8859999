"""Stories: the story settings page (every story key; the scene keys the editor leaves out).

A route of the stories blueprint (``admin.views.stories`` imports this module); the form is
``admin.content.storysettings``. Translators translate titles, summaries and prompts on the
Translations page; this page shows every language, so it is not theirs.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from admin.access import allow
from admin.content import storysettings as SS
from admin.content.fragments import CSRF_SLOT, fill
from admin.content.overview import language_name, story_title
from admin.content.revisions import SaveContext, save_story
from admin.content.sceneform import FormError
from admin.content.storyfile import read
from admin.content.workspace import workspace
from admin.content.yamledit import EditError, edit_document, load_for_reading
from admin.db import get_db
from admin.i18n import reason
from admin.views.stories import DIFF_READERS, EDITORS, _prefer, _story, bp
from kiosk.content import model as M
from kiosk.content.findings import finding


def _placed(path: str, scene_ids) -> bool:
    """True when the settings page shows a finding with this path beside a field."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in SS.STORY_KEYS:
        return True
    for sid in scene_ids:
        for key in (*SS.SCENE_KEYS, "choices"):
            if path.startswith(f"scenes.{sid}.{key}"):
                return key != "choices" or ".discussion" in path or ".add" in path
    return False


def _page(wc, loaded, st, text, base_hash, findings, status=200, conflict=False, form=None):
    """The settings page of a story file's text; `form` holds a refused save's values.

    Without them the form is kept (admin.content.fragments) while the pack and the text are
    unchanged."""
    def render() -> str:
        doc = load_for_reading(text)
        shown = form if form is not None else SS.to_form(doc, st.languages)
        by_field: dict[str, list] = {}
        elsewhere = []
        for f in findings:
            if _placed(f.path, st.scenes):
                by_field.setdefault(f.path, []).append(f)
            else:
                elsewhere.append(f)
        scenes = {sid: sc for sid, sc in (doc.get("scenes") or {}).items()
                  if isinstance(sc, dict)}
        sources = doc.get("sources") or {}
        return render_template(
            "stories/_settings_form.html", wc=wc, pack=loaded.pack, story=st, form=shown,
            base_hash=base_hash, by_field=by_field, elsewhere=elsewhere,
            languages=st.languages, language_name=language_name, scenes=scenes,
            source_ids=list(sources.keys()),
            text_sources={sid for sid, s in sources.items()
                          if isinstance(s, dict) and isinstance(s.get("text"), dict)},
            M=M, csrf_slot=Markup(CSRF_SLOT))

    if form is None:
        key = ("stories.settings", st.file, base_hash)
        form_html = workspace().fragments.keep(wc.root, loaded, key, render)
    else:
        form_html = fill(render())
    return render_template(
        "stories/settings.html", wc=wc, story=st, form_html=form_html, conflict=conflict,
        title=story_title(st, _prefer(loaded.pack))), status


@bp.route("/<pack_id>/<story_id>/settings")
@allow(*DIFF_READERS)
def settings(pack_id: str, story_id: str):
    """The story's settings: titles, languages, consent, notes, profile, sources, prompts..."""
    _, wc, loaded, st = _story(pack_id, story_id)
    text, current_hash = read(wc.root / st.file)
    findings = [f for f in loaded.findings if f.file == st.file]
    return _page(wc, loaded, st, text, current_hash, findings)


@bp.route("/<pack_id>/<story_id>/settings", methods=["POST"])
@allow(*EDITORS)
def save_settings(pack_id: str, story_id: str):
    """Save the story's settings through the validator (a stale form is refused)."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    text, current_hash = read(wc.root / st.file)
    findings = [f for f in loaded.findings if f.file == st.file]
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    form = request.form
    if base_hash != current_hash:
        flash(_("Not saved: the story changed since you opened this page. Your values are kept below; the findings are the current file's. Save again to write them."))  # noqa: E501 - one msgid
        return _page(wc, loaded, st, text, current_hash, findings, 409, True, form)
    try:
        new_text = edit_document(text, lambda d: SS.apply(d, form, st.languages))
    except FormError as exc:
        bad = finding("error", "bad-form", exc.message, st.file, path=exc.field)
        return _page(wc, loaded, st, text, base_hash, [bad], 400, form=form)
    except EditError as exc:
        flash(_("Not saved: %(why)s", why=reason(exc)))
        return _page(wc, loaded, st, text, base_hash, findings, 400, form=form)
    result = save_story(SaveContext(ws, get_db(), g.user), wc, st.file, base_hash, new_text,
                        "story settings", loaded=loaded)
    if result.conflict is not None:
        flash(_("Not saved: the story changed since you opened this page. Your values are kept below; the findings are the current file's. Save again to write them."))  # noqa: E501 - one msgid
        return _page(wc, loaded, st, text, result.conflict.current_hash, findings,
                     409, True, form)
    if result.errors:
        flash(_("Not saved: the validator found errors, shown beside their fields. Your text is kept below."))  # noqa: E501 - one msgid
        return _page(wc, loaded, st, text, base_hash,
                     result.errors + result.warnings, 422, form=form)
    if result.unchanged:
        flash(_("Nothing changed."))
    else:
        flash(_("Saved: the story's settings (revision %(rev)d).", rev=result.revision.id))
    return redirect(url_for("stories.settings", pack_id=pack_id, story_id=story_id), 303)
