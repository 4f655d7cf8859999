"""The story settings form: every story key of docs/content-format.md, and the scene keys
the scene editor leaves to it (discussion prompts, school alternatives, sources, picture
tags and framing, a choice's prompt and ``add``).

Field names are data paths (``title.sv``, ``consent.review_by``, ``sources.ilo.year``,
``scenes.home.image.tags``, ``scenes.home.choices[0].discussion.en``), so a validator
finding's path names its field. ``to_form`` reads a story document (ruamel) into the form's
values; ``apply`` writes posted values back, touching only what changed. Values that do not
parse (a duration of "ten") are written as typed, so the validator's finding names them.
"""

from __future__ import annotations

import datetime as dt
import re

from ruamel.yaml.comments import CommentedMap
from werkzeug.datastructures import MultiDict

from admin.content.sceneform import FormError, format_set, parse_set
from admin.content.yamledit import flow_list, set_text, text_map
from kiosk.content.phrase import Phrase

_SPLIT = re.compile(r"[,\s]+")
STORY_KEYS = ("id", "title", "summary", "languages", "duration", "age_min", "content_notes",
              "consent", "involves_minor", "profile", "sources", "variables", "start")
SCENE_KEYS = ("discussion", "school", "sources", "image")  # the rest: the scene editor
NEW_SOURCE = "new_source"


def _plain(value) -> str:
    return "" if value is None else str(value).strip()


def _words(raw: str, upper: bool = False) -> list[str]:
    items = [w for w in _SPLIT.split(raw or "") if w]
    return [w.upper() for w in items] if upper else items


def _number(raw: str, kind=int):
    """A number as typed, or the text itself (the validator then names the field)."""
    raw = (raw or "").strip()
    try:
        return kind(raw)
    except ValueError:
        return raw


