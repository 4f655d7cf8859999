"""A scene key is known everywhere or nowhere: the model, the file's schema, the slot list,
the kiosk that plays it and the admin that edits it.

Adding a scene key (say `audio_description:`) starts in kiosk/content/model.py; each test
below then fails until the key is also in build.SCENE_SPEC, in kiosk/content/slots.py (a slot
or one of the keys that shape the story), read by the kiosk's runtime or screens, and drawn
as a field by the admin's scene editor or story settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.content import build, load_pack
from kiosk.content import model as M
from kiosk.content.slots import SCENE_OTHER_KEYS, SCENE_SLOT_KEYS, scene_slots

ROOT = Path(__file__).resolve().parents[2]
# The model's own bookkeeping: a scene's id is its key in `scenes`, loc its place.
NOT_IN_FILE = {"id", "loc"}
# Scene keys the kiosk does not play, and why.
NOT_PLAYED = {
    "id": "the scene's name, not shown",
    "loc": "the place in the file, for findings",
    "sources": "a figure's sources are for curators: the validator checks them",
}
# A story whose scenes between them use every scene key there is.
EVERY_KEY = """\
id: every
title: {sv: Alla, en: Every}
summary: {sv: Allt., en: Everything.}
duration: 3
age_min: 13
consent: {kind: composite-fiction, record: CF-1, countries: [SE], review_by: 2028-06-30}
sources:
  ilo: {text: ILO 2022, year: 2022}
start: home
scenes:
  home:
    text: {sv: Hej., en: Hello.}
    image: {src: images/home.png, alt: {sv: Ett hus., en: A house.}}
    narration: {sv: home.sv.ogg}
    captions: {sv: home.sv.vtt}
    video: {src: home.mp4, poster: images/home.png, subtitles: {sv: home.sv.vtt}}
    content_notes: [threats]
    school: calm
    sources: [ilo]
    discussion: {sv: "Vad märker grannen?", en: "What does the neighbour notice?"}
    choices:
      - {label: {sv: Fråga, en: Ask}, goto: end, discussion: {sv: "Varför?", en: "Why?"}}
  calm:
    text: {sv: Lugnt., en: Calm.}
    next: end
  end:
    text: {sv: Slut., en: The end.}
    ending: {helped: {sv: En vän., en: A friend.}, action: {sv: Ring., en: Call.}}
"""


def _scene_keys() -> set[str]:
    return set(M.Scene.__struct_fields__)


def test_every_scene_key_of_the_model_is_a_key_of_the_file():
    assert _scene_keys() - NOT_IN_FILE == set(build.SCENE_SPEC)


def test_every_scene_key_is_a_slot_or_shapes_the_story(pack_root):
    assert set(SCENE_SLOT_KEYS) | set(SCENE_OTHER_KEYS) == _scene_keys()
    assert not set(SCENE_SLOT_KEYS) & set(SCENE_OTHER_KEYS)
    (pack_root / "stories" / "every.yaml").write_text(EVERY_KEY, encoding="utf-8")
    story = load_pack(pack_root).pack.stories["every"]
    used = {key for scene in story.scenes.values() for key in build.SCENE_SPEC
            if getattr(scene, key)}
    assert used == set(build.SCENE_SPEC), "EVERY_KEY should use every scene key"
    slotted = {slot.keys[2] for scene in story.scenes.values()
               for slot in scene_slots(story.id, scene)}
    assert slotted == set(SCENE_SLOT_KEYS)


def test_the_kiosk_plays_every_scene_key():
    player = [p for folder in ("kiosk/story", "kiosk/scenes", "kiosk/app")
              for p in sorted((ROOT / folder).glob("*.py"))]
    source = "\n".join(p.read_text(encoding="utf-8") for p in player)
    for key in sorted(_scene_keys() - set(NOT_PLAYED)):
        # a scene's attribute, read from a scene object: scene.video, scenes[t].school
        assert re.search(rf"(\bscene|\bsc|\])\.{key}\b", source), (
            f"no kiosk screen or the runtime reads a scene's {key}")


def test_the_admin_edits_every_scene_key(editor, pack_root):
    (pack_root / "stories" / "every.yaml").write_text(EVERY_KEY, encoding="utf-8")
    names: set[str] = set()
    settings = editor.get("/stories/test/every/settings")
    assert settings.status_code == 200
    for name in re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"',
                           settings.get_data(as_text=True)):
        names.add(re.sub(r"^scenes\.[a-z][a-z0-9_-]*\.", "", name))
    for sid in ("home", "calm", "end"):
        page = editor.get(f"/stories/test/every/scenes/{sid}")
        assert page.status_code == 200
        names |= set(re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"',
                                page.get_data(as_text=True)))
    for key in sorted(_scene_keys() - NOT_IN_FILE):
        assert any(re.match(rf"{key}($|[.\[])", n) for n in names), (
            f"neither the scene editor nor the story settings has a field for {key}")
