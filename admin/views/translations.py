"""Translations: source beside target, missing and out-of-date marked, PO export and import.

Translators see and change only their assigned languages, never the source one
(``access.may_edit_language``, checked by ``_allowed`` on every route that takes a language),
beside the pack's source language they translate from (``access.may_read_language``).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from admin.access import allow, may_edit_language, may_read_language, readable_languages
from admin.content import merge, overridefile, po, translate
from admin.content import summaries as S
from admin.content.lines import story_lines
from admin.content.overview import language_name, story_title
from admin.content.revisions import SaveContext, check_cached, save_many, save_story
from admin.content.storyfile import read
from admin.content.workspace import workspace
from admin.content.yamledit import EditError
from admin.db import get_db
from admin.i18n import get_locale, reason
from admin.models import Role
from admin.models_content import TranslationMark
from admin.views import merging, overlayedit
from kiosk.content.slots import PICTURES

bp = Blueprint("translations", __name__, url_prefix="/translations")
WHO = (Role.CURATOR, Role.EDITOR, Role.TRANSLATOR)


def _languages(pack) -> list[str]:
    """The pack's languages this user may translate into."""
    return [lang for lang in pack.languages
            if may_edit_language(g.user, lang, pack.default_language)]


def _marks(pack_id: str, language: str) -> dict[str, str]:
    q = get_db().query(TranslationMark).filter_by(pack_id=pack_id, language=language)
    return {m.line_id: m.source_hash for m in q}


def _pack(pack_id: str):
    ws = workspace()
    wc = ws.working_copy(pack_id)
    loaded = ws.load(wc.root)
    if loaded.pack is None:
        abort(404)
    return ws, wc, loaded.pack


def _title_langs(pack) -> list[str]:
    """Where a story's title is taken from: the interface language if the user may read it."""
    return readable_languages(g.user, [str(get_locale()), pack.default_language],
                              pack.default_language)


def _allowed(pack, language: str) -> None:
    """Refuse (403) a language the user may not change: every route that takes one calls it."""
    if not may_edit_language(g.user, language, pack.default_language):
        abort(403)


@bp.route("/")
@allow(*WHO)
def index():
    """Each pack's stories and how far each of my languages is translated."""
    ws = workspace()
    packs = []
    for wc in ws.working_copies():
        loaded = ws.load(wc.root)
        if loaded.pack is None:
            continue
        langs = [lang for lang in _languages(loaded.pack)
                 if lang != loaded.pack.default_language]
        stories = []
        for st in loaded.pack.stories.values():
            counts = {}
            for lang in (x for x in langs if x in st.languages):  # offered: counted
                rows = translate.rows(st, loaded.pack.default_language, lang,
                                      _marks(wc.pack_id, lang))
                counts[lang] = {s: sum(r.state == s for r in rows) for s in (
                    translate.MISSING, translate.OUTDATED, translate.CURRENT)}
            stories.append((st, story_title(st, _title_langs(loaded.pack)),
                            counts))
        packs.append({"wc": wc, "pack": loaded.pack, "langs": langs, "stories": stories})
    return render_template("translations/index.html", packs=packs, language_name=language_name)


@bp.route("/<pack_id>/<story_id>", methods=["GET"])
@allow(*WHO)
def side_by_side(pack_id: str, story_id: str):
    """The source language beside the target, line by line."""
    ws, wc, pack = _pack(pack_id)
    st = pack.stories.get(story_id) or abort(404)
    mine = _languages(pack)
    target = request.args.get("target") or next(
        (x for x in mine if x != pack.default_language), None)
    if target is None:
        abort(403)
    if target not in pack.languages:
        abort(404)
    _allowed(pack, target)
    source = request.args.get("source") or pack.default_language
    if source not in pack.languages:
        abort(404)
    if not may_read_language(g.user, source, pack.default_language):
        abort(403)
    # a base story in an overlay is saved into the overlay's overrides: that file's hash
    _, file_hash = (overridefile.current(wc.root, st.id) if overridefile.from_base(wc.root, st)
                    else read(wc.root / st.file))
    rows = translate.rows(st, source, target, _marks(pack_id, target))
    pictures = translate.picture_rows(pack, st, source, target)
    return render_template("translations/side.html", wc=wc, pack=pack, story=st, rows=rows,
                           pictures=pictures,
                           source=source, target=target, mine=mine, base_hash=file_hash,
                           sources=readable_languages(g.user, pack.languages,
                                                      pack.default_language),
                           title=story_title(st, _title_langs(pack)),
                           language_name=language_name, S=translate)


