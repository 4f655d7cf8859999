"""Chapbook and Snowman stories: vars sections, modifiers, `s.x` assignments and `if` blocks
become our variables, choice conditions and sets; the rest is a warning with passage and line.

The fixtures follow the Chapbook guide (vars sections, `[if]`/`[unless]`/`[else]`/`[continue]`
modifiers, inserts) and the Snowman 2 documentation (`<% %>` templates, `s` for the story's
state); expected values are read off the fixtures as their author wrote them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kiosk.content import conditions
from kiosk.content.twine import read
from kiosk.content.twine.convert import convert

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twine"


def _same(ours: str, expected: str) -> bool:
    return conditions.parse(ours) == conditions.parse(expected)


def _convert(name: str):
    [s] = read((FIX / name).read_text(encoding="utf-8"), name)
    result = convert(s, None, "en")
    return result, yaml.safe_load(result.yaml_text)


def _warned(result) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in result.findings]


def test_chapbook_vars_sections_become_variables_and_sets_on_arrival():
    result, data = _convert("chapbook.twee")
    assert data["start"] == "hall"
    assert data["variables"] == {"hasKey": False, "tries": 0, "colour": "red"}
    weeds = [c for c in data["scenes"]["hall"]["choices"] if c["goto"] == "weeds"]
    assert len(weeds) == 1
    assert weeds[0]["set"] == {"hasKey": True} and weeds[0]["add"] == {"tries": 1}
    assert "hasKey" not in data["scenes"]["weeds"]["text"]["en"]  # the section is not text
    assert "--" not in data["scenes"]["hall"]["text"]["en"]


def test_chapbook_if_else_continue_guard_links_and_continue_ends_the_guard():
    _, data = _convert("chapbook.twee")
    hall = {c["label"]["en"]: c for c in data["scenes"]["hall"]["choices"]}
    assert list(hall) == ["unlocking it", "look in the weeds", "turning back"]
    assert _same(hall["unlocking it"]["if"], "hasKey")
    assert _same(hall["look in the weeds"]["if"], "not hasKey")
    assert "if" not in hall["turning back"]  # after [continue]
    assert data["scenes"]["door"]["ending"] is True
    weeds = [(c["label"]["en"], c["goto"]) for c in data["scenes"]["weeds"]["choices"]]
    assert weeds == [("try the door", "door"), ("leave quietly", "away")]  # {link to: ...}


def test_chapbook_what_has_no_place_is_warned_with_passage_and_line():
    result, data = _convert("chapbook.twee")
    warned = _warned(result)
    expected = {11: ('"Hall"', "config.style.page.font"), 27: ('"Weeds"', "conditional"),
                29: ('"Weeds"', "{colour}"), 31: ('"Weeds"', "[after 2s]")}
    for line, words in expected.items():
        assert any(line == at and all(w in m for w in words) for at, m in warned), line
    # whole paragraphs under [if]/[else]/[unless]: kept for everyone, each warned where it is
    kept = [at for at, m in warned if "kept for every visitor" in m]
    assert kept == [16, 19, 37]
    assert data["scenes"]["door"]["text"]["en"] == "The door is locked.\n\nThe door opens. The end."
    assert "{colour}" in data["scenes"]["weeds"]["text"]["en"]


def test_snowman_assignments_become_variables_sets_and_adds():
    result, data = _convert("snowman.twee")
    assert data["start"] == "market"
    assert data["variables"] == {"coins": 3, "name": "Lina"}
    buy = data["scenes"]["market"]["choices"][0]
    assert (buy["label"]["en"], buy["goto"]) == ("Buy bread", "bread")
    assert buy["set"] == {"fed": True} and buy["add"] == {"coins": -2}
    credit = data["scenes"]["market"]["choices"][2]
    assert (credit["goto"], credit["set"]) == ("credit", {"asked": True})


def test_snowman_if_else_if_else_blocks_guard_the_links():
    _, data = _convert("snowman.twee")
    c = {x["label"]["en"]: x.get("if") for x in data["scenes"]["market"]["choices"]}
    assert list(c) == ["Buy bread", "Ask again", "Ask for credit", "Walk on"]
    assert _same(c["Buy bread"], "coins > 2")
    assert _same(c["Ask again"], "not (coins > 2) and asked")
    assert _same(c["Ask for credit"], "not (coins > 2) and not (not (coins > 2) and asked)")
    assert c["Walk on"] is None  # after <% } %>


def test_snowman_scripts_and_printed_state_are_warned_with_passage_and_line():
    result, data = _convert("snowman.twee")
    warned = _warned(result)
    expected = {7: ('"UserScript"', "dropped"), 20: ('"Market"', "s.name"),
                31: ('"Credit"', "hide()")}
    for line, words in expected.items():
        assert any(line == at and all(w in m for w in words) for at, m in warned), line
    assert [at for at, m in warned if "kept for every visitor" in m] == [34]
    assert "<%" not in data["scenes"]["market"]["text"]["en"]
    assert data["scenes"]["credit"]["text"]["en"] == "She says no.\n\nYou are not hungry anyway."


def test_the_macros_found_decide_not_the_declared_format():
    text = (':: StoryData\n{"format": "Harlowe", "start": "A"}\n:: A\n'
            "<% s.met = true %>\n[if met]\n[[On->B]]\n:: B\n<% if (s.met) { %>[[Again->A]]"
            "<% } %>\nEnd.\n")
    [s] = read(text, "t.twee")
    result = convert(s, "t", "en")
    scenes = result.data["scenes"]
    assert result.data["variables"] == {"met": True}
    assert _same(scenes["a"]["choices"][0]["if"], "met")
    assert _same(scenes["b"]["choices"][0]["if"], "met")
