"""The media library's alt text: each picture's description, in pack.yaml's ``pictures:``.

That entry is the one place a picture's alt text lives (``kiosk.content.model.Pack.pictures``):
the library page edits it per language, the scene editor shows it, the kiosk and the
play-through read it, and a scene's own ``image.alt`` only overrides it. A save changes the
picture's entry alone, in ruamel's round trip, through the pack file's save (checked with
the whole pack, written atomically, a revision and its audit entry).

The library once kept one alt text per file in its database (``media_items.alt``, without a
language); ``move_database_alt`` moves those into the pack in its default language.
"""

from __future__ import annotations

from flask_babel import gettext as _
from ruamel.yaml.comments import CommentedMap
from sqlalchemy.orm import Session

from admin.content import yamledit
from admin.content.packfile import PACK_FILE, save_pack_file
from admin.content.revisions import SaveContext, SaveResult
from admin.content.storyfile import read
from admin.content.summaries import ALT, ALT_MOVED, summary
from admin.content.workspace import WorkingCopy
from admin.content.yamledit import EditError
from admin.i18n import reason
from admin.models_content import MediaItem

MAX_CHARS = 2000


def shown(doc, src: str) -> dict[str, str]:
    """The picture's alt text per language in a pack.yaml document (empty when none)."""
    pictures = doc.get("pictures") if isinstance(doc, dict) else None
    entry = pictures.get(src) if isinstance(pictures, dict) else None
    alt = entry.get("alt") if isinstance(entry, dict) else None
    return {str(k): str(v) for k, v in alt.items() if v} if isinstance(alt, dict) else {}


def set_alt(doc: CommentedMap, src: str, texts: dict[str, str]) -> list[str]:
    """Write `texts` (language -> text; "" removes that language) as the picture's alt text in
    a pack.yaml document; an entry left empty goes. The languages changed, in order."""
    before = shown(doc, src)
    changed = [lang for lang, text in texts.items() if text != before.get(lang, "")]
    if not changed:
        return []
    pictures = doc.get("pictures")
    if not isinstance(pictures, CommentedMap):
        pictures = doc["pictures"] = CommentedMap()
    entry = pictures.get(src)
    if not isinstance(entry, CommentedMap):
        entry = pictures[src] = CommentedMap()
    alt = yamledit.text_map(entry, "alt")
    for lang in changed:
        yamledit.set_text(alt, lang, texts[lang])
    if not alt:
        del entry["alt"]
    if not entry:
        del pictures[src]
    if not pictures:
        del doc["pictures"]
    return changed


def save_alt(ctx: SaveContext, wc: WorkingCopy, src: str, texts: dict[str, str],
             was: dict[str, str]) -> SaveResult:
    """Save the alt text the library form sends (`texts`) over what it showed (`was`).

    Only the languages the person changed are written, onto pack.yaml as it is now; a language
    someone else changed meanwhile to another text refuses the save (EditError), so neither
    loses the other's words."""
    text, base_hash = read(wc.root / PACK_FILE)
    doc = yamledit.load(text)
    if not isinstance(doc, CommentedMap):
        raise EditError("the file is not a mapping")
    now = {lang: _one_line(t) for lang, t in shown(doc, src).items()}
    was = {lang: _one_line(t) for lang, t in was.items()}
    mine = {lang: _one_line(t) for lang, t in texts.items()}
    mine = {lang: t for lang, t in mine.items() if t != was.get(lang, "")}
    clashes = [lang for lang, t in mine.items()
               if now.get(lang, "") not in (was.get(lang, ""), t)]
    if clashes:
        raise EditError("someone changed the alt text of %(file)s in %(languages)s since you "
                        "opened the page; nothing was saved: compare and save again",
                        file=src, languages=", ".join(clashes))
    if not set_alt(doc, src, mine):
        return SaveResult(unchanged=True)
    return save_pack_file(ctx, wc, base_hash, yamledit.write_document(text, doc),
                          str(summary(ALT, file=src)))


def not_saved(result: SaveResult) -> str | None:
    """Why a save of alt text wrote nothing, in the user's language; None when it wrote."""
    if result.conflict is not None:
        return _("The alt text was not saved: pack.yaml changed meanwhile; try again.")
    if result.errors:
        return _("The alt text was not saved: %(why)s",
                 why="; ".join(reason(f.phrase()) for f in result.errors))
    return None


def _one_line(text: str) -> str:
    """Alt text is one line: spaces and line breaks run together, at most MAX_CHARS."""
    return " ".join(str(text).split())[:MAX_CHARS]


def po_import_text(wc: WorkingCopy, language: str,
                   values: dict[str, str]) -> tuple[str, str, list]:
    """pack.yaml with a PO import's alt texts (line id -> text) in `language`: its base hash,
    the new text and the errors it would give the pack (checked with every story, as a save
    of pack.yaml is), so an import can be refused before it writes anything."""
    from admin.content.check import StoryCheck, new_errors
    from kiosk.content import load_pack
    from kiosk.content.slots import PICTURES

    text, base_hash = read(wc.root / PACK_FILE)
    doc = yamledit.load(text)
    for line_id, new in values.items():
        set_alt(doc, line_id[len(PICTURES) + 1:-len("/alt")], {language: new})
    new_text = yamledit.write_document(text, doc)

    def check(t):
        return StoryCheck(None, list(load_pack(wc.root, texts={PACK_FILE: t}).findings))

    return base_hash, new_text, new_errors(check(text), check(new_text))


def database_alt(db: Session, pack_id: str) -> dict[str, str]:
    """The alt texts the library still keeps in its database, by media path."""
    return {m.path: m.alt for m in db.query(MediaItem).filter_by(pack_id=pack_id) if m.alt}


def move_database_alt(ctx: SaveContext, wc: WorkingCopy,
                      language: str) -> tuple[SaveResult | None, list[str], list[str]]:
    """Move the database's alt texts into pack.yaml as `language`'s, then clear them there.

    A picture whose entry has another text in that language keeps both: its database text
    stays, listed as kept, for a person to compare. Returns the save (None when there was
    nothing to write), the paths moved and the paths kept."""
    db = ctx.db
    old = database_alt(db, wc.pack_id)
    text, base_hash = read(wc.root / PACK_FILE)
    doc = yamledit.load(text)
    if not isinstance(doc, CommentedMap):
        raise EditError("the file is not a mapping")
    moved, kept = [], []
    for path, alt in sorted(old.items()):
        alt = _one_line(alt)
        have = _one_line(shown(doc, path).get(language, ""))
        if have and have != alt:
            kept.append(path)
            continue
        set_alt(doc, path, {language: alt})
        moved.append(path)
    result = None
    new_text = yamledit.write_document(text, doc)
    if new_text != text:
        result = save_pack_file(ctx, wc, base_hash, new_text, str(summary(ALT_MOVED)))
        if not result.ok:
            return result, [], kept
    for m in db.query(MediaItem).filter_by(pack_id=wc.pack_id):
        if m.path in moved:
            m.alt = ""
    return result, moved, kept
