"""Saving pack.yaml: checked with the whole pack (stories included), then written like a story.

A change to pack.yaml can break a story (a language or content note removed), so the new
text is loaded with every story file by the kiosk's own loader (``load_pack(texts=...)``,
the one load a save makes) and compared with the pack as it is (the workspace's load,
usually kept from the page the form came from): errors the pack did not have refuse the
save. Then the same steps as a story save: the hash check under the file's lock, the atomic
write, the revision and its audit entry (``revisions.record``).
"""

from __future__ import annotations

from admin.content.check import StoryCheck, new_errors
from admin.content.revisions import SaveContext, SaveResult, record
from admin.content.storyfile import Conflict, read, write_if_unchanged
from admin.content.workspace import WorkingCopy
from kiosk.content import load_pack

PACK_FILE = "pack.yaml"


def save_pack_file(ctx: SaveContext, wc: WorkingCopy, base_hash: str, new_text: str,
                   summary: str) -> SaveResult:
    """Validate and write pack.yaml; a conflict, new errors, or the revision."""
    path = wc.root / PACK_FILE
    current, current_hash = read(path)
    if current_hash != base_hash:
        return SaveResult(conflict=Conflict(current, current_hash, path))
    if new_text == current:
        return SaveResult(unchanged=True)
    before = StoryCheck(None, list(ctx.ws.load(wc.root).findings))
    after = StoryCheck(None, list(load_pack(wc.root, texts={PACK_FILE: new_text}).findings))
    warnings = [f for f in after.findings if f.severity != "error"]
    errors = new_errors(before, after)
    if errors:
        return SaveResult(errors=errors, warnings=warnings)
    try:
        write_if_unchanged(path, base_hash, new_text, ctx.ws.cache_dir / "locks")
    except Conflict as exc:
        return SaveResult(conflict=exc)
    rev = record(ctx, wc.pack_id, PACK_FILE, current, new_text, summary)
    ctx.db.commit()
    ctx.ws.forget(wc.root)
    return SaveResult(revision=rev, warnings=warnings)
