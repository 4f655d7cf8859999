"""Packs: a country overlay's page, what it changes against its base, and its stale overrides.

Routes of the packs blueprint (``admin.views.packs`` imports this module). The page groups
what `admin.content.overlaydiff` finds, stale overrides first; Accept keeps the overlay's text
and records the base's new hash, Redo opens the text prefilled with the base's new text.
Both write the overlay's overrides file (`admin.content.overridefile`), never the base.
Curators act on every override; translators on texts in their languages (`may_edit_language`)
and see only the overrides they may read.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.access import allow, may_edit_language, may_read_language
from admin.content import overlaydiff, overridefile
from admin.content import summaries as S
from admin.content.revisions import SaveContext
from admin.content.workspace import workspace
from admin.db import get_db
from admin.i18n import reason
from admin.models import Role
from admin.views.packs import bp

READERS = (Role.CURATOR, Role.EDITOR, Role.TRANSLATOR, Role.VIEWER)
REVIEWERS = (Role.CURATOR, Role.TRANSLATOR)


def _overlay(pack_id: str):
    """The working copy, its merged load and its base's (alone); 404 for a plain pack."""
    ws = workspace()
    wc = ws.working_copy(pack_id)
    loaded = ws.load(wc.root)
    if loaded.pack is None or not loaded.pack.bases:
        abort(404)
    base = ws.load(Path(loaded.pack.bases[0].root))
    if base.pack is None:
        abort(404)
    return ws, wc, loaded, base


def _may_edit(lang: str | None, source: str) -> bool:
    """A media override (no language) is a curator's; a text one a translator's too."""
    if lang is None:
        return Role(g.user.role) == Role.CURATOR
    return may_edit_language(g.user, lang, source)


def view_of(wc, loaded, base) -> overlaydiff.OverlayView:
    """The overlay's changes as this user may read them, the stale ones' old text filled in."""
    view = overlaydiff.compare(wc.root, loaded, base)
    source = loaded.pack.default_language
    view.overrides = [o for o in view.overrides
                      if o.lang is None or may_read_language(g.user, o.lang, source)]
    overlaydiff.old_texts(get_db(), base.pack.id, base, view.stale)
    return view


@bp.route("/<pack_id>/overlay")
@allow(*READERS)
def overlay(pack_id: str):
    """What a country overlay changes against its base, side by side, stale overrides first."""
    ws, wc, loaded, base = _overlay(pack_id)
    view = view_of(wc, loaded, base)
    hashes = {story: overridefile.current(wc.root, story)[1]
              for story in {o.story for o in view.overrides}}
    return render_template("packs/overlay.html", wc=wc, loaded=loaded, base=base, view=view,
                           hashes=hashes, may_edit=_may_edit,
                           source=loaded.pack.default_language)


def _target(loaded, base):
    """The override a form names (story, line, language), as the page showed it; 404 when
    the overlay has no such override, 403 when this user may not change it."""
    form = request.values
    lang = form.get("lang") or None
    view = overlaydiff.compare(Path(loaded.pack.root), loaded, base)
    found = next((o for o in view.overrides if o.story == form.get("story", "")
                  and o.line == form.get("line", "") and o.lang == lang), None)
    if found is None or found.missing:
        abort(404)
    if not _may_edit(lang, loaded.pack.default_language):
        abort(403)
    return found


def _refused(pack_id: str, message: str):
    flash(message)
    return redirect(url_for("packs.overlay", pack_id=pack_id)), 303


def _changed_since(target, form) -> bool:
    """True when the base's text is not the one the form showed (the form is stale)."""
    return form.get("base_now", "") != target.current_hash


@bp.route("/<pack_id>/overlay/accept", methods=["POST"])
@allow(*REVIEWERS)
def accept_override(pack_id: str):
    """Keep a stale override's text: record the base's new hash, so it is no longer stale."""
    ws, wc, loaded, base = _overlay(pack_id)
    target = _target(loaded, base)
    if _changed_since(target, request.form):
        return _refused(pack_id, _("Not saved: the base text changed again since you opened the page. Review it again."))  # noqa: E501 - one msgid
    text, _hash = overridefile.current(wc.root, target.story)
    new = overridefile.with_override(text, target.line, target.lang, target.current_hash)
    return _save(ws, wc, target, new, S.ACCEPT_OVERRIDE)


def _place(target) -> str:
    """An override's place in a revision's summary: its line id, and its language."""
    return target.line + (f"/{target.lang}" if target.lang else "")


def _save(ws, wc, target, new_text: str, kind: str):
    """Write the overrides file through the save pipeline; back to the overlay's page."""
    ctx = SaveContext(ws, get_db(), g.user)
    result = overridefile.save_override(ctx, wc, target.story, request.form.get("file_hash", ""),
                                        new_text, str(S.summary(kind, line=_place(target))))
    if result.conflict is not None:
        return _refused(wc.pack_id, _("Not saved: someone else changed the overrides since you opened the page. Look again."))  # noqa: E501 - one msgid
    if result.errors:
        flash(_("Not saved: the change would give the pack errors:") + " "
              + "; ".join(reason(f.phrase()) for f in result.errors))
        return redirect(url_for("packs.overlay", pack_id=wc.pack_id)), 303
    flash(_("Saved the override of %(line)s.", line=target.line))
    return redirect(url_for("packs.overlay", pack_id=wc.pack_id)), 303


@bp.route("/<pack_id>/overlay/redo")
@allow(*REVIEWERS)
def redo_override(pack_id: str):
    """An override's text to write again, prefilled with the base's new text."""
    ws, wc, loaded, base = _overlay(pack_id)
    target = _target(loaded, base)
    if target.what != "text":
        abort(404)
    overlaydiff.old_texts(get_db(), base.pack.id, base, [target])
    return render_template("packs/redo_override.html", wc=wc, target=target,
                           file_hash=overridefile.current(wc.root, target.story)[1])


@bp.route("/<pack_id>/overlay/redo", methods=["POST"])
@allow(*REVIEWERS)
def save_redone_override(pack_id: str):
    """Write an override's new text, recording the base's hash it was written against."""
    ws, wc, loaded, base = _overlay(pack_id)
    target = _target(loaded, base)
    if target.what != "text":
        abort(404)
    if _changed_since(target, request.form):
        return _refused(pack_id, _("Not saved: the base text changed again since you opened the page. Review it again."))  # noqa: E501 - one msgid
    value = request.form.get("text", "")
    if not value.strip():
        flash(_("Write the text, or keep the overlay's with Accept."))
        return redirect(url_for("packs.redo_override", pack_id=pack_id, story=target.story,
                                line=target.line, lang=target.lang or "")), 303
    text, _hash = overridefile.current(wc.root, target.story)
    new = overridefile.with_override(text, target.line, target.lang, target.current_hash,
                                     value)
    return _save(ws, wc, target, new, S.REDO_OVERRIDE)
