"""Country overlays over a shared base: every overlay action, staleness, errors at their
places, provenance, language fallback and the cache (issue 21; docs/content-format.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from kiosk.cli import main as kiosk_main
from kiosk.content.cache import load_cached
from kiosk.content.loader import load_pack
from kiosk.story.lines import LineProvider

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"
TODAY = dt.date(2026, 12, 1)


def h(text: str) -> str:
    """The hash an override records: the first 12 hex digits of the base value's sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def png(width: int = 4, height: int = 3) -> bytes:
    """A PNG header of the given size (the validator reads headers only)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


class Folders:
    """A base (the valid test pack, id `test` 1.0) and an overlay folder beside it."""

    def __init__(self, tmp: Path):
        self.base = tmp / "base"
        shutil.copytree(VALID, self.base)
        self.overlay = tmp / "se"
        self.overlay.mkdir()

    def write(self, rel: str, text: str, folder: Path | None = None) -> Path:
        path = (folder or self.overlay) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def pack_yaml(self, body: str = "", pack_id: str = "test-se",
                  extends: str = '{pack: test, version: ">=1.0, <2"}') -> None:
        self.write("pack.yaml", f'id: {pack_id}\nversion: "1.0.0"\nextends: {extends}\n{body}')

    def load(self, **kw):
        return load_pack(self.overlay, today=TODAY, **kw)


@pytest.fixture
def f(tmp_path) -> Folders:
    return Folders(tmp_path)


def codes(loaded) -> list[str]:
    return [x.code for x in loaded.findings]


def test_an_overlay_that_changes_nothing_is_its_base_under_its_own_id(f):
    f.pack_yaml()
    loaded = f.load()
    assert loaded.ok, [x.format() for x in loaded.findings]
    assert (loaded.pack.id, loaded.pack.version) == ("test-se", "1.0.0")
    assert [b.id for b in loaded.pack.bases] == ["test"]
    assert list(loaded.pack.stories) == ["ana"]
    assert loaded.pack.title == {"sv": "Testpaket", "en": "Test pack"}
    assert loaded.pack.stories["ana"].file == "../base/stories/ana.yaml"


def test_settings_replace_or_add_key_by_key(f):
    f.pack_yaml("""country: IT
languages: [sv, en, it]
default_language: en
helplines:
  - id: eu-112
    name: Emergency
    number: "112"
    hours: {sv: Dygnet runt, en: 24/7, it: 24 ore su 24}
    verified: 2026-11-20
  - id: antitratta
    name: Numero Verde Antitratta
    number: "800 290 290"
    hours: {sv: Dygnet runt, en: 24/7, it: 24 ore su 24}
    verified: 2026-11-20
content_notes:
  coercion:
    label: {sv: Tvång, en: Coercion, it: Coercizione}
strings:
  en:
    "Touch to begin": Touch to read
surveys:
  rating:
    id: stars
    kind: rating
    text: {sv: Betyg?, en: Rating?, it: Voto?}
kiosk:
  attract: [attract/it.png]
fallback: {it: [en]}
""")
    f.write("media/attract/it.png", "")
    (f.overlay / "media/attract/it.png").write_bytes(png())
    pack = f.load().pack
    assert (pack.country, pack.languages, pack.default_language) == ("IT", ["sv", "en", "it"],
                                                                      "en")
    assert [(x.id, x.number) for x in pack.helplines] == [("eu-112", "112"),
                                                         ("antitratta", "800 290 290")]
    assert pack.helplines[0].name == {"sv": "Emergency", "en": "Emergency", "it": "Emergency"}
    assert sorted(pack.content_notes) == ["coercion", "threats"]  # added by key
    assert pack.strings == {"en": {"Touch to begin": "Touch to read"}}
    assert [q.id for q in pack.surveys.before] == []  # surveys are replaced whole
    assert pack.surveys.rating.id == "stars"
    assert [a.src for a in pack.kiosk.attract] == ["attract/it.png"]
    assert pack.kiosk.idle_timeout == 60  # the base's, the overlay did not give it
    assert pack.fallback == {"it": ["en"]}
    # the base story keeps the languages the overlay offers; Italian falls back to English
    assert pack.stories["ana"].languages == ["sv", "en"]


def test_own_stories_are_added_and_a_base_id_again_is_an_error_naming_both(f):
    f.pack_yaml()
    story = (VALID / "stories/ana.yaml").read_text(encoding="utf-8")
    f.write("stories/bo.yaml", story.replace("id: ana", "id: bo"))
    assert sorted(f.load().pack.stories) == ["ana", "bo"]
    f.write("stories/ana.yaml", story)
    dup = [x for x in f.load().findings if x.code == "duplicate-story"]
    assert [(x.file, x.hint) for x in dup] == [
        ("stories/ana.yaml", "the other is ../base/stories/ana.yaml")]


def test_a_text_is_overridden_by_its_place_and_a_language_added(f):
    f.pack_yaml("languages: [sv, en, lv]\nfallback: {lv: [en]}\n")
    f.write("overrides/ana.yaml", f"""languages: [lv]
