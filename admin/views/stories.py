"""Stories: the packs and their stories, a story's page, the scene editor, revisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.access import allow, readable_languages
from admin.content import merge, overridefile, sceneform, scenemerge
from admin.content import summaries as S
from admin.content.check import new_errors, scene_field
from admin.content.overview import language_name, story_rows, story_title
from admin.content.revisions import SaveContext, check_cached, diff, save_story
from admin.content.storyfile import read
from admin.content.workspace import workspace
from admin.content.yamledit import EditError, edit_scene
from admin.db import get_db
from admin.i18n import get_locale, reason
from admin.models import Role
from admin.models_content import Revision
from admin.views import merging, overlayedit
from kiosk.content.findings import ERROR, finding

bp = Blueprint("stories", __name__, url_prefix="/stories")
READERS = (Role.CURATOR, Role.EDITOR, Role.TRANSLATOR, Role.VIEWER)
EDITORS = (Role.CURATOR, Role.EDITOR)
# A revision's diff shows the whole file, every language: not for translators (they read
# only their languages and the source, access.may_read_language).
DIFF_READERS = (Role.CURATOR, Role.EDITOR, Role.VIEWER)
NAV_LABEL = _l("Stories")


def _prefer(pack) -> list[str]:
    """The languages a title is shown in: the interface's, if this user may read it, then the
    pack's source (a translator reads only their languages and the source)."""
    if pack is None:
        return [str(get_locale())]
    return readable_languages(g.user, [str(get_locale()), pack.default_language],
                              pack.default_language)


def _story(pack_id: str, story_id: str):
    ws = workspace()
    wc = ws.working_copy(pack_id)
    loaded = ws.load(wc.root)
    if loaded.pack is None or story_id not in loaded.pack.stories:
        abort(404)
    return ws, wc, loaded, loaded.pack.stories[story_id]


@bp.route("/")
@allow(*READERS)
def index():
    """Every working-copy pack and its stories: languages, coverage, findings, consent."""
    ws = workspace()
    packs = []
    for wc in ws.working_copies():
        loaded = ws.load(wc.root)
        # the pack's own findings, and those of a story file that could not be read (it has
        # no row below, so its syntax error would show nowhere)
        shown = {st.file for st in loaded.pack.stories.values()} if loaded.pack else set()
        pack_findings = [f for f in loaded.findings if f.file not in shown]
        packs.append({"wc": wc, "loaded": loaded, "rows": story_rows(loaded, _prefer(
            loaded.pack)), "pack_findings": pack_findings, "stale": _stale(wc, loaded.pack)})
    return render_template("stories/index.html", packs=packs, language_name=language_name)


def _stale(wc, pack) -> dict[str, dict[str, int]]:
    """Story id -> language -> how many of its translated lines are out of date."""
    if pack is None:
        return {}
    from admin.content.translate import outdated_lines, recorded_marks

    marks = recorded_marks(get_db(), wc.pack_id)
    return {st.id: {lang: len(ids) for lang, ids in outdated_lines(
        st, pack.default_language, marks).items() if ids} for st in pack.stories.values()}


@bp.route("/<pack_id>/<story_id>")
@allow(*READERS)
def story(pack_id: str, story_id: str):
    """One story: its scenes, findings, map and history."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    row = next(r for r in story_rows(loaded, _prefer(loaded.pack)) if r.id == story_id)
    revisions = get_db().query(Revision).filter_by(pack_id=pack_id, file=st.file).order_by(
        Revision.id.desc()).limit(20).all()
    _text, file_hash = read(wc.root / st.file)
    return render_template("stories/story.html", wc=wc, pack=loaded.pack, story=st, row=row,
                           title=story_title(st, _prefer(loaded.pack)), revisions=revisions,
                           language_name=language_name, base_hash=file_hash)


def _editor(wc, pack, st, scene_id, form, base_hash, findings=(), status=200):
    by_field: dict[str, list] = {}
    elsewhere = []
    for f in findings:
        key = scene_field(f, scene_id)
        if key is None:
            elsewhere.append(f)
        else:
            by_field.setdefault(key, []).append(f)
    paths = _media_paths(wc)
    return render_template(
        "stories/scene.html", wc=wc, pack=pack, story=st, scene_id=scene_id, form=form,
        base_hash=base_hash, by_field=by_field, elsewhere=elsewhere, languages=st.languages, language_name=language_name,
        stale=_stale_here(wc, pack, st, scene_id),
        scene_ids=list(st.scenes), notes=pack.content_notes, media_paths=paths,
        pictures=_pictures(wc, pack, paths["image"], form.image),
        library_alt=pack.pictures[form.image].alt if form.image in pack.pictures else {},
        title=story_title(st, _prefer(pack))), status


def _pictures(wc, pack, images: list[str], current: str):
    """The picker's page of library pictures (?pq= searches, ?pp= turns the page)."""
    from admin.content.library import items
    from admin.content.picker import pictures

    return pictures(images, items(get_db(), wc.pack_id), current,
                    request.args.get("pq", ""), request.args.get("pp", 1, type=int),
                    {src: p.alt for src, p in pack.pictures.items()})


