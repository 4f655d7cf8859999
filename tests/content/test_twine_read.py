"""Reading Twine files: Twee 3 per the twine-specs, legacy Twee, Twine 2 HTML and archives,
and mangled input that is refused or warned about, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.content.twine import TwineError, read
from kiosk.content.twine.convert import convert

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twine"


def _read(name: str):
    return read((FIX / name).read_text(encoding="utf-8"), name)


def test_twee3_header_tags_metadata_and_escaped_names():
    [s] = _read("spec.twee")
    assert s.title == "The night bus"
    assert s.format == "Harlowe" and s.format_version == "3.3.9"
    assert s.ifid == "D674C58C-DEFA-4F70-B7A2-27742230C0FC"
    assert s.start == "At the [station]"
    names = [p.name for p in s.passages]
    assert names == ["At the [station]", "Bus {42}", "Walk home", "Custom"]
    first = s.passages[0]
    assert first.tags == ["intro", "night"]
    assert first.position == (600.0, 400.0) and first.size == (100.0, 200.0)
    assert first.line == 15
    assert s.passages[2].position is None
    assert not s.findings


def test_twee3_escaped_header_line_in_text_is_text():
    [s] = _read("spec.twee")
    assert ":: not a header" in s.passages[1].text.split("\n")


def test_legacy_twee_headers_are_read_with_a_warning():
    [s] = _read("legacy.tw")
    assert s.start == "Start"
    assert [p.name for p in s.passages] == ["Start", "Second"]
    assert s.passages[0].position == (120.0, 80.0) and s.passages[0].tags == ["opening"]
    assert any(f.code == "twine-legacy" for f in s.findings)


def test_published_html_decodes_entities_and_finds_the_start():
    [s] = _read("published.html")
    assert s.title == "Café & rain"
    assert s.start == "Café"
    door = next(p for p in s.passages if p.name == "Door")
    assert door.text == "The door <is> shut & locked.\n[[Knock->Inside]]"
    assert door.position == (300.0, 100.0)
    assert next(p for p in s.passages if p.name == "Café").tags == ["start", "rain"]
    dropped = [f.message for f in s.findings if f.code == "twine-dropped"]
    assert len(dropped) == 2 and "style" in dropped[0] and "script" in dropped[1]


def test_library_archive_gives_every_story():
    stories = _read("library.html")
    assert [s.title for s in stories] == ["First", "Second"]
    assert [p.name for p in stories[0].passages] == ["One", "Two"]
    assert stories[1].start == "Alpha"


def test_truncated_html_is_refused_with_a_sentence():
    text = (FIX / "published.html").read_text(encoding="utf-8")
    cut = text[: text.index("Warm inside")]
    with pytest.raises(TwineError, match='ends inside passage "Inside".*truncated'):
        read(cut, "cut.html")


@pytest.mark.parametrize("text, words", [
    ("Just some notes about a story.\n", "neither Twee"),
    ("<html><body><p>Hello</p></body></html>", "no <tw-storydata>"),
    ("", "neither Twee"),
])
def test_a_file_in_no_known_form_is_refused(text, words):
    with pytest.raises(TwineError, match=words):
        read(text, "notes.txt")


def test_broken_json_metadata_is_warned_with_passage_and_line():
    text = ':: StoryData\n{"start": "A"\n\n:: A {"position": 600,400}\nHello\n'
    [s] = read(text, "broken.twee")
    msgs = [(f.line, f.message) for f in s.findings]
    assert any(line == 4 and 'passage "A"' in m and "not valid JSON" in m for line, m in msgs)
    assert any(line == 1 and "StoryData" in m for line, m in msgs)
    assert [p.name for p in s.passages] == ["A"]


def test_duplicate_passage_names_are_warned_and_the_first_kept():
    text = ':: StoryData\n{"start": "A"}\n:: A\nfirst\n:: A\nsecond\n'
    [s] = read(text, "dup.twee")
    [f] = [f for f in s.findings if f.code == "twine-duplicate"]
    assert f.line == 5 and '"A"' in f.message and "lines 3 and 5" in f.message
    assert [p.text for p in s.passages] == ["first"]


def test_duplicate_names_in_html_are_warned():
    text = ('<tw-storydata name="D" startnode="1"><tw-passagedata pid="1" name="A">x'
            '</tw-passagedata>\n<tw-passagedata pid="2" name="A">y</tw-passagedata>'
            "</tw-storydata>")
    [s] = read(text, "dup.html")
    assert [f.line for f in s.findings if f.code == "twine-duplicate"] == [2]


def test_a_five_megabyte_passage_is_left_out_with_a_warning():
    big = "word " * 1_000_000
    text = f':: StoryData\n{{"start": "A"}}\n:: A\nShort. [[B]]\n:: B\n{big}\n'
    [s] = read(text, "big.twee")
    result = convert(s, "big", "en")
    [f] = [f for f in result.findings if f.code == "twine-too-long"]
    assert f.line == 5 and 'passage "B"' in f.message
    assert "b" not in result.data["scenes"]


_SOURCES = [(FIX / n).read_text(encoding="utf-8") for n in
            ("spec.twee", "legacy.tw", "published.html", "library.html", "harlowe.twee",
             "sugarcube.twee")]


@settings(max_examples=150, deadline=None)
@example(which=4, cut=319, length=0, junk="\n")  # a newline inside a quoted value: a traceback
@given(which=st.integers(0, len(_SOURCES) - 1), cut=st.integers(0, 3000),
       length=st.integers(0, 200), junk=st.text(st.sampled_from('[]{}()<>$"\\:|-\n x'),
                                                 max_size=20))
def test_mangled_files_are_refused_or_warned_never_a_traceback(which, cut, length, junk):
    source = _SOURCES[which]
    cut = min(cut, len(source))
    mangled = source[:cut] + junk + source[cut + length:]
    try:
        stories = read(mangled, "mangled")
    except TwineError as exc:
        assert str(exc).strip()
        return
    for story in stories:
        result = convert(story, "m", "en")
        assert result.yaml_text.startswith("# Imported from Twine")


def test_a_position_that_is_not_x_y_is_warned_and_ignored():
    text = ':: StoryData\n{"start": "A"}\n:: A {"position":"left,top","size":5}\nHi\n'
    [s] = read(text, "pos.twee")
    assert s.passages[0].position is None and s.passages[0].size is None
    assert [f.line for f in s.findings if f.code == "twine-metadata"] == [3, 3]


def test_a_broken_html_declaration_is_refused_with_a_sentence():
    # found by the mangled-file property test: "<![DOCTYPE" made Python's parser assert
    text = '<![DOCTYPE html><tw-storydata name="S" startnode="1"></tw-storydata>'
    with pytest.raises(TwineError, match="damaged HTML"):
        read(text, "broken.html")
