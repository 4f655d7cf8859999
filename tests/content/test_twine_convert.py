"""From a Twine story to one of ours: scenes, choices, endings, variables and conditions,
warnings with passage and line, and the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from kiosk.cli import main
from kiosk.content import conditions, load_pack
from kiosk.content.twine import read
from kiosk.content.twine.convert import convert, slug

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twine"
VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"


def _same(ours: str, expected: str) -> bool:
    return conditions.parse(ours) == conditions.parse(expected)


def _convert(name: str, **kw):
    [s] = read((FIX / name).read_text(encoding="utf-8"), name)
    result = convert(s, **kw)
    return result, yaml.safe_load(result.yaml_text)


def test_passages_become_scenes_links_choices_next_and_endings():
    result, data = _convert("spec.twee", story_id="bus", lang="en",
                            content_notes={"night"})
    assert data["id"] == "bus" and data["title"] == {"en": "The night bus"}
    assert data["start"] == "at-the-station"
    sc = data["scenes"]
    assert set(sc) == {"at-the-station", "bus-42", "walk-home", "custom"}
    assert sc["at-the-station"]["text"] == {"en": "Ana waits for the last bus."}
    assert sc["at-the-station"]["choices"] == [
        {"label": {"en": "Get on"}, "goto": "bus-42"},
        {"label": {"en": "Walk home"}, "goto": "walk-home"}]
    assert sc["at-the-station"]["content_notes"] == ["night"]
    assert sc["walk-home"] == {"text": {"en": "She walks. The end."}, "ending": True}
    # Twine's own link rule ends a link at the first "]]", so a link cannot reach a name
    # with a "]" in it: the link is warned about, like any link to a missing passage.
    [f] = [f for f in result.findings if f.code == "twine-broken-link"]
    assert f.line == 24 and 'passage "Bus {42}"' in f.message and '"At the [station"' in f.message
    assert sc["bus-42"]["ending"] is True


def test_a_lone_bare_link_is_next():
    _, data = _convert("legacy.tw", story_id="old", lang="en")
    assert data["scenes"]["start"]["choices"] == [
        {"label": {"en": "Next page"}, "goto": "second"}]
    text = ':: StoryData\n{"start": "A"}\n:: A\nHi.\n[[B]]\n:: B\nEnd.\n'
    [s] = read(text, "n.twee")
    assert convert(s, "n", "en").data["scenes"]["a"]["next"] == "b"


def test_names_map_and_positions_are_kept_in_comments():
    result, _ = _convert("spec.twee", story_id="bus", lang="en")
    head = [line for line in result.yaml_text.splitlines() if line.startswith("#")]
    assert "#   At the [station] -> at-the-station  at 600,400  tags: intro night" in head
    assert "#   Bus {42} -> bus-42  at 800,400  tags: night" in head


def test_ids_are_derived_and_unique():
    assert slug("Café Öresund!") == "cafe-oresund"
    assert slug("42") == "scene-42"
    text = ':: StoryData\n{"start": "A b"}\n:: A b\n[[A-b]]\n:: A-b\nend\n'
    [s] = read(text, "u.twee")
    assert set(convert(s, "u", "en").data["scenes"]) == {"a-b", "a-b-2"}


def test_harlowe_sets_and_ifs_map_to_ours():
    result, data = _convert("harlowe.twee", story_id="h", lang="en")
    assert data["variables"] == {"trust": 0, "name": "Lina", "asked": False}
    start = data["scenes"]["start"]["choices"]
    assert start[0] == {"label": {"en": "Ask her"}, "goto": "question", "if": "trust == 0",
                        "set": {"asked": True}}
    assert _same(start[1]["if"], "not trust == 0") and start[1]["goto"] == "deal"
    assert start[2] == {"label": {"en": "Sign the paper"}, "goto": "deal",
                        "set": {"signed": True}, "add": {"trust": 2}}
    q = data["scenes"]["question"]["choices"]
    assert q[0]["if"] == "trust > 1 and asked"
    assert q[1]["if"] == "not (signed)"
    assert "if" not in q[2]  # (random:) is not simple: kept unconditional, with a warning
    msgs = {(f.line, f.message) for f in result.findings}
    assert any(line == 22 and "(random: 1, 6)" in m and 'passage "Question"' in m
               for line, m in msgs)
    assert any(line == 16 and "(dropdown:" in m for line, m in msgs)
    assert any(line == 25 and "(live: 2s)" in m for line, m in msgs)
    assert data["scenes"]["start"]["text"]["en"] == "Lina smiles."


def test_sugarcube_sets_ifs_and_setters_map_to_ours():
    result, data = _convert("sugarcube.twee", story_id="s", lang="en")
    assert data["variables"] == {"debt": 100, "passport": True}
    c = data["scenes"]["start"]["choices"]
    assert c[0] == {"label": {"en": "Pay"}, "goto": "pay", "if": "debt > 50",
                    "add": {"debt": -20}}
    assert _same(c[1]["if"], "not debt > 50 and debt == 0") and c[1]["goto"] == "free"
    assert c[2]["set"] == {"asked": True, "tone": "polite"}
    assert _same(c[2]["if"], "not (debt > 50) and not (not debt > 50 and debt == 0)")
    assert c[3]["if"] == "visits(ask) and passport"
    assert "set" not in c[4] and "add" not in c[4]
    assert "stylesheet" not in " ".join(data["scenes"])
    msgs = [(f.line, f.code, f.message) for f in result.findings]
    assert any(code == "twine-dropped" and "Story Stylesheet" in m for _, code, m in msgs)
    assert any(line == 25 and "$debt * 2" in m for line, _, m in msgs)
    assert any(line == 24 and "<<timed 2s>>" in m for line, _, m in msgs)


def test_a_link_to_a_missing_passage_is_warned_with_passage_and_line():
    text = ':: StoryData\n{"start": "A"}\n:: A\nHello.\n[[Nowhere]]\n[[B]]\n:: B\nEnd.\n'
    [s] = read(text, "m.twee")
    result = convert(s, "m", "en")
    [f] = [f for f in result.findings if f.code == "twine-broken-link"]
    assert f.line == 5 and 'passage "A"' in f.message and '"Nowhere"' in f.message
    assert result.data["scenes"]["a"]["next"] == "b"


def test_cli_import_writes_a_story_kiosk_check_reads_and_tells_what_to_add(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)
    assert main(["import", "twine", str(FIX / "spec.twee"), "--pack", str(pack),
                 "--story-id", "bus", "--lang", "en"]) == 0
    written = pack / "stories" / "bus.yaml"
    assert written.is_file()
    loaded = load_pack(pack)
    mine = [f for f in loaded.findings if f.file == "stories/bus.yaml"]
    missing = {f.message for f in mine if f.code == "missing-key"}
    assert {'the story needs "summary"', 'the story needs "duration"',
            'the story needs "age_min"'} <= missing
    # A second import refuses to overwrite and loses nothing.
    before = written.read_text(encoding="utf-8")
    assert main(["import", "twine", str(FIX / "spec.twee"), "--pack", str(pack),
                 "--story-id", "bus"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert written.read_text(encoding="utf-8") == before


def test_cli_import_refuses_unknown_files_and_asks_which_story_of_a_library(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)
    notes = tmp_path / "notes.txt"
    notes.write_text("just notes", encoding="utf-8")
    assert main(["import", "twine", str(notes), "--pack", str(pack)]) == 1
    err = capsys.readouterr().err
    assert "neither Twee" in err and "Traceback" not in err
    assert main(["import", "twine", str(FIX / "library.html"), "--pack", str(pack)]) == 1
    assert '"First", "Second"' in capsys.readouterr().err
    assert main(["import", "twine", str(FIX / "library.html"), "--pack", str(pack),
                 "--name", "Second"]) == 0
    assert (pack / "stories" / "second.yaml").is_file()
    assert main(["import", "twine", str(FIX / "library.html"), "--pack", str(pack),
                 "--all"]) == 1  # "second" is there already; "first" is written
    assert (pack / "stories" / "first.yaml").is_file()


def test_cli_export_writes_twee_that_imports_back(tmp_path):
    out = tmp_path / "ana.twee"
    assert main(["export", "twine", str(VALID), "--story", "ana", "--lang", "en",
                 "--format", "sugarcube", "-o", str(out)]) == 0
    [s] = read(out.read_text(encoding="utf-8"), "ana.twee")
    assert s.format == "SugarCube"
    story = load_pack(VALID).pack.stories["ana"]
    assert s.start == story.start
    assert {p.name for p in s.passages} == set(story.scenes)


def test_text_under_a_condition_is_kept_for_everyone_with_a_warning():
    text = (':: StoryData\n{"start": "A"}\n:: A\nAlways.\n(if: $late)[She is late.]\n'
            "<<if $tired>>\nHe yawns.\n<</if>>\n(if: $x)[ [[B]] ]\n:: B\nEnd.\n")
    [s] = read(text, "t.twee")
    result = convert(s, "t", "en")
    assert result.data["scenes"]["a"]["text"]["en"] == "Always.\nShe is late.\n\nHe yawns."
    warned = [(f.line, f.message) for f in result.findings]
    assert [line for line, m in warned if "kept for every visitor" in m] == [5, 7]
    assert any('"late"' in m for _, m in warned) and any('"tired"' in m for _, m in warned)


def test_cli_export_of_a_story_that_does_not_exist_is_a_sentence(tmp_path, capsys):
    out = tmp_path / "x.twee"
    assert main(["export", "twine", str(VALID), "--story", "anna", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert 'no story "anna"' in err and "ana" in err and "Traceback" not in err
    assert not out.exists()


def test_a_passage_of_links_only_gets_its_name_as_text_with_a_warning():
    text = ':: StoryData\n{"start": "Crossroads"}\n:: Crossroads\n[[Left]]\n[[Right]]\n' \
           ":: Left\nL.\n:: Right\nR.\n"
    [s] = read(text, "t.twee")
    result = convert(s, "t", "en")
    assert result.data["scenes"]["crossroads"]["text"] == {"en": "Crossroads"}
    [f] = [f for f in result.findings if f.code == "twine-no-text"]
    assert f.severity == "warning" and '"Crossroads"' in f.message and f.line == 3