def _stale_here(wc, pack, st, scene_id: str) -> set[str]:
    """The languages whose text of this scene is out of date (its source changed)."""
    from admin.content.translate import outdated_lines, recorded_marks
    from kiosk.story.ids import scene_line

    line = scene_line(st.id, scene_id, "text")
    return {lang for lang, ids in outdated_lines(st, pack.default_language, recorded_marks(
        get_db(), wc.pack_id)).items() if line in ids}


def _media_paths(wc) -> dict[str, list[str]]:
    """The pack's media files by kind, for the editor's path suggestions."""
    from admin.content.media import media_files
    from kiosk.content.mediacheck import KINDS

    out: dict[str, list[str]] = {"image": [], "audio": [], "video": [], "subtitles": []}
    for path in media_files(wc.root / "media"):
        kind = KINDS.get("." + path.rsplit(".", 1)[-1].lower()) if "." in path else None
        if kind in out:
            out[kind].append(path)
    return out


@bp.route("/<pack_id>/<story_id>/scenes/<scene_id>", methods=["GET", "POST"])
@allow(*EDITORS)
def scene(pack_id: str, story_id: str, scene_id: str):
    """Edit a scene: text per language, the way on, content notes; saved through the validator.

    A form opened on an older file is merged field by field with the changes made since
    (admin.content.scenemerge); fields both changed go to the clash page, saving nothing.
    """
    ws, wc, loaded, st = _story(pack_id, story_id)
    if scene_id not in st.scenes:
        abort(404)
    if overridefile.from_base(wc.root, st):  # an overlay's base story: never its base's file
        return overlayedit.scene(ws, wc, loaded, st, scene_id)
    path = wc.root / st.file
    text, current_hash = read(path)
    scene_findings = [f for f in loaded.findings if f.file == st.file]
    ws.renderer.warm()  # the page links to the scene's preview
    if request.method == "GET":
        form = sceneform.from_scene(st.scenes[scene_id])
        return _editor(wc, loaded.pack, st, scene_id, form, current_hash, scene_findings)
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    opened_on = request.form.get("merged_from") or base_hash  # the clash page passes it on
    values, unchosen = merge.resolve(request.form)
    form = sceneform.from_request(scenemerge.expand_choices(values), st.languages)
    if unchosen:
        flash(_("Choose which text to keep for every field."))
        return _clashes(wc, st, scene_id, form, opened_on, base_hash, unchosen, 400)
    for _attempt in range(3):  # a save landing between our read and our write: merge again
        if base_hash != current_hash:
            form, clashes = _merge_scene(ws, wc, loaded, st, scene_id, form, base_hash, text)
            if clashes:
                return _clashes(wc, st, scene_id, form, opened_on, current_hash, clashes, 409)
            base_hash = current_hash
        writable, bad = sceneform.problems(form, sceneform.from_scene(st.scenes[scene_id]))
        try:
            new_text = edit_scene(text, scene_id,
                                  lambda node, f=writable: sceneform.apply(node, f))
        except EditError as exc:
            flash(_("This scene cannot be edited here: %(why)s", why=reason(exc)))
            return _editor(wc, loaded.pack, st, scene_id, form, base_hash, status=400)
        if bad:  # nothing is saved; the rest of the form is still checked, to show it all
            return _not_saved(ws, wc, loaded, st, scene_id, form, base_hash, text, new_text,
                              bad)
        ctx = SaveContext(ws, get_db(), g.user)
        result = save_story(ctx, wc, st.file, base_hash, new_text, S.summary(S.SCENE, scene=scene_id),
                            loaded=loaded)
        if result.conflict is None:
            break
        text, current_hash = result.conflict.current_text, result.conflict.current_hash
    else:
        flash(_("Not saved: the story keeps changing; try again in a moment."))
        return _editor(wc, loaded.pack, st, scene_id, form, current_hash, status=409)
    if result.errors:
        flash(_("Not saved: the validator found errors, shown beside their fields. Your text is kept below."))  # noqa: E501 - one msgid
        return _editor(wc, loaded.pack, st, scene_id, form, base_hash,
                       result.errors + result.warnings, status=422)
    if result.unchanged:
        flash(_("Nothing changed."))
    else:
        flash(_("Saved: scene %(scene)s (revision %(rev)d).", scene=scene_id,
                rev=result.revision.id) + merging.merged_note(
            pack_id, st.file, opened_on, result.revision.before_hash))
    return redirect(url_for("stories.scene", pack_id=pack_id, story_id=story_id,
                            scene_id=scene_id))


