"""The teacher's guide of one story in one language, built from the pack.

It follows the story as a school session plays it (``school=True``: a scene with a ``school``
alternative is replaced by it), so the guide describes exactly what the class will see.
Branching points come in the order a reader meets them (breadth first from the start), each
with the scene's ``discussion`` prompt and the prompts of its choices.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from kiosk.content.helplines import helplines_for
from kiosk.story import LineProvider


@dataclass
class ChoicePoint:
    """A branching point: where the class decides, and what to discuss there."""

    scene: str
    text: str
    prompt: str
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # id, label, prompt


@dataclass
class Guide:
    """Everything the guide page shows."""

    story: str
    language: str
    title: str
    synopsis: str
    duration: int
    age_min: int
    exploitation: list[str]
    notes: list[tuple[str, str]]  # (label, description) of the story's and scenes' notes
    fiction: bool
    points: list[ChoicePoint]
    helplines: list[dict]
    endings: list[tuple[str, str, str]]  # scene id, what helped, what one can do


def school_path(story) -> list:
    """The story's scenes a school session can reach, breadth first, alternatives applied."""
    seen, order = set(), []
    queue = deque([story.start])
    while queue:
        sid = queue.popleft()
        scene = story.scenes.get(sid)
        if scene is None:
            continue
        if scene.school and scene.school in story.scenes:
            scene = story.scenes[scene.school]
        if scene.id in seen:
            continue
        seen.add(scene.id)
        order.append(scene)
        queue.extend(scene.targets)
    return order


def build(pack, story_id: str, language: str) -> Guide:
    """The guide of a story in a language (text falls back to the pack's default language)."""
    story = pack.stories[story_id]
    lines = LineProvider(pack, language)
    scenes = school_path(story)
    note_ids = list(dict.fromkeys(story.content_notes + [n for s in scenes
                                                           for n in s.content_notes]))
    notes = []
    for nid in note_ids:
        note = pack.content_notes.get(nid)
        notes.append((lines.pick(note.label, nid), lines.pick(note.description, nid)
                      if note.description else "") if note else (nid, ""))
    points, endings = [], []
    for scene in scenes:
        if scene.choices:
            points.append(ChoicePoint(
                scene.id, lines.pick(scene.text, scene.id) if scene.text else "",
                lines.pick(scene.discussion, "discussion") if scene.discussion else "",
                [(c.id, lines.pick(c.label, c.id),
                  lines.pick(c.discussion, "discussion") if c.discussion else "")
                 for c in scene.choices]))
        if scene.ending is not None:
            endings.append((scene.id, lines.pick(scene.ending.helped, "helped")
                            if scene.ending.helped else "",
                            lines.pick(scene.ending.action, "action")
                            if scene.ending.action else ""))
    helplines = [{"name": lines.pick(h.name, h.id), "number": h.number,
                  "hours": lines.pick(h.hours, h.id),
                  "audience": lines.pick(h.audience, h.id) if h.audience else "",
                  "verified": h.verified.isoformat()}
                 for h in helplines_for(pack)]
    consent = story.consent
    return Guide(story.id, language, lines.story_title(story.id),
                 lines.story_summary(story.id), story.duration, story.age_min,
                 list(story.profile.exploitation) if story.profile else [], notes,
                 bool(consent and consent.kind == "composite-fiction"), points, helplines,
                 endings)
