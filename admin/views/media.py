"""Media: the library of a pack (usage, alt text, tags), uploads, overrides, deletion.

A picture's alt text is saved in pack.yaml (admin.content.pictures), per language; tags and
overrides in the database (admin.content.library).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from admin import audit
from admin.access import allow
from admin.content import library as LIB
from admin.content import media as MD
from admin.content import pictures as PIC
from admin.content import trash as TR
from admin.content.overview import language_name
from admin.content.revisions import SaveContext
from admin.content.workspace import workspace
from admin.content.yamledit import EditError
from admin.db import get_db
from admin.i18n import reason
from admin.models import Role, utcnow
from admin.models_content import MediaDeletion

bp = Blueprint("media", __name__, url_prefix="/media")
READERS = (Role.CURATOR, Role.EDITOR, Role.TRANSLATOR, Role.VIEWER)
PER_PAGE = 50  # a pack of 453 files was one 625 kB page; 50 rows stay light with thumbnails
EDITORS = (Role.CURATOR, Role.EDITOR)


@bp.record_once
def _upload_checks_csrf_itself(state):
    """The upload raises the size limit first, then checks the CSRF token."""
    state.app.extensions["csrf"].exempt("admin.views.media.upload")


def _pack(pack_id: str):
    ws = workspace()
    wc = ws.working_copy(pack_id)
    return ws, wc, ws.load(wc.root), wc.root / "media"


def _back(pack_id: str):
    return redirect(url_for("media.library", pack_id=pack_id,
                            folder=request.form.get("folder_view") or None)), 303


@bp.route("/")
@allow(*READERS)
def index():
    """The packs whose media can be managed here."""
    ws = workspace()
    copies = ws.working_copies()
    if len(copies) == 1:
        return redirect(url_for("media.library", pack_id=copies[0].pack_id))
    return render_template("media/index.html", copies=copies)


@bp.route("/<pack_id>/")
@allow(*READERS)
def library(pack_id: str):
    """Every media file of a pack: where it is used, alt text, tags, overrides."""
    ws, wc, loaded, root = _pack(pack_id)
    folder = request.args.get("folder", "")
    query = request.args.get("q", "").strip()
    files = [f for f in MD.media_files(root) if not folder or f.startswith(folder + "/")]
    used = MD.usage(loaded.pack) if loaded.pack else {}
    records = LIB.items(get_db(), pack_id)
    alt = {src: p.alt for src, p in loaded.pack.pictures.items()} if loaded.pack else {}
    files = LIB.matching(files, records, query, alt)
    pages = max(1, -(-len(files) // PER_PAGE))
    # a page number that is not one, or past the end, shows the nearest page
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = files[(number - 1) * PER_PAGE:number * PER_PAGE]
    rows = []
    for path in shown:
        rec = records.get(path)
        tags = rec.tag_list if rec else []
        rows.append({"path": path, "kind": MD.FOLDERS.get(path.split("/", 1)[0], "other"),
                     "size": (root / path).stat().st_size, "used": used.get(path, []),
                     "rec": rec, "tags": tags, "blocked": MD.blocked(tags),
                     "alt": alt.get(path, {})})
    blockers = LIB.publish_blockers(get_db(), pack_id, root)
    languages = loaded.pack.languages if loaded.pack else []
    return render_template("media/library.html", wc=wc, rows=rows, folder=folder,
                           languages=languages, language_name=language_name,
                           default_language=loaded.pack.default_language if loaded.pack else "",
                           old_alt=PIC.database_alt(get_db(), pack_id),
                           query=query, page=number, pages=pages, total=len(files),
                           folders=list(MD.FOLDERS), blockers=blockers,
                           deleted=TR.deleted(get_db(), pack_id),
                           limit=current_app.config["MAX_UPLOAD_MB"])


@bp.route("/<pack_id>/file/<path:filename>")
@allow(*READERS)
def file(pack_id: str, filename: str):
    """One media file, for thumbnails and listening (never a path outside media/)."""
    _, _, _, root = _pack(pack_id)
    path = MD.resolve(root, filename)
    if path is None:
        abort(404)
    return send_file(path, conditional=True, max_age=60)


@bp.route("/<pack_id>/upload", methods=["POST"])
@allow(*EDITORS)
def upload(pack_id: str):
    """Check and store an uploaded file with its alt text and tags."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    request.max_content_length = limit + 64 * 1024
    current_app.extensions["csrf"].protect()
    ws, wc, loaded, root = _pack(pack_id)
    f = request.files.get("file")
    if f is None or not f.filename:
        flash(_("Choose a file to upload."))
        return _back(pack_id)
    folder = request.form.get("folder", "")
    try:
        stored = MD.store_upload(f.stream, f.filename, folder, root, limit)
    except MD.Refused as exc:
        flash(_("Refused, nothing was stored: %(why)s", why=reason(exc)))
        return _back(pack_id)
    db = get_db()
    rec = LIB.item(db, pack_id, stored.path, stored.kind)
    tags = MD.parse_tags(request.form.get("tags", ""))
    rec.kind, rec.size, rec.sha256 = stored.kind, stored.size, stored.sha256
    rec.tags = ",".join(tags)
    rec.uploaded_by, rec.uploaded_at = g.user.username, utcnow()
    audit.record(db, g.user, "media.upload", f"{pack_id}:{stored.path}", None, rec.snapshot())
    db.commit()
    flash(_("Stored as %(path)s.", path=stored.path))
    texts = _alt_fields(loaded, "alt.")
    if stored.kind == "image" and any(texts.values()):
        _save_alt(ws, wc, stored.path, texts, {})
    if MD.blocked(tags):
        flash(_("Its tags (%(tags)s) block publishing the pack until a curator overrides them with a reason.", tags=", ".join(MD.blocked(tags))))  # noqa: E501 - one msgid
    return _back(pack_id)


