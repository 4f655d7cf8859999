"""The pack's schema: which keys each part of a pack has, and building the model from nodes."""

from __future__ import annotations

from typing import Any

import yaml

from kiosk.content import conditions
from kiosk.content import model as M
from kiosk.content import schema as S
from kiosk.content.characters import excerpt
from kiosk.content.findings import ERROR, finding
from kiosk.content.phrase import Phrase
from kiosk.content.schema import INVALID, Ctx, clean, fields, loc

_text = S.text()
_some_text = S.text(required=True)  # required texts: at least one language
_name = S.text(allow_plain=True, required=True)
_ids = S.list_of(S.ident, unique=True)
_langs = S.list_of(S.language, unique=True)
_countries = S.list_of(S.country, unique=True)


def _struct(cls, spec: dict, what: str, post=None):
    """A converter for a mapping that becomes one model struct."""

    def convert(node, ctx, path):
        values = fields(node, ctx, path, spec, what)
        if values is None:
            return INVALID
        data = clean(values)
        if post is not None:
            data = post(data, values, ctx, path)
            if data is INVALID:
                return INVALID
        if any(required and name not in data for name, (_, required) in spec.items()):
            return INVALID
        if "loc" in cls.__struct_fields__:
            data["loc"] = loc(node)
        try:
            return cls(**data)
        except TypeError:  # a required field was invalid: already reported
            return INVALID

    return convert


OVERRIDE_SPEC: dict[str, tuple[Any, bool]] = {
    "reviewer": (S.string, True), "reason": (S.string, True), "date": (S.date, False),
}
_override = _struct(M.Override, OVERRIDE_SPEC, Phrase("an override"))


def _focus(node, ctx, path):
    pair = S.list_of(S.number)(node, ctx, path)
    if pair is INVALID:
        return INVALID
    if len(pair) != 2 or not all(0 <= v <= 1 for v in pair):
        ctx.add(node, path, "bad-value",
                Phrase("%(path)s should be [x, y] with each between 0 and 1", path=path),
                Phrase("for example %(example)s", example="[0.5, 0.3]"))
        return INVALID
    return (float(pair[0]), float(pair[1]))


MEDIA_SPEC: dict[str, tuple[Any, bool]] = {
    "src": (S.media_path, True), "alt": (_text, False), "fit": (S.one_of(*M.FITS), False),
    "focus": (_focus, False), "photo": (S.boolean, False),
    "tags": (S.list_of(S.string, unique=True), False), "override": (_override, False),
}
_media_struct = _struct(M.MediaRef, MEDIA_SPEC, Phrase("an image"))


def _media(node, ctx, path):
    if isinstance(node, yaml.ScalarNode):
        src = S.media_path(node, ctx, path)
        return INVALID if src is INVALID else M.MediaRef(src=src, loc=loc(node))
    return _media_struct(node, ctx, path)


_paths_by_lang = S.map_of(S.language, S.media_path)

PICTURE_SPEC: dict[str, tuple[Any, bool]] = {"alt": (_text, False)}
_picture = _struct(M.Picture, PICTURE_SPEC, Phrase("a picture"))

VIDEO_SPEC: dict[str, tuple[Any, bool]] = {
    "src": (S.media_path, True), "poster": (S.media_path, False),
    "subtitles": (_paths_by_lang, False),
}
_video = _struct(M.Video, VIDEO_SPEC, Phrase("a video"))


def _choice_post(data, values, ctx, path):
    cond = data.pop("if", None)
    if cond is not None:
        data["condition"], data["condition_source"] = cond
    if "id" not in data:
        data["id"] = f"c{int(path.rsplit('[', 1)[1].rstrip(']')) + 1}"
    return data


def _condition(node, ctx, path):
    """A choice's condition, parsed now; the column points into the expression."""
    source = S.string(node, ctx, path)
    if source is INVALID:
        return INVALID
    try:
        return (conditions.parse(source), source)
    except conditions.ConditionError as exc:
        line, col = loc(node)
        quoted = node.style in ('"', "'")
        ctx.findings.append(finding(
            ERROR, "bad-condition", Phrase('the condition "%(condition)s" cannot be read: '
                                           "%(problem)s", condition=excerpt(source, 60),
                                           problem=exc.message),
            ctx.file, line, col + exc.column - (0 if quoted else 1), path,
            Phrase("write it like: %(example)s",
                   example="saw_messages and visits(home) >= 1")))
        return INVALID