lines:
  ana/scenes/home/text:
    sv: {{base: {h("Ana får ett erbjudande.")}, text: Ana får ett nytt erbjudande.}}
    lv: {{base: {h("Ana får ett erbjudande.")}, text: Anai piedāvā darbu.}}
  ana/scenes/friend/text:
    lv: {{base: {h("Vännen är orolig.")}, text: Draudzene uztraucas.}}
""")
    loaded = f.load()
    assert loaded.ok, [x.format() for x in loaded.findings]
    ana = loaded.pack.stories["ana"]
    assert ana.scenes["home"].text == {"sv": "Ana får ett nytt erbjudande.",
                                       "en": "Ana gets an offer.", "lv": "Anai piedāvā darbu."}
    assert ana.languages == ["sv", "en", "lv"]
    assert "stale-override" not in codes(loaded)
    # the base file is untouched
    assert "Ana får ett erbjudande." in (f.base / "stories/ana.yaml").read_text("utf-8")


def test_a_picture_is_overridden_and_found_in_the_overlays_media_first(f):
    f.write("media/ana/home.png", "", f.base)
    (f.base / "media/ana/home.png").write_bytes(png(4, 3))
    (f.base / "media/ana/end.png").write_bytes(png(4, 3))
    story = (f.base / "stories/ana.yaml").read_text("utf-8")
    story = story.replace("    text: {sv: Ana får ett erbjudande.",
                          "    image: ana/home.png\n    text: {sv: Ana får ett erbjudande.")
    story = story.replace("    text: {sv: Ana får hjälp.",
                          "    image: ana/end.png\n    text: {sv: Ana får hjälp.")
    f.write("stories/ana.yaml", story, f.base)
    f.pack_yaml()
    f.write("overrides/ana.yaml", f"""lines:
  ana/scenes/home/image: {{base: {h("ana/home.png")}, src: ana/home-se.png}}
""")
    (f.overlay / "media/ana").mkdir(parents=True)
    (f.overlay / "media/ana/home-se.png").write_bytes(png(8, 6))
    loaded = f.load()
    assert "media-missing" not in codes(loaded), [x.format() for x in loaded.findings]
    pack = loaded.pack
    assert pack.stories["ana"].scenes["home"].image.src == "ana/home-se.png"
    # one resolver: the overlay's media/ first, then the base's
    assert pack.media_path("ana/home-se.png") == f.overlay / "media/ana/home-se.png"
    assert pack.media_path("ana/end.png") == f.base / "media/ana/end.png"
    (f.overlay / "media/ana/home-se.png").unlink()
    missing = [x for x in f.load().findings if x.code == "media-missing"]
    assert [(x.file, x.line) for x in missing] == [("overrides/ana.yaml", 2)]


def test_hide_a_base_story_and_a_helpline_with_a_reason(f):
    story = (VALID / "stories/ana.yaml").read_text(encoding="utf-8")
    f.write("stories/bo.yaml", story.replace("id: ana", "id: bo"), f.base)
    f.pack_yaml("""helplines:
  - id: bris
    name: Bris
    number: "116 111"
    hours: {sv: Alla dagar, en: Every day}
    verified: 2026-11-20
