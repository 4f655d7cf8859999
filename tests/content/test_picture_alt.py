"""A picture's alt text is one value: the pack's media library (pack.yaml `pictures:`).

Every scene that shows the picture reads it from there; a scene may override it with its own
`image.alt`, language by language. The validator, the slots (translations) and the line
provider (kiosk and preview) all read the one value.
"""

from __future__ import annotations

import struct
import zlib

from kiosk.content import load_pack
from kiosk.content.slots import find, picture_slots, story_slots
from kiosk.story.lines import LineProvider
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
PICTURES = """\
pictures:
  ana/kitchen.png:
    alt: {sv: Ett kök i kvällsljus., en: A kitchen at dusk.}
"""


def _png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


def _two_scenes_show_the_kitchen(pack, home_image="{src: ana/kitchen.png}"):
    pack.write("media/ana/kitchen.png", _png())
    pack.edit(STORY, "  home:\n", f"  home:\n    image: {home_image}\n")
    pack.edit(STORY, "  friend:\n", "  friend:\n    image: ana/kitchen.png\n")


def _loaded(pack):
    loaded = load_pack(pack.root, TODAY)
    assert loaded.pack is not None
    return loaded


def test_every_scene_showing_a_picture_reads_the_librarys_alt_text(pack):
    pack.append("pack.yaml", PICTURES)
    _two_scenes_show_the_kitchen(pack)
    loaded = _loaded(pack)
    assert loaded.ok and [f.code for f in loaded.findings] == []
    p = loaded.pack
    story = p.stories["ana"]
    for scene in ("home", "friend"):
        assert LineProvider(p, "en").alt(story.scenes[scene]) == "A kitchen at dusk."
        assert LineProvider(p, "sv").alt(story.scenes[scene]) == "Ett kök i kvällsljus."
    # a language the picture is not described in falls back to the pack's default (sv)
    assert LineProvider(p, "it").alt(story.scenes["home"]) == "Ett kök i kvällsljus."
    # a scene without a picture has no alt text
    assert LineProvider(p, "en").alt(story.scenes["end"]) is None


def test_a_scene_overrides_the_librarys_alt_text_language_by_language(pack):
    pack.append("pack.yaml", PICTURES)
    _two_scenes_show_the_kitchen(
        pack, "{src: ana/kitchen.png, alt: {en: \"Ana's kitchen, seen from the door.\"}}")
    p = _loaded(pack).pack
    home, friend = p.stories["ana"].scenes["home"], p.stories["ana"].scenes["friend"]
    assert LineProvider(p, "en").alt(home) == "Ana's kitchen, seen from the door."
    assert LineProvider(p, "sv").alt(home) == "Ett kök i kvällsljus."  # not overridden
    assert LineProvider(p, "en").alt(friend) == "A kitchen at dusk."  # its own scene only


def test_the_alt_text_is_one_line_however_many_scenes_show_the_picture(pack):
    pack.append("pack.yaml", PICTURES)
    _two_scenes_show_the_kitchen(pack)
    p = _loaded(pack).pack
    story = p.stories["ana"]
    shared = picture_slots(p, story)
    assert [(s.id, s.keys, s.text) for s in shared] == [
        ("@pictures/ana/kitchen.png/alt", ("pictures", "ana/kitchen.png", "alt"),
         {"sv": "Ett kök i kvällsljus.", "en": "A kitchen at dusk."})]
    assert find(p, "@pictures/ana/kitchen.png/alt").text["en"] == "A kitchen at dusk."
    assert find(p, "@pictures/ana/nothing.png/alt") is None
    assert LineProvider(p, "en").text("@pictures/ana/kitchen.png/alt") == "A kitchen at dusk."
    # the scenes hold no copy: their own alt slots are empty overrides
    own = [s.text for s in story_slots(story) if s.id.endswith("/image/alt")]
    assert own == [{}, {}]