@bp.route("/<pack_id>/<story_id>/<language>", methods=["POST"])
@allow(*WHO)
def save(pack_id: str, story_id: str, language: str):
    """Save one language's lines of a story through the validator.

    A page opened on an older file is merged line by line with the changes made since
    (admin.content.merge); lines both changed go to the clash page, saving nothing. Only
    `language` is ever written, on every path, and only by someone who may edit it.
    """
    ws, wc, pack = _pack(pack_id)
    st = pack.stories.get(story_id) or abort(404)
    if language not in pack.languages:
        abort(404)
    _allowed(pack, language)
    base_hash = request.form.get("base_hash", "")
    if not base_hash:
        abort(400)
    opened_on = request.form.get("merged_from") or base_hash  # the clash page passes it on
    posted, unchosen = merge.resolve(request.form)
    values = {k[5:]: v for k, v in posted.items() if k.startswith("line:")}
    known = {line.line.id for line in translate.rows(st, pack.default_language, language, {})}
    values = {k: v for k, v in values.items() if k in known}
    back = url_for(".side_by_side", pack_id=pack_id, story_id=story_id, target=language)
    pictures_saved = _save_pictures(ws, wc, pack, st, language)
    if overridefile.from_base(wc.root, st):  # an overlay's base story: never its base's file
        loaded = ws.load(wc.root)
        overlayedit.flash_result(overlayedit.save_texts(
            ws, wc, loaded, st, {(line, language): v for line, v in values.items()},
            str(S.summary(S.TRANSLATION, language=language))))
        return redirect(back), 303
    if unchosen:
        flash(_("Choose which text to keep for every field."))
        return _clashes(wc, pack, st, language, values, opened_on, base_hash, unchosen, 400)
    text, current_hash = read(wc.root / st.file)
    for _attempt in range(3):  # a save landing between our read and our write: merge again
        story = check_cached(ws, wc, st.file, text).story or st
        if base_hash != current_hash:
            values, clashes = _merge_lines(ws, wc, st, story, language, values, base_hash)
            if clashes:
                return _clashes(wc, pack, st, language, values, opened_on, current_hash,
                                clashes, 409)
            base_hash = current_hash
        try:
            new_text = translate.apply_language(text, story, language, values)
        except EditError as exc:
            flash(_("Not saved: %(why)s", why=reason(exc)))
            return redirect(back), 303
        result = save_story(SaveContext(ws, get_db(), g.user), wc, st.file, base_hash,
                            new_text, S.summary(S.TRANSLATION, language=language), marks_for={language})
        if result.conflict is None:
            break
        text, current_hash = result.conflict.current_text, result.conflict.current_hash
    else:
        flash(_("Not saved: the story keeps changing; try again in a moment."))
        return redirect(back), 303
    if result.errors:
        flash(_("Not saved: %(why)s", why="; ".join(f.format() for f in result.errors[:3])))
        return redirect(back), 303
    if result.unchanged:
        flash(_("Saved.") if pictures_saved else _("Nothing changed."))
    else:
        flash(_("Saved.") + merging.merged_note(pack_id, st.file, opened_on,
                                                result.revision.before_hash))
    return redirect(back), 303


def _save_pictures(ws, wc, pack, st, language: str) -> bool:
    """Save the alt texts of the story's pictures posted in `language` (``picture:<path>``,
    over ``was:<path>``, what the page showed) into pack.yaml, before the story's own lines
    (so a clash among those loses none of these). True when any was written."""
    from admin.content import pictures as PIC

    shown = {row.line.keys[1] for row in translate.picture_rows(pack, st, language, language)}
    saved = False
    for src in shown:
        name = f"picture:{src}"
        if name not in request.form:
            continue
        try:
            result = PIC.save_alt(SaveContext(ws, get_db(), g.user), wc, src,
                                  {language: request.form[name]},
                                  {language: request.form.get(f"was:{src}", "")})
        except EditError as exc:
            flash(_("The alt text was not saved: %(why)s", why=reason(exc)))
            continue
        if why := PIC.not_saved(result):
            flash(why)
        saved = saved or result.revision is not None
    return saved


def _lines(story, language: str) -> dict[str, str]:
    return {line.id: line.text.get(language, "") for line in story_lines(story)}


def _merge_lines(ws, wc, st, theirs, language: str, mine: dict[str, str], base_hash: str):
    """The posted lines merged with the story as it is now: (values, clashes)."""
    base = None
    old = merge.base_text(get_db(), wc.pack_id, st.file, base_hash)
    if old is not None:
        base_story = check_cached(ws, wc, st.file, old).story
        base = _lines(base_story, language) if base_story is not None else None
    current = _lines(theirs, language)
    values, clashes = merge.three_way(base, current, {k: v for k, v in mine.items()
                                                      if k in current})
    return values, clashes


