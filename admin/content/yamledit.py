"""Round-trip editing of story files that keeps the author's file readable.

ruamel.yaml keeps comments, key order, flow mappings and block scalars. Loading a whole
story with it takes ~100 ms, so a scene is edited as a fragment: its lines are cut out (the
places come from the same libyaml node tree the loader uses), edited with ruamel, dumped
in the file's own indentation, and spliced back. Everything outside the scene stays byte
for byte as it was. Edits that touch several places (rename a scene) go through the whole
document.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from kiosk.content import yamlsafe as Y


class EditError(Exception):
    """The file cannot be edited this way (the sentence says why).

    Like ``admin.content.media.Refused``: ``msgid`` with ``%(name)s`` placeholders and
    ``params``, shown translated by ``admin.i18n.reason``; ``str(exc)`` is the English sentence.
    """

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 100_000  # never fold an author's long line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load(text: str):
    """The whole document as ruamel's commented mapping."""
    return _yaml().load(text)


# Documents parsed for reading, pickled, by the sha256 of their text: the settings pages read
# a whole story or pack.yaml on every request, and ruamel takes 50-200 ms to parse one, where
# unpickling a parsed one takes 2 ms. Bounded, least recently used out first.
PARSED_KEPT = 64
_parsed: OrderedDict[bytes, bytes] = OrderedDict()
_parsed_lock = threading.Lock()


def load_for_reading(text: str):
    """The whole document as `load` gives it, a fresh copy for each caller (changing it
    changes nothing else; ruamel's comments and styles come with it, so it dumps as a fresh
    parse does); parsed once per distinct text."""
    key = hashlib.sha256(text.encode("utf-8")).digest()
    with _parsed_lock:
        pickled = _parsed.get(key)
        if pickled is not None:
            _parsed.move_to_end(key)
    if pickled is None:
        doc = load(text)
        pickled = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        with _parsed_lock:
            _parsed[key] = pickled
            while len(_parsed) > PARSED_KEPT:
                _parsed.popitem(last=False)
        return doc
    return pickle.loads(pickled)


def dump(data) -> str:
    """ruamel's text of a document or fragment."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def edit_document(text: str, change: Callable[[CommentedMap], None]) -> str:
    """Apply `change` to the whole document and return the new text (slow path; the text
    the page was built from is usually parsed already, see `load_for_reading`). Only the
    top-level blocks that changed are written anew where that is safe (`splice_changed`)."""
    doc = load_for_reading(text)
    if not isinstance(doc, CommentedMap):
        raise EditError("the file is not a mapping")
    change(doc)
    return write_document(text, doc)


def write_document(text: str, doc: CommentedMap) -> str:
    """The new text of `text`'s document, changed into `doc`: only the changed top-level
    blocks written where that is safe (`splice_changed`), else the whole document."""
    spliced = splice_changed(text, doc)
    return spliced if spliced is not None else dump(doc)


def _body(lines: list[str]) -> list[str]:
    """`lines` without their trailing blank lines and comments at the margin."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return lines[:end]


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it


def plain(value):
    """ruamel's value as plain Python (dicts, lists, scalars), for comparing documents."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def splice_changed(text: str, doc: CommentedMap) -> str | None:
    """`doc` (the document of `text`, changed) as text where only the top-level blocks that
    changed are written by ruamel and the rest is kept byte for byte; None where that is not
    safe, and the caller writes the whole document.

    Writing out a whole 36 kB pack.yaml took ruamel ~200 ms, most of a settings save, where
    one block takes a few. Not safe, so None: keys added, removed or reordered; a top-level
    key not at column 0 or a flow-style document; a changed block holding anchors or aliases
    (it may share a node with another); a result that does not read back as `doc`'s data."""
    try:
        root = Y.compose(text)
        anchored = [event.start_mark.line for event in yaml.parse(text, Loader=_FAST)
                    if getattr(event, "anchor", None)]  # anchors and aliases
    except (Y.YamlProblem, yaml.YAMLError):
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    old = load_for_reading(text)
    keys = list(doc.keys())
    if not isinstance(old, CommentedMap) or list(old.keys()) != keys \
            or [k.value for k, _ in root.value] != [str(k) for k in keys] \
            or any(k.start_mark.column for k, _ in root.value):
        return None
    lines = text.split("\n")
    starts = [k.start_mark.line for k, _ in root.value] + [len(lines)]
    out = lines[:starts[0]]
    for i, key in enumerate(keys):
        block = lines[starts[i]:starts[i + 1]]
        if plain(old[key]) != plain(doc[key]):
            if any(starts[i] <= line < starts[i + 1] for line in anchored):
                return None  # its anchors or aliases may tie it to another block
            fragment = CommentedMap()
            fragment[key] = doc[key]
            if key in doc.ca.items:  # a comment on the key's own line
                fragment.ca.items[key] = doc.ca.items[key]
            # Blank lines and comments at the margin after a block stay as they were: ruamel
            # may attach them to the block's last value or to the document (and then drop
            # them from a fragment), so the fragment's own are cut and the file's kept.
            block = _body(dump(fragment).split("\n")) + block[len(_body(block)):]
        out += block
    new_text = "\n".join(out)
    try:
        back = yaml.load(new_text, Loader=_FAST)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return None
    return new_text if back == plain(doc) else None


