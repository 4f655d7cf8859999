"""Reading YAML safely: libyaml's safe parser, size and encoding limits, places for every node.

The loader never builds plain Python objects from YAML directly: it composes the node tree
(with libyaml, in C) and the schema module converts nodes to the model, reading each value's
line and column from its node. Anything the YAML spec allows but an author never means is
refused here: non-standard tags (`!!python/object`), more than one document, too large a file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from yaml._yaml import CParser as _Parser  # libyaml, bundled in PyYAML's wheels
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from kiosk.content.phrase import Phrase


class _FastResolver(Resolver):
    """YAML 1.1's implicit types, without path resolvers (which packs never use)."""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                resolvers = self.yaml_implicit_resolvers.get(value[:1], ())
                for tag, regexp in resolvers:
                    if regexp.match(value):
                        return tag
                for tag, regexp in self.yaml_implicit_resolvers.get(None, ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return super().resolve(kind, value, implicit)


class _Loader(_Parser, SafeConstructor, _FastResolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        SafeConstructor.__init__(self)
        _FastResolver.__init__(self)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000  # values per file after aliases are expanded
BOM = b"\xef\xbb\xbf"

YAML_TAG_PREFIX = "tag:yaml.org,2002:"
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"  # the key `<<`: not supported, reported as an unknown key
STANDARD_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MAP, SEQ}
KEY_TAGS = STANDARD_TAGS | {MERGE}


def tag_name(tag: str) -> str:
    """A tag as an author writes it: `!!python/tuple`, not `tag:yaml.org,2002:python/tuple`."""
    return "!!" + tag[len(YAML_TAG_PREFIX):] if tag.startswith(YAML_TAG_PREFIX) else tag


def tag_refusal(node: yaml.Node) -> str:
    """Why a node's non-standard tag is refused, in an author's words."""
    what = (Phrase("a mapping") if isinstance(node, MappingNode)
            else Phrase("a list") if isinstance(node, SequenceNode) else Phrase("a value"))
    return Phrase("the tag %(tag)s on %(what)s is not allowed in a pack, which holds only "
                  "text, numbers, dates, true/false, lists and mappings",
                  tag=tag_name(node.tag), what=what)


# YAML 1.1 (what libyaml resolves) reads a plain 015 as octal 13 and 1:30 as base-60 90,
# without a word; authors mean 15 and (perhaps) ninety minutes. 08 and 09 become text.
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_BOOL_WORDS = {"yes", "no", "on", "off"}


def yaml11_number(node: yaml.Node) -> tuple[str, str] | None:
    """What YAML 1.1 silently made of a plain number written with a leading zero or as h:mm,
    as (what was read, how to write it); None for any other node."""
    if not isinstance(node, ScalarNode) or node.style:  # quoted or a block: text was meant
        return None
    value = node.value
    if _LEADING_ZERO.fullmatch(value):
        meant = int(value.replace("_", ""), 10)
        if node.tag == INT:
            read = SafeConstructor().construct_yaml_int(node)
            return (Phrase("%(value)s is read by YAML as the octal number %(read)s", value=value,
                           read=str(read)),
                    Phrase('write %(meant)s (or "%(value)s" in quotes if you meant text)',
                           meant=str(meant), value=value))
        return (Phrase("%(value)s has a leading zero, so YAML reads it as text, not a number",
                       value=value), Phrase("write %(meant)s", meant=str(meant)))
    if _SEXAGESIMAL.fullmatch(value) and node.tag in (INT, FLOAT):
        constructor = SafeConstructor()
        read = (constructor.construct_yaml_int(node) if node.tag == INT
                else constructor.construct_yaml_float(node))
        return (Phrase("%(value)s is read by YAML as the base-60 number %(read)s (each : "
                       "multiplies by 60)", value=value, read=str(read)),
                Phrase('write the number you mean in plain digits, e.g. %(read)s (or "%(value)s" '
                       "in quotes if you meant text)", read=str(read), value=value))
    return None


def yaml11_bool_word(node: yaml.Node) -> bool:
    """True for a plain yes, no, on or off, which YAML 1.1 reads as true or false."""
    return (isinstance(node, ScalarNode) and node.tag == BOOL and not node.style
            and node.value.lower() in _BOOL_WORDS)


class YamlProblem(Exception):
    """A file that cannot be read as YAML at all: message, and a 1-based line and column."""

    def __init__(self, message: str, line: int = 0, col: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def decode(data: bytes) -> str:
    """UTF-8 text in NFC from a file's bytes (a byte-order mark is tolerated), or a YamlProblem."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        # NFC: a value typed with combining accents (NFD, as some editors and macOS file
        # names write it) must equal the same value typed precomposed, in ids and conditions.
        return unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(data, exc.start)
        raise YamlProblem(
            Phrase("the file is not UTF-8 text (save it as UTF-8 in your editor)"), line, col
        ) from None


def read_text(path: Path) -> str:
    """Read a YAML file's text within the size limit, or raise YamlProblem."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(Phrase(
                "the file is %(size)s MB, more than the limit of %(limit)s MB: split it or "
                "remove what does not belong", size=f"{size / 1e6:.1f}",
                limit=f"{MAX_FILE_BYTES / 1e6:.0f}"))
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlProblem(Phrase("cannot read the file: %(problem)s",
                                 problem=str(exc.strerror or exc))) from None
    return decode(data)


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, or a YamlProblem naming the place."""
    try:
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(_syntax(exc.context, exc.problem), line, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Phrase("invalid YAML: %(problem)s", problem=str(exc))) from None
    except RecursionError:
        raise YamlProblem(Phrase("invalid YAML: nested too deeply")) from None


# libyaml's words for the commonest slips, as Phrases the admin translates (the rest stay
# as libyaml says them)
_SAYINGS = {s: s for s in (
    Phrase("mapping values are not allowed in this context"),
    Phrase("found character that cannot start any token"),
    Phrase("did not find expected key"),
    Phrase("did not find expected '-' indicator"),
    Phrase("did not find expected ',' or ']'"),
    Phrase("did not find expected ',' or '}'"),
    Phrase("found unexpected end of stream"),
    Phrase("found undefined alias"),
    Phrase("could not find expected ':'"),
    Phrase("did not find expected node content"),
    Phrase("found a tab character that violates indentation"),
    Phrase("block sequence entries are not allowed in this context"),
    Phrase("while parsing a block mapping"),
    Phrase("while parsing a block collection"),
    Phrase("while parsing a flow sequence"),
    Phrase("while parsing a flow mapping"),
    Phrase("while scanning for the next token"),
    Phrase("while scanning a quoted scalar"),
    Phrase("while scanning a simple key"),
    Phrase("while parsing a block node"),
)}


def _syntax(context: str | None, problem: str | None) -> Phrase:
    """libyaml's complaint as a finding's message: 'invalid YAML: while ... did not ...'."""
    said = [_SAYINGS.get(p, p) for p in (context, problem) if p]
    if any("expected a single document" in p for p in said):
        return Phrase("invalid YAML: the file holds more than one YAML document (remove the "
                      "'---' line)")
    if len(said) == 2:
        return Phrase("invalid YAML: %(context)s %(problem)s", context=said[0], problem=said[1])
    if said:
        return Phrase("invalid YAML: %(problem)s", problem=said[0])
    return Phrase("invalid YAML")
