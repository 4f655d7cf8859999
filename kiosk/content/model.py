"""The typed model of a content pack: what the loader builds and the compiled cache stores.

Plain msgspec structs, read-only by convention. Text is a mapping language -> string. `loc`
is the (line, column) of the object in its file; a story's `file` is relative to the pack.
The format itself is documented in docs/content-format.md.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

import msgspec

from kiosk.content.findings import Finding

Text = dict[str, str]
Loc = tuple[int, int]

CONSENT_KINDS = ("composite-fiction", "pseudonymised", "named")
QUESTION_KINDS = ("agreement", "single", "rating")
FITS = ("cover", "contain")
GENDERS = ("female", "male", "non-binary", "mixed")
AGE_GROUPS = ("child", "youth", "adult")
EXPLOITATION = (
    "sexual", "labour", "domestic-servitude", "forced-criminality", "begging",
    "forced-marriage", "organ-removal", "other",
)
BLOCKED_TAGS = ("chains", "bars", "bound-hands", "barcode", "injury", "sexualised")


class Struct(msgspec.Struct, kw_only=True, array_like=True):
    """Base of every model type."""


class Override(Struct):
    """A reviewer's logged decision to publish something a rule would block."""

    reviewer: str
    reason: str
    date: dt.date | None = None


class MediaRef(Struct):
    """A scene's picture: a path under media/ and how to show it. Its alt text is the
    pack's (`Pack.pictures`); `alt` here is the scene's own override (see `Pack.alt_text`)."""

    src: str
    alt: Text = {}
    fit: str = "cover"
    focus: tuple[float, float] | None = None
    photo: bool = False
    tags: list[str] = []
    override: Override | None = None
    loc: Loc = (0, 0)


class Picture(Struct):
    """A picture of the pack's media library, as pack.yaml's `pictures:` describes it: its
    alt text, one value shared by every scene that shows the picture."""

    alt: Text = {}
    loc: Loc = (0, 0)


class Video(Struct):
    """A film with an optional poster and subtitles per language."""

    src: str
    poster: str | None = None
    subtitles: dict[str, str] = {}
    loc: Loc = (0, 0)


class Choice(Struct):
    """One way on from a scene."""

    id: str
    label: Text
    goto: str
    condition: list | None = None  # parsed, see kiosk.content.conditions
    condition_source: str | None = None
    set: dict[str, bool | int | float | str] = {}
    add: dict[str, int | float] = {}
    discussion: Text = {}
    loc: Loc = (0, 0)


class Ending(Struct):
    """How a story ends: what helped and what a visitor can do."""

    helped: Text = {}
    action: Text = {}


class Scene(Struct):
    """One screenful of a story: text and media, then `next`, `choices` or an `ending`."""

    id: str
    text: Text = {}
    image: MediaRef | None = None
    narration: dict[str, str] = {}
    captions: dict[str, str] = {}
    video: Video | None = None
    content_notes: list[str] = []
    school: str | None = None
    sources: list[str] = []
    discussion: Text = {}
    next: str | None = None
    choices: list[Choice] = []
    ending: Ending | None = None
    loc: Loc = (0, 0)

    @property
    def targets(self) -> list[str]:
        """The scene ids this scene can lead to directly."""
        if self.next:
            return [self.next]
        return [c.goto for c in self.choices]


class Consent(Struct):
    """Consent on record (ETHICS.md rules 1 and 2)."""

    kind: str
    record: str
    countries: list[str]
    review_by: dt.date


class Source(Struct):
    """Where a statistic comes from."""

    text: Text
    year: int | None = None
    url: str | None = None


class Profile(Struct):
    """Who the story is about, for the pack's balance report."""

    gender: str | None = None
    age_group: str | None = None
    exploitation: list[str] = []


class Story(Struct):
    """One story of a pack."""

    id: str
    file: str
    title: Text
    summary: Text
    languages: list[str]
    duration: int
    age_min: int
    start: str
    scenes: dict[str, Scene]
    content_notes: list[str] = []
    consent: Consent | None = None
    involves_minor: bool = False
    profile: Profile | None = None
    sources: dict[str, Source] = {}
    variables: dict[str, bool | int | float | str] = {}
    loc: Loc = (0, 0)

    def map_grid(self, school: bool) -> dict[str, tuple[int, int]]:
        """(row, place in the row) of every scene for drawing the story as a map: the row is
        the number of steps from the start (through school alternatives too, if `school`),
        scenes no path reaches share a last row; within a row, file order."""
        depth: dict[str, int] = {}
        if self.start in self.scenes:
            depth[self.start] = 0
            todo = deque([self.start])
            while todo:
                sid = todo.popleft()
                scene = self.scenes[sid]
                extra = [scene.school] if school and scene.school else []
                for t in [*scene.targets, *extra]:
                    if t in self.scenes and t not in depth:
                        depth[t] = depth[sid] + 1
                        todo.append(t)
        last = max(depth.values(), default=-1) + 1
        places: dict[int, int] = {}
        out = {}
        for sid in self.scenes:
            row = depth.get(sid, last)
            out[sid] = (row, places.get(row, 0))
            places[row] = places.get(row, 0) + 1
        return out


