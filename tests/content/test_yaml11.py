"""YAML 1.1's surprises: 015 is octal 13, 1:30 is 90, yes is true; the author hears of each."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"


def findings(pack, code):
    loaded = load_pack(pack.root, today=TODAY)
    return loaded, [f for f in loaded.findings if f.code == code]


def test_a_leading_zero_is_refused_with_what_yaml_read(pack):
    pack.edit(STORY, "age_min: 12", "age_min: 015")
    loaded, found = findings(pack, "yaml11-number")
    assert len(found) == 1 and not loaded.ok
    f = found[0]
    assert (f.file, f.line, f.col) == (STORY, 5, 10)
    assert f.message == "age_min: 015 is read by YAML as the octal number 13"
    assert f.hint == 'write 15 (or "015" in quotes if you meant text)'


def test_hours_and_minutes_are_refused_with_what_yaml_read(pack):
    pack.edit(STORY, "duration: 2", "duration: 1:30")
    loaded, found = findings(pack, "yaml11-number")
    assert len(found) == 1 and not loaded.ok
    f = found[0]
    assert (f.line, f.col) == (4, 11)
    assert f.message.startswith("duration: 1:30 is read by YAML as the base-60 number 90")
    assert "e.g. 90" in f.hint and '"1:30" in quotes' in f.hint


def test_a_leading_zero_yaml_keeps_as_text_is_named_too(pack):
    pack.edit(STORY, "age_min: 12", "age_min: 09")
    _, found = findings(pack, "yaml11-number")
    assert [(f.message, f.hint) for f in found] == [
        ("age_min: 09 has a leading zero, so YAML reads it as text, not a number", "write 9")]


@pytest.mark.parametrize("file,old,new,path", [
    ("pack.yaml", "idle_timeout: 60", "idle_timeout: 060", "kiosk.idle_timeout"),
    ("pack.yaml", "idle_timeout: 60", "idle_timeout: 1:00", "kiosk.idle_timeout"),
    (STORY, "set: {asked: true}", "set: {asked: 010}", "scenes.home.choices[0].set.asked"),
    (STORY, "set: {asked: true}", "add: {trust: 1:30}", "scenes.home.choices[0].add.trust"),
])
def test_every_number_key_is_covered(pack, file, old, new, path):
    pack.edit(file, old, new)
    _, found = findings(pack, "yaml11-number")
    assert [(f.file, f.path) for f in found] == [(file, path)]


@pytest.mark.parametrize("old,new", [
    ("age_min: 12", "age_min: 15"), ("age_min: 12", "age_min: 0"),
    ("duration: 2", "duration: 90"), ("record: CF-TEST-1", 'record: "0123"'),
    ("record: CF-TEST-1", "record: 0123"),  # text expected: the source text is kept
])
def test_plain_numbers_and_quoted_text_pass(pack, old, new):
    pack.edit(STORY, old, new)
    loaded, found = findings(pack, "yaml11-number")
    assert found == [] and loaded.ok, [f.format() for f in loaded.findings]


def test_yes_where_text_is_expected_suggests_quotes(pack):
    pack.edit(STORY, "record: CF-TEST-1", "record: yes")
    pack.edit(STORY, "{sv: Ring hjälplinjen, en: Call the helpline}",
              "{sv: Ring hjälplinjen, en: off}")
    _, found = findings(pack, "wrong-type")
    hints = {f.path: f.hint for f in found}
    assert hints["consent.record"] == ('write "yes" in quotes: YAML reads a plain yes, no, '
                                       "on or off as true or false")
    assert hints["scenes.advert.choices[0].label.en"].startswith('write "off" in quotes')


def test_true_where_text_is_expected_gets_no_quoting_hint(pack):
    pack.edit(STORY, "record: CF-TEST-1", "record: true")
    _, found = findings(pack, "wrong-type")
    assert [f.hint for f in found if f.path == "consent.record"] == [""]
