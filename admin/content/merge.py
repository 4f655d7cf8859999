"""Saving a stale form: a three-way merge per field, and who changed the file meanwhile.

A form carries the hash of the file it was opened on (the *base*). When the file changed
before the save (*theirs*), the posted values (*mine*) are merged field by field: a field
only one side changed takes that side's value, so a colleague's change to another field or
language is kept; a field both changed to different values is a `Clash` the person settles
(`resolve`), and nothing is written until they have. Fields are plain ``name -> text``
mappings named like the form's inputs, so a merge result posts back as a form.

The base text comes from the revisions (every admin save records the file before and after);
a file changed outside the admin may have no revision holding it: then the base is unknown
and every field the two sides disagree on is a clash, so nothing is reverted silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from admin.models_content import Revision

CHOOSE, THEIRS, MINE = "choose:", "theirs:", "mine:"


@dataclass
class Clash:
    """A field both sides changed to different values: its form name and the two texts."""

    name: str
    theirs: str
    mine: str


def norm(value: str | None) -> str:
    """A field's text as compared and written (the editor's line ends, no outer blanks)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def three_way(base: dict[str, str] | None, theirs: dict[str, str],
              mine: dict[str, str]) -> tuple[dict[str, str], list[Clash]]:
    """The merged fields and the clashes; `base` None when the base text is unknown.

    A name missing from `mine` was not posted: the person did not change it.
    """
    merged: dict[str, str] = {}
    clashes: list[Clash] = []
    for name in dict.fromkeys([*theirs, *mine]):
        t = norm(theirs.get(name))
        if name not in mine:
            merged[name] = t
            continue
        m = norm(mine[name])
        b = norm(base.get(name)) if base is not None else None
        if m == t or m == b:
            merged[name] = t
        elif t == b:
            merged[name] = m
        else:
            clashes.append(Clash(name, t, m))
            merged[name] = m
    return merged, clashes


def resolve(form: MultiDict) -> tuple[MultiDict, list[Clash]]:
    """A posted form with each ``choose:<name>`` choice applied; the clashes not yet chosen.

    The conflict page posts, for each clash, ``theirs:<name>`` and ``mine:<name>`` (the two
    texts) and a radio ``choose:<name>`` (``theirs`` or ``mine``); the chosen text becomes
    the field ``<name>``. A form without them comes back as it was.
    """
    out = MultiDict([(k, v) for k, v in form.items(multi=True)
                     if not k.startswith((CHOOSE, THEIRS, MINE))])
    open_clashes = []
    for key in form:
        if not key.startswith(MINE):
            continue
        name = key[len(MINE):]
        theirs, mine = form.get(THEIRS + name, ""), form.get(key, "")
        choice = form.get(CHOOSE + name)
        if choice == "theirs":
            out.setlist(name, [theirs])
        elif choice == "mine":
            out.setlist(name, [mine])
        else:
            open_clashes.append(Clash(name, theirs, mine))
    return out, open_clashes


def base_text(db: Session, pack_id: str, rel: str, base_hash: str) -> str | None:
    """The file's text with that hash, from the revisions; None when none holds it."""
    rev = db.query(Revision).filter_by(pack_id=pack_id, file=rel).filter(or_(
        Revision.after_hash == base_hash, Revision.before_hash == base_hash)).order_by(
        Revision.id.desc()).first()
    if rev is None:
        return None
    return rev.after if rev.after_hash == base_hash else rev.before


def changes_since(db: Session, pack_id: str, rel: str, base_hash: str,
                  current_hash: str) -> tuple[list[Revision], bool]:
    """The saves that led from the base to the current file, oldest first, and whether
    they account for all of it (False: the file was also changed outside the admin).

    Walked back from the current text, so the people named are the ones whose saves came
    after the form was opened, even when the base text existed before (a restore).
    """
    chain: list[Revision] = []
    wanted = current_hash
    for rev in db.query(Revision).filter_by(pack_id=pack_id, file=rel).order_by(
            Revision.id.desc()).limit(200):
        if wanted == base_hash:
            break
        if rev.after_hash == wanted:
            chain.append(rev)
            wanted = rev.before_hash
    return chain[::-1], wanted == base_hash
