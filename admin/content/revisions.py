"""Saving a pack file through the validator, with a revision and an audit entry.

    result = save_story(ctx, wc, "stories/emil.yaml", base_hash, new_text, "scene start")

The pipeline: refuse if the file changed since the form was built (Conflict), check the new
text with the kiosk's validator (new errors refuse the save), write atomically, record the
revision (whole file before and after), the audit entry and the translation marks, commit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from admin import audit
from admin.content import check as C
from admin.content.lines import source_hash, story_lines
from admin.content.storyfile import (
    Conflict,
    digest,
    read,
    write_all_if_unchanged,
    write_if_unchanged,
)
from admin.content.workspace import WorkingCopy, Workspace
from admin.models import User
from admin.models_content import Revision, TranslationMark
from kiosk.content import LoadedPack
from kiosk.content.findings import ERROR, Finding, finding
from kiosk.content.phrase import Phrase


@dataclass
class SaveResult:
    """What a save did: the revision, or why not (errors, a conflict), and the warnings."""

    revision: Revision | None = None
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    conflict: Conflict | None = None
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        """True when the file was written (or nothing needed writing)."""
        return self.conflict is None and not self.errors


@dataclass
class SaveContext:
    """What a save needs from the app: the workspace, the database session, the user."""

    ws: Workspace
    db: Session
    user: User | None


def check_cached(ws: Workspace, wc: WorkingCopy, rel: str, text: str,
                 loaded: LoadedPack | None = None) -> C.StoryCheck:
    """The validator's findings for a story text in a pack as loaded, cached.

    The key holds the pack's content hash as well as the text's: the same text can have
    other findings once a media file or pack.yaml changed.
    """
    loaded = loaded or ws.load(wc.root)
    key = (str(wc.root), rel, digest(text), loaded.content_hash)
    cached = ws.checks.get(key)
    if cached is None:
        cached = C.check_story_text(loaded.pack, wc.root, rel, text)
        with ws.lock:
            ws.checks[key] = cached
            while len(ws.checks) > 256:
                ws.checks.pop(next(iter(ws.checks)))
    return cached


def save_story(ctx: SaveContext, wc: WorkingCopy, rel: str, base_hash: str, new_text: str,
               summary: str, marks_for: set[str] | None = None,
               loaded: LoadedPack | None = None,
               renamed: dict[str, str] | None = None) -> SaveResult:
    """Validate and write a story file; see the module docstring.

    `loaded` is the working copy as loaded (its header is what a story is checked against);
    it is loaded when not given. `renamed` maps scene ids this save renames (old -> new):
    their translation marks follow (see `scene_renames`).
    """
    path = wc.root / rel
    if not in_copy(wc, rel):
        return SaveResult(errors=[base_file(rel)])
    loaded = loaded or ctx.ws.load(wc.root)
    pack = loaded.pack
    current, current_hash = read(path)
    if current_hash != base_hash:
        return SaveResult(conflict=Conflict(current, current_hash))
    if new_text == current:
        return SaveResult(unchanged=True)
    before = check_cached(ctx.ws, wc, rel, current, loaded)
    after = check_cached(ctx.ws, wc, rel, new_text, loaded)
    warnings = [f for f in after.findings if f.severity != "error"]
    errors = C.new_errors(before, after)
    if errors or after.story is None:
        return SaveResult(errors=errors or after.errors, warnings=warnings)
    try:
        write_if_unchanged(path, base_hash, new_text, ctx.ws.cache_dir / "locks")
    except Conflict as exc:
        return SaveResult(conflict=exc)
    rev = record(ctx, wc.pack_id, rel, current, new_text, summary)
    if before.story is not None:
        renames = scene_renames(before.story, after.story, renamed or {})
        _move_marks(ctx, wc.pack_id, after.story.id, renames)
        _mark_translations(ctx, wc, pack.default_language, before, after, marks_for, renames)
    ctx.db.commit()
    return SaveResult(revision=rev, warnings=warnings)


@dataclass
class ManyResult:
    """What a save of several files did: its revisions, or why nothing was written."""

    revisions: list[Revision] = field(default_factory=list)
    errors: dict[str, list[Finding]] = field(default_factory=dict)  # file -> new errors
    conflict: Conflict | None = None  # its .path: the file that changed
    failure: OSError | None = None  # writing failed: every file kept its old text

    @property
    def ok(self) -> bool:
        """True when every file was written (or needed no change)."""
        return self.conflict is None and self.failure is None and not self.errors


def save_many(ctx: SaveContext, wc: WorkingCopy, changes: list[tuple[str, str, str]],
              summary: str, marks_for: set[str] | None = None,
              loaded: LoadedPack | None = None) -> ManyResult:
    """Validate and write several story files, all or none; (file, base hash, new text) each.

    Every file is checked by the validator, then written by `write_all_if_unchanged` (every
    hash checked again under the files' locks before any is written; temporary files first,
    renamed only when all are written). One revision per file changed, committed together.
    """
    loaded = loaded or ctx.ws.load(wc.root)
    result, todo = ManyResult(), []
    outside = {rel: [base_file(rel)] for rel, _h, _t in changes if not in_copy(wc, rel)}
    if outside:
        return ManyResult(errors=outside)
    for rel, base_hash, new_text in changes:
        current, current_hash = read(wc.root / rel)
        if current_hash != base_hash:
            return ManyResult(conflict=Conflict(current, current_hash, wc.root / rel))
        if new_text == current:
            continue
        before = check_cached(ctx.ws, wc, rel, current, loaded)
        after = check_cached(ctx.ws, wc, rel, new_text, loaded)
        errors = C.new_errors(before, after)
        if errors or after.story is None:
            result.errors[rel] = errors or after.errors
        todo.append((rel, current, new_text, before, after))
    if result.errors or not todo:
        return result
    try:
        write_all_if_unchanged([(wc.root / rel, digest(cur), new) for rel, cur, new, _b, _a
                                in todo], ctx.ws.cache_dir / "locks")
    except Conflict as exc:
        return ManyResult(conflict=exc)
    except OSError as exc:
        return ManyResult(failure=exc)
    for rel, current, new_text, before, after in todo:
        result.revisions.append(record(ctx, wc.pack_id, rel, current, new_text, summary))
        if before.story is not None:
            _mark_translations(ctx, wc, loaded.pack.default_language, before, after,
                               marks_for, {})
    ctx.db.commit()
    return result


def in_copy(wc: WorkingCopy, rel: str) -> bool:
    """True when a file is the working copy's own: an overlay's base story is the base's
    (`../content/stories/emil.yaml`), never written from the overlay (its texts become
    overrides, admin.content.overridefile)."""
    return (wc.root / rel).resolve().is_relative_to(wc.root.resolve())


def base_file(rel: str) -> Finding:
    """The refusal of a save into a file of the overlay's base."""
    return finding(ERROR, "base-file", Phrase(
        "this story comes from the base (%(file)s): change it in the base pack; in this "
        "overlay, its texts are edited in the scene editor and on the translations page",
        file=rel), rel)