def _not_saved(ws, wc, loaded, st, scene_id, form, base_hash, text, trial_text, bad):
    """The editor with the banner and every error at once: the values that cannot be
    written and what the validator finds in the rest of the form (400)."""
    findings = [finding(ERROR, "bad-form", exc.message, st.file,
                        path=f"scenes.{scene_id}.{exc.field}") for exc in bad]
    before = check_cached(ws, wc, st.file, text, loaded)
    after = check_cached(ws, wc, st.file, trial_text, loaded)
    findings += new_errors(before, after)
    flash(_("Not saved: the form has errors, shown beside their fields. Your text is kept below."))  # noqa: E501 - one msgid
    return _editor(wc, loaded.pack, st, scene_id, form, base_hash, findings, status=400)


def _merge_scene(ws, wc, loaded, st, scene_id, mine, base_hash, current_text):
    """The posted form merged with the scene as it is now: (form, clashes)."""
    theirs_story = check_cached(ws, wc, st.file, current_text, loaded).story or st
    theirs = sceneform.from_scene(theirs_story.scenes.get(scene_id) or st.scenes[scene_id])
    base = None
    old = merge.base_text(get_db(), wc.pack_id, st.file, base_hash)
    if old is not None:
        base_story = check_cached(ws, wc, st.file, old, loaded).story
        if base_story is not None and scene_id in base_story.scenes:
            base = sceneform.from_scene(base_story.scenes[scene_id])
    return scenemerge.merge(base, theirs, mine, st.languages)


def _clashes(wc, st, scene_id, form, opened_on, current_hash, clashes, status):
    """The clash page: each field both changed, side by side; the rest of the form hidden."""
    names = {c.name for c in clashes}
    whole_list = scenemerge.CHOICES in names  # the chosen list brings every choice field
    hidden = [(k, v) for k, v in scenemerge.posted(form) if k not in names and not (
        whole_list and (k.startswith("choices[") or k == "choice_count"))]
    rows = []
    for c in clashes:
        label, language = merging.scene_field(c.name, st.languages)
        lang = c.name.rsplit(".", 1)[-1] if language else ""
        rows.append({"name": c.name, "label": label, "language": language, "lang": lang,
                     "theirs": c.theirs, "mine": c.mine,
                     "theirs_shown": merging.in_words(c.name, c.theirs, st.languages),
                     "mine_shown": merging.in_words(c.name, c.mine, st.languages)})
    back = url_for("stories.scene", pack_id=wc.pack_id, story_id=st.id, scene_id=scene_id)
    return render_template(
        "merge.html", title=_("Scene %(id)s", id=scene_id), back=back, action=back,
        base_hash=current_hash, merged_from=opened_on, hidden=hidden, clashes=rows,
        changed_by=merging.who_changed(wc.pack_id, st.file, opened_on, current_hash)), status


