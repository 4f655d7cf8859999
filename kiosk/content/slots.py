"""A story's slots: every text and media file it holds, described once.

A slot is one place in a story file that holds a text per language or a media file: its
place (``keys``, a path of keys and list indexes in the story document), its line id (the
runtime's name for it), its kind, its value and a label for the people who edit it. The
validator's coverage and media checks, the runtime's line lookup, the admin's translation
lines and media usage and the PO export all read this list, so a slot added here reaches
each of them. Line ids::

    mara/title                              mara/summary
    mara/scenes/home/text                   mara/scenes/home/discussion
    mara/scenes/home/image/alt              mara/scenes/home/narration
    mara/scenes/end/ending/helped           mara/scenes/end/ending/action
    mara/scenes/offer/choices/c2/label      mara/scenes/offer/choices/c2/discussion
    mara/sources/ilo-2022/text
    @pictures/mara/home.jpg/alt

The last is a picture's alt text in the media library (pack.yaml's ``pictures:``): one line
however many scenes, of however many stories, show the picture (``picture_slots``). A
scene's ``image/alt`` is its own override of it (``M.Pack.alt_text`` merges the two).

Story, scene, choice and source ids never contain "/", so an id splits back unambiguously;
no story id starts with "@".
Which scene keys hold slots and which only shape the story is declared in SCENE_SLOT_KEYS and
SCENE_OTHER_KEYS (a test keeps them complete against the model). See docs/content-format.md,
"A story's texts and media".
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import msgspec

from kiosk.content import model as M
from kiosk.content.phrase import Phrase

TEXT = "text"
PICTURES = "@pictures"  # the first part of a library picture's line id
# A media slot's kind is what mediacheck expects its file to be.
MEDIA_KINDS = ("image", "audio", "video", "subtitles")

# The scene keys that hold texts or media (each yields slots below) and the keys that shape
# the story without holding any: together, every field of M.Scene.
SCENE_SLOT_KEYS = ("text", "image", "narration", "captions", "video", "choices", "ending",
                   "discussion")
SCENE_OTHER_KEYS = ("id", "content_notes", "school", "sources", "next", "loc")


# Labels made once: a lookup at the kiosk builds slots, and a Phrase costs more than a slot.
_TITLE, _SUMMARY, _TEXT = Phrase("title"), Phrase("summary"), Phrase("text")
_IMAGE, _ALT = Phrase("image"), Phrase("picture description")
_NARRATION, _CAPTIONS = Phrase("narration"), Phrase("captions")
_VIDEO, _POSTER, _SUBTITLES = Phrase("video"), Phrase("poster"), Phrase("subtitles")
_HELPED, _ACTION = Phrase("ending: helped"), Phrase("ending: action")
_DISCUSSION = Phrase("discussion prompt")


@lru_cache(maxsize=1024)
def _choice_labels(choice: str) -> tuple[Phrase, Phrase]:
    return (Phrase("choice %(choice)s", choice=choice),
            Phrase("choice %(choice)s: discussion", choice=choice))


class Slot(msgspec.Struct, frozen=True):
    """One text or media file of a story, at its place."""

    id: str  # the line id: "mara/scenes/offer/choices/c2/label"
    keys: tuple  # its place in the story document: ("scenes", "offer", "choices", 1, "label")
    scene: str | None  # the scene it belongs to, None for the story's own
    kind: str  # TEXT, or one of MEDIA_KINDS
    value: dict[str, str] | str  # per language (texts, narration...) or one path
    label: Phrase  # what an editor or translator sees: "text", "choice c2", "narration"
    translatable: bool = True  # a text offered to translators (see docs/content-format.md)

    @property
    def path(self) -> str:
        """The validator's data path: "scenes.offer.choices[1].label"."""
        out = ""
        for key in self.keys:
            out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
        return out

    @property
    def text(self) -> dict[str, str]:
        """A text slot's text per language (empty for a media slot)."""
        return self.value if self.kind == TEXT and isinstance(self.value, dict) else {}

    @property
    def per_language(self) -> bool:
        """True when the value is given per language (a text, narration, captions...)."""
        return isinstance(self.value, dict)

    def files(self) -> list[tuple[str | None, str]]:
        """A media slot's files as (language or None, path under media/)."""
        if self.kind == TEXT:
            return []
        if isinstance(self.value, dict):
            return list(self.value.items())
        return [(None, self.value)]


def story_line(story: str, what: str) -> str:
    """The id of a story's `title` or `summary`."""
    return f"{story}/{what}"


def scene_line(story: str, scene: str, what: str) -> str:
    """The id of a scene's slot: `text`, `discussion`, `image/alt`, `ending/helped`..."""
    return f"{story}/scenes/{scene}/{what}"


def choice_line(story: str, scene: str, choice: str, what: str) -> str:
    """The id of a choice's `label` or `discussion`."""
    return f"{story}/scenes/{scene}/choices/{choice}/{what}"


def source_line(story: str, source: str) -> str:
    """The id of a source's `text`."""
    return f"{story}/sources/{source}/text"


def picture_line(src: str) -> str:
    """The id of a library picture's alt text: `@pictures/<path under media/>/alt`."""
    return f"{PICTURES}/{src}/alt"