def _existing(pack_id: str) -> tuple[str, object]:
    ws, wc, loaded, root = _pack(pack_id)
    path = request.form.get("path", "")
    if MD.resolve(root, path) is None:
        abort(404)
    return path, loaded


@bp.route("/<pack_id>/describe", methods=["POST"])
@allow(*EDITORS)
def describe(pack_id: str):
    """Change a file's alt text and tags."""
    path, loaded = _existing(pack_id)
    db = get_db()
    rec = LIB.item(db, pack_id, path, MD.FOLDERS.get(path.split("/", 1)[0], "other"))
    before = rec.snapshot()
    new_tags = MD.parse_tags(request.form.get("tags", ""))
    if set(MD.blocked(new_tags)) - set(MD.blocked(rec.tag_list)):
        rec.override_reason, rec.override_by = "", ""  # a new blocked tag needs a new review
    rec.tags = ",".join(new_tags)
    audit.record(db, g.user, "media.describe", f"{pack_id}:{path}", before, rec.snapshot())
    db.commit()
    texts = _alt_fields(loaded, "alt.")
    if texts and not _save_alt(workspace(), workspace().working_copy(pack_id), path, texts,
                               _alt_fields(loaded, "was.")):
        return _back(pack_id)
    flash(_("Saved the description of %(path)s.", path=path))
    return _back(pack_id)


def _alt_fields(loaded, prefix: str) -> dict[str, str]:
    """The alt text the form sends per language of the pack (`alt.sv`, or `was.sv`: what the
    page showed)."""
    langs = loaded.pack.languages if loaded.pack else []
    return {lang: request.form[prefix + lang] for lang in langs if prefix + lang in request.form}


def _save_alt(ws, wc, path: str, texts: dict[str, str], was: dict[str, str]) -> bool:
    """Save a picture's alt text into pack.yaml; False (and why, flashed) when not saved."""
    try:
        result = PIC.save_alt(SaveContext(ws, get_db(), g.user), wc, path, texts, was)
    except EditError as exc:
        flash(_("The alt text was not saved: %(why)s", why=reason(exc)))
        return False
    why = PIC.not_saved(result)
    if why:
        flash(why)
    return why is None