def test_a_picture_without_alt_text_anywhere_is_warned_about(pack):
    _two_scenes_show_the_kitchen(pack)
    warned = {(f.code, f.path) for f in _loaded(pack).findings}
    assert ("no-alt", "scenes.home.image") in warned
    assert ("no-alt", "scenes.friend.image") in warned
    home = next(f for f in _loaded(pack).findings if f.path == "scenes.home.image")
    assert home.severity == "warning" and "media library" in home.hint
    assert home.line == 11  # the scene's image line in stories/ana.yaml


def test_alt_text_missing_a_language_of_the_story_is_warned_about_where_it_shows(pack):
    pack.append("pack.yaml", "pictures:\n  ana/kitchen.png:\n    alt: {sv: Ett kök.}\n")
    _two_scenes_show_the_kitchen(pack)
    loaded = _loaded(pack)
    found = [f for f in loaded.findings if f.code == "missing-translation"]
    assert [(f.severity, f.file, f.path) for f in found] == [
        ("warning", STORY, "scenes.home.image.alt"), ("warning", STORY, "scenes.friend.image.alt")]
    assert found[0].message == "scenes.home.image.alt has no en text"
    assert loaded.coverage["ana"]["en"] < 100.0 == loaded.coverage["ana"]["sv"]
    # a scene's own override fills the language in, for that scene only
    pack.edit(STORY, "    image: {src: ana/kitchen.png}\n",
              "    image: {src: ana/kitchen.png, alt: {en: A kitchen.}}\n")
    found = [f for f in _loaded(pack).findings if f.code == "missing-translation"]
    assert [f.path for f in found] == ["scenes.friend.image.alt"]


def test_a_language_no_story_showing_the_picture_is_offered_in_is_not_asked_for(pack):
    pack.edit("pack.yaml", "languages: [sv, en]", "languages: [sv, en, it]")
    pack.edit(STORY, "start: home", "languages: [sv, en]\nstart: home")
    pack.edit("pack.yaml", "title: {sv: Testpaket, en: Test pack}",
              "title: {sv: Testpaket, en: Test pack, it: Pacchetto di prova}")
    pack.append("pack.yaml", PICTURES)
    _two_scenes_show_the_kitchen(pack)
    loaded = _loaded(pack)
    assert [f.code for f in loaded.findings if f.path.startswith(
        ("pictures", "scenes.home.image", "scenes.friend.image"))] == []
    assert loaded.coverage["ana"] == {"sv": 100.0, "en": 100.0}


def test_a_described_picture_whose_file_is_gone_is_a_warning_not_an_error(pack):
    """A file deleted in the library keeps its description until it is restored."""
    pack.append("pack.yaml", PICTURES)
    loaded = _loaded(pack)
    gone = [f for f in loaded.findings if f.path == "pictures.ana/kitchen.png"]
    assert [(f.code, f.severity) for f in gone] == [("media-missing", "warning")]
    assert "restore the file" in gone[0].hint and loaded.ok


def test_a_description_that_is_not_a_picture_is_an_error(pack):
    pack.write("media/ana/home.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n")
    pack.append("pack.yaml", "pictures:\n  ana/home.vtt: {alt: {sv: Text, en: Text}}\n")
    found = [f for f in _loaded(pack).findings if f.file == "pack.yaml"]
    assert [(f.code, f.severity) for f in found] == [("media-type", "error")]


def test_an_unknown_key_in_a_picture_is_refused_with_a_suggestion(pack):
    pack.write("media/ana/kitchen.png", _png())
    pack.append("pack.yaml", "pictures:\n  ana/kitchen.png: {at: {sv: x, en: x}}\n")
    found = [f for f in _loaded(pack).findings if f.code == "unknown-key"]
    assert len(found) == 1 and 'did you mean "alt"' in found[0].hint


def test_the_admin_names_a_library_picture_as_staff_read_it(pack):
    from kiosk.content.findings import place

    assert str(place("pictures.images/a.b.jpg")) == "picture media/images/a.b.jpg"
    assert str(place("pictures.images/a.jpg.alt.sv")) == \
        "picture media/images/a.jpg, field 'alt.sv'"
    pack.append("pack.yaml", PICTURES)  # its file is not there
    found = next(f for f in _loaded(pack).findings if f.code == "media-missing")
    assert str(place(found.path)) == "picture media/ana/kitchen.png"