CHOICE_SPEC: dict[str, tuple[Any, bool]] = {
    "id": (S.ident, False), "label": (_some_text, True), "goto": (S.ident, True),
    "if": (_condition, False), "set": (S.map_of(S.pattern(S.VAR_RE, Phrase("a variable name"), "saw_it"),
                                                  S.plain_value), False),
    "add": (S.map_of(S.pattern(S.VAR_RE, Phrase("a variable name"), "trust"), S.number), False),
    "discussion": (_text, False),
}
_choice = _struct(M.Choice, CHOICE_SPEC, Phrase("a choice"), _choice_post)


ENDING_SPEC: dict[str, tuple[Any, bool]] = {"helped": (_text, False), "action": (_text, False)}


def _ending(node, ctx, path):
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        value = S.boolean(node, ctx, path)
        if value is False:
            ctx.add(node, path, "bad-value",
                    Phrase("ending: false means nothing; remove the line"))
            return INVALID
        return M.Ending()
    return _struct(M.Ending, ENDING_SPEC, Phrase("an ending"))(node, ctx, path)


def _scene_post(data, values, ctx, path):
    data["id"] = path.rsplit(".", 1)[1]
    keys = values["__keys__"]
    ways = [k for k in ("next", "choices", "ending") if k in keys]
    if len(ways) != 1:
        node = values["__node__"]
        if not ways:
            ctx.add(node, path, "no-way-on",
                    Phrase('scene "%(scene)s" has no way on', scene=data["id"]),
                    Phrase('give it "next", "choices" or "ending"'))
        else:
            ctx.add(keys[ways[1]], path, "two-ways-on",
                    Phrase('scene "%(scene)s" has both "%(first)s" and "%(second)s"',
                           scene=data["id"], first=ways[0], second=ways[1]),
                    Phrase("keep exactly one of next, choices or ending"))
    if "choices" in keys and not data.get("choices") and "choices" in data:
        ctx.add(keys["choices"], f"{path}.choices", "no-way-on",
                Phrase('scene "%(scene)s" has an empty list of choices', scene=data["id"]))
    if "text" not in keys and "video" not in keys:
        ctx.add(values["__node__"], f"{path}.text", "missing-key",
                Phrase('scene "%(scene)s" needs "text" (or a "video")', scene=data["id"]))
    return data


SCENE_SPEC: dict[str, tuple[Any, bool]] = {
    "text": (_text, False), "image": (_media, False), "narration": (_paths_by_lang, False),
    "captions": (_paths_by_lang, False), "video": (_video, False),
    "content_notes": (_ids, False), "school": (S.ident, False), "sources": (_ids, False),
    "discussion": (_text, False), "next": (S.ident, False),
    "choices": (S.list_of(_choice), False), "ending": (_ending, False),
}
_scene = _struct(M.Scene, SCENE_SPEC, Phrase("a scene"), _scene_post)

CONSENT_SPEC: dict[str, tuple[Any, bool]] = {
    "kind": (S.one_of(*M.CONSENT_KINDS), True), "record": (S.string, True),
    "countries": (_countries, True), "review_by": (S.date, True),
}
_consent = _struct(M.Consent, CONSENT_SPEC, Phrase("consent"))

PROFILE_SPEC: dict[str, tuple[Any, bool]] = {
    "gender": (S.one_of(*M.GENDERS), False), "age_group": (S.one_of(*M.AGE_GROUPS), False),
    "exploitation": (S.list_of(S.one_of(*M.EXPLOITATION), unique=True), False),
}
_profile = _struct(M.Profile, PROFILE_SPEC, Phrase("profile"))

SOURCE_SPEC: dict[str, tuple[Any, bool]] = {
    "text": (_name, True), "year": (S.integer(1800, 2200), False), "url": (S.string, False),
}
_source = _struct(M.Source, SOURCE_SPEC, Phrase("a source"))

