"""The pack settings form: every key of pack.yaml as a field, and a save that edits only those.

One table (``SECTIONS`` and the struct field lists below) drives both the page and the save.
A field's form name is its data path (``helplines[0].verified``, ``surveys.after[1].text.sv``),
the same path the validator's findings carry, so a finding lands beside its field.

A save compares every submitted value with the value the page showed (from the same file,
whose hash the form carries) and edits only what changed, in ruamel's round trip (comments,
order and anchors elsewhere kept). A node the file shares through a YAML alias (``*always``)
is copied before it is changed, so an edit of one helpline never changes another.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from admin.content.yamledit import flow_list
from kiosk.content import model as M

REMOVE = "__remove"

# (key, kind, label); kinds: line, text (per language), codes (space separated), date, int,
# choice:<values>, bool, lines (one per line), pictures (a media path a line, each may be
# followed by its focal point: "attract/nadia.jpg focus 0.33 0.7")
PACK = [("id", "readonly", _l("Pack id")), ("version", "line", _l("Version")),
        ("title", "text", _l("Title")), ("languages", "codes", _l("Languages")),
        ("default_language", "line", _l("Default language")), ("country", "line", _l("Country"))]
HELPLINE = [("id", "line", _l("Id")), ("name", "text", _l("Name")),
            ("number", "line", _l("Number")), ("hours", "text", _l("Hours")),
            ("audience", "text", _l("Who it is for")),
            ("languages", "codes", _l("Languages it answers in")),
            ("countries", "codes", _l("Countries it can be reached from")),
            ("url", "line", _l("Web address")), ("verified", "date", _l("Last verified"))]
NOTE = [("label", "text", _l("Label")), ("description", "text", _l("Description"))]
OPTION = [("id", "line", _l("Id")), ("label", "text", _l("Answer"))]
QUESTION = [("id", "line", _l("Id")), ("kind", "choice", _l("Kind")),
            ("text", "text", _l("Question")), ("scale", "int", _l("Scale (points)"))]
KIOSK = [("idle_timeout", "int", _l("Idle timeout (seconds)")),
         ("attract", "pictures",
          _l("Attract pictures (one media path a line; a focal point after it: focus 0.33 0.7)")),
         ("narration_autoplay", "bool", _l("Play narration at once"))]
CHOICES = {"kind": M.QUESTION_KINDS}


@dataclass
class Field:
    """One input (or a group of them, for a text in several languages)."""

    path: tuple
    kind: str
    label: Any
    value: Any  # str, or {language: str} for text
    choices: tuple = ()

    @cached_property  # a page reads it ~7 times for each of its ~200 fields
    def name(self) -> str:
        """The form name: the data path as the validator writes it."""
        return path_name(self.path)

    @cached_property
    def dom_id(self) -> str:
        """The input's HTML id: the name without brackets and dots."""
        return "f-" + (self.name.replace("[", "-").replace("]", "").replace(".", "-")
                       .replace(" ", "_"))


@dataclass
class Item:
    """A block of fields: one helpline, question, note...; `removable` adds a remove box."""

    path: tuple
    title: str
    fields: list[Field]
    removable: bool = False
    new: bool = False
    children: list[Item] = field(default_factory=list)

    @cached_property
    def name(self) -> str:
        """The block's data path."""
        return path_name(self.path)


def path_name(path: tuple) -> str:
    """("helplines", 0, "name") -> "helplines[0].name"."""
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _get(doc, path: tuple):
    node = doc
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _shown(value, key: str, kind: str, languages: list[str]):
    """The value as the page shows it (strings), from the file's value."""
    if kind == "text":
        langs = list(languages) + [k for k in (value or {}) if isinstance(value, dict)
                                   and k not in languages]
        if isinstance(value, str):
            return {lang: value for lang in languages}
        return {lang: str((value or {}).get(lang) or "").strip() for lang in langs}
    if value is None:
        return ""
    if kind == "codes":
        return " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "pictures":
        return "\n".join(_picture_line(v) for v in value) if isinstance(value, list) \
            else str(value)
    if kind == "bool":
        return "true" if value is True else "false" if value is False else str(value)
    return str(value)


def _picture_line(entry) -> str:
    """An attract picture as the form shows it: its path, then its focal point if any."""
    if isinstance(entry, dict):
        focus = entry.get("focus")
        point = f" focus {focus[0]} {focus[1]}" if isinstance(focus, list) and len(focus) == 2 \
            else ""
        return f"{entry.get('src', '')}{point}"
    return str(entry)


def _picture_value(line: str):
    """A form line back to YAML: a plain path, or {src, focus: [x, y]} (kept as typed when
    the focal point is not two numbers: the validator says what is wrong, beside the field)."""
    parts = line.split()
    if len(parts) == 4 and parts[1] == "focus":
        point = []
        for p in parts[2:]:
            try:
                point.append(float(p))
            except ValueError:
                point.append(p)
        entry = CommentedMap(src=parts[0], focus=flow_list(point))
        entry.fa.set_flow_style()
        return entry
    return line


