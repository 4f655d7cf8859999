"""Editing a base story's text inside a country overlay: an override, never the base's file.

In an overlay's working copy, a story that comes from the base (its file is the base's) is
edited here instead of in its file: the scene editor (`stories.scene`) shows the scene's text
per language, and the translations page (`translations.save`) saves a language's lines, both
into the overlay's overrides/<story>.yaml with the hash of the base value each replaces
(`admin.content.overridefile`). The other scene fields (the way on, media, content notes)
are the base's: they are changed in the base pack. Translation marks are not recorded for
overrides: a stale override is what says the base moved.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.access import may_edit_language
from admin.content import overridefile
from admin.content import summaries as S
from admin.content.revisions import SaveContext
from admin.db import get_db
from admin.i18n import reason
from kiosk.content import slots


def base_of(ws, loaded):
    """The overlay's base, loaded alone (404 when it cannot be)."""
    base = ws.load(Path(loaded.pack.bases[0].root)) if loaded.pack.bases else None
    if base is None or base.pack is None:
        abort(404)
    return base


def save_texts(ws, wc, loaded, st, changes: dict[tuple[str, str], str], summary: str):
    """Write changed texts of a base story as overrides; the SaveResult, or None when
    nothing differs from the merged story."""
    base = base_of(ws, loaded)
    base_story = base.pack.stories.get(st.id) or abort(404)
    text, _hash = overridefile.current(wc.root, st.id)
    new = overridefile.with_texts(text, base_story, base.pack.default_language, st, changes)
    if new == text:
        return None
    return overridefile.save_override(SaveContext(ws, get_db(), g.user), wc, st.id,
                                      request.form.get("base_hash", ""), new, summary)


def flash_result(result) -> bool:
    """Say what a save of overrides did; True when it was written (or nothing changed)."""
    if result is None or result.unchanged:
        flash(_("Nothing changed."))
        return True
    if result.conflict is not None:
        flash(_("Not saved: someone else changed the overrides since you opened the page. Look again."))  # noqa: E501 - one msgid
        return False
    if result.errors:
        flash(_("Not saved: the change would give the pack errors:") + " "
              + "; ".join(reason(f.phrase()) for f in result.errors))
        return False
    flash(_("Saved in this overlay's overrides (revision %(rev)d); the base is unchanged.",
            rev=result.revision.id))
    return True


def scene(ws, wc, loaded, st, scene_id: str):
    """The scene editor for a base story in an overlay: the scene's text per language."""
    line = slots.scene_line(st.id, scene_id, "text")
    source = loaded.pack.default_language
    languages = [x for x in st.languages if may_edit_language(g.user, x, source)]
    if request.method == "POST":
        changes = {(line, lang): request.form[f"text.{lang}"] for lang in languages
                   if f"text.{lang}" in request.form}
        flash_result(save_texts(ws, wc, loaded, st, changes, str(S.summary(S.SCENE,
                                                                             scene=scene_id))))
        return redirect(url_for("stories.scene", pack_id=wc.pack_id, story_id=st.id,
                                scene_id=scene_id)), 303
    base = base_of(ws, loaded)
    return render_template("stories/override_scene.html", wc=wc, story=st, scene_id=scene_id,
                           scene=st.scenes[scene_id], languages=languages,
                           base=base.pack, base_hash=overridefile.current(wc.root, st.id)[1])