STORY_SPEC: dict[str, tuple[Any, bool]] = {
    "id": (S.ident, True), "title": (_some_text, True), "summary": (_some_text, True),
    "languages": (_langs, False), "duration": (S.integer(1, 240), True),
    "age_min": (S.integer(0, 99), True), "content_notes": (_ids, False),
    "consent": (_consent, False), "involves_minor": (S.boolean, False),
    "profile": (_profile, False), "sources": (S.map_of(S.ident, _source), False),
    "variables": (S.map_of(S.pattern(S.VAR_RE, Phrase("a variable name"), "saw_it"), S.plain_value), False),
    "start": (S.ident, True), "scenes": (S.map_of(S.ident, _scene), True),
}

HELPLINE_SPEC: dict[str, tuple[Any, bool]] = {
    "id": (S.ident, True), "name": (_name, True), "number": (S.string, True),
    "hours": (_name, True), "audience": (_text, False), "languages": (_langs, False),
    "url": (S.string, False), "countries": (_countries, False), "verified": (S.date, True),
}
_helpline = _struct(M.Helpline, HELPLINE_SPEC, Phrase("a helpline"))

NOTE_SPEC: dict[str, tuple[Any, bool]] = {"label": (_some_text, True),
                                          "description": (_text, False)}
_note = _struct(M.ContentNote, NOTE_SPEC, Phrase("a content note"))
OPTION_SPEC: dict[str, tuple[Any, bool]] = {"id": (S.ident, True), "label": (_some_text, True)}
_option = _struct(M.Option, OPTION_SPEC, Phrase("an option"))
QUESTION_SPEC: dict[str, tuple[Any, bool]] = {
    "id": (S.ident, True), "kind": (S.one_of(*M.QUESTION_KINDS), True), "text": (_some_text, True),
    "options": (S.list_of(_option), False), "scale": (S.integer(2, 10), False),
}
_question = _struct(M.Question, QUESTION_SPEC, Phrase("a survey question"))
SURVEYS_SPEC: dict[str, tuple[Any, bool]] = {
    "before": (S.list_of(_question), False), "after": (S.list_of(_question), False),
    "rating": (_question, False),
}
_surveys = _struct(M.Surveys, SURVEYS_SPEC, Phrase("surveys"))
ATTRACT_SPEC: dict[str, tuple[Any, bool]] = {
    "src": (S.media_path, True), "focus": (_focus, False),
}
_attract_struct = _struct(M.AttractPicture, ATTRACT_SPEC, Phrase("an attract picture"))


def _attract_picture(node, ctx, path):
    """An attract picture: a path, or {src: path, focus: [x, y]}."""
    if isinstance(node, yaml.ScalarNode):
        src = S.media_path(node, ctx, path)
        return INVALID if src is INVALID else M.AttractPicture(src=src)
    return _attract_struct(node, ctx, path)


KIOSK_SPEC: dict[str, tuple[Any, bool]] = {
    "idle_timeout": (S.integer(15, 3600), False),
    "attract": (S.list_of(_attract_picture), False), "narration_autoplay": (S.boolean, False),
}
_kiosk = _struct(M.KioskSettings, KIOSK_SPEC, Phrase("the kiosk settings"))

PACK_SPEC: dict[str, tuple[Any, bool]] = {
    "id": (S.ident, True), "version": (S.version, True), "title": (_some_text, True),
    "languages": (_langs, True), "default_language": (S.language, True),
    "country": (S.country, False), "helplines": (S.list_of(_helpline), True),
    "content_notes": (S.map_of(S.ident, _note), False), "surveys": (_surveys, False),
    "kiosk": (_kiosk, False),
    "strings": (S.map_of(S.language, S.map_of(S.string, S.string)), False),
    "pictures": (S.map_of(S.media_path, _picture), False),
}

# A country overlay's pack.yaml (docs/content-format.md, "Country overlays"): its id and
# version, the base it extends, and only the settings it replaces or adds (kiosk.content.overlay
# merges them); `hide` names the base's stories and helplines it leaves out, each with a reason;
# `fallback` orders, per language, where text the language lacks comes from.
_TOMBSTONE_SPEC: dict[str, tuple[Any, bool]] = {"reason": (S.string, True)}


