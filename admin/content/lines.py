"""A story's translatable lines: id, where it lives in the file, and its text per language.

Line ids are the runtime's own (``kiosk.story.ids``: ``mara/scenes/home/text``,
``mara/scenes/offer/choices/c2/label``, ``mara/title``), plus ``.../image/alt`` for a
picture's description; PO files use them as message contexts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kiosk.content import model as M
from kiosk.content.phrase import Phrase
from kiosk.story.ids import choice_line, scene_line, story_line


@dataclass(frozen=True)
class Line:
    """One translatable text: its id, its place (a key path in the file), its scene."""

    id: str
    keys: tuple  # path of keys in the story document: ("scenes", "home", "text")
    scene: str | None
    text: dict[str, str]
    label: Phrase  # what the translator sees: "title", "text", "choice c2"


def source_hash(text: str) -> str:
    """The hash recorded with a translation: of the source text, whitespace-normalised."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:32]


def story_lines(story: M.Story) -> list[Line]:
    """Every translatable line of a story, in reading order."""
    sid = story.id
    out = [Line(story_line(sid, "title"), ("title",), None, story.title, Phrase("title")),
           Line(story_line(sid, "summary"), ("summary",), None, story.summary,
                Phrase("summary"))]
    for scene_id, scene in story.scenes.items():
        keys = ("scenes", scene_id)
        if scene.text:
            out.append(Line(scene_line(sid, scene_id, "text"), keys + ("text",), scene_id,
                            scene.text, Phrase("text")))
        if scene.image and scene.image.alt:
            out.append(Line(scene_line(sid, scene_id, "image/alt"), keys + ("image", "alt"),
                            scene_id, scene.image.alt, Phrase("picture description")))
        for i, c in enumerate(scene.choices):
            out.append(Line(choice_line(sid, scene_id, c.id, "label"),
                            keys + ("choices", i, "label"), scene_id, c.label,
                            Phrase("choice %(choice)s", choice=c.id)))
            if c.discussion:
                out.append(Line(choice_line(sid, scene_id, c.id, "discussion"),
                                keys + ("choices", i, "discussion"), scene_id, c.discussion,
                                Phrase("choice %(choice)s: discussion", choice=c.id)))
        if scene.ending:
            for part, label in (("helped", Phrase("ending: helped")),
                                ("action", Phrase("ending: action"))):
                text = getattr(scene.ending, part)
                if text:
                    out.append(Line(scene_line(sid, scene_id, f"ending/{part}"),
                                    keys + ("ending", part), scene_id, text, label))
        if scene.discussion:
            out.append(Line(scene_line(sid, scene_id, "discussion"), keys + ("discussion",),
                            scene_id, scene.discussion, Phrase("discussion prompt")))
    return out