def _clashes(wc, pack, st, language, values, opened_on, current_hash, clashes, status):
    """The clash page: each line both changed, side by side; the other lines hidden.

    A fresh clash is named by its line id, one posted back unchosen by its input name.
    """
    labels = {line.id: _("Scene %(id)s", id=line.scene) + " · " + line.label if line.scene
              else line.label for line in story_lines(st)}
    rows = []
    for c in clashes:
        line_id = c.name.removeprefix("line:")
        rows.append({"name": "line:" + line_id, "label": labels.get(line_id, line_id),
                     "language": language_name(language), "lang": language,
                     "theirs": c.theirs, "mine": c.mine, "theirs_shown": c.theirs,
                     "mine_shown": c.mine})
    names = {r["name"] for r in rows}
    hidden = [("line:" + k, v) for k, v in values.items() if "line:" + k not in names]
    back = url_for(".side_by_side", pack_id=wc.pack_id, story_id=st.id, target=language)
    return render_template(
        "merge.html", title=story_title(st, _title_langs(pack)), back=back,
        action=url_for(".save", pack_id=wc.pack_id, story_id=st.id, language=language),
        base_hash=current_hash, merged_from=opened_on, hidden=hidden, clashes=rows,
        changed_by=merging.who_changed(wc.pack_id, st.file, opened_on, current_hash)), status


@bp.route("/<pack_id>/po/<language>.po")
@allow(*WHO)
def export_po(pack_id: str, language: str):
    """The pack's lines in one language as a PO file."""
    ws, wc, pack = _pack(pack_id)
    if language not in pack.languages:
        abort(404)
    _allowed(pack, language)
    marks = _marks(pack_id, language)
    previous: dict[str, str] = {}
    for st in pack.stories.values():
        previous |= translate.previous_sources(get_db(), pack_id, st, pack.default_language,
                                               marks)
    data = po.export_po(pack, language, marks, previous)
    return Response(data, mimetype="text/x-gettext-translation", headers={
        "Content-Disposition": f'attachment; filename="{pack.id}-{language}.po"'})


@bp.route("/<pack_id>/po/<language>", methods=["POST"])
@allow(*WHO)
def import_po(pack_id: str, language: str):
    """Read a PO file: all its lines are written, or none (the report says why)."""
    ws, wc, pack = _pack(pack_id)
    if language not in pack.languages:
        abort(404)
    _allowed(pack, language)
    upload = request.files.get("po")
    if upload is None or not upload.filename:
        abort(400)
    report = po.read_import(pack, language, upload.read())
    changes = []
    pictures = _pictures_import(wc, language, report) if report.ok else None
    for story_id, values in report.values.items() if report.ok else ():
        if story_id == PICTURES:
            continue
        st = pack.stories[story_id]
        text, file_hash = read(wc.root / st.file)
        try:
            changes.append((st.file, file_hash, translate.apply_language(text, st, language,
                                                                         values)))
        except EditError as exc:
            report.refused.append((story_id, reason(exc)))
    status = 200 if report.ok else 422
    if report.ok and changes:
        status = _write_import(ws, wc, pack, language, changes, report)
    if report.ok and pictures is not None:
        # after the stories (all or none), pack.yaml as checked: only an edit of it in this
        # instant stops it, and the page says so (importing again writes what is missing)
        from admin.content.packfile import save_pack_file

        result = save_pack_file(SaveContext(ws, get_db(), g.user), wc, *pictures,
                                S.summary(S.PO_IMPORT, language=language))
        if result.conflict is not None or result.errors:
            report.interrupted = "pictures"
            status = 409
    return render_template("translations/import.html", wc=wc, pack=pack, language=language,
                           report=report, language_name=language_name), status


def _pictures_import(wc, language: str, report: po.ImportReport) -> tuple[str, str] | None:
    """pack.yaml's (base hash, new text) with an import's alt texts, or None when it has
    none; errors they would give the pack refuse the import (before anything is written)."""
    from admin.content.pictures import po_import_text

    values = report.values.get(PICTURES)
    if not values:
        return None
    base_hash, new_text, errors = po_import_text(wc, language, values)
    report.refused += [("pack.yaml", f.phrase()) for f in errors]
    return (base_hash, new_text) if report.ok else None


def _write_import(ws, wc, pack, language: str, changes: list, report: po.ImportReport) -> int:
    """Write every story of an import or none (`save_many`); the status, the report filled."""
    result = save_many(SaveContext(ws, get_db(), g.user), wc, changes,
                       S.summary(S.PO_IMPORT, language=language), marks_for={language})
    story_of = {st.file: st.id for st in pack.stories.values()}
    for rel, errors in result.errors.items():
        report.refused += [(story_of[rel], f.format()) for f in errors]
    if result.conflict is not None:
        rel = result.conflict.path.relative_to(wc.root).as_posix()
        report.interrupted = "conflict"
        report.refused.append((story_of.get(rel, rel), po.Reason(
            "the story changed while the file was being imported")))
        return 409
    if result.failure is not None:
        report.interrupted = "failure"
        why = result.failure.strerror or str(result.failure)
        report.refused.append(("file", po.Reason("writing failed: %(why)s", why=why)))
        return 500
    return 200 if report.ok else 422
