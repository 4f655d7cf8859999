"""The scene editor's form: values from the model, values from a request, and applying them.

Field names are the scene's own data paths (``text.en``, ``choices[1].goto``), so a
validator finding's path (``scenes.home.choices[1].goto``) names the field it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ruamel.yaml.comments import CommentedMap

from admin.content.yamledit import flow_list, set_text, text_map
from kiosk.content import model as M
from kiosk.content.phrase import Phrase

WAYS = ("next", "choices", "ending")
_SET_ITEM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*=\s*(.+?)\s*$")


class FormError(Exception):
    """A value in the form that cannot be written at all: (field, sentence); the sentence is a
    Phrase, shown in the staff member's language."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass
class ChoiceForm:
    """One choice row."""

    id: str = ""
    label: dict[str, str] = field(default_factory=dict)
    goto: str = ""
    condition: str = ""
    set: str = ""
    remove: bool = False


@dataclass
class SceneForm:
    """Everything the editor shows and writes back for one scene."""

    text: dict[str, str] = field(default_factory=dict)
    way: str = "next"
    next: str = ""
    choices: list[ChoiceForm] = field(default_factory=list)
    helped: dict[str, str] = field(default_factory=dict)
    action: dict[str, str] = field(default_factory=dict)
    content_notes: list[str] = field(default_factory=list)
    school: str = ""
    image: str = ""
    image_alt: dict[str, str] = field(default_factory=dict)
    narration: dict[str, str] = field(default_factory=dict)
    captions: dict[str, str] = field(default_factory=dict)
    video: str = ""
    poster: str = ""
    subtitles: dict[str, str] = field(default_factory=dict)


def _strip(text: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in text.items()}