@bp.route("/<pack_id>/<story_id>/history")
@allow(*READERS)
def history(pack_id: str, story_id: str):
    """The revisions of a story's file, newest first."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    revisions = get_db().query(Revision).filter_by(pack_id=pack_id, file=st.file).order_by(
        Revision.id.desc()).all()
    return render_template("stories/history.html", wc=wc, story=st, revisions=revisions,
                           title=story_title(st, _prefer(loaded.pack)))


@bp.route("/<pack_id>/revisions/<int:revision_id>")
@allow(*DIFF_READERS)
def revision(pack_id: str, revision_id: int):
    """One revision as a diff."""
    rev = get_db().get(Revision, revision_id)
    if rev is None or rev.pack_id != pack_id:
        abort(404)
    wc = workspace().working_copy(pack_id)
    path = wc.root / rev.file
    current_hash = read(path)[1] if path.exists() else ""  # "": in the trash
    return render_template("stories/revision.html", wc=wc, rev=rev,
                           lines=diff(rev.before, rev.after, rev.file),
                           current_hash=current_hash, story_id=rev.file.split("/")[-1][:-5])


@bp.route("/<pack_id>/revisions/<int:revision_id>/restore", methods=["POST"])
@allow(*EDITORS)
def restore(pack_id: str, revision_id: int):
    """Put the file back as it was before a revision (itself a new revision)."""
    rev = get_db().get(Revision, revision_id)
    if rev is None or rev.pack_id != pack_id:
        abort(404)
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    wc = workspace().working_copy(pack_id)
    if not (wc.root / rev.file).exists():
        flash(_("The story is in the trash; restore it from the pack's deleted stories."))
        return redirect(url_for("stories.trash", pack_id=pack_id))
    which = request.form.get("which", "before")
    target = rev.after if which == "after" else rev.before
    ctx = SaveContext(workspace(), get_db(), g.user)
    result = save_story(ctx, wc, rev.file, base_hash, target,
                        S.summary(S.RESTORE_AFTER if which == "after" else S.RESTORE_BEFORE,
                                  id=rev.id))
    story_id = rev.file.split("/")[-1].rsplit(".", 1)[0]
    if result.conflict is not None:
        flash(_("The file changed since you opened this page; look again before restoring."))
    elif result.errors:
        flash(_("Not restored: that version has errors the current one does not: %(e)s",
                e="; ".join(f.format() for f in result.errors[:3])))
    elif result.unchanged:
        flash(_("The file is already like that."))
    else:
        flash(_("Restored (revision %(rev)d).", rev=result.revision.id))
        return redirect(url_for("stories.history", pack_id=pack_id, story_id=story_id))
    return redirect(url_for("stories.revision", pack_id=pack_id, revision_id=revision_id))


@bp.route("/<pack_id>/<story_id>/map", endpoint="map")
@allow(*READERS)
def story_map(pack_id: str, story_id: str):
    """The story map: scenes and choices as a graph, unreachable and dead-end scenes marked."""
    from admin.content.graph import story_svg

    ws, wc, loaded, st = _story(pack_id, story_id)
    findings = [f for f in loaded.findings if f.file == st.file]

    # Each box leads to the scene's editor, or for those who may not edit to its preview
    # (a link is never to a page that refuses its reader).
    from flask import current_app

    from admin.access import declaration, may_use

    editor = may_use(declaration(current_app, "stories.scene"), g.user.role)
    endpoint = "stories.scene" if editor else "preview.scene"

    def link(sid: str) -> str:
        return url_for(endpoint, pack_id=pack_id, story_id=story_id, scene_id=sid)

    _text, file_hash = read(wc.root / st.file)
    return render_template("stories/map.html", wc=wc, story=st, svg=story_svg(st, findings, link),
                           title=story_title(st, _prefer(loaded.pack)), base_hash=file_hash,
                           pack=loaded.pack, language_name=language_name)


def _structural(pack_id: str, story_id: str, summary: str, change, renamed=None,
                back: str | None = None):
    """Apply a whole-file change (add, rename, delete a scene) through the validator."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    text, _h = read(wc.root / st.file)
    back = back or url_for("stories.story", pack_id=pack_id, story_id=story_id)
    try:
        new_text = change(text)
    except EditError as exc:
        flash(_("Not changed: %(why)s", why=reason(exc)))
        return redirect(back), 303
    result = save_story(SaveContext(ws, get_db(), g.user), wc, st.file, base_hash, new_text,
                        summary, loaded=loaded, renamed=renamed)
    if result.conflict is not None:
        flash(_("Not changed: the story changed since you opened the page; look again."))
    elif result.errors:
        flash(_("Not changed: %(why)s", why="; ".join(f.format() for f in result.errors[:3])))
    else:
        flash(_("Done: %(what)s.", what=reason(summary)))
    return redirect(back), 303


@bp.route("/<pack_id>/<story_id>/scenes", methods=["POST"])
@allow(*EDITORS)
def add_scene(pack_id: str, story_id: str):
    """Add a scene (text in one language, then next or an ending)."""
    from admin.content.scenes import add_scene as add

    new_id = request.form.get("new_id", "").strip()
    lang = request.form.get("language", "")
    body, next_id = request.form.get("text", ""), request.form.get("next", "").strip()
    return _structural(pack_id, story_id, S.summary(S.ADD_SCENE, scene=new_id),
                       lambda text: add(text, new_id, lang, body, next_id))


@bp.route("/<pack_id>/<story_id>/scenes/<scene_id>/rename", methods=["POST"])
@allow(*EDITORS)
def rename_scene(pack_id: str, story_id: str, scene_id: str):
    """Rename a scene; every reference to it follows."""
    from admin.content.scenes import rename_scene as rename

    new_id = request.form.get("new_id", "").strip()
    return _structural(pack_id, story_id,
                       S.summary(S.RENAME_SCENE, scene=scene_id, new=new_id),
                       lambda text: rename(text, scene_id, new_id), renamed={scene_id: new_id})


@bp.route("/<pack_id>/<story_id>/scenes/<scene_id>/delete", methods=["POST"])
@allow(*EDITORS)
def delete_scene(pack_id: str, story_id: str, scene_id: str):
    """Delete a scene nothing points to (refused, with the list, while something does)."""
    from admin.content.scenes import delete_scene as delete

    return _structural(pack_id, story_id, S.summary(S.DELETE_SCENE, scene=scene_id),
                       lambda text: delete(text, scene_id))


# The story's life (new, copy, delete, restore), its settings page and the map's edits live
# in their own modules; they add their routes to `bp` when imported here.
from admin.views import storylife, storymap, storysettings, twineimport  # noqa: E402,F401