hide:
  stories: {bo: {reason: consent does not cover this country}}
  helplines: {eu-112: {reason: replaced by the national numbers}}
""")
    loaded = f.load()
    assert loaded.ok, [x.format() for x in loaded.findings]
    assert list(loaded.pack.stories) == ["ana"]
    assert [x.id for x in loaded.pack.helplines] == ["bris"]


def test_a_tombstone_without_its_base_item_is_an_error_naming_both(f):
    f.pack_yaml("""hide:
  stories: {zed: {reason: not shown here}}
  helplines: {nope: {reason: not here}}
""")
    gone = [x for x in f.load().findings if x.code == "override-base-missing"]
    assert [(x.file, x.line) for x in gone] == [("pack.yaml", 5), ("pack.yaml", 6)]
    assert "../base/stories" in gone[0].message and '"zed"' in gone[0].message
    assert "../base/pack.yaml" in gone[1].message and '"nope"' in gone[1].message


def test_a_tombstone_needs_a_reason(f):
    f.pack_yaml("hide:\n  stories: {ana: {}}\n")
    assert "missing-key" in codes(f.load())


def test_a_stale_override_warns_and_fails_under_strict(f, capsys):
    f.pack_yaml()
    f.write("overrides/ana.yaml", f"""lines:
  ana/scenes/home/text:
    sv: {{base: {h("Ana får ett erbjudande.")}, text: Ana får ett nytt erbjudande.}}
""")
    assert f.load().ok and "stale-override" not in codes(f.load())
    assert kiosk_main(["check", "--strict", "--today", TODAY.isoformat(), str(f.overlay)]) == 0
    # the base moves under the override
    base_story = f.base / "stories/ana.yaml"
    base_story.write_text(base_story.read_text("utf-8").replace(
        "Ana får ett erbjudande.", "Ana får ett erbjudande om jobb."), "utf-8")
    loaded = f.load()
    stale = [x for x in loaded.findings if x.code == "stale-override"]
    assert [(x.severity, x.file, x.line) for x in stale] == [("warning", "overrides/ana.yaml", 3)]
    assert "../base/stories/ana.yaml:11" in stale[0].message
    assert h("Ana får ett erbjudande om jobb.") in stale[0].hint
    capsys.readouterr()
    assert kiosk_main(["check", "--today", TODAY.isoformat(), str(f.overlay)]) == 0
    assert kiosk_main(["check", "--strict", "--today", TODAY.isoformat(), str(f.overlay)]) == 1
    assert "written against another base text" in capsys.readouterr().out


def test_an_override_of_a_place_the_base_no_longer_has_names_both_files(f):
    f.pack_yaml()
    f.write("overrides/ana.yaml", f"""lines:
  ana/scenes/lobby/text:
    sv: {{base: {h("x")}, text: Hallen.}}