def _tombstone(node, ctx, path):
    values = fields(node, ctx, path, _TOMBSTONE_SPEC, Phrase("a hidden item"))
    return INVALID if values is None or "reason" not in values else values["reason"]


EXTENDS_SPEC: dict[str, tuple[Any, bool]] = {"pack": (S.ident, True),
                                             "version": (S.string, True)}
HIDE_SPEC: dict[str, tuple[Any, bool]] = {
    "stories": (S.map_of(S.ident, _tombstone), False),
    "helplines": (S.map_of(S.ident, _tombstone), False),
}


def _block(spec: dict, what: str):
    """A mapping converted by its spec into a plain dict (no model struct)."""

    def convert(node, ctx, path):
        values = fields(node, ctx, path, spec, what)
        if values is None:
            return INVALID
        data = clean(values)
        return INVALID if any(r and n not in data for n, (_, r) in spec.items()) else data

    return convert


OVERLAY_SPEC: dict[str, tuple[Any, bool]] = {
    **{name: (convert, name in ("id", "version")) for name, (convert, _) in PACK_SPEC.items()},
    "extends": (_block(EXTENDS_SPEC, "extends"), True),
    "hide": (_block(HIDE_SPEC, "hide"), False),
    "fallback": (S.map_of(S.language, _langs), False),
}

# An overlay's overrides of one base story, overrides/<story>.yaml: each line id (the places
# kiosk.content.slots defines) with a replacement per language (or one, for a picture or a
# film), and the short hash of the base value it was written against.
REPLACEMENT_SPEC: dict[str, tuple[Any, bool]] = {
    "base": (S.string, True), "text": (S.string, False), "src": (S.media_path, False),
}


def _replacement(node, ctx, path):
    """{base, text} or {base, src}: one replacement, with its (line, col)."""
    values = fields(node, ctx, path, REPLACEMENT_SPEC, Phrase("an override"))
    if values is None or "base" not in values:
        return INVALID
    data = clean(values)
    if ("text" in values["__keys__"]) == ("src" in values["__keys__"]):
        ctx.add(node, path, "missing-key",
                Phrase('an override gives either "text" or "src" (a media file)'))
        return INVALID
    return {**data, "loc": loc(node)}


def _line_overrides(node, ctx, path):
    """One line id's replacements: {language: replacement}, or one replacement (key None)."""
    if isinstance(node, yaml.MappingNode) and any(
            isinstance(k, yaml.ScalarNode) and k.value == "base" for k, _ in node.value):
        got = _replacement(node, ctx, path)
        return INVALID if got is INVALID else {None: got}
    return S.map_of(S.language, _replacement)(node, ctx, path)


OVERRIDES_SPEC: dict[str, tuple[Any, bool]] = {
    "languages": (_langs, False), "lines": (S.map_of(S.string, _line_overrides), True),
}


def build_overrides(node: yaml.Node, ctx: Ctx) -> dict[str, Any] | None:
    """An overrides file's values: `languages` added to the base story, `lines` replaced."""
    return fields(node, ctx, "", OVERRIDES_SPEC, Phrase("an overrides file"))


def build_pack_header(node: yaml.Node, ctx: Ctx) -> dict[str, Any] | None:
    """The pack's own settings from pack.yaml, as a dict (stories are added later)."""
    languages_node = None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "languages":
                languages_node = value
    if languages_node is not None:  # plain-string names expand to every pack language
        probe = Ctx(ctx.file)
        langs = _langs(languages_node, probe, "languages")
        ctx.languages = langs if langs is not INVALID else []
    values = fields(node, ctx, "", OVERLAY_SPEC if _extends(node) else PACK_SPEC, "pack.yaml")
    return None if values is None else values


def _extends(node: yaml.Node) -> bool:
    """True for the pack.yaml of an overlay (it has `extends:`)."""
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == "extends" for k, _ in node.value)


def build_story(node: yaml.Node, ctx: Ctx) -> dict[str, Any] | None:
    """A story file's values, as a dict of converted fields (with node bookkeeping)."""
    return fields(node, ctx, "", STORY_SPEC, Phrase("the story"))
