"""The runtime's one public name, and the languages it plays a story in: the story's own list."""

from __future__ import annotations

import msgspec
import pytest

import kiosk.story
from kiosk.story import StoryEngine, StoryError


def test_story_engine_is_the_one_name_of_the_runtime():
    # The content model's `Story` is the story itself; the runtime that plays it has one name.
    assert "StoryEngine" in kiosk.story.__all__ and "Story" not in kiosk.story.__all__
    assert not hasattr(kiosk.story, "Story")


def test_the_package_docstring_points_at_documents_that_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    doc = kiosk.story.__doc__
    assert "RUNTIME-API" not in doc
    assert "docs/story-runtime.md" in doc
    assert (root / "docs/story-runtime.md").read_text().startswith("# The story runtime\n")
    assert (root / "kiosk/story/engine.py").exists()


def test_a_language_of_the_pack_that_the_story_lacks_is_refused_at_start(trail):
    # The trail pack offers en, sv and ar; the lesson only en and sv.
    assert "ar" in trail.languages
    engine = StoryEngine(trail, "lesson")
    assert engine.languages == ["en", "sv"]
    with pytest.raises(StoryError, match='story "lesson" does not offer language "ar"; '
                                         'it offers en, sv') as err:
        engine.start("ar")
    assert err.value.story == "lesson"
    with pytest.raises(StoryError, match='does not offer language "de" '
                                         r'\(nor does pack "trail"\)'):
        engine.start("de")


def test_switching_to_a_language_the_story_lacks_is_refused_and_changes_nothing(drive):
    d = drive("lesson")
    d.start("sv")
    before = d.state.to_dict()
    n_events = len(d.events)
    with pytest.raises(StoryError, match='story "lesson" does not offer language "ar"') as err:
        d.do("set_language", "ar")
    assert err.value.scene == d.state.scene_id
    assert d.state.to_dict() == before and len(d.events) == n_events
    d.do("set_language", "en")
    assert d.state.language == "en"


def test_language_for_falls_back_to_a_language_the_story_offers(trail):
    lesson = StoryEngine(trail, "lesson")
    assert lesson.language_for("sv") == "sv"
    assert lesson.language_for("ar") == "en"  # the pack's default, which the lesson offers
    assert lesson.language_for(None) == "en"
    assert lesson.start().language == "en"
    # A story that does not offer the pack's default: its own first language.
    swedish = msgspec.structs.replace(trail.stories["lesson"], languages=["sv"])
    pack = msgspec.structs.replace(trail, stories={**trail.stories, "lesson": swedish})
    only_sv = StoryEngine(pack, "lesson")
    assert only_sv.language_for("ar") == "sv" and only_sv.language_for(None) == "sv"
    assert only_sv.start().language == "sv"
    with pytest.raises(StoryError, match='does not offer language "en"; it offers sv'):
        only_sv.start("en")


def test_the_line_provider_still_falls_back_to_the_pack_default_for_missing_lines(trail):
    # ferry is offered in ar, but "ar" has only its first scene: later lines come in English.
    from kiosk.story import LineProvider

    engine = StoryEngine(trail, "ferry")
    state = engine.start("ar")
    engine.choose(state, engine.view(state).choices[0].id)
    view = engine.view(state)
    en = LineProvider(trail, "en").text(view.text_line)
    assert LineProvider(trail, "ar").text(view.text_line) == en
