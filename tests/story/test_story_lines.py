"""The line provider: the language asked for, then the pack's default, then a placeholder."""

from __future__ import annotations

import logging

import msgspec
import pytest

from kiosk.content.model import Video
from kiosk.story import LineProvider, StoryEngine, placeholder


def _with_scene(pack, story_id: str, scene_id: str, **changes):
    story = pack.stories[story_id]
    scene = msgspec.structs.replace(story.scenes[scene_id], **changes)
    story = msgspec.structs.replace(story, scenes={**story.scenes, scene_id: scene})
    return msgspec.structs.replace(pack, stories={**pack.stories, story_id: story})


def test_text_in_the_language_asked_for(trail):
    assert LineProvider(trail, "sv").text("ferry/scenes/cafe/text") == \
        "Däcksmannen säger att hon aldrig talar själv."
    assert LineProvider(trail, "sv").story_title("ferry") == "Nattfärjan"
    assert LineProvider(trail, "en").story_summary("lesson") == \
        "A teacher notices a pupil who works at night."


def test_a_missing_translation_falls_back_to_the_default_language(trail, caplog):
    lines = LineProvider(trail, "sv")
    with caplog.at_level(logging.WARNING):
        assert lines.text("ferry/scenes/cabin/text").startswith("Lina says")
    assert caplog.records == [], "a fallback is the validator's to report, not the log's"
    assert lines.language_of("ferry/scenes/cabin/text") == "en"
    assert lines.language_of("ferry/scenes/cafe/text") == "sv"
    assert not lines.has("ferry/scenes/cabin/text") and lines.has("ferry/scenes/cafe/text")


def test_a_line_missing_in_both_is_a_visible_placeholder_and_one_warning(trail, caplog):
    pack = _with_scene(trail, "ferry", "cafe", text={"ar": "نص"})
    lines = LineProvider(pack, "sv")
    with caplog.at_level(logging.WARNING, logger="kiosk.story"):
        for _ in range(3):  # a screen redraws; the log says it once
            assert lines.text("ferry/scenes/cafe/text") == "\u27e6ferry/scenes/cafe/text\u27e7"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "ferry/scenes/cafe/text" in warnings[0].getMessage()
    assert lines.language_of("ferry/scenes/cafe/text") is None
    assert LineProvider(pack, "ar").text("ferry/scenes/cafe/text") == "نص"


def test_a_blank_translation_counts_as_missing(trail):
    pack = _with_scene(trail, "ferry", "cafe", text={"sv": "  ", "en": "Hello"})
    assert LineProvider(pack, "sv").text("ferry/scenes/cafe/text") == "Hello"


@pytest.mark.parametrize("line_id", ["nope/title", "ferry/scenes/nope/text", "ferry/colour",
                                     "ferry/scenes/dock/choices/c9/label", "ferry/scenes/dock",
                                     "ferry/scenes/dock/ending/helped", ""])
def test_an_id_that_names_nothing_is_a_placeholder_not_an_exception(trail, caplog, line_id):
    with caplog.at_level(logging.WARNING, logger="kiosk.story"):
        assert LineProvider(trail, "en").text(line_id) == placeholder(line_id)
    assert len(caplog.records) == 1


def test_every_line_id_the_engine_hands_out_resolves(trail, caplog):
    lines = {lang: LineProvider(trail, lang) for lang in ("en", "sv")}
    for story in trail.stories.values():
        for school in (False, True):
            engine = StoryEngine(trail, story.id, school=school)
            for sid in story.scenes:
                state = engine.start("en")
                state.scene_id, state.path = sid, [sid]
                v = engine.view(state)
                ids = [v.text_line, v.discussion_line, v.ending_helped_line,
                       v.ending_action_line]
                ids += [x for c in v.choices for x in (c.label_line, c.discussion_line)]
                for line_id in filter(None, ids):
                    for provider in lines.values():
                        assert not provider.text(line_id).startswith("\u27e6"), line_id
    assert caplog.records == []


def test_pick_any_text_mapping(trail, caplog):
    hours = trail.helplines[0].hours
    assert LineProvider(trail, "sv").pick(hours) == "Dygnet runt"
    assert LineProvider(trail, "ar").pick(hours) == "24/7"
    with caplog.at_level(logging.WARNING, logger="kiosk.story"):
        assert LineProvider(trail, "sv").pick({}, "helpline hours") == "\u27e6helpline hours\u27e7"
    assert len(caplog.records) == 1


def test_media_paths_follow_language_then_default(trail):
    pack = _with_scene(
        trail, "ferry", "dock",
        narration={"en": "ferry/dock.en.ogg", "sv": "ferry/dock.sv.ogg"},
        captions={"en": "ferry/dock.en.vtt", "sv": "ferry/dock.sv.vtt"},
        video=Video(src="ferry/dock.webm", subtitles={"en": "ferry/dock.en.srt"}))
    media = pack.media_path("")
    scene = pack.stories["ferry"].scenes["dock"]
    sv, ar = LineProvider(pack, "sv"), LineProvider(pack, "ar")
    assert sv.narration(scene) == media / "ferry/dock.sv.ogg"
    assert sv.captions(scene) == media / "ferry/dock.sv.vtt"
    assert ar.narration(scene) == media / "ferry/dock.en.ogg"
    assert sv.subtitles(scene) == media / "ferry/dock.en.srt"
    assert sv.narration(scene).is_absolute()
    plain = trail.stories["ferry"].scenes["cafe"]
    assert (sv.narration(plain), sv.captions(plain), sv.subtitles(plain)) == (None, None, None)


def test_captions_match_the_narration_language(trail):
    # English narration only: its English captions go with it, though Swedish ones exist;
    # Swedish narration with only English captions: those are still better than none.
    pack = _with_scene(trail, "ferry", "dock", narration={"en": "a.en.ogg"},
                       captions={"en": "a.en.vtt", "sv": "a.sv.vtt"})
    scene = pack.stories["ferry"].scenes["dock"]
    assert LineProvider(pack, "sv").captions(scene).name == "a.en.vtt"
    pack = _with_scene(trail, "ferry", "dock", narration={"sv": "a.sv.ogg"},
                       captions={"en": "a.en.vtt"})
    scene = pack.stories["ferry"].scenes["dock"]
    assert LineProvider(pack, "sv").captions(scene).name == "a.en.vtt"


def test_with_language_switches_without_a_global(trail):
    sv = LineProvider(trail, "sv")
    en = sv.with_language("en")
    assert (sv.language, en.language) == ("sv", "en")
    assert en.story_title("ferry") == "The night ferry" and sv.story_title("ferry") == "Nattfärjan"
