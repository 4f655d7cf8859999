"""Translation state per line (missing, out of date, current) and writing one language back."""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap

from admin.content.lines import Line, source_hash, story_lines
from admin.content.yamledit import EditError, edit_document, set_text
from kiosk.content import model as M
from kiosk.content.slots import picture_slots

MISSING, OUTDATED, CURRENT, SOURCE_MISSING = "missing", "outdated", "current", "no-source"


@dataclass
class Row:
    """One line beside its translation, with its state."""

    line: Line
    source: str
    target: str
    state: str


def rows(story: M.Story, source: str, target: str, marks: dict[str, str]) -> list[Row]:
    """The side-by-side rows of a story; `marks` maps line id -> recorded source hash."""
    out = []
    for line in story_lines(story):
        src = line.text.get(source, "").strip()
        tgt = line.text.get(target, "").strip()
        if not src:
            state = SOURCE_MISSING
        elif not tgt:
            state = MISSING
        elif line.id in marks and marks[line.id] != source_hash(src):
            state = OUTDATED
        else:
            state = CURRENT
        out.append(Row(line, src, tgt, state))
    return out


def picture_rows(pack: M.Pack, story: M.Story, source: str, target: str) -> list[Row]:
    """The alt texts of the pictures the story shows, from the media library (pack.yaml's
    `pictures:`, one line a picture, shared by every story showing it), with their state
    (never out of date: a library text keeps no mark of its source)."""
    out = []
    for line in picture_slots(pack, story):
        src = line.text.get(source, "").strip()
        tgt = line.text.get(target, "").strip()
        out.append(Row(line, src, tgt, SOURCE_MISSING if not src else MISSING if not tgt
                       else CURRENT))
    return out


def recorded_marks(db, pack_id: str) -> dict[str, dict[str, str]]:
    """Every recorded translation of a pack: language -> line id -> source hash."""
    from admin.models_content import TranslationMark

    out: dict[str, dict[str, str]] = {}
    for m in db.query(TranslationMark).filter_by(pack_id=pack_id):
        out.setdefault(m.language, {})[m.line_id] = m.source_hash
    return out


def outdated_lines(story: M.Story, source: str,
                   marks: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Per language of the story (the source aside), the ids of its out-of-date lines."""
    return {lang: {r.line.id for r in rows(story, source, lang, marks.get(lang, {}))
                   if r.state == OUTDATED}
            for lang in story.languages if lang != source}


def previous_sources(db, pack_id: str, story: M.Story, source: str,
                     marks: dict[str, str]) -> dict[str, str]:
    """For each out-of-date line, the source text its translation was made from, found in
    the story file's revisions (newest first) by the hash recorded with the translation."""
    import yaml

    from admin.models_content import Revision

    wanted = {line.id: line for line in story_lines(story)
              if line.id in marks and line.text.get(source)
              and marks[line.id] != source_hash(line.text[source])}
    found: dict[str, str] = {}
    revisions = db.query(Revision).filter_by(pack_id=pack_id, file=story.file).order_by(
        Revision.id.desc())
    for rev in revisions:
        if len(found) == len(wanted):
            break
        for text in (rev.after, rev.before):
            try:
                doc = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            for line_id, line in wanted.items():
                old = _at(doc, line.keys)
                if line_id not in found and isinstance(old, dict) and isinstance(
                        old.get(source), str) and source_hash(old[source]) == marks[line_id]:
                    found[line_id] = old[source].strip()
    return found


def _at(doc, keys: tuple):
    """The value at a key path in a plain YAML document, or None."""
    node = doc
    for key in keys:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _container(doc: CommentedMap, keys: tuple) -> CommentedMap:
    node = doc
    for key in keys[:-1]:
        node = node[key]
    last = keys[-1]
    value = node.get(last) if isinstance(node, CommentedMap) else None
    if not isinstance(value, CommentedMap):
        if isinstance(value, str) and value:
            raise EditError("%(field)s is one text for every language",
                            field=".".join(map(str, keys)))
        value = CommentedMap()
        node[last] = value
    return value


def apply_language(text: str, story: M.Story, language: str, values: dict[str, str]) -> str:
    """The story file's text with `values` (line id -> text) written in one language."""
    by_id = {line.id: line for line in story_lines(story)}

    def change(doc: CommentedMap) -> None:
        for line_id, value in values.items():
            line = by_id[line_id]
            if value.strip() == line.text.get(language, "").strip():
                continue
            set_text(_container(doc, line.keys), language, value)

    return edit_document(text, change)
