"""Line ids: how the runtime names every piece of story text without holding any of it.

    mara/title                              mara/summary
    mara/scenes/home/text                   mara/scenes/home/discussion
    mara/scenes/end/ending/helped           mara/scenes/end/ending/action
    mara/scenes/offer/choices/c2/label      mara/scenes/offer/choices/c2/discussion

Story, scene and choice ids never contain "/", so an id splits back unambiguously.
Opaque to the kiosk: it hands them to a LineProvider.
"""

from __future__ import annotations

from kiosk.content.model import Pack, Text


def story_line(story: str, what: str) -> str:
    """The id of a story's `title` or `summary`."""
    return f"{story}/{what}"


def scene_line(story: str, scene: str, what: str) -> str:
    """The id of a scene's `text`, `discussion`, `ending/helped` or `ending/action`."""
    return f"{story}/scenes/{scene}/{what}"


def choice_line(story: str, scene: str, choice: str, what: str) -> str:
    """The id of a choice's `label` or `discussion`."""
    return f"{story}/scenes/{scene}/choices/{choice}/{what}"


def lookup(pack: Pack, line_id: str) -> Text | None:
    """The Text a line id names in the pack, or None when it names nothing."""
    parts = line_id.split("/")
    story = pack.stories.get(parts[0])
    if story is None:
        return None
    if len(parts) == 2:
        return {"title": story.title, "summary": story.summary}.get(parts[1])
    if len(parts) < 4 or parts[1] != "scenes":
        return None
    scene = story.scenes.get(parts[2])
    if scene is None:
        return None
    rest = parts[3:]
    if rest == ["text"]:
        return scene.text
    if rest == ["discussion"]:
        return scene.discussion
    if len(rest) == 2 and rest[0] == "ending" and scene.ending is not None:
        return {"helped": scene.ending.helped, "action": scene.ending.action}.get(rest[1])
    if len(rest) == 3 and rest[0] == "choices":
        for choice in scene.choices:
            if choice.id == rest[1]:
                return {"label": choice.label, "discussion": choice.discussion}.get(rest[2])
    return None