@bp.route("/<pack_id>/move-alt", methods=["POST"])
@allow(*EDITORS)
def move_alt(pack_id: str):
    """Move the alt texts the library kept in its database into pack.yaml (in the pack's
    default language), once; a text that differs from the pack's stays for a person."""
    ws, wc, loaded, _root = _pack(pack_id)
    if loaded.pack is None:
        abort(409)
    db = get_db()
    before = PIC.database_alt(db, pack_id)
    try:
        result, moved, kept = PIC.move_database_alt(SaveContext(ws, db, g.user), wc,
                                                    loaded.pack.default_language)
    except EditError as exc:
        flash(_("The alt text was not saved: %(why)s", why=reason(exc)))
        return _back(pack_id)
    if result is not None and PIC.not_saved(result):
        db.rollback()
        flash(PIC.not_saved(result))
        return _back(pack_id)
    audit.record(db, g.user, "media.move_alt", pack_id, {p: before[p] for p in moved},
                 {"moved": moved, "kept": kept})
    db.commit()
    flash(ngettext("Moved the alt text of %(num)d file into pack.yaml.",
                   "Moved the alt text of %(num)d files into pack.yaml.", len(moved)))
    if kept:
        flash(_("Kept in the database, because pack.yaml describes them otherwise: %(files)s",
                files=", ".join(kept)))
    return _back(pack_id)


@bp.route("/<pack_id>/override", methods=["POST"])
@allow(Role.CURATOR)
def override(pack_id: str):
    """A curator lets a file with blocked tags be published, with a logged reason."""
    path, _loaded = _existing(pack_id)
    reason = request.form.get("reason", "").strip()
    if len(reason) < 10:
        flash(_("Give the reason for the override in a sentence (it is logged)."))
        return _back(pack_id)
    db = get_db()
    rec = LIB.item(db, pack_id, path)
    before = rec.snapshot()
    rec.override_reason, rec.override_by = reason[:2000], g.user.username
    audit.record(db, g.user, "media.override", f"{pack_id}:{path}", before, rec.snapshot())
    db.commit()
    flash(_("Override recorded for %(path)s.", path=path))
    return _back(pack_id)


@bp.route("/<pack_id>/delete", methods=["POST"])
@allow(*EDITORS)
def delete(pack_id: str):
    """Delete a file no scene uses (into the trash; refused, with the list, while one is)."""
    path, loaded = _existing(pack_id)
    used = MD.usage(loaded.pack).get(path, []) if loaded.pack else []
    if used:
        flash(_("Not deleted: %(path)s is used by %(where)s.", path=path,
                where="; ".join(used)))
        return _back(pack_id)
    ws, wc, _l, root = _pack(pack_id)
    db = get_db()
    rec = LIB.items(db, pack_id).get(path)
    before = rec.snapshot() if rec else {"path": path}
    row = TR.move_to_trash(db, _trash(), pack_id, root, path, rec, g.user.username)
    audit.record(db, g.user, "media.delete", f"{pack_id}:{path}", before,
                 {"trash": row.id, "sha256": row.sha256})
    db.commit()
    flash(_("Deleted %(path)s. It is kept under “Deleted files” below and can be restored.",
            path=path))
    return _back(pack_id)


def _trash():
    return TR.trash_root(current_app.instance_path)


@bp.route("/<pack_id>/restore", methods=["POST"])
@allow(*EDITORS)
def restore(pack_id: str):
    """Put a deleted file back, with its alt text, tags and override."""
    _ws, _wc, _loaded, root = _pack(pack_id)
    db = get_db()
    try:
        row = db.get(MediaDeletion, int(request.form.get("deletion", "")))
    except ValueError:
        abort(400)
    if row is None or row.pack_id != pack_id:
        abort(404)
    try:
        rec = TR.restore(db, _trash(), row, root, g.user.username)
    except MD.Refused as exc:
        db.rollback()
        flash(_("Not restored: %(why)s", why=reason(exc)))
        return _back(pack_id)
    audit.record(db, g.user, "media.restore", f"{pack_id}:{row.path}", {"trash": row.id},
                 rec.snapshot())
    db.commit()
    flash(_("Restored %(path)s.", path=row.path))
    return _back(pack_id)