def _fields(doc, base: tuple, spec, languages) -> list[Field]:
    out = []
    for key, kind, label in spec:
        path = base + (key,)
        out.append(Field(path, kind, label, _shown(_get(doc, path), key, kind, languages),
                         CHOICES.get(key, ())))
    return out


def _question(doc, path: tuple, title: str, languages, new=False) -> Item:
    item = Item(path, title, _fields(doc, path, QUESTION, languages), True, new)
    options = _get(doc, path + ("options",)) or []
    for j in range(len(options) + 1):
        opath = path + ("options", j)
        item.children.append(Item(opath, "", _fields(doc, opath, OPTION, languages),
                                  True, j == len(options)))
    return item


def _form_keys(form, prefix: str) -> list[tuple[str, str]]:
    """Keys a form names under `prefix` that the file may not have yet: a page sent back
    after a refusal shows a new note or text as an entry of its own."""
    out = []
    for name in form or ():
        if name.startswith(prefix):
            parts = name[len(prefix):].split(".", 1)
            if len(parts) == 2 and parts[0] != "__new" and (parts[0], parts[1]) not in out:
                out.append((parts[0], parts[1]))
    return out


def sections(doc, languages: list[str], form=None) -> dict[str, list[Item]]:
    """The page's blocks, by section, each existing entry plus one empty to add (and, given
    the form a save sent, the entries it names that the file does not have yet)."""
    out: dict[str, list[Item]] = {"pack": [Item((), "", _fields(doc, (), PACK, languages))]}
    lines = _get(doc, ("helplines",)) or []
    out["helplines"] = [Item(("helplines", i), str(_get(doc, ("helplines", i, "id")) or ""),
                             _fields(doc, ("helplines", i), HELPLINE, languages), True,
                             i == len(lines)) for i in range(len(lines) + 1)]
    notes = list(_get(doc, ("content_notes",)) or {})
    notes += [nid for nid, rest in _form_keys(form, "content_notes.")
              if rest.startswith("label.") and nid not in notes]
    out["notes"] = [Item(("content_notes", nid), str(nid),
                         _fields(doc, ("content_notes", nid), NOTE, languages), True)
                    for nid in notes]
    out["notes"].append(Item(("content_notes", "__new"), "",
                             [Field(("content_notes", "__new", "id"), "line", _l("Id"), "")]
                             + _fields(doc, ("content_notes", "__new"), NOTE, languages),
                             False, True))
    surveys = []
    for phase in ("before", "after"):
        qs = _get(doc, ("surveys", phase)) or []
        for i in range(len(qs) + 1):
            surveys.append(_question(doc, ("surveys", phase, i), phase, languages, i == len(qs)))
    surveys.append(_question(doc, ("surveys", "rating"), "rating", languages,
                             _get(doc, ("surveys", "rating")) is None))
    out["surveys"] = surveys
    out["kiosk"] = [Item(("kiosk",), "", _fields(doc, ("kiosk",), KIOSK, languages))]
    strings = []
    pairs = [(lang, msgid) for lang, table in (_get(doc, ("strings",)) or {}).items()
             for msgid in table or {}]
    pairs += [p for p in _form_keys(form, "strings.") if p not in pairs]
    for lang, msgid in pairs:
        strings.append(Field(("strings", lang, msgid), "line", msgid,
                             _shown(_get(doc, ("strings", lang, msgid)), msgid, "line",
                                    languages)))
    out["strings"] = [Item(("strings",), "", strings)]
    out["strings_new"] = [Item(("strings", "__new"), "", [
        Field(("strings", "__new", "language"), "line", _l("Language"), ""),
        Field(("strings", "__new", "msgid"), "line", _l("Kiosk text (as in English)"), ""),
        Field(("strings", "__new", "text"), "line", _l("This pack's text"), "")], False, True)]
    return out


def _submitted(form, f: Field):
    """The value the form sent for a field, normalised like `_shown`, or None if absent."""
    if f.kind == "text":
        sent = {lang: form[f"{f.name}.{lang}"] for lang in f.value if f"{f.name}.{lang}" in form}
        if not sent:
            return None
        return {lang: sent.get(lang, f.value[lang]).replace("\r\n", "\n").strip()
                for lang in f.value}
    if f.name not in form:
        return None
    raw = form[f.name].replace("\r\n", "\n").strip()
    if f.kind == "codes":
        return " ".join(v for v in re.split(r"[\s,]+", raw) if v)
    if f.kind in ("lines", "pictures"):
        return "\n".join(" ".join(v.split()) for v in raw.split("\n") if v.strip())
    return raw


def _yaml_value(f: Field, value, old):
    """The value to write for a changed field (None: remove the key)."""
    if f.kind == "text":
        text = CommentedMap()
        if isinstance(old, dict):  # languages the page does not show stay
            text.update({k: v for k, v in old.items() if k not in value})
        for lang, v in value.items():
            if v:
                text[lang] = LiteralScalarString(v + "\n") if "\n" in v else v
        if isinstance(old, CommentedMap) and old.fa.flow_style():
            text.fa.set_flow_style()
        return text or None
    if value == "":
        return None
    if f.kind == "codes":
        return flow_list(value.split(" "))
    if f.kind == "lines":
        return CommentedSeq(value.split("\n"))
    if f.kind == "pictures":
        return CommentedSeq(_picture_value(line) for line in value.split("\n"))
    if f.kind == "int":
        try:
            return int(value)
        except ValueError:
            return value  # the validator says what is wrong, beside the field
    if f.kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if f.kind == "bool":
        return {"true": True, "false": False}.get(value, value)
    return value


