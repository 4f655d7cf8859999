"""Translation state per line (missing, out of date, current) and writing one language back."""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap

from admin.content.lines import Line, source_hash, story_lines
from admin.content.yamledit import EditError, edit_document, set_text
from kiosk.content import model as M

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
