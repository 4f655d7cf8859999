"""A story's slots: one list that the validator, the runtime and the admin all read.

A translator, a validator and a kiosk must agree on what a story holds: a text the admin
lists as untranslated is one the validator warns about and the kiosk can show.
"""

from __future__ import annotations

import datetime as dt

from admin.content.media import usage
from admin.content.translate import MISSING, rows
from kiosk.content import load_pack
from kiosk.content.slots import find, story_lines, story_slots
from kiosk.story.lines import LineProvider

TODAY = dt.date(2026, 12, 1)

FULL_SCENE = """\
  home:
    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}
    image: {src: ana/home.jpg, alt: {sv: Ett kök i kvällsljus., en: A kitchen at dusk.}}
    narration: {sv: ana/home.sv.ogg}
    captions: {sv: ana/home.sv.vtt}
    video: {src: ana/home.mp4, poster: ana/poster.jpg, subtitles: {en: ana/home.en.vtt}}
    discussion: {sv: Vad märker grannen?, en: What does the neighbour notice?}
    choices:
      - label: {sv: Fråga vännen, en: Ask the friend}
        goto: friend
        set: {asked: true}
        discussion: {sv: Vad kan vännen göra?}
      - label: {sv: Läs mer, en: Read more}
        goto: advert
"""


def _full(pack):
    """The valid pack with a first scene that fills every slot a scene has."""
    text = (pack.root / "stories/ana.yaml").read_text(encoding="utf-8")
    start = text.index("  home:\n")
    end = text.index("  friend:\n")
    pack.write("stories/ana.yaml", text[:start] + FULL_SCENE + text[end:])
    loaded = load_pack(pack.root, TODAY)
    assert loaded.pack is not None and "ana" in loaded.pack.stories
    return loaded


def test_every_slot_of_a_full_scene_has_its_id_place_and_kind(pack):
    story = _full(pack).pack.stories["ana"]
    got = [(s.id, s.path, s.kind) for s in story_slots(story) if s.scene == "home"]
    p, i = "scenes.home", "ana/scenes/home"
    assert got == [
        (f"{i}/text", f"{p}.text", "text"),
        (f"{i}/image", f"{p}.image", "image"),
        (f"{i}/image/alt", f"{p}.image.alt", "text"),
        (f"{i}/narration", f"{p}.narration", "audio"),
        (f"{i}/captions", f"{p}.captions", "subtitles"),
        (f"{i}/video", f"{p}.video.src", "video"),
        (f"{i}/video/poster", f"{p}.video.poster", "image"),
        (f"{i}/video/subtitles", f"{p}.video.subtitles", "subtitles"),
        (f"{i}/choices/c1/label", f"{p}.choices[0].label", "text"),
        (f"{i}/choices/c1/discussion", f"{p}.choices[0].discussion", "text"),
        (f"{i}/choices/c2/label", f"{p}.choices[1].label", "text"),
        (f"{i}/choices/c2/discussion", f"{p}.choices[1].discussion", "text"),
        (f"{i}/discussion", f"{p}.discussion", "text"),
    ]


def test_a_choice_discussion_missing_in_english_is_missing_for_everyone(pack):
    loaded = _full(pack)
    story = loaded.pack.stories["ana"]
    line = "ana/scenes/home/choices/c1/discussion"
    # the validator warns, and counts it in the story's coverage
    warned = [f for f in loaded.findings if f.code == "missing-translation"
              and f.path == "scenes.home.choices[0].discussion"]
    assert [f.message for f in warned] == ["scenes.home.choices[0].discussion has no en text"]
    # 18 texts and per-language files; en lacks narration, captions and this discussion
    assert loaded.coverage["ana"]["en"] == 100.0 * 15 / 18
    assert loaded.coverage["ana"]["sv"] == 100.0 * 17 / 18  # no Swedish film subtitles
    # the translator sees it as missing
    states = {r.line.id: r.state for r in rows(story, "sv", "en", {})}
    assert states[line] == MISSING
    # the kiosk falls back to the default language
    assert LineProvider(loaded.pack, "en").text(line) == "Vad kan vännen göra?"


def test_a_picture_description_is_a_line_the_kiosk_can_show(pack):
    loaded = _full(pack)
    line = "ana/scenes/home/image/alt"
    assert LineProvider(loaded.pack, "en").text(line) == "A kitchen at dusk."
    assert LineProvider(loaded.pack, "sv").has(line)
    assert line in [s.id for s in story_lines(loaded.pack.stories["ana"])]


def test_a_line_id_that_names_no_text_names_nothing(pack):
    loaded = _full(pack)
    for line in ("ana/scenes/home/narration", "ana/scenes/home/nothing",
                 "ana/scenes/gone/text", "nobody/title", "ana/scenes/home/choices/c9/label"):
        assert LineProvider(loaded.pack, "en").has(line) is False
    assert find(loaded.pack, "ana/scenes/home/narration").value == {"sv": "ana/home.sv.ogg"}


def test_every_media_file_is_checked_and_its_use_listed(pack):
    loaded = _full(pack)
    missing = {f.path for f in loaded.findings if f.code == "media-missing"}
    assert missing == {"scenes.home.image", "scenes.home.narration.sv",
                       "scenes.home.captions.sv", "scenes.home.video.src",
                       "scenes.home.video.poster", "scenes.home.video.subtitles.en"}
    used = usage(loaded.pack)
    assert used["ana/home.jpg"] == ["story ana, scene home (image)"]
    assert used["ana/home.sv.ogg"] == ["story ana, scene home (narration sv)"]
    assert used["ana/home.sv.vtt"] == ["story ana, scene home (captions sv)"]
    assert used["ana/home.mp4"] == ["story ana, scene home (video)"]
    assert used["ana/poster.jpg"] == ["story ana, scene home (poster)"]
    assert used["ana/home.en.vtt"] == ["story ana, scene home (subtitles en)"]