""")
    f.write("overrides/zed.yaml", "lines: {}\n")
    found = [x for x in f.load().findings if x.code == "override-base-missing"]
    assert sorted((x.file, x.line) for x in found) == [("overrides/ana.yaml", 3),
                                                       ("overrides/zed.yaml", 1)]
    ana = next(x for x in found if x.file == "overrides/ana.yaml")
    assert "ana/scenes/lobby/text" in ana.message and "../base/stories/ana.yaml" in ana.message
    zed = next(x for x in found if x.file == "overrides/zed.yaml")
    assert '"zed"' in zed.message and "../base/stories/" in zed.message


def test_a_missing_base_and_a_range_the_base_is_outside(f):
    f.pack_yaml(extends='{pack: elsewhere, version: "1.0"}')
    loaded = f.load()
    assert loaded.pack is None
    assert [(x.code, x.file, x.line) for x in loaded.findings] == [
        ("base-missing", "pack.yaml", 3)]
    f.pack_yaml(extends='{pack: test, version: ">=2.0"}')
    miss = f.load().findings
    assert [x.code for x in miss] == ["base-missing"]
    assert "only 1.0" in miss[0].message and ">=2.0" in miss[0].message


def test_a_cycle_is_an_error_at_extends(f, tmp_path):
    f.pack_yaml(pack_id="aa", extends='{pack: bb, version: "1.0.0"}')
    f.write("pack.yaml", 'id: bb\nversion: "1.0.0"\nextends: {pack: aa, version: "1.0.0"}\n',
            tmp_path / "bb")
    loaded = f.load()
    assert loaded.pack is None
    cycle = [x for x in loaded.findings if x.code == "extends-cycle"]
    assert [(x.file, x.line) for x in cycle] == [("../bb/pack.yaml", 3)]
    assert "se -> bb -> se" in cycle[0].message


def test_a_chain_deeper_than_the_limit_is_an_error(f, tmp_path):
    # se -> o1 -> o2 -> o3 -> test: four bases deep, the limit is three
    f.pack_yaml(extends='{pack: o1, version: "1.0.0"}')
    for i, base in ((1, "o2"), (2, "o3"), (3, "test")):
        f.write("pack.yaml", f'id: o{i}\nversion: "1.0.0"\nextends: {{pack: {base}, '
                f'version: "1.0"}}\n', tmp_path / f"o{i}")
    deep = [x for x in f.load().findings if x.code == "extends-too-deep"]
    assert [(x.file, x.line) for x in deep] == [("../o3/pack.yaml", 3)]
    # three deep is allowed
    f.write("pack.yaml", 'id: o2\nversion: "1.0.0"\nextends: {pack: test, version: "1.0"}\n',
            tmp_path / "o2")
    loaded = f.load()
    assert loaded.ok, [x.format() for x in loaded.findings]
    assert [b.id for b in loaded.pack.bases] == ["o1", "o2", "test"]


def test_findings_name_the_file_and_line_of_base_and_overlay(f):
    base_story = f.base / "stories/ana.yaml"
    base_story.write_text(base_story.read_text("utf-8").replace("goto: friend",
                                                                "goto: frend"), "utf-8")
    f.pack_yaml("helplines:\n  - id: bris\n    name: Bris\n    number: \"116 111\"\n"
                "    hours: {sv: Alla dagar}\n    verified: 2026-11-20\n")
    loaded = f.load()
    bad = [x for x in loaded.findings if x.code == "bad-scene"]
    assert [(x.file, x.line) for x in bad] == [("../base/stories/ana.yaml", 14)]
    missing = [x for x in loaded.findings if x.code == "missing-translation"]
    assert [(x.file, x.line, x.path) for x in missing] == [("pack.yaml", 8, "helplines[1].hours")]
    # a base helpline's finding names the base's pack.yaml
    f.write("pack.yaml", (VALID / "pack.yaml").read_text("utf-8").replace(
        "verified: 2026-11-20", "verified: 2020-01-01"), f.base)
    old = [x for x in f.load().findings if x.code == "helpline-stale"]
    assert [(x.file, x.line) for x in old] == [("../base/pack.yaml", 13)]


def test_a_language_falls_back_in_the_declared_order_and_coverage_shows_it(f):
    f.pack_yaml("languages: [sv, en, lv]\nfallback: {lv: [en]}\n")
    f.write("overrides/ana.yaml", f"""languages: [lv]
lines:
  ana/scenes/home/text:
    lv: {{base: {h("Ana får ett erbjudande.")}, text: Anai piedāvā darbu.}}
