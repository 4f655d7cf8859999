"""Adding, renaming and deleting scenes in a story file (every reference follows a rename).

References to a scene: the story's ``start``, a scene's ``next`` and ``school``, a choice's
``goto``, and ``visits(scene)`` inside a choice's condition. A scene something points to is
not deleted; the refusal lists every place.
"""

from __future__ import annotations

import re

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from admin.content.yamledit import EditError, edit_document
from kiosk.content.schema import ID_RE


def _visits(name: str) -> re.Pattern:
    return re.compile(r"\bvisits\(\s*" + re.escape(name) + r"\s*\)")


def references(doc: CommentedMap, scene_id: str) -> list[str]:
    """Every place in a story document that names the scene."""
    out = []
    if doc.get("start") == scene_id:
        out.append("start")
    for sid, sc in (doc.get("scenes") or {}).items():
        if not isinstance(sc, CommentedMap) or sid == scene_id:
            continue
        if sc.get("next") == scene_id:
            out.append(f"scene {sid}: next")
        if sc.get("school") == scene_id:
            out.append(f"scene {sid}: school alternative")
        for i, c in enumerate(sc.get("choices") or []):
            if not isinstance(c, CommentedMap):
                continue
            cid = c.get("id") or f"c{i + 1}"
            if c.get("goto") == scene_id:
                out.append(f"scene {sid}: choice {cid}")
            if isinstance(c.get("if"), str) and _visits(scene_id).search(c["if"]):
                out.append(f"scene {sid}: condition of choice {cid}")
    return out


def _check_id(new_id: str, scenes: CommentedMap) -> None:
    if not ID_RE.match(new_id or ""):
        raise EditError('"%(id)s" is not a scene id: lower-case letters, digits, - and _, '
                        "starting with a letter", id=new_id)
    if new_id in scenes:
        raise EditError('the story already has a scene "%(id)s"', id=new_id)


def add_scene(text: str, new_id: str, language: str, body: str, next_id: str) -> str:
    """The file with a new scene at the end: its text in one language, then next or an end."""
    def change(doc):
        scenes = doc["scenes"]
        _check_id(new_id, scenes)
        if not language:
            raise EditError("choose the language of the text")
        if next_id and next_id not in scenes:
            raise EditError('there is no scene "%(id)s" to go on to', id=next_id)
        scene = CommentedMap()
        value = body.replace("\r\n", "\n").strip()
        scene["text"] = CommentedMap({language: LiteralScalarString(value + "\n")
                                      if "\n" in value else value})
        if next_id:
            scene["next"] = next_id
        else:
            scene["ending"] = True
        scenes[new_id] = scene
    return edit_document(text, change)


def rename_scene(text: str, old: str, new: str) -> str:
    """The file with a scene renamed and every reference to it following."""
    def change(doc):
        scenes = doc["scenes"]
        if old not in scenes:
            raise EditError('the story has no scene "%(scene)s"', scene=old)
        _check_id(new, scenes)
        position = list(scenes).index(old)
        value = scenes.pop(old)
        scenes.insert(position, new, value)
        if doc.get("start") == old:
            doc["start"] = new
        for sc in scenes.values():
            if not isinstance(sc, CommentedMap):
                continue
            for key in ("next", "school"):
                if sc.get(key) == old:
                    sc[key] = new
            for c in sc.get("choices") or []:
                if not isinstance(c, CommentedMap):
                    continue
                if c.get("goto") == old:
                    c["goto"] = new
                if isinstance(c.get("if"), str):
                    c["if"] = _visits(old).sub(f"visits({new})", c["if"])
    return edit_document(text, change)


def delete_scene(text: str, scene_id: str) -> str:
    """The file without the scene; EditError listing the references while any remain."""
    def change(doc):
        scenes = doc["scenes"]
        if scene_id not in scenes:
            raise EditError('the story has no scene "%(scene)s"', scene=scene_id)
        refs = references(doc, scene_id)
        if refs:
            raise EditError('scene "%(scene)s" is still used by: %(places)s', scene=scene_id,
                            places="; ".join(refs))
        del scenes[scene_id]
    return edit_document(text, change)
