"""Packs: a new pack, empty, as a copy of a working copy, or as a country overlay of a base.

Routes of the packs blueprint (``admin.views.packs`` imports this module)."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin import audit
from admin.access import allow
from admin.content import newpack, packfile
from admin.content.revisions import SaveContext, record
from admin.content.storyfile import read
from admin.content.workspace import workspace
from admin.content.yamledit import EditError
from admin.db import get_db
from admin.i18n import reason
from admin.models import Role
from admin.views.packs import bp
from kiosk.content.extends import ExtendsError, pack_identity, parse_range


def _bases() -> dict[str, str]:
    """The packs a country overlay can extend, with the version its range defaults from:
    each working copy's, else the installed active version's."""
    ws = workspace()
    out = {}
    for pid in ws.store.pack_ids():
        active = ws.store.active(pid)
        if active is not None:
            out[pid] = pack_identity(active)[1] or ""
    for wc in ws.working_copies():
        out[wc.pack_id] = pack_identity(wc.root)[1] or out.get(wc.pack_id, "")
    return dict(sorted(out.items()))


def _form_languages(form) -> tuple[dict[str, str], str, list[str], str]:
    """The new-pack form's title (in the default language), country, languages and default
    language."""
    default = form.get("default_language", "").strip()
    languages = [v for v in re.split(r"[\s,]+", form.get("languages", "")) if v]
    return ({default: form.get("title", "").strip()}, form.get("country", "").strip().upper(),
            languages, default)


def _overlay_text(form, pack_id: str, base: str) -> str | None:
    """A new country overlay's pack.yaml from the form; None (with the reason flashed) when
    the base is not offered or its versions are not a range."""
    bases = _bases()
    if base not in bases:
        flash(_("Choose the base pack the overlay builds on."))
        return None
    versions = form.get("base_versions", "").strip() or newpack.default_range(bases[base])
    try:
        parse_range(versions)
    except ExtendsError as exc:
        flash(reason(exc.phrase))
        return None
    title, country, languages, default = _form_languages(form)
    return newpack.overlay_pack_text(pack_id, title, country, languages, default, base,
                                     versions)


def _new_page(form, findings=(), status=200):
    """The new-pack form, with the working copies a pack can be copied from and the packs a
    country overlay can extend."""
    bases = _bases()
    return render_template("packs/new.html", form=form, findings=list(findings),
                           copies=workspace().working_copies(), bases=bases,
                           ranges={b: newpack.default_range(v) for b, v in bases.items()}), status


@bp.route("/new")
@allow(Role.CURATOR)
def new():
    """The form for a new pack: empty, a copy of a working copy, or a country overlay."""
    return _new_page({})


@bp.route("/new", methods=["POST"])
@allow(Role.CURATOR)
def create():
    """Make the new pack as a working copy; a revision of its pack.yaml and an audit entry."""
    form = request.form
    pack_id = form.get("id", "").strip()
    if not pack_id:
        abort(400)
    ws = workspace()
    taken = {wc.pack_id for wc in ws.working_copies()}
    source = form.get("copy_of", "")
    base = form.get("overlay_of", "")
    try:
        if base:
            text = _overlay_text(form, pack_id, base)
            if text is None:
                return _new_page(form, status=422)
            root = newpack.make_pack(ws.new_dir, pack_id, text, taken, stores=[ws.store.root])
        elif source:
            src = ws.working_copy(source)
            text = newpack.copy_pack_text(read(src.root / packfile.PACK_FILE)[0], pack_id)
            root = newpack.make_pack(ws.new_dir, pack_id, text, taken, src.root)
        else:
            text = newpack.empty_pack_text(pack_id, *_form_languages(form))
            root = newpack.make_pack(ws.new_dir, pack_id, text, taken)
    except EditError as exc:
        flash(reason(exc))
        return _new_page(form, status=422)
    except newpack.NotMade as exc:
        return _new_page(form, exc.findings, 422)
    ctx = SaveContext(ws, get_db(), g.user)
    record(ctx, pack_id, packfile.PACK_FILE, "", text, "new pack" + (
        f" (a country overlay of {base})" if base else f" (a copy of {source})" if source
        else ""))
    audit.record(get_db(), g.user, "pack.create", pack_id, None,
                 {"folder": str(root), "copy_of": (source or None) if not base else None,
                  "overlay_of": base or None})
    get_db().commit()
    flash(_("Pack %(id)s made. Add its helplines and stories next.", id=pack_id))
    return redirect(url_for("packs.settings", pack_id=pack_id)), 303