""")
    loaded = f.load()
    assert "missing-translation" not in codes(loaded), [x.format() for x in loaded.findings]
    falls = loaded.fallbacks["ana"]["lv"]
    assert "ana/scenes/friend/text" in falls and "ana/scenes/home/text" not in falls
    assert 0 < loaded.coverage["ana"]["lv"] < 100
    lines = LineProvider(loaded.pack, "lv")
    assert lines.text("ana/scenes/home/text") == "Anai piedāvā darbu."
    assert lines.text("ana/scenes/friend/text") == "The friend is worried."  # en, not sv
    # without a declared fallback, the missing texts are warned about and sv is shown
    f.pack_yaml("languages: [sv, en, lv]\n")
    plain = f.load()
    assert "missing-translation" in codes(plain) and not plain.fallbacks
    assert LineProvider(plain.pack, "lv").text("ana/scenes/friend/text") == "Vännen är orolig."


def test_a_fallback_to_a_language_the_pack_lacks_is_an_error(f):
    f.pack_yaml("fallback: {sv: [fi]}\n")
    assert "bad-language" in codes(f.load())


def test_the_cache_is_rebuilt_when_the_base_changes(f, tmp_path):
    f.pack_yaml()
    cache = tmp_path / "cache"
    first = load_cached(f.overlay, cache, today=TODAY)
    assert first.pack.stories["ana"].scenes["home"].text["en"] == "Ana gets an offer."
    assert load_cached(f.overlay, cache, today=TODAY) == first
    base_story = f.base / "stories/ana.yaml"
    base_story.write_text(base_story.read_text("utf-8").replace(
        "Ana gets an offer.", "Ana is offered a job."), "utf-8")
    again = load_cached(f.overlay, cache, today=TODAY)
    assert again.pack.stories["ana"].scenes["home"].text["en"] == "Ana is offered a job."
    assert again.content_hash != first.content_hash


def test_an_installed_base_is_found_in_a_given_pack_store(tmp_path):
    store = tmp_path / "packs"
    shutil.copytree(VALID, store / "test" / "versions" / "1.0-abc")
    overlay = tmp_path / "elsewhere" / "se"
    overlay.mkdir(parents=True)
    (overlay / "pack.yaml").write_text(
        'id: test-se\nversion: "1.0.0"\nextends: {pack: test, version: "1.0"}\n', "utf-8")
    assert load_pack(overlay, today=TODAY).pack is None
    loaded = load_pack(overlay, today=TODAY, stores=[store])
    assert loaded.ok and loaded.pack.bases[0].root == str(store / "test/versions/1.0-abc")


def test_a_range_that_is_not_one_is_an_error_at_extends(f):
    f.pack_yaml(extends='{pack: test, version: "~1.0"}')
    loaded = f.load()
    assert loaded.pack is None
    assert [(x.code, x.file, x.line) for x in loaded.findings] == [
        ("bad-extends", "pack.yaml", 3)]
    assert "is not a version range" in loaded.findings[0].message


def test_an_override_in_the_wrong_form_is_refused(f):
    f.pack_yaml()
    # a text given as a media file, and a per-language text given without a language
    f.write("overrides/ana.yaml", f"""lines:
  ana/scenes/home/text:
    sv: {{base: {h("Ana får ett erbjudande.")}, src: ana/home.png}}
  ana/scenes/friend/text: {{base: {h("Vännen är orolig.")}, text: Vännen oroar sig.}}
""")
    loaded = f.load()
    bad = [(x.code, x.line) for x in loaded.findings if x.code == "bad-override"]
    assert bad == [("bad-override", 3), ("bad-override", 4)]
    ana = loaded.pack.stories["ana"]  # nothing replaced
    assert ana.scenes["home"].text["sv"] == "Ana får ett erbjudande."
    assert ana.scenes["friend"].text["sv"] == "Vännen är orolig."


def test_kiosk_check_prints_which_texts_fall_back(f, capsys):
    f.pack_yaml("languages: [sv, en, lv]\nfallback: {lv: [en]}\n")
    f.write("overrides/ana.yaml", f"""languages: [lv]
lines:
  ana/scenes/home/text:
    lv: {{base: {h("Ana får ett erbjudande.")}, text: Anai piedāvā darbu.}}
""")
    assert kiosk_main(["check", "--strict", "--today", TODAY.isoformat(), str(f.overlay)]) == 0
    out = capsys.readouterr().out
    # ana has 12 texts (title, summary, 4 scene texts, 4 choice labels, the ending's two):
    # one is Latvian (8%), the other 11 come from English
    assert "  ana: sv 100%, en 100%, lv 8% (11 texts from en)" in out.splitlines()