def _date(raw: str):
    raw = (raw or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return raw


def _set(parent: CommentedMap, key: str, value) -> None:
    """Set a value, or remove the key for an empty one; untouched when equal."""
    if value in (None, "", []):
        parent.pop(key, None)
    elif isinstance(value, list):
        if list(parent.get(key) or []) != value:
            parent[key] = flow_list(value)
    elif parent.get(key) != value or isinstance(parent.get(key), bool) != isinstance(value, bool):
        parent[key] = value


def _texts(parent: CommentedMap, key: str, values: dict[str, str]) -> None:
    if key not in parent and not any(v.strip() for v in values.values()):
        return
    mapping = text_map(parent, key)
    for lang, value in values.items():
        set_text(mapping, lang, value)
    if not mapping:
        del parent[key]


def _map(parent: CommentedMap, key: str) -> CommentedMap:
    """The mapping under `key`, created on one line when missing."""
    current = parent.get(key)
    if not isinstance(current, CommentedMap):
        current = CommentedMap()
        current.fa.set_flow_style()
        parent[key] = current
    return current


def _text_pairs(prefix: str, value, langs: list[str]) -> list[tuple[str, str]]:
    value = value if isinstance(value, dict) else {}
    return [(f"{prefix}.{lang}", _plain(value.get(lang))) for lang in langs]


def to_form(doc: CommentedMap, langs: list[str]) -> MultiDict:
    """The form's values for a story document; `langs`: the languages of its text fields."""
    out: list[tuple[str, str]] = [("id", _plain(doc.get("id")))]
    for key in ("title", "summary"):
        out += _text_pairs(key, doc.get(key), langs)
    out += [("languages", x) for x in doc.get("languages") or []]
    out += [("duration", _plain(doc.get("duration"))), ("age_min", _plain(doc.get("age_min")))]
    out += [("content_notes", x) for x in doc.get("content_notes") or []]
    consent = doc.get("consent") if isinstance(doc.get("consent"), dict) else {}
    out += [("consent.kind", _plain(consent.get("kind"))),
            ("consent.record", _plain(consent.get("record"))),
            ("consent.countries", ", ".join(consent.get("countries") or [])),
            ("consent.review_by", _plain(consent.get("review_by")))]
    if doc.get("involves_minor") is True:
        out.append(("involves_minor", "1"))
    profile = doc.get("profile") if isinstance(doc.get("profile"), dict) else {}
    out += [("profile.gender", _plain(profile.get("gender"))),
            ("profile.age_group", _plain(profile.get("age_group")))]
    out += [("profile.exploitation", x) for x in profile.get("exploitation") or []]
    for sid, source in (doc.get("sources") or {}).items():
        source = source if isinstance(source, dict) else {}
        text = source.get("text")
        if isinstance(text, dict):
            out += _text_pairs(f"sources.{sid}.text", text, langs)
        else:
            out.append((f"sources.{sid}.text", _plain(text)))
        out += [(f"sources.{sid}.year", _plain(source.get("year"))),
                (f"sources.{sid}.url", _plain(source.get("url")))]
    out.append(("variables", format_set(dict(doc.get("variables") or {}))))
    out.append(("start", _plain(doc.get("start"))))
    for sid, scene in (doc.get("scenes") or {}).items():
        if not isinstance(scene, dict):
            continue
        p = f"scenes.{sid}"
        out += _text_pairs(f"{p}.discussion", scene.get("discussion"), langs)
        out.append((f"{p}.school", _plain(scene.get("school"))))
        out += [(f"{p}.sources", x) for x in scene.get("sources") or []]
        image = scene.get("image")
        if isinstance(image, dict):
            override = image.get("override") if isinstance(image.get("override"), dict) else {}
            focus = image.get("focus")
            out += [(f"{p}.image.tags", ", ".join(image.get("tags") or [])),
                    (f"{p}.image.fit", _plain(image.get("fit"))),
                    (f"{p}.image.focus", ", ".join(str(v) for v in focus)
                     if isinstance(focus, list) else _plain(focus)),
                    (f"{p}.image.override.reviewer", _plain(override.get("reviewer"))),
                    (f"{p}.image.override.reason", _plain(override.get("reason"))),
                    (f"{p}.image.override.date", _plain(override.get("date")))]
            if image.get("photo") is True:
                out.append((f"{p}.image.photo", "1"))
        elif image is not None:
            out += [(f"{p}.image.{k}", "") for k in ("tags", "fit", "focus", "override.reviewer",
                                                     "override.reason", "override.date")]
        for i, choice in enumerate(scene.get("choices") or []):
            if isinstance(choice, dict):
                out += _text_pairs(f"{p}.choices[{i}].discussion", choice.get("discussion"),
                                   langs)
                out.append((f"{p}.choices[{i}].add", format_set(dict(choice.get("add") or {}))))
    return MultiDict(out)


def _texts_from(form, prefix: str, langs: list[str]) -> dict[str, str]:
    return {lang: form[f"{prefix}.{lang}"] for lang in langs if f"{prefix}.{lang}" in form}


def apply(doc: CommentedMap, form, langs: list[str]) -> None:
    """Write the posted values (a MultiDict built like `to_form`'s) into the story document."""
    if form.get("id", doc.get("id")) != doc.get("id"):
        raise FormError("id", Phrase("the id names the story's file; copy the story to give it "
                                     "another"))
    for key in ("title", "summary"):
        _texts(doc, key, _texts_from(form, key, langs))
    _set(doc, "languages", form.getlist("languages"))
    _set(doc, "duration", _number(form.get("duration", "")))
    _set(doc, "age_min", _number(form.get("age_min", "")))
    _set(doc, "content_notes", form.getlist("content_notes"))
    _consent(doc, form)
    if bool(doc.get("involves_minor")) != bool(form.get("involves_minor")):
        _set(doc, "involves_minor", True if form.get("involves_minor") else None)
    _profile(doc, form)
    _sources(doc, form, langs)
    variables = parse_set(form.get("variables", ""), "variables")
    if dict(doc.get("variables") or {}) != variables:
        _set(doc, "variables", None)
        if variables:
            _map(doc, "variables").update(variables)
    _set(doc, "start", form.get("start", "").strip())
    for sid, scene in (doc.get("scenes") or {}).items():
        if isinstance(scene, CommentedMap):
            _scene(scene, f"scenes.{sid}", form, langs)


def _consent(doc: CommentedMap, form) -> None:
    values = {"kind": form.get("consent.kind", "").strip(),
              "record": form.get("consent.record", "").strip(),
              "countries": _words(form.get("consent.countries", ""), upper=True),
              "review_by": _date(form.get("consent.review_by", ""))}
    if not any(values.values()):
        doc.pop("consent", None)
        return
    consent = _map(doc, "consent")
    for key, value in values.items():
        _set(consent, key, value)


def _profile(doc: CommentedMap, form) -> None:
    values = {"gender": form.get("profile.gender", ""),
              "age_group": form.get("profile.age_group", ""),
              "exploitation": form.getlist("profile.exploitation")}
    if not any(values.values()):
        doc.pop("profile", None)
        return
    profile = _map(doc, "profile")
    for key, value in values.items():
        _set(profile, key, value)


def _sources(doc: CommentedMap, form, langs: list[str]) -> None:
    sources = doc.get("sources")
    for sid in list(sources or {}):
        p = f"sources.{sid}"
        if form.get(f"{p}.remove"):
            del sources[sid]
            continue
        source = sources[sid]
        if not isinstance(source, CommentedMap):
            continue
        if isinstance(source.get("text"), dict):
            _texts(source, "text", _texts_from(form, f"{p}.text", langs))
        elif f"{p}.text" in form:
            _set(source, "text", form[f"{p}.text"].strip())
        _set(source, "year", _number(form.get(f"{p}.year", "")))
        _set(source, "url", form.get(f"{p}.url", "").strip())
    if sources is not None and not sources:
        del doc["sources"]
    new_id = form.get(f"{NEW_SOURCE}.id", "").strip()
    if new_id or form.get(f"{NEW_SOURCE}.text", "").strip():
        sources = doc.get("sources")
        if not isinstance(sources, CommentedMap):
            sources = doc["sources"] = CommentedMap()
        if new_id in sources:
            raise FormError(f"{NEW_SOURCE}.id", Phrase('the story already has a source '
                                                       '"%(id)s"', id=new_id))
        source = _map(sources, new_id)
        _set(source, "text", form.get(f"{NEW_SOURCE}.text", "").strip())
        _set(source, "year", _number(form.get(f"{NEW_SOURCE}.year", "")))
        _set(source, "url", form.get(f"{NEW_SOURCE}.url", "").strip())


def _scene(scene: CommentedMap, p: str, form, langs: list[str]) -> None:
    _texts(scene, "discussion", _texts_from(form, f"{p}.discussion", langs))
    if f"{p}.school" in form:
        _set(scene, "school", form[f"{p}.school"].strip())
    _set(scene, "sources", form.getlist(f"{p}.sources"))
    if "image" in scene and f"{p}.image.tags" in form:
        _image(scene, f"{p}.image", form)
    for i, choice in enumerate(scene.get("choices") or []):
        c = f"{p}.choices[{i}]"
        if not isinstance(choice, CommentedMap) or f"{c}.add" not in form:
            continue
        _texts(choice, "discussion", _texts_from(form, f"{c}.discussion", langs))
        add = parse_set(form.get(f"{c}.add", ""), f"{c}.add")
        if dict(choice.get("add") or {}) != add:
            choice.pop("add", None)
            if add:
                _map(choice, "add").update(add)


def _image(scene: CommentedMap, p: str, form) -> None:
    focus = _words(form.get(f"{p}.focus", "").replace(",", " "))
    values = {"tags": [t.strip() for t in form.get(f"{p}.tags", "").split(",") if t.strip()],
              "fit": form.get(f"{p}.fit", "").strip(),
              "focus": [_number(v, float) for v in focus],
              "photo": True if form.get(f"{p}.photo") else None}
    override = {k: form.get(f"{p}.override.{k}", "").strip()
                for k in ("reviewer", "reason", "date")}
    image = scene["image"]
    if not isinstance(image, CommentedMap):
        if not any(values.values()) and not any(override.values()):
            return
        image = scene["image"] = CommentedMap({"src": image})
    if values["photo"] is None and image.get("photo") is False:
        values["photo"] = False  # an explicit "not a photograph" stays
    for key, value in values.items():
        _set(image, key, value)
    if any(override.values()):
        current = _map(image, "override")
        for key, value in override.items():
            _set(current, key, _date(value) if key == "date" else value)
    else:
        image.pop("override", None)
