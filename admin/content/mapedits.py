"""The story map's edits: a scene after a scene, a choice from one scene to another, an ending.

Each takes a story file's text and returns the new text (``EditError`` with the sentence
when the edit does not fit the scene); the caller saves it through the validator.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from admin.content.scenes import _check_id
from admin.content.yamledit import EditError, edit_document, set_text, text_map


def _scene(scenes: CommentedMap, scene_id: str) -> CommentedMap:
    scene = scenes.get(scene_id)
    if not isinstance(scene, CommentedMap):
        raise EditError('the story has no scene "%(scene)s"', scene=scene_id)
    return scene


def _text(language: str, body: str) -> CommentedMap:
    if not language:
        raise EditError("choose the language of the text")
    if not body.strip():
        raise EditError("write the text")
    holder = CommentedMap()
    set_text(text_map(holder, "t"), language, body)
    if "\n" not in body.strip():  # paragraphs stay a readable | block, which flow cannot hold
        holder["t"].fa.set_flow_style()
    return holder["t"]


def add_after(text: str, after: str, new_id: str, language: str, body: str) -> str:
    """A new scene that follows `after`: it takes over the way `after` went on.

    After a scene with ``next: x`` the new scene goes on to x; after an ending the new scene
    becomes the ending (what helped and what to do move with it). A scene with choices is
    refused: add a choice to it instead.
    """
    def change(doc):
        scenes = doc["scenes"]
        prev = _scene(scenes, after)
        _check_id(new_id, scenes)
        if "choices" in prev:
            raise EditError('scene "%(scene)s" goes on by choices: add a choice to the new '
                            "scene instead", scene=after)
        scene = CommentedMap()
        scene["text"] = _text(language, body)
        if "next" in prev:
            scene["next"] = prev.pop("next")
        elif "ending" in prev:
            scene["ending"] = prev.pop("ending")
        else:
            scene["ending"] = True
        prev["next"] = new_id
        scenes.insert(list(scenes).index(after) + 1, new_id, scene)
    return edit_document(text, change)


def add_choice(text: str, source: str, target: str, language: str, label: str,
               first_label: str = "") -> str:
    """A choice from `source` to `target` labelled in one language.

    A scene that went on with ``next`` gets choices: its old way becomes the first choice,
    labelled `first_label` (refused without one). An ending is refused: it ends the story.
    """
    def change(doc):
        scenes = doc["scenes"]
        scene = _scene(scenes, source)
        _scene(scenes, target)
        if "ending" in scene:
            raise EditError('scene "%(scene)s" ends the story: it has no choices',
                            scene=source)
        choices = scene.get("choices")
        if not isinstance(choices, CommentedSeq):
            choices = CommentedSeq()
            if "next" in scene:
                if not first_label.strip():
                    raise EditError('scene "%(scene)s" goes on to "%(next)s" without a choice: '
                                    "give that way a label too", scene=source,
                                    next=scene["next"])
                choices.append(CommentedMap({"label": _text(language, first_label),
                                             "goto": scene.pop("next")}))
            scene["choices"] = choices
        choices.append(CommentedMap({"label": _text(language, label), "goto": target}))
    return edit_document(text, change)


def mark_ending(text: str, scene_id: str) -> str:
    """The scene ends the story (its next scene or choices are removed)."""
    def change(doc):
        scene = _scene(doc["scenes"], scene_id)
        if "ending" in scene:
            raise EditError('scene "%(scene)s" is already an ending', scene=scene_id)
        scene.pop("next", None)
        scene.pop("choices", None)
        scene["ending"] = True
    return edit_document(text, change)