def picture_slot(pack: M.Pack, src: str) -> Slot:
    """The alt text of one picture of the library, at its place in pack.yaml (empty when
    pack.yaml does not describe the picture yet)."""
    picture = pack.pictures.get(src)
    return Slot(picture_line(src), ("pictures", src, "alt"), None, TEXT,
                picture.alt if picture else {}, _ALT)


def picture_slots(pack: M.Pack, story: M.Story | None = None) -> list[Slot]:
    """The library's alt texts: of every picture pack.yaml describes, or of the pictures
    `story`'s scenes show, once each in reading order."""
    if story is None:
        return [picture_slot(pack, src) for src in pack.pictures]
    shown = dict.fromkeys(s.image.src for s in story.scenes.values() if s.image)
    return [picture_slot(pack, src) for src in shown]


def head_slots(story: M.Story) -> list[Slot]:
    """The story's own texts: title and summary."""
    sid = story.id
    return [Slot(story_line(sid, "title"), ("title",), None, TEXT, story.title,
                 _TITLE),
            Slot(story_line(sid, "summary"), ("summary",), None, TEXT, story.summary,
                 _SUMMARY)]


def scene_slots(story_id: str, scene: M.Scene) -> list[Slot]:
    """Every slot of one scene, in reading order (texts may be empty: `{}`)."""
    return list(_scene_slots(story_id, scene))


def _scene_slots(story_id: str, scene: M.Scene) -> Iterator[Slot]:
    # A generator, so that a lookup stops at the slot it wants.
    sc = scene.id
    keys = ("scenes", sc)

    def slot(what: str, place: tuple, kind: str, value, label: Phrase) -> Slot:
        return Slot(scene_line(story_id, sc, what), keys + place, sc, kind, value, label)

    yield slot("text", ("text",), TEXT, scene.text, _TEXT)
    if scene.image:
        # The picture's place is its key: it is written as a path or as {src: path, ...}.
        yield slot("image", ("image",), "image", scene.image.src, _IMAGE)
        # the scene's own override of the library's alt text (picture_slot)
        yield slot("image/alt", ("image", "alt"), TEXT, scene.image.alt,
                   _ALT)
    if scene.narration:
        yield slot("narration", ("narration",), "audio", scene.narration, _NARRATION)
    if scene.captions:
        yield slot("captions", ("captions",), "subtitles", scene.captions, _CAPTIONS)
    if scene.video:
        yield slot("video", ("video", "src"), "video", scene.video.src, _VIDEO)
        if scene.video.poster:
            yield slot("video/poster", ("video", "poster"), "image", scene.video.poster,
                       _POSTER)
        if scene.video.subtitles:
            yield slot("video/subtitles", ("video", "subtitles"), "subtitles",
                       scene.video.subtitles, _SUBTITLES)
    for i, c in enumerate(scene.choices):
        label, discussion = _choice_labels(c.id)
        yield Slot(choice_line(story_id, sc, c.id, "label"), keys + ("choices", i, "label"),
                   sc, TEXT, c.label, label)
        yield Slot(choice_line(story_id, sc, c.id, "discussion"),
                   keys + ("choices", i, "discussion"), sc, TEXT, c.discussion, discussion)
    if scene.ending:
        yield slot("ending/helped", ("ending", "helped"), TEXT, scene.ending.helped,
                   _HELPED)
        yield slot("ending/action", ("ending", "action"), TEXT, scene.ending.action,
                   _ACTION)
    yield slot("discussion", ("discussion",), TEXT, scene.discussion,
               _DISCUSSION)


def source_slots(story: M.Story) -> list[Slot]:
    """The texts of the story's sources: counted for coverage, edited in the story's
    settings rather than translated (a source names a publication, often in one language)."""
    return [Slot(source_line(story.id, sid), ("sources", sid, "text"), None, TEXT, src.text,
                 Phrase("source %(source)s", source=sid), translatable=False)
            for sid, src in story.sources.items()]


def story_slots(story: M.Story) -> Iterator[Slot]:
    """Every slot of a story in reading order: title, summary, each scene's, the sources'."""
    yield from head_slots(story)
    for scene in story.scenes.values():
        yield from _scene_slots(story.id, scene)
    yield from source_slots(story)


def story_lines(story: M.Story) -> list[Slot]:
    """The story's translatable texts that hold any text, in reading order."""
    return [s for s in story_slots(story) if s.kind == TEXT and s.translatable and s.value]


def find(pack: M.Pack, line_id: str) -> Slot | None:
    """The slot a line id names in the pack, or None when it names nothing."""
    if line_id.startswith(PICTURES + "/") and line_id.endswith("/alt"):
        src = line_id[len(PICTURES) + 1:-len("/alt")]
        return picture_slot(pack, src) if src in pack.pictures else None
    parts = line_id.split("/")
    story = pack.stories.get(parts[0])
    if story is None:
        return None
    if len(parts) == 2:
        candidates = head_slots(story)
    elif len(parts) >= 4 and parts[1] == "scenes" and parts[2] in story.scenes:
        candidates = _scene_slots(story.id, story.scenes[parts[2]])
    elif len(parts) == 4 and parts[1] == "sources":
        candidates = source_slots(story)
    else:
        return None
    return next((s for s in candidates if s.id == line_id), None)


def lookup(pack: M.Pack, line_id: str) -> M.Text | None:
    """The Text a line id names in the pack (empty when the slot is), or None when it names
    no text slot."""
    slot = find(pack, line_id)
    return slot.value if slot is not None and slot.kind == TEXT else None