def _own(parent, key):
    """parent[key], copied first when the file shares it through an alias (anchored)."""
    child = parent[key]
    anchor = getattr(child, "anchor", None)
    if isinstance(child, (CommentedMap, CommentedSeq)) and anchor is not None and anchor.value:
        copy = CommentedMap(child.items()) if isinstance(child, dict) else CommentedSeq(child)
        parent[key] = copy
        if isinstance(parent, CommentedSeq) and parent.fa.flow_style():
            parent.fa.set_block_style()  # a whole mapping inside [a, b] is hard to read
        return copy
    return child


def _set(doc, path: tuple, value) -> None:
    node = doc
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, list):
            if key == len(node):
                node.append(CommentedMap())
        elif key not in node or node[key] is None:
            node[key] = CommentedSeq() if isinstance(nxt, int) else CommentedMap()
        node = _own(node, key)
    last = path[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
    elif isinstance(node, list) and last == len(node):
        node.append(value)
    else:
        node[last] = value


def _delete(doc, path: tuple) -> None:
    node = doc
    for key in path[:-1]:
        node = _own(node, key)
    if isinstance(node, list):
        del node[path[-1]]
    else:
        node.pop(path[-1], None)


def _all_items(blocks: dict[str, list[Item]]):
    for items in blocks.values():
        for item in items:
            yield item
            yield from item.children


def apply(doc: CommentedMap, form, languages: list[str]) -> list[str]:
    """Edit the document with what the form changed; the names of the changed fields.

    Passes repeat until nothing more changes: a form sent back after a refusal can hold an
    entry the file does not have yet (a new question) and inside it another new one (its
    second answer). Removals come last, so no index shifts under the edits.
    """
    removed = [it.path for it in _all_items(sections(doc, languages, form))
               if it.removable and not it.new and form.get(f"{it.name}.{REMOVE}")]
    changed: list[str] = []
    for _pass in range(16):
        step = []
        for item in _all_items(sections(doc, languages, form)):
            if item.path[:2] in (("content_notes", "__new"), ("strings", "__new")):
                continue
            for f in item.fields:
                if f.kind == "readonly" or any(f.path[:len(r)] == r for r in removed):
                    continue
                value = _submitted(form, f)
                if value is None or value == f.value:
                    continue
                _set(doc, f.path, _yaml_value(f, value, _get(doc, f.path)))
                step.append(f.name)
        if not step:
            break
        changed += step
    changed += _add_note(doc, form, languages) + _add_string(doc, form)
    for path in sorted(removed, key=lambda p: [(0, k) if isinstance(k, int) else (1, str(k))
                                                for k in p], reverse=True):
        _delete(doc, path)
        changed.append(f"{path_name(path)}.{REMOVE}")
    return changed


def _add_note(doc, form, languages) -> list[str]:
    note_id = form.get("content_notes.__new.id", "").strip()
    if not note_id:
        return []
    for key, kind, label in NOTE:
        f = Field(("content_notes", note_id, key), kind, label,
                  _shown(None, key, kind, languages))
        sent = {lang: form.get(f"content_notes.__new.{key}.{lang}", "").strip()
                for lang in f.value}
        if any(sent.values()) or key == "label":
            _set(doc, f.path, _yaml_value(f, sent, None) or CommentedMap())
    return [f"content_notes.{note_id}"]


def _add_string(doc, form) -> list[str]:
    lang = form.get("strings.__new.language", "").strip()
    msgid = form.get("strings.__new.msgid", "").strip()
    text = form.get("strings.__new.text", "").strip()
    if not (lang or msgid or text):
        return []
    _set(doc, ("strings", lang, msgid), text)
    return [f"strings.{lang}.{msgid}"]


def texts_in(pack: M.Pack, languages: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Per language, where the pack has texts in it: (story title or "pack settings", count)."""
    from admin.content.lines import story_lines

    header: list[M.Text] = [pack.title]
    for line in pack.helplines:
        header += [line.name, line.hours, line.audience]
    for note in pack.content_notes.values():
        header += [note.label, note.description]
    questions = list(pack.surveys.before) + list(pack.surveys.after)
    if pack.surveys.rating:
        questions.append(pack.surveys.rating)
    for q in questions:
        header += [q.text] + [o.label for o in q.options]
    out = {}
    for lang in languages:
        places = [("pack.yaml", sum(1 for t in header if isinstance(t, dict) and t.get(lang)))]
        for sid, story in pack.stories.items():
            places.append((f"stories/{sid}", sum(1 for line in story_lines(story)
                                                 if line.text.get(lang))))
        out[lang] = [(where, n) for where, n in places if n]
    return out
