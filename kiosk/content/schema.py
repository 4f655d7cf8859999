"""Converting YAML nodes into the model, with a finding (file, line, column) for every problem.

Each converter takes `(node, ctx, path)` and returns a value, or INVALID after recording a
finding. Mapping specs list every allowed key with its converter and whether it is required,
so unknown keys get a "did you mean" and missing ones name the mapping they belong in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from kiosk.content import yamlsafe as Y
from kiosk.content.characters import excerpt, odd_characters
from kiosk.content.findings import ERROR, WARNING, Finding, finding, suggest
from kiosk.content.phrase import Phrase
from kiosk.content.versions import is_version

INVALID: Any = object()
ID_RE = re.compile(r"^[a-z][a-z0-9_\-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")

Converter = Callable[[yaml.Node, "Ctx", str], Any]
THE_FILE = Phrase("the file")  # where a path is empty: the file's top level


class TooManyValues(Exception):
    """The file expands (through aliases) beyond the limit of values."""


class Ctx:
    """What converting one file needs: its name, the findings so far, the pack's languages."""

    def __init__(self, file: str, languages: list[str] | None = None):
        self.file = file
        self.findings: list[Finding] = []
        self.languages = languages or []
        self.values = 0
        self.constructor = SafeConstructor()
        self.where: dict[str, tuple[int, int]] = {}  # data path -> (line, col) of its value
        self.good_langs: set[str] = set(self.languages)  # language keys already checked

    def add(self, node: yaml.Node | None, path: str, code: str, message: str,
            hint: str = "", severity: str = ERROR) -> None:
        """Record a finding at a node's place."""
        line, col = loc(node)
        self.findings.append(finding(severity, code, message, self.file, line, col, path, hint))

    def warn(self, node: yaml.Node | None, path: str, code: str, message: str, hint: str = ""):
        """Record a warning at a node's place."""
        self.add(node, path, code, message, hint, WARNING)

    def tick(self) -> None:
        """Count one value; aliases that expand a file too far stop the conversion."""
        self.values += 1
        if self.values > Y.MAX_VALUES:
            raise TooManyValues


