"""Packs: a working copy's settings form (pack.yaml as fields: title, version, languages,
helplines, content notes, surveys, attract pictures, kiosk settings, string overrides).

Routes of the packs blueprint (``admin.views.packs`` imports this module)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from admin.access import allow
from admin.content import packfile, packsettings, yamledit
from admin.content.fragments import CSRF_SLOT, fill
from admin.content.media import media_files
from admin.content.revisions import SaveContext
from admin.content.storyfile import read
from admin.content.workspace import workspace
from admin.db import get_db
from admin.models import Role
from admin.views.packs import bp
from kiosk.content.mediacheck import KINDS
from kiosk.content.versions import is_version, next_version, version_key


class _Unreadable(Exception):
    """pack.yaml's text is not a mapping: the page says so instead of showing the form."""


def _settings_page(wc, text, base_hash, findings=None, status=200, notice=None, conflict=None):
    """The settings form built from a pack.yaml text, with findings beside their fields.

    The form is kept (admin.content.fragments) while the pack and this text are unchanged,
    unless it shows a refused save's findings or a removal to confirm."""
    ws = workspace()
    loaded = ws.load(wc.root)
    installed = ws.store.versions(wc.pack_id)

    def form() -> str:
        try:
            doc = yamledit.load_for_reading(text)
        except Exception:  # ruamel's many parse errors; the loader's findings say where
            doc = None
        if not isinstance(doc, dict):
            raise _Unreadable
        shown = findings if findings is not None else [f for f in loaded.findings
                                                       if f.file == packfile.PACK_FILE]
        by_field: dict[str, list] = {}
        for f in shown:
            by_field.setdefault(f.path, []).append(f)
        languages = [str(v) for v in (doc.get("languages") or [])]
        version = str(doc.get("version") or "")
        newest = max((v.version for v in installed if is_version(v.version)), key=version_key,
                     default=None)
        suggest = (next_version(max([v for v in (newest, version) if v and is_version(v)],
                                    key=version_key)) if (newest or is_version(version))
                   else "1.0.0")
        images = [p for p in media_files(wc.root / "media")
                  if KINDS.get("." + p.rsplit(".", 1)[-1].lower()) == "image"]
        return render_template("packs/_settings_form.html", wc=wc,
                               blocks=packsettings.sections(doc, languages),
                               languages=languages, base_hash=base_hash, by_field=by_field,
                               findings=shown, notice=notice, newest=newest, suggest=suggest,
                               coverage=loaded.coverage, images=images,
                               kinds=packsettings.CHOICES, csrf_slot=Markup(CSRF_SLOT))

    try:
        if findings is None and notice is None:
            key = ("packs.settings", base_hash, tuple(v.folder for v in installed))
            form_html = ws.fragments.keep(wc.root, loaded, key, form)
        else:
            form_html = fill(form())
    except _Unreadable:
        return render_template("packs/settings.html", wc=wc, broken=True, base_hash=base_hash,
                               findings=[f for f in loaded.findings
                                         if f.file == packfile.PACK_FILE]), 422
    return render_template("packs/settings.html", wc=wc, form_html=form_html, notice=notice,
                           conflict=conflict), status


@bp.route("/<pack_id>/settings")
@allow(Role.CURATOR, Role.EDITOR, Role.VIEWER)
def settings(pack_id: str):
    """A working copy's pack.yaml as a form: every setting, helplines, notes, surveys."""
    wc = workspace().working_copy(pack_id)
    text, base_hash = read(wc.root / packfile.PACK_FILE)
    return _settings_page(wc, text, base_hash)


@bp.route("/<pack_id>/settings", methods=["POST"])
@allow(Role.CURATOR)
def save_settings(pack_id: str):
    """Save the settings form: validated with the whole pack, atomic, a revision, audited."""
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    ws = workspace()
    wc = ws.working_copy(pack_id)
    current, current_hash = read(wc.root / packfile.PACK_FILE)
    if current_hash != base_hash:
        return _settings_page(wc, current, current_hash, status=409, conflict=True)
    try:
        doc = yamledit.load_for_reading(current)  # parsed for the form already: a fresh copy
    except Exception:
        doc = None
    if not isinstance(doc, dict):
        return _settings_page(wc, current, current_hash)
    old_langs = [str(v) for v in (doc.get("languages") or [])]
    changed = packsettings.apply(doc, request.form, old_langs)
    new_text = yamledit.write_document(current, doc)
    new_langs = [str(v) for v in (doc.get("languages") or [])]
    gone = [lang for lang in old_langs if lang not in new_langs]
    if gone and request.form.get("confirm_remove") != " ".join(gone):
        loaded = ws.load(wc.root)
        notice = {"gone": gone, "texts": packsettings.texts_in(loaded.pack, gone)}
        return _settings_page(wc, new_text, base_hash, status=422, notice=notice,
                              findings=[])
    ctx = SaveContext(ws, get_db(), g.user)
    result = packfile.save_pack_file(ctx, wc, base_hash, new_text,
                                     "pack settings: " + ", ".join(changed)[:250])
    if result.conflict is not None:
        return _settings_page(wc, result.conflict.current_text, result.conflict.current_hash,
                              status=409, conflict=True)
    if result.errors:
        flash(_("Not saved: the changes would give the pack errors (shown beside the fields)."))
        return _settings_page(wc, new_text, base_hash, result.errors + result.warnings, 422)
    if result.unchanged:
        flash(_("Nothing changed."))
    else:
        flash(_("Pack settings saved."))
    return redirect(url_for("packs.settings", pack_id=pack_id)), 303
