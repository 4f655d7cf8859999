"""YAML tags: a pack holds plain values only. A non-standard tag on any node (a value, a
mapping, a list, a key; `!!python/...`, `!!set`, a custom `!foo`) is an error at its place,
on the fast path for text as on the slow one, and through the compiled cache as without it."""

from __future__ import annotations

import msgspec
import pytest

from kiosk.content import cache as C
from kiosk.content import load_cached, load_pack
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
PACK = "pack.yaml"
TEXT = "{sv: Vännen är orolig., en: The friend is worried.}"

# (file, line, the tag as the author wrote it, what it is on, the edit)
CASES = [
    # a language mapping (the fast path for text used to read it and drop the tag)
    (STORY, 2, "!!python/object:os.system", "a mapping",
     lambda p: p.edit(STORY, "title: {sv", "title: !!python/object:os.system {sv")),
    (STORY, 19, "!foo", "a mapping", lambda p: p.edit(STORY, TEXT, "!foo " + TEXT)),
    # a key inside a language mapping (also read by the fast path)
    (STORY, 19, "!lang", "a value",
     lambda p: p.edit(STORY, TEXT, "{!lang sv: Vännen är orolig., en: The friend is worried.}")),
    # a value inside a language mapping
    (STORY, 19, "!!python/str", "a value",
     lambda p: p.edit(STORY, TEXT, "{sv: !!python/str Vännen är orolig., en: x}")),
    # a list of ids, a list of structs
    (STORY, 6, "!!python/tuple", "a list",
     lambda p: p.edit(STORY, "content_notes: [threats]\nconsent",
                      "content_notes: !!python/tuple [threats]\nconsent")),
    (STORY, 12, "!choices", "a list",
     lambda p: p.edit(STORY, "    choices:\n      - label: {sv: Fråga",
                      "    choices: !choices\n      - label: {sv: Fråga")),
    (STORY, 12, "!!omap", "a list",
     lambda p: p.edit(STORY, "    choices:\n      - label: {sv: Fråga",
                      "    choices: !!omap\n      - label: {sv: Fråga")),
    # a struct mapping, a map of scenes, the whole file
    (STORY, 7, "!consent", "a mapping",
     lambda p: p.edit(STORY, "consent: {kind", "consent: !consent {kind")),
    (STORY, 9, "!!python/object/new:dict", "a mapping",
     lambda p: p.edit(STORY, "scenes:\n", "scenes: !!python/object/new:dict\n")),
    (STORY, 1, "!story", "a mapping", lambda p: p.edit(STORY, "id: ana\n", "!story\nid: ana\n")),
    (STORY, 9, "!!set", "a mapping",
     lambda p: p.edit(STORY, "scenes:\n", "scenes: !!set\n")),
    # a key of a struct
    (STORY, 3, "!!python/name:os.system", "a value",
     lambda p: p.edit(STORY, "summary:", "!!python/name:os.system summary:")),
    # pack.yaml: the languages list, a helpline, the strings section (language -> msgid -> text)
    (PACK, 4, "!!python/tuple", "a list",
     lambda p: p.edit(PACK, "languages: [sv, en]", "languages: !!python/tuple [sv, en]")),
    (PACK, 8, "!helpline", "a mapping",
     lambda p: p.edit(PACK, "  - id: eu-112", "  - !helpline\n    id: eu-112")),
    (PACK, 32, "!overrides", "a mapping",
     lambda p: p.append(PACK, 'strings: !overrides\n  sv: {"Leave now": "Gå härifrån"}\n')),
    (PACK, 33, "!!python/object:x", "a mapping",
     lambda p: p.append(PACK, 'strings:\n  sv: !!python/object:x {"Leave now": "Gå"}\n')),
]


@pytest.mark.parametrize("file,line,tag,what,edit", CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_a_non_standard_tag_is_an_error_at_its_place(pack, file, line, tag, what, edit):
    assert not [f for f in load_pack(pack.root, today=TODAY).findings]  # the passing fixture
    edit(pack)
    loaded = load_pack(pack.root, today=TODAY)
    hits = [f for f in loaded.findings if f.code == "bad-tag"]
    assert hits, [f.format() for f in loaded.findings]
    f = hits[0]
    assert (f.severity, f.file, f.line) == ("error", file, line), f.format()
    assert f"the tag {tag} on {what} is not allowed" in f.message, f.format()
    assert f"remove `{tag}`" in f.hint
    assert not loaded.ok


def test_the_standard_tags_written_out_are_plain_values(pack):
    pack.edit(STORY, "id: ana", "id: !!str ana")
    pack.edit(STORY, "content_notes: [threats]\nconsent", "content_notes: !!seq [threats]\nconsent")
    pack.edit(STORY, TEXT, "!!map {!!str sv: Vännen är orolig., en: !!str The friend is worried.}")
    pack.edit(STORY, "duration: 2", "duration: !!int 2")
    loaded = load_pack(pack.root, today=TODAY)
    assert loaded.ok and loaded.findings == [], [f.format() for f in loaded.findings]
    story = loaded.pack.stories["ana"]
    assert story.content_notes == ["threats"] and story.duration == 2
    assert story.scenes["friend"].text == {"sv": "Vännen är orolig.",
                                           "en": "The friend is worried."}


def test_a_merge_key_stays_an_unknown_key(pack):
    pack.edit(STORY, "summary:", "<<: {sv: x}\nsummary:")
    found = load_pack(pack.root, today=TODAY).findings
    assert [f.code for f in found] == ["unknown-key"], [f.format() for f in found]


def test_the_cache_keeps_the_finding_and_drops_it_with_the_tag(pack, tmp_path):
    cache = tmp_path / "cache"
    pack.edit(STORY, TEXT, "!!python/tuple " + TEXT)
    built = load_cached(pack.root, cache, today=TODAY)
    again = load_cached(pack.root, cache, today=TODAY)  # from the cache
    assert again == built and [f.code for f in again.findings] == ["bad-tag"]
    pack.edit(STORY, "!!python/tuple " + TEXT, TEXT)
    assert load_cached(pack.root, cache, today=TODAY).findings == []


def test_a_cache_entry_of_an_older_format_is_rebuilt(pack, tmp_path):
    """Entries written before the rules changed (tags on mappings and lists used to pass)
    are not served: the index's format is part of what makes an entry usable."""
    cache = tmp_path / "cache"
    pack.edit(STORY, TEXT, "!foo " + TEXT)
    first = load_cached(pack.root, cache, today=TODAY)
    index_path = next(cache.rglob("index.json"))
    entry = next(p for p in index_path.parent.glob("*.json") if p != index_path)
    old = msgspec.json.decode(index_path.read_bytes())
    # what an older kiosk would have stored: the same content, no finding, an older format
    entry.write_bytes(msgspec.json.encode(msgspec.structs.replace(first, findings=[])))
    index_path.write_bytes(msgspec.json.encode({**old, "format": C.schema_format(C.RULES - 1)}))
    assert [f.code for f in load_cached(pack.root, cache, today=TODAY).findings] == ["bad-tag"]
    index_path.write_bytes(msgspec.json.encode(old))  # the current format: served as stored
    entry.write_bytes(msgspec.json.encode(msgspec.structs.replace(first, findings=[])))
    assert load_cached(pack.root, cache, today=TODAY).findings == []
