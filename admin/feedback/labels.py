"""Names for what the record holds as ids: each pack's country, each kiosk's name.

A pack is per country: sessions record the pack's id, and the admin knows the packs it
serves (working copies, and installed versions in the PackStore), so reports group packs by
the pack's own ``country`` key. A pack the admin does not hold is "unknown (pack id)". Kiosks
are named as an administrator registered them (their record id otherwise, shortened).
Stories (their titles), scenes (the start of their text), questions, their answers and the
choices at branching points get the wording of the packs the admin edits (working copies),
in the page's language when the pack has it, else the pack's default language; ids stay in
the CSV.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

import yaml
from flask import Flask, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models_feedback import Kiosk

UNKNOWN = "unknown"


# The kiosk's five-point agreement scale (kiosk/scenes/survey.py records 1 to 5), worded as
# the kiosk words it (its catalogues translate the same five strings).
AGREEMENT = (_l("Strongly disagree"), _l("Disagree"), _l("Neither agree nor disagree"),
             _l("Agree"), _l("Strongly agree"))


def _pick(text: dict[str, str], language: str, default: str) -> str:
    return text.get(language) or text.get(default) or next(iter(text.values()), "")


SCENE_CHARS = 48  # a scene is named by the start of its text, cut at a word


def scene_name(text: str) -> str:
    """A scene's name in a report: the start of its text, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= SCENE_CHARS:
        return text
    return text[:SCENE_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def wording(pack, language: str) -> dict[str, dict]:
    """The pack's wording in `language`: questions (id -> (text, {answer: label})),
    choices ((story, scene, choice) -> label), stories (id -> title), scenes ((story,
    scene) -> the start of its text)."""
    questions: dict[str, tuple[str, dict[str, str]]] = {}
    default = pack.default_language
    surveys = pack.surveys
    for q in [*surveys.before, *surveys.after, *([surveys.rating] if surveys.rating else [])]:
        if q.kind == "agreement":
            answers = {str(i + 1): f"{i + 1} · {label}" for i, label in enumerate(AGREEMENT)}
        elif q.kind == "single":
            answers = {o.id: _pick(o.label, language, default) for o in q.options}
        else:
            answers = {}
        key = "rating" if q is surveys.rating else q.id  # ratings are stored as "rating"
        questions[key] = (_pick(q.text, language, default), answers)
    choices = {(story.id, scene_id, str(c.id)): _pick(c.label, language, default)
               for story in pack.stories.values() for scene_id, scene in story.scenes.items()
               for c in scene.choices}
    stories = {story.id: _pick(story.title, language, default)
               for story in pack.stories.values()}
    scenes = {(story.id, scene_id): scene_name(_pick(scene.text, language, default))
              for story in pack.stories.values() for scene_id, scene in story.scenes.items()}
    return {"questions": questions, "choices": choices, "stories": stories,
            "scenes": scenes}


def pack_countries(app: Flask, language: str = "en", into: dict | None = None
                   ) -> dict[str, str]:
    """pack id -> country code, for every pack this admin serves (wording into `into`)."""
    from admin.content.workspace import workspace

    # Inside a request its own context is kept: a new app context would lose the user's
    # language (Flask-Babel keeps the chosen locale on `g`).
    with nullcontext() if has_app_context() else app.app_context():
        ws = workspace()
        out: dict[str, str] = {}
        for wc in ws.working_copies():
            pack = ws.load(wc.root).pack
            if pack is not None and pack.country:
                out[wc.pack_id] = pack.country
            if pack is not None and into is not None:
                for name, table in wording(pack, language).items():
                    for k, v in table.items():
                        into.setdefault(name, {}).setdefault(k, v)
        store = ws.store
        if store.root.exists():
            for pack_id in store.pack_ids():
                active = store.active(pack_id)
                if pack_id in out or active is None or not (active / "pack.yaml").exists():
                    continue
                try:
                    data = yaml.safe_load((active / "pack.yaml").read_text("utf-8"))
                except (OSError, yaml.YAMLError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("country"), str):
                    out[pack_id] = data["country"]
    return out


@dataclass(frozen=True)
class Labels:
    """What a report calls packs (by country) and kiosks (by name)."""

    countries: dict[str, str] = field(default_factory=dict)
    kiosks: dict[str, str] = field(default_factory=dict)
    questions: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    choices: dict[tuple[str, str, str], str] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)
    scenes: dict[tuple[str, str], str] = field(default_factory=dict)

    def story(self, story: str) -> str:
        """A story's title in the pack, else its id."""
        return self.stories.get(story) or story

    def scene(self, story: str, scene: str) -> str:
        """A scene by the start of its text in the pack, else its id."""
        return self.scenes.get((story, scene)) or scene

    def question(self, question: str) -> str:
        """A question's text in the packs, or "" when no pack holds it."""
        return self.questions.get(question, ("", {}))[0]

    def answer(self, question: str, answer: str) -> str:
        """An answer as published: its wording when the pack gives one, else the value."""
        return self.questions.get(question, ("", {}))[1].get(answer, answer)

    def choice(self, story: str, scene: str, choice: str) -> str:
        """A choice's label in the pack, else its id."""
        return self.choices.get((story, scene, choice), choice)

    def country(self, pack: str | None) -> str:
        """The country of a pack, or "unknown (pack)" when the admin does not hold it."""
        if pack in self.countries:
            return self.countries[pack]
        return f"{UNKNOWN} ({pack})" if pack else UNKNOWN

    def kiosk(self, record_id: str | None) -> str:
        """A kiosk's registered name, else the start of its record id."""
        if not record_id:
            return UNKNOWN
        return self.kiosks.get(record_id) or record_id[:8]


def labels(app: Flask, db: Session, language: str = "en") -> Labels:
    """The labels of this admin's packs and kiosks, wording in `language` where it exists."""
    kiosks = {rid: name for rid, name in db.execute(select(Kiosk.record_id, Kiosk.name))
              if rid}
    words: dict = {}
    countries = pack_countries(app, language, words)
    return Labels(countries, kiosks, words.get("questions", {}), words.get("choices", {}),
                  words.get("stories", {}), words.get("scenes", {}))