def format_set(values: dict) -> str:
    """`{a: true, n: 2}` as the editor's `a=true, n=2`."""
    def show(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return f'"{v}"' if isinstance(v, str) else str(v)
    return ", ".join(f"{k}={show(v)}" for k, v in values.items())


def parse_set(raw: str, where: str) -> dict:
    """The editor's `a=true, n=2, mood="calm"` as a mapping, or FormError."""
    out: dict = {}
    for item in filter(str.strip, raw.split(",")):
        m = _SET_ITEM.match(item)
        if not m:
            raise FormError(where, Phrase('"%(item)s" is not name=value', item=item.strip()))
        name, value = m.groups()
        if value in ("true", "false"):
            out[name] = value == "true"
        elif re.fullmatch(r"-?\d+", value):
            out[name] = int(value)
        elif re.fullmatch(r"-?\d+\.\d+", value):
            out[name] = float(value)
        else:
            out[name] = value.strip('"')
    return out


def problems(form: SceneForm, current: SceneForm) -> tuple[SceneForm, list[FormError]]:
    """Every value that cannot be written, at once, and the form with those values put back
    as they are in `current` (so the validator can still check the rest of the form)."""
    errors: list[FormError] = []
    choices = []
    for i, c in enumerate(form.choices):
        try:
            if form.way == "choices" and not c.remove:
                parse_set(c.set, f"choices[{i}].set")
        except FormError as exc:
            errors.append(exc)
            before = current.choices[i].set if i < len(current.choices) else ""
            c = replace(c, set=before)
        choices.append(c)
    return replace(form, choices=choices), errors


def from_scene(scene: M.Scene) -> SceneForm:
    """The form's values for a scene as loaded."""
    way = "ending" if scene.ending else "choices" if scene.choices else "next"
    return SceneForm(
        text=_strip(scene.text), way=way, next=scene.next or "",
        choices=[ChoiceForm(c.id, _strip(c.label), c.goto, c.condition_source or "",
                            format_set(c.set)) for c in scene.choices],
        helped=_strip(scene.ending.helped) if scene.ending else {},
        action=_strip(scene.ending.action) if scene.ending else {},
        content_notes=list(scene.content_notes), school=scene.school or "",
        image=scene.image.src if scene.image else "",
        image_alt=_strip(scene.image.alt) if scene.image else {},
        narration=dict(scene.narration), captions=dict(scene.captions),
        video=scene.video.src if scene.video else "",
        poster=(scene.video.poster or "") if scene.video else "",
        subtitles=dict(scene.video.subtitles) if scene.video else {})


def from_request(form, languages: list[str]) -> SceneForm:
    """The form's values as posted (a MultiDict)."""
    def texts(prefix):
        return {lang: form.get(f"{prefix}.{lang}", "") for lang in languages
                if f"{prefix}.{lang}" in form}
    choices = []
    for i in range(int(form.get("choice_count", "0") or 0) + 1):
        p = f"choices[{i}]"
        if f"{p}.goto" not in form:
            continue
        c = ChoiceForm(form.get(f"{p}.id", "").strip(), texts(f"{p}.label"),
                       form.get(f"{p}.goto", "").strip(), form.get(f"{p}.if", "").strip(),
                       form.get(f"{p}.set", "").strip(), bool(form.get(f"{p}.remove")))
        if i == int(form.get("choice_count", "0") or 0) and not c.goto and not any(
                c.label.values()):
            continue  # the empty "add a choice" row
        choices.append(c)
    way = form.get("way", "next")
    return SceneForm(
        text=texts("text"), way=way if way in WAYS else "next",
        next=form.get("next", "").strip(), choices=choices,
        helped=texts("ending.helped"), action=texts("ending.action"),
        content_notes=[n for n in form.getlist("content_notes") if n],
        school=form.get("school", "").strip(), image=form.get("image", "").strip(),
        image_alt=texts("image.alt"), narration=texts("narration"), captions=texts("captions"),
        video=form.get("video.src", "").strip(), poster=form.get("video.poster", "").strip(),
        subtitles=texts("video.subtitles"))


def _set_scalar(node: CommentedMap, key: str, value: str) -> None:
    if value:
        if node.get(key) != value:
            node[key] = value
    elif key in node:
        del node[key]


def _apply_texts(parent: CommentedMap, key: str, values: dict[str, str]) -> None:
    if not values:
        return
    if key not in parent and not any(v.strip() for v in values.values()):
        return
    mapping = text_map(parent, key)
    for lang, value in values.items():
        set_text(mapping, lang, value)
    if not mapping:
        del parent[key]


def _apply_choices(node: CommentedMap, choices: list[ChoiceForm]) -> None:
    seq = node.get("choices")
    old = list(seq) if seq is not None else []
    kept = []
    for i, c in enumerate(choices):
        if c.remove:
            continue
        m = old[i] if i < len(old) and isinstance(old[i], CommentedMap) else CommentedMap()
        # an implicit id (c1, c2 by position) stays implicit while the position holds
        if c.id and ("id" in m or c.id != f"c{len(kept) + 1}"):
            _set_scalar(m, "id", c.id)
        _apply_texts(m, "label", c.label)
        _set_scalar(m, "goto", c.goto)
        _set_scalar(m, "if", c.condition)
        values = parse_set(c.set, f"choices[{i}].set")
        if values:
            if dict(m.get("set") or {}) != values:
                new = CommentedMap(values)
                new.fa.set_flow_style()
                m["set"] = new
        elif "set" in m:
            del m["set"]
        kept.append(m)
    if seq is None:
        from ruamel.yaml.comments import CommentedSeq

        seq = CommentedSeq()
        node["choices"] = seq
    if [id(x) for x in seq] != [id(x) for x in kept]:
        seq[:] = kept


def apply(node: CommentedMap, form: SceneForm) -> None:
    """Write the form's values into a scene's mapping, touching only what changed."""
    _apply_texts(node, "text", form.text)
    if form.way == "next":
        _set_scalar(node, "next", form.next)
        for key in ("choices", "ending"):
            node.pop(key, None)
    elif form.way == "choices":
        _apply_choices(node, form.choices)
        for key in ("next", "ending"):
            node.pop(key, None)
    else:
        for key in ("next", "choices"):
            node.pop(key, None)
        ending = node.get("ending")
        if not isinstance(ending, CommentedMap):
            ending = CommentedMap()
            node["ending"] = ending
        _apply_texts(ending, "helped", form.helped)
        _apply_texts(ending, "action", form.action)
        if not ending:
            node["ending"] = True
    notes = list(node.get("content_notes") or [])
    if notes != form.content_notes:
        if form.content_notes:
            node["content_notes"] = flow_list(form.content_notes)
        else:
            node.pop("content_notes", None)
    _set_scalar(node, "school", form.school)
    _apply_image(node, form)
    _apply_paths(node, "narration", form.narration)
    _apply_paths(node, "captions", form.captions)
    _apply_video(node, form)


def _apply_paths(parent: CommentedMap, key: str, values: dict[str, str]) -> None:
    """A language -> media path mapping, written on one line like the author's."""
    values = {k: v.strip() for k, v in values.items()}
    current = parent.get(key)
    if not isinstance(current, CommentedMap):
        if not any(values.values()):
            return
        current = CommentedMap()
        current.fa.set_flow_style()
        parent[key] = current
    for lang, path in values.items():
        if path and current.get(lang) != path:
            current[lang] = path
        elif not path and lang in current:
            del current[lang]
    if not current:
        del parent[key]


def _apply_image(node: CommentedMap, form: SceneForm) -> None:
    image = node.get("image")
    if not form.image:
        node.pop("image", None)
        return
    wants_alt = any(v.strip() for v in form.image_alt.values())
    if not isinstance(image, CommentedMap):
        if not wants_alt:
            _set_scalar(node, "image", form.image)
            return
        image = CommentedMap({"src": form.image})
        node["image"] = image
    if image.get("src") != form.image:
        image["src"] = form.image
    _apply_texts(image, "alt", form.image_alt)


def _apply_video(node: CommentedMap, form: SceneForm) -> None:
    video = node.get("video")
    if not form.video:
        node.pop("video", None)
        return
    if not isinstance(video, CommentedMap):
        video = CommentedMap()
        node["video"] = video
    _set_scalar(video, "src", form.video)
    _set_scalar(video, "poster", form.poster)
    _apply_paths(video, "subtitles", form.subtitles)
