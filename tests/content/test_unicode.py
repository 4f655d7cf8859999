"""Unicode an author cannot see: text and ids are read as NFC, and an id with an invisible or
look-alike character is refused with the character's code point."""

from __future__ import annotations

import unicodedata

from kiosk.content import load_pack
from kiosk.story import StoryEngine
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
NFC = "Malmö"
NFD = "Malmo\u0308"


def test_a_condition_typed_in_nfd_matches_a_value_set_in_nfc(pack):
    assert NFC != NFD and unicodedata.normalize("NFC", NFD) == NFC
    pack.edit(STORY, "set: {asked: true}", f'set: {{city: "{NFC}"}}')
    pack.edit(STORY, "if: asked", f"if: city == \"{NFD}\"")
    loaded = load_pack(pack.root, today=TODAY)
    assert loaded.ok, [f.format() for f in loaded.findings]
    engine = StoryEngine(loaded.pack, "ana")
    state = engine.start("en")
    ask = next(c for c in engine.choices(state) if c.label["en"] == "Ask the friend")
    engine.choose(state, ask.id)  # sets city to "Malmö" (NFC)
    engine.advance(state)  # friend -> advert
    assert state.scene_id == "advert"
    offered = [c.label["en"] for c in engine.choices(state)]
    assert offered == ["Call the helpline", "Wait"]


def test_text_typed_in_nfd_is_read_as_nfc(pack):
    pack.edit(STORY, "sv: Ana får ett erbjudande.", "sv: Ana fa\u030ar ett erbjudande.")
    loaded = load_pack(pack.root, today=TODAY)
    assert loaded.pack.stories["ana"].scenes["home"].text["sv"] == "Ana får ett erbjudande."


def test_an_id_with_an_invisible_character_shows_its_code_point(pack):
    pack.edit(STORY, "goto: friend", "goto: friend\u200b")
    loaded = load_pack(pack.root, today=TODAY)
    bad = [f for f in loaded.findings if f.path == "scenes.home.choices[0].goto"]
    assert not loaded.ok and len(bad) == 1
    assert '"friend<U+200B>"' in bad[0].message
    assert "U+200B ZERO WIDTH SPACE (invisible)" in bad[0].message


def test_an_id_mixing_latin_and_cyrillic_is_refused_naming_the_look_alike(pack):
    pack.edit(STORY, "goto: advert\n", "goto: \u0430dvert\n")  # Cyrillic а
    loaded = load_pack(pack.root, today=TODAY)
    bad = [f for f in loaded.findings if f.path == "scenes.home.choices[1].goto"]
    assert not loaded.ok and len(bad) == 1 and bad[0].severity == "error"
    assert "mixes Cyrillic and Latin letters" in bad[0].message
    assert "U+0430 CYRILLIC SMALL LETTER A" in bad[0].message