def record(ctx: SaveContext, pack_id: str, rel: str, before: str, after: str,
           summary: str, action: str = "content.save") -> Revision:
    """Add the revision and its audit entry (the caller commits)."""
    rev = Revision(pack_id=pack_id, file=rel, actor_id=ctx.user.id if ctx.user else None,
                   actor=ctx.user.username if ctx.user else "system", summary=summary[:300],
                   before_hash=digest(before), after_hash=digest(after),
                   before=before, after=after)
    ctx.db.add(rev)
    ctx.db.flush()
    audit.record(ctx.db, ctx.user, action, f"{pack_id}:{rel}",
                 {"hash": rev.before_hash}, {"hash": rev.after_hash, "revision": rev.id,
                                             "summary": summary})
    return rev


def _scene_lines(story, scene_id: str) -> dict[str, dict]:
    """A scene's lines by the part of their id after the scene (``text``, ``choices/c1/label``)."""
    prefix = f"{story.id}/scenes/{scene_id}/"
    return {line.id[len(prefix):]: line.text for line in story_lines(story)
            if line.scene == scene_id}


def scene_renames(before, after, explicit: dict[str, str]) -> dict[str, str]:
    """The scenes a save renamed (old id -> new id): their marks must follow the new id.

    A rename the caller names (`explicit`, the rename form) counts when the old id is gone
    and the new one is new; any other scene that vanished counts as renamed when exactly one
    new scene has the same lines with the same text (restoring a revision before a rename).
    """
    if before is None or after is None or before.id != after.id:
        return {}
    gone = [s for s in before.scenes if s not in after.scenes]
    new = [s for s in after.scenes if s not in before.scenes]
    out = {old: explicit[old] for old in gone if explicit.get(old) in new}
    for old in gone:
        if old in out:
            continue
        lines = _scene_lines(before, old)
        same = [n for n in new if n not in out.values() and lines
                and _scene_lines(after, n) == lines]
        if len(same) == 1:
            out[old] = same[0]
    return out