def loc(node: yaml.Node | None) -> tuple[int, int]:
    """The 1-based (line, column) where a node starts."""
    if node is None:
        return (0, 0)
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def describe(node: yaml.Node) -> str:
    """What a node is, in an author's words (a Phrase, but for a text quoted as it is)."""
    if isinstance(node, yaml.MappingNode):
        return Phrase("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return Phrase("a list")
    tag = node.tag
    if tag == Y.NULL:
        return Phrase("nothing (an empty value)")
    if tag == Y.BOOL:
        return Phrase("the yes/no value %(value)s", value=node.value)
    if tag in (Y.INT, Y.FLOAT):
        return Phrase("the number %(value)s", value=node.value)
    if tag == Y.TIMESTAMP:
        return Phrase("the date %(value)s", value=node.value)
    return f'"{excerpt(node.value)}"'


def bad_tag(node: yaml.Node, ctx: Ctx, path: str) -> bool:
    """True, after a finding, when any node (value, mapping, list or key) has a tag a pack
    may not use (`!!python/tuple [1, 2]`, `!custom {a: 1}`): a tag is never quietly dropped."""
    if node.tag in Y.STANDARD_TAGS:
        return False
    ctx.add(node, path, "bad-tag", Phrase("%(path)s: %(problem)s", path=path or THE_FILE,
                                          problem=Y.tag_refusal(node)),
            Phrase("remove `%(tag)s` and write the plain value", tag=Y.tag_name(node.tag)))
    return True


def _scalar(node: yaml.Node, ctx: Ctx, path: str, what: str) -> bool:
    ctx.tick()
    if bad_tag(node, ctx, path):
        return False
    if not isinstance(node, yaml.ScalarNode):
        ctx.add(node, path, "wrong-type", _should_be(path, what, node))
        return False
    return True


def _should_be(path: str, what: str, node: yaml.Node) -> Phrase:
    """'scenes.home.next should be text, not a list'."""
    return Phrase("%(path)s should be %(what)s, not %(got)s", path=path, what=what,
                  got=describe(node))


def string(node, ctx, path):
    """Any plain scalar as its source text (so `version: 1.10` stays "1.10")."""
    if not _scalar(node, ctx, path, Phrase("text")):
        return INVALID
    if node.tag in (Y.NULL, Y.BOOL) or node.value == "":
        hint = (Phrase('write "%(value)s" in quotes: YAML reads a plain yes, no, on or off as '
                       "true or false", value=node.value) if Y.yaml11_bool_word(node) else "")
        ctx.add(node, path, "wrong-type", _should_be(path, Phrase("text"), node), hint)
        return INVALID
    return node.value


def pattern(regex: re.Pattern, what: str, example: str) -> Converter:
    """A string that must match a pattern (ids, language and country codes)."""

    def convert(node, ctx, path):
        value = string(node, ctx, path)
        if value is INVALID:
            return INVALID
        if not regex.fullmatch(value):  # $ alone would let a final line break through
            why = odd_characters(value)  # an id that looks right: say which character is not
            ctx.add(node, path, "bad-value",
                    Phrase('%(path)s: "%(value)s" is not %(what)s: %(why)s', path=path,
                           value=excerpt(value), what=what, why=why) if why else
                    Phrase('%(path)s: "%(value)s" is not %(what)s', path=path,
                           value=excerpt(value), what=what),
                    Phrase("for example %(example)s", example=example))
            return INVALID
        return value

    return convert


ident = pattern(ID_RE, Phrase("a valid id (lower-case letters, digits, - and _)"),
                "night-shift")
language = pattern(LANG_RE, Phrase("a language code"), "sv, en, el")
country = pattern(COUNTRY_RE, Phrase("a two-letter country code in capitals"), "SE")


def version(node, ctx, path):
    """A pack's version, e.g. 1.0.1 or 2026.12-se.1 (it becomes part of a folder name)."""
    value = string(node, ctx, path)
    if value is INVALID:
        return INVALID
    if not is_version(value):
        ctx.add(node, path, "bad-version",
                Phrase('%(path)s: "%(value)s" is not a version: numbers with dots, optionally '
                       "followed by -letters, digits and dots", path=path, value=excerpt(value)),
                Phrase("write it like 1.0.1 or 2026.12-se.1"))
        return INVALID
    return value


def one_of(*allowed: str) -> Converter:
    """A string from a fixed set."""

    def convert(node, ctx, path):
        value = string(node, ctx, path)
        if value is INVALID:
            return INVALID
        if value not in allowed:
            ctx.add(node, path, "bad-value",
                    Phrase('%(path)s: "%(value)s" is not one of %(allowed)s', path=path,
                           value=excerpt(value), allowed=", ".join(allowed)),
                    suggest(value, allowed))
            return INVALID
        return value

    return convert


def integer(minimum: int | None = None, maximum: int | None = None) -> Converter:
    """A whole number within bounds."""

    def convert(node, ctx, path):
        whole = Phrase("a whole number")
        if not _scalar(node, ctx, path, whole) or _yaml11_number(node, ctx, path):
            return INVALID
        if node.tag != Y.INT:
            ctx.add(node, path, "wrong-type", _should_be(path, whole, node))
            return INVALID
        value = ctx.constructor.construct_yaml_int(node)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            ctx.add(node, path, "bad-value",
                    Phrase("%(path)s is %(value)s, outside %(minimum)s..%(maximum)s", path=path,
                           value=str(value), minimum=str(minimum), maximum=str(maximum)))
            return INVALID
        return value

    return convert


def number(node, ctx, path):
    """A number, whole or not."""
    if not _scalar(node, ctx, path, Phrase("a number")) or _yaml11_number(node, ctx, path):
        return INVALID
    if node.tag == Y.INT:
        return ctx.constructor.construct_yaml_int(node)
    if node.tag == Y.FLOAT:
        return ctx.constructor.construct_yaml_float(node)
    ctx.add(node, path, "wrong-type", _should_be(path, Phrase("a number"), node))
    return INVALID


def _yaml11_number(node, ctx, path) -> bool:
    """True, after a finding, for a number YAML 1.1 reads otherwise than written (015, 1:30)."""
    surprise = Y.yaml11_number(node)
    if surprise is None:
        return False
    ctx.add(node, path, "yaml11-number", Phrase("%(path)s: %(problem)s", path=path,
                                                problem=surprise[0]), surprise[1])
    return True


def boolean(node, ctx, path):
    """true or false."""
    if not _scalar(node, ctx, path, Phrase("true or false")):
        return INVALID
    if node.tag != Y.BOOL:
        ctx.add(node, path, "wrong-type", _should_be(path, Phrase("true or false"), node))
        return INVALID
    return ctx.constructor.construct_yaml_bool(node)


def date(node, ctx, path):
    """An ISO date, 2026-11-01."""
    if not _scalar(node, ctx, path, Phrase("a date")):
        return INVALID
    try:
        if node.tag == Y.TIMESTAMP:
            value = ctx.constructor.construct_yaml_timestamp(node)
            return value.date() if isinstance(value, dt.datetime) else value
        return dt.date.fromisoformat(node.value)
    except (ValueError, TypeError):
        ctx.add(node, path, "bad-value", Phrase('%(path)s: "%(value)s" is not a date', path=path,
                                                value=excerpt(node.value)),
                Phrase("write it as YYYY-MM-DD, e.g. 2026-11-01"))
        return INVALID


def plain_value(node, ctx, path):
    """A variable's value: true/false, a number or a string."""
    if not _scalar(node, ctx, path, Phrase("true/false, a number or text")) or _yaml11_number(
            node, ctx, path):
        return INVALID
    if node.tag == Y.BOOL:
        return ctx.constructor.construct_yaml_bool(node)
    if node.tag in (Y.INT, Y.FLOAT):
        return number(node, ctx, path)
    if node.tag == Y.NULL:
        ctx.add(node, path, "wrong-type", Phrase("%(path)s has no value", path=path))
        return INVALID
    return node.value


def media_path(node, ctx, path):
    """A path under media/ (checked against the disk by the validator)."""
    return string(node, ctx, path)


def _mapping(node, ctx, path) -> list[tuple[yaml.Node, yaml.Node]] | None:
    ctx.tick()
    if node.tag != Y.MAP and bad_tag(node, ctx, path):
        return None
    if not isinstance(node, yaml.MappingNode):
        ctx.add(node, path, "wrong-type",
                Phrase("%(path)s should be a mapping of keys to values, not %(got)s",
                       path=path or THE_FILE, got=describe(node)))
        return None
    seen: dict[str, yaml.Node] = {}
    pairs = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            ctx.add(key, path, "bad-key", Phrase("a key in %(path)s is not plain text",
                                                 path=path or THE_FILE))
            continue
        if key.tag not in Y.KEY_TAGS and bad_tag(key, ctx, f"{path}.{key.value}".lstrip(".")):
            continue
        if key.value in seen:
            first = loc(seen[key.value])[0]
            ctx.add(key, f"{path}.{key.value}".lstrip("."), "duplicate-key",
                    Phrase('the key "%(key)s" appears twice in %(path)s (first on line '
                           "%(line)s); only one can be kept", key=key.value,
                           path=path or THE_FILE, line=str(first)))
            continue
        seen[key.value] = key
        pairs.append((key, value))
    return pairs


def text(allow_plain: bool = False, required: bool = False) -> Converter:
    """Text per language, `{sv: "...", en: "..."}` (or one plain string, where allowed).
    A `required` text (a title, a choice's label) given as an empty mapping is an error: the
    kiosk would show a blank title or button in every language."""

    def checked(node, ctx, path):
        got = convert(node, ctx, path)
        if got == {} and isinstance(node, yaml.MappingNode) and not node.value:
            lang = ctx.languages[0] if ctx.languages else "en"
            ctx.add(node, path, "missing-key",
                    Phrase("%(path)s gives no text in any language", path=path),
                    Phrase('write it as {%(language)s: "..."}', language=lang))
        return got

    def convert(node, ctx, path):
        fast = _text_fast(node, ctx)
        if fast is not None:
            return fast
        if allow_plain and isinstance(node, yaml.ScalarNode) and node.tag == Y.STR:
            ctx.tick()
            return {lang: node.value for lang in ctx.languages} or {"und": node.value}
        if isinstance(node, yaml.ScalarNode) and node.tag == Y.STR:
            ctx.tick()
            lang = ctx.languages[0] if ctx.languages else "en"
            ctx.add(node, path, "wrong-type",
                    Phrase("%(path)s should give the text per language", path=path),
                    Phrase('write it as {%(language)s: "%(text)s"}', language=lang,
                           text=excerpt(node.value, 20)))
            return INVALID
        pairs = _mapping(node, ctx, path)
        if pairs is None:
            return INVALID
        out = {}
        for key, value in pairs:
            sub = f"{path}.{key.value}"
            if not LANG_RE.match(key.value):
                ctx.add(key, sub, "bad-value",
                        Phrase('"%(key)s" in %(path)s is not a language code',
                               key=excerpt(key.value), path=path),
                        Phrase("for example %(example)s", example="sv, en, el"))
                continue
            ctx.good_langs.add(key.value)
            got = string(value, ctx, sub)
            if got is not INVALID:
                out[key.value] = got
        return out

    return checked if required else convert


def _text_fast(node, ctx) -> dict[str, str] | None:
    """The common case of text, a mapping of known languages to non-empty strings; else None."""
    if type(node) is not yaml.MappingNode or node.tag != Y.MAP:
        return None
    out = {}
    good = ctx.good_langs
    STR = Y.STR
    for key, value in node.value:
        k = key.value
        if (k not in good or k in out or key.tag != STR or type(value) is not yaml.ScalarNode
                or value.tag != STR or not value.value):
            return None
        out[k] = value.value
    ctx.values += len(out)
    ctx.tick()
    return out


def list_of(item: Converter, unique: bool = False) -> Converter:
    """A list whose items all convert with `item`."""

    def convert(node, ctx, path):
        ctx.tick()
        if isinstance(node, yaml.ScalarNode) and node.tag == Y.NULL:
            return []
        if node.tag != Y.SEQ and bad_tag(node, ctx, path):
            return INVALID
        if not isinstance(node, yaml.SequenceNode):
            ctx.add(node, path, "wrong-type", _should_be(path, Phrase("a list"), node))
            return INVALID
        out = []
        for i, child in enumerate(node.value):
            ctx.where[f"{path}[{i}]"] = loc(child)
            got = item(child, ctx, f"{path}[{i}]")
            if got is INVALID:
                continue
            if unique and got in out:
                ctx.warn(child, f"{path}[{i}]", "duplicate",
                         Phrase('"%(value)s" is listed twice in %(path)s', value=str(got),
                                path=path))
                continue
            out.append(got)
        return out

    return convert


def map_of(key: Converter, item: Converter) -> Converter:
    """A mapping from keys (checked by `key`) to items."""

    def convert(node, ctx, path):
        if isinstance(node, yaml.ScalarNode) and node.tag == Y.NULL:
            return {}
        pairs = _mapping(node, ctx, path)
        if pairs is None:
            return INVALID
        out = {}
        for k, v in pairs:
            sub = f"{path}.{k.value}"
            ctx.where[sub] = loc(v)
            name = key(k, ctx, sub)
            got = item(v, ctx, sub)
            if name is not INVALID and got is not INVALID:
                out[name] = got
        return out

    return convert


def fields(node, ctx, path, spec: dict[str, tuple[Converter, bool]],
           what: str = "") -> dict[str, Any] | None:
    """Convert a mapping by its spec: unknown keys, missing required keys, each value."""
    pairs = _mapping(node, ctx, path)
    if pairs is None:
        return None
    keys: dict[str, yaml.Node] = {}
    out: dict[str, Any] = {"__node__": node, "__keys__": keys}
    if not path:
        ctx.where[""] = loc(node)
    for key, value in pairs:
        name = key.value
        keys[name] = key
        sub = f"{path}.{name}" if path else name
        entry = spec.get(name)
        if entry is None:
            ctx.add(key, sub, "unknown-key",
                    Phrase('unknown key "%(key)s" in %(what)s', key=excerpt(name), what=what)
                    if what else Phrase('unknown key "%(key)s" in %(path)s', key=excerpt(name),
                                        path=path or THE_FILE),
                    suggest(name, spec))
            continue
        ctx.where[sub] = loc(value)
        got = entry[0](value, ctx, sub)
        if got is not INVALID:
            out[name] = got
    for name, (_, required) in spec.items():
        if required and name not in keys:
            ctx.add(node, f"{path}.{name}" if path else name, "missing-key",
                    Phrase('%(what)s needs "%(key)s"', what=what, key=name) if what else
                    Phrase('%(path)s needs "%(key)s"', path=path or THE_FILE, key=name))
    return out


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The converted values without the bookkeeping entries."""
    return {k: v for k, v in values.items() if not k.startswith("__")}