class Helpline(Struct):
    """A number a visitor can call, shown from every screen."""

    id: str
    name: Text
    number: str
    hours: Text
    verified: dt.date
    audience: Text = {}
    languages: list[str] = []
    url: str | None = None
    countries: list[str] = []
    loc: Loc = (0, 0)


class ContentNote(Struct):
    """A content-note tag of the pack's vocabulary."""

    label: Text
    description: Text = {}


class Option(Struct):
    """One answer to a single-choice question."""

    id: str
    label: Text


class Question(Struct):
    """A survey question."""

    id: str
    kind: str
    text: Text
    options: list[Option] = []
    scale: int = 5


class Surveys(Struct):
    """Questions before and after a story, and the rating."""

    before: list[Question] = []
    after: list[Question] = []
    rating: Question | None = None


class AttractPicture(Struct):
    """A picture of the attract loop: a path under media/ and, optionally, its focal point
    ([x, y], 0..1 of its width and height; default the centre), which the crop to the
    screen's shape keeps in view."""

    src: str
    focus: tuple[float, float] | None = None


class KioskSettings(Struct):
    """The pack's settings for the kiosk."""

    idle_timeout: int = 60
    attract: list[AttractPicture] = []
    narration_autoplay: bool = True


class BaseRef(Struct):
    """A pack an overlay was merged onto (its base, or its base's base): id, version, folder."""

    id: str
    version: str
    root: str


class Pack(Struct):
    """A whole content pack; for an overlay, the overlay merged onto its base (the overlay's
    id and version, `bases` nearest first; docs/content-format.md, "Country overlays")."""

    id: str
    version: str
    title: Text
    languages: list[str]
    default_language: str
    helplines: list[Helpline]
    country: str = ""  # "" for a country-neutral base (its overlays name the country)
    stories: dict[str, Story] = {}
    content_notes: dict[str, ContentNote] = {}
    surveys: Surveys = msgspec.field(default_factory=Surveys)
    kiosk: KioskSettings = msgspec.field(default_factory=KioskSettings)
    strings: dict[str, dict[str, str]] = {}
    pictures: dict[str, Picture] = {}  # media path -> its description
    # language -> the languages to take a text from, in order, when it lacks one (then the
    # default language): an overlay's `fallback: {lv: [en]}`
    fallback: dict[str, list[str]] = {}
    root: str = ""  # absolute path of the pack folder when it was loaded
    bases: list[BaseRef] = []  # an overlay's bases, nearest first; [] for a plain pack

    def media_root(self, relative: str) -> str:
        """The pack folder whose media/ holds a media file: the overlay's first, then each
        base's (the first folder when none has it). The one media resolver: the kiosk's
        `media_path` and the validator's media checks both ask it."""
        if not self.bases:
            return self.root
        import os

        for folder in (self.root, *(b.root for b in self.bases)):
            if os.path.lexists(os.path.join(folder, "media", relative)):
                return folder
        return self.root

    def media_path(self, relative: str):
        """The absolute path of a media file named relative to media/ (see `media_root`)."""
        from pathlib import Path

        return Path(self.media_root(relative)) / "media" / relative

    def alt_text(self, image: MediaRef) -> Text:
        """A scene picture's alt text per language: the library's (`pictures:`), with the
        scene's own `image.alt` overriding it language by language."""
        shared = self.pictures.get(image.src)
        own = {lang: text for lang, text in image.alt.items() if text.strip()}
        return {**shared.alt, **own} if shared else own

    def string_overrides(self) -> dict[str, dict[str, str]]:
        """The `strings` section turned around, msgid -> language -> text (for kiosk.i18n)."""
        out: dict[str, dict[str, str]] = {}
        for lang, table in self.strings.items():
            for msgid, text in table.items():
                out.setdefault(msgid, {})[lang] = text
        return out

    def stories_in(self, language: str) -> list[Story]:
        """The stories offered in a language, in file-name order."""
        return [s for s in self.stories.values() if language in s.languages]


class LoadedPack(Struct):
    """A pack as loaded: the model (None when it could not be built) and every finding."""

    pack: Pack | None
    findings: list[Finding] = []
    content_hash: str = ""
    coverage: dict[str, dict[str, float]] = {}  # story id -> language -> percent
    # story id -> language -> line ids whose text comes from a fallback language (Pack.fallback)
    fallbacks: dict[str, dict[str, list[str]]] = {}

    @property
    def ok(self) -> bool:
        """True when the pack loaded without errors."""
        return self.pack is not None and not any(f.severity == "error" for f in self.findings)