def _renamed_line(line_id: str, story_id: str, renames: dict[str, str]) -> str:
    parts = line_id.split("/")
    if len(parts) > 3 and parts[0] == story_id and parts[1] == "scenes" and (
            parts[2] in renames):
        return "/".join([story_id, "scenes", renames[parts[2]], *parts[3:]])
    return line_id


def _move_marks(ctx: SaveContext, pack_id: str, story_id: str, renames: dict[str, str]) -> None:
    """Give the marks of renamed scenes their new line ids (stale ones there are dropped)."""
    if not renames:
        return
    marks = ctx.db.query(TranslationMark).filter_by(pack_id=pack_id).all()
    targets = set(renames.values())
    for m in marks:  # left by a scene of that name deleted earlier: not this text's marks
        parts = m.line_id.split("/")
        if len(parts) > 3 and parts[:2] == [story_id, "scenes"] and parts[2] in targets:
            ctx.db.delete(m)
    ctx.db.flush()
    for m in marks:
        moved = _renamed_line(m.line_id, story_id, renames)
        if moved != m.line_id:
            m.line_id = moved
    ctx.db.flush()


def _mark_translations(ctx: SaveContext, wc: WorkingCopy, source: str, before: C.StoryCheck,
                       after: C.StoryCheck, marks_for: set[str] | None,
                       renames: dict[str, str]) -> None:
    """Record which source text each changed translation was made from.

    A source line that changed makes every other language's unmarked text out of date
    (marked with the old source's hash); a translation written in this save is marked
    with the new source's hash. `marks_for` limits the fresh marks to those languages.
    A renamed scene's old lines are compared under their new ids.
    """
    sid = before.story.id
    old = {_renamed_line(line.id, sid, renames): line.text
           for line in story_lines(before.story)}
    who = ctx.user.username if ctx.user else "system"
    existing = {(m.line_id, m.language): m for m in ctx.db.query(TranslationMark).filter_by(
        pack_id=wc.pack_id)}
    for line in story_lines(after.story):
        new_src = line.text.get(source, "")
        old_text = old.get(line.id, {})
        old_src = old_text.get(source, "")
        for lang, value in line.text.items():
            if lang == source:
                continue
            mark = existing.get((line.id, lang))
            if value.strip() != old_text.get(lang, "").strip() and (
                    marks_for is None or lang in marks_for):
                h = source_hash(new_src)
            elif old_src.strip() != new_src.strip() and mark is None:
                h = source_hash(old_src)
            else:
                continue
            if mark is None:
                mark = TranslationMark(pack_id=wc.pack_id, line_id=line.id, language=lang,
                                       source_hash=h, actor=who)
                ctx.db.add(mark)
                existing[(line.id, lang)] = mark
            else:
                mark.source_hash, mark.actor = h, who


def diff(before: str, after: str, name: str = "") -> list[str]:
    """The unified diff of two texts, line by line."""
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                     f"{name} before", f"{name} after", lineterm="", n=2))