def _scene_nodes(text: str) -> tuple[list, list[tuple[yaml.Node, yaml.Node]]]:
    try:
        root = Y.compose(text)
    except Y.YamlProblem as exc:
        raise EditError("the file cannot be read: %(problem)s", problem=exc.message) from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the file is not a mapping")
    for k, v in root.value:
        if k.value == "scenes" and isinstance(v, yaml.MappingNode):
            return root.value, v.value
    raise EditError("the story has no scenes mapping")


def scene_span(text: str, scene_id: str) -> tuple[int, int, int] | None:
    """(first line, end line, indent) of a scene's block value, or None when not splicable."""
    _, pairs = _scene_nodes(text)
    lines = text.split("\n")
    for i, (k, v) in enumerate(pairs):
        if k.value != scene_id:
            continue
        if not isinstance(v, yaml.MappingNode) or v.flow_style or \
                v.start_mark.line == k.start_mark.line:
            return None
        start = v.start_mark.line
        end = pairs[i + 1][0].start_mark.line if i + 1 < len(pairs) else v.end_mark.line
        if i + 1 == len(pairs) and v.end_mark.column > 0:
            end += 1  # the file ends inside the scene
        end = min(end, len(lines))
        # comments and blank lines before the next key belong to what follows
        while end > start and (not lines[end - 1].strip() or (
                lines[end - 1].lstrip().startswith("#")
                and len(lines[end - 1]) - len(lines[end - 1].lstrip()) <= k.start_mark.column)):
            end -= 1
        return start, end, v.start_mark.column
    raise EditError('the story has no scene "%(scene)s"', scene=scene_id)


def edit_scene(text: str, scene_id: str, change: Callable[[CommentedMap], None]) -> str:
    """Apply `change` to one scene's mapping and return the file's new text."""
    span = scene_span(text, scene_id)
    if span is None:
        def whole(doc):
            change(doc["scenes"][scene_id])
        return edit_document(text, whole)
    start, end, indent = span
    lines = text.split("\n")
    fragment = "\n".join(line[indent:] if line.strip() else "" for line in lines[start:end])
    node = load(fragment + "\n")
    if not isinstance(node, CommentedMap):
        raise EditError('scene "%(scene)s" is not a mapping', scene=scene_id)
    change(node)
    new = dump(node).rstrip("\n").split("\n")
    pad = " " * indent
    new = [pad + line if line.strip() else "" for line in new]
    return "\n".join(lines[:start] + new + lines[end:])


def set_text(mapping: CommentedMap, key, value: str) -> bool:
    """Set a text value, keeping a block scalar for paragraphs; False when nothing changed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    old = mapping.get(key)
    if old is not None and str(old).strip() == value:
        return False
    if not value:
        if key in mapping:
            del mapping[key]
            return True
        return False
    if "\n" in value or isinstance(old, LiteralScalarString):
        mapping[key] = LiteralScalarString(value + "\n")
    else:
        mapping[key] = value
    return True


def text_map(parent: CommentedMap, key: str) -> CommentedMap:
    """The language mapping under `key`, created (block style) when missing."""
    current = parent.get(key)
    if not isinstance(current, CommentedMap):
        current = CommentedMap()
        parent[key] = current
    return current


def flow_list(values: list) -> CommentedSeq:
    """A list written on one line: [a, b]."""
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq
