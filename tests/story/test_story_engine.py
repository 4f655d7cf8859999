"""The engine's rules, each test played straight and with a dict round trip at every step."""

from __future__ import annotations

import logging

import msgspec
import pytest

from kiosk.content.model import Choice
from kiosk.story import Phase, StoryEngine, StoryError, StoryState

EVENT_KEYS = {"kind", "t", "story", "scene", "language", "school", "via", "step", "instead_of",
              "choice", "goto", "notes", "ending", "previous"}


def test_a_visitor_plays_through_and_the_phases_follow(drive):
    d = drive("ferry")
    d.start("en")
    assert d.engine.phase(d.state) is Phase.AWAITING_CHOICE
    d.do("choose", "c1")
    assert d.engine.phase(d.state) is Phase.SHOWING
    d.do("advance")
    d.do("choose", "call")
    assert d.engine.phase(d.state) is Phase.ENDED
    assert d.state.ending == "call_end"
    assert d.state.path == ["dock", "cafe", "deck", "call_end"]
    assert d.state.moves == ["choice:c1", "next", "choice:call"]
    assert d.kinds() == ["story_started", "scene_entered", "choice_made", "scene_entered",
                         "scene_entered", "choice_made", "scene_entered", "story_ended"]


def test_choosing_when_no_choice_is_awaited_names_scene_and_choice(drive):
    d = drive("lesson")
    d.start("en")
    with pytest.raises(StoryError, match=r'"c1" in scene "class"') as err:
        d.do("choose", "c1")
    assert (err.value.story, err.value.scene, err.value.choice) == ("lesson", "class", "c1")
    assert d.state.path == ["class"], "a refused move changes nothing"


def test_an_unavailable_choice_is_refused_and_says_why(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c2")
    before = d.state.to_dict()
    with pytest.raises(StoryError, match="not available now") as err:
        d.do("choose", "call")
    assert (err.value.scene, err.value.choice) == ("deck", "call")
    with pytest.raises(StoryError, match='"ghost" of scene "deck".*does not exist'):
        d.do("choose", "ghost")
    assert d.state.to_dict() == before


def test_set_and_add_update_variables_and_conditions_see_them(drive):
    d = drive("ferry")
    d.start("en")
    assert d.state.variables == {"trust": 0, "asked": False}
    d.do("choose", "c1")
    assert d.state.variables == {"trust": 1, "asked": True}
    d.do("advance")
    assert [c.id for c in d.view().choices] == ["call", "look"]
    d.do("choose", "look")
    assert d.state.variables["trust"] == 2
    assert [c.id for c in d.view().choices] == ["talk", "deck", "wait"]


def test_visit_counts_are_kept_and_back_does_not_count(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c2")
    d.do("choose", "look")
    d.do("choose", "deck")
    assert d.state.visits == {"dock": 1, "deck": 2, "cabin": 1}
    d.do("back")
    assert d.state.visits == {"dock": 1, "deck": 2, "cabin": 1}
    d.do("choose", "deck")
    assert d.state.visits["deck"] == 3
    d.do("choose", "look")
    assert "deck" not in [c.id for c in d.view().choices], "visits(deck) < 3 no longer holds"


def test_back_restores_the_variables_as_they_were_there(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c1")           # asked, trust 1
    d.do("advance")
    d.do("choose", "look")         # trust 2
    assert d.state.variables == {"trust": 2, "asked": True}
    d.do("back")
    assert d.state.scene_id == "deck" and d.state.variables == {"trust": 1, "asked": True}
    d.do("back")
    d.do("back")
    assert d.state.scene_id == "dock" and d.state.variables == {"trust": 0, "asked": False}
    with pytest.raises(StoryError, match='"dock" is the start of story "ferry"'):
        d.do("back")


def test_back_from_an_ending_reopens_the_story(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c1")
    d.do("advance")
    d.do("choose", "call")
    d.do("back")
    assert d.state.ending is None and d.engine.phase(d.state) is Phase.AWAITING_CHOICE


def test_switching_language_keeps_place_and_variables(drive):
    d = drive("ferry")
    d.start("sv")
    d.do("choose", "c1")
    before = d.state.to_dict()
    d.do("set_language", "en")
    after = d.state.to_dict()
    assert after.pop("language") == "en" and before.pop("language") == "sv"
    assert after == before
    with pytest.raises(StoryError, match='does not offer language "de"'):
        d.do("set_language", "de")
    assert d.events[-1] == {"kind": "language_changed", "t": d.events[-1]["t"],
                            "story": "ferry", "scene": "cafe", "language": "en",
                            "previous": "sv"}


def test_school_mode_takes_the_school_alternative(drive):
    d = drive("lesson", school=True)
    d.start("en")
    d.do("advance")
    v = d.view()
    assert v.scene_id == "night_school" and v.scene.id == "night_school"
    assert d.state.visits == {"class": 1, "night": 1, "night_school": 1}
    assert d.events[-1]["instead_of"] == "night"
    plain = drive("lesson")
    plain.start("en")
    plain.do("advance")
    assert plain.view().scene_id == "night"


def test_skip_a_next_scene_lands_on_the_next_one(drive):
    d = drive("lesson")
    d.start("en")
    d.do("advance")
    assert d.view().can_skip
    d.do("skip")
    assert d.state.scene_id == "talk" and d.state.moves == ["next", "skip"]
    assert d.kinds()[-2:] == ["scene_skipped", "scene_entered"]


def test_skip_a_choice_scene_hides_the_passage_and_keeps_the_choices(drive):
    d = drive("lesson")
    d.start("en")
    d.do("advance")
    d.do("advance")
    d.do("skip")
    v = d.view()
    assert v.passage_skipped and v.text_line is None and not v.can_skip
    assert [c.id for c in v.choices] == ["c1", "c2"]
    d.do("skip")  # a second tap does nothing
    assert d.kinds().count("scene_skipped") == 1
    d.do("choose", "c2")
    assert not d.view().passage_skipped, "the next scene shows its passage"


def test_only_a_scene_with_a_content_note_can_be_skipped(drive):
    d = drive("lesson")
    d.start("en")
    with pytest.raises(StoryError, match="has no content note"):
        d.do("skip")


def test_leave_ends_at_once_and_only_once(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c1")
    d.do("leave")
    d.do("leave")
    assert d.engine.phase(d.state) is Phase.ENDED and d.state.left
    assert d.kinds().count("story_left") == 1
    assert d.events[-1]["ending"] is None and d.events[-1]["step"] == 2
    assert d.view().choices == [] and not d.view().can_go_back and not d.view().has_next
    for verb, args in (("advance", ()), ("choose", ("c1",)), ("back", ()), ("skip", ())):
        with pytest.raises(StoryError):
            d.do(verb, *args)


def test_events_are_plain_anonymous_data_with_monotonic_times(drive):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c2")
    d.do("choose", "look")
    d.do("skip")
    d.do("back")
    d.do("set_language", "sv")
    d.do("leave")
    times = [e["t"] for e in d.events]
    assert times == sorted(times) and all(isinstance(t, float) for t in times)
    for e in d.events:
        assert set(e) <= EVENT_KEYS, set(e) - EVENT_KEYS
        assert e["story"] == "ferry"


def test_view_counts_steps_and_estimates_the_rest(drive):
    d = drive("ferry")
    d.start("en")
    v = d.view()
    assert (v.step, v.estimate, v.is_first, v.can_go_back) == (1, 3, True, False)
    d.do("choose", "c1")
    v = d.view()
    assert (v.step, v.estimate, v.is_first, v.can_go_back) == (2, 4, False, True)


def test_view_hands_out_line_ids(drive):
    d = drive("ferry")
    d.start("en")
    v = d.view()
    assert v.text_line == "ferry/scenes/dock/text"
    assert [c.label_line for c in v.choices] == ["ferry/scenes/dock/choices/c1/label",
                                                 "ferry/scenes/dock/choices/c2/label"]
    assert v.ending_helped_line is None and v.discussion_line is None


def test_when_no_condition_holds_the_last_choice_is_offered(drive, trail, caplog):
    story = trail.stories["ferry"]
    deck = story.scenes["deck"]
    gated = msgspec.structs.replace(deck, choices=[
        msgspec.structs.replace(c, condition=["var", "never"]) for c in deck.choices])
    scenes = {**story.scenes, "deck": gated}
    pack = msgspec.structs.replace(trail, stories={
        "ferry": msgspec.structs.replace(story, scenes=scenes)})
    d = drive("ferry", pack=pack)
    d.start("en")
    with caplog.at_level(logging.WARNING, logger="kiosk.story"):
        d.do("choose", "c2")
        assert [c.id for c in d.view().choices] == ["look"]
        d.view()
    assert sum("no choice's condition holds" in r.message for r in caplog.records) == 1
    d.do("choose", "look")
    assert d.state.scene_id == "cabin"


def test_add_to_a_variable_that_is_not_a_number_replaces_it(drive, trail):
    story = trail.stories["ferry"]
    dock = story.scenes["dock"]
    odd = Choice(id="c1", label={"en": "x"}, goto="cafe", set={"trust": "high"},
                 add={"trust": 2, "asked": 1})
    scenes = {**story.scenes, "dock": msgspec.structs.replace(dock, choices=[odd])}
    pack = msgspec.structs.replace(trail, stories={
        "ferry": msgspec.structs.replace(story, scenes=scenes)})
    d = drive("ferry", pack=pack)
    d.start("en")
    d.do("choose", "c1")
    assert d.state.variables == {"trust": 2, "asked": 1}


def test_a_state_that_no_longer_fits_the_story_is_refused(drive, trail):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c1")
    data = d.state.to_dict()
    story = trail.stories["ferry"]
    smaller = {k: v for k, v in story.scenes.items() if k != "cafe"}
    pack = msgspec.structs.replace(trail, stories={
        "ferry": msgspec.structs.replace(story, scenes=smaller)})
    engine = StoryEngine(pack, "ferry")
    with pytest.raises(StoryError, match='scene "cafe", which story "ferry" does not have'):
        engine.view(StoryState.from_dict(data))
    with pytest.raises(StoryError, match='of story "ferry", not "lesson"'):
        StoryEngine(trail, "lesson").advance(StoryState.from_dict(data))


def test_unknown_story_and_language_are_clear_errors(trail):
    with pytest.raises(StoryError, match='no story "nope" \\(its stories: ferry, lesson\\)'):
        StoryEngine(trail, "nope")
    with pytest.raises(StoryError, match='does not offer language "fr"'):
        StoryEngine(trail, "ferry").start("fr")
    assert StoryEngine(trail, "ferry").start().language == "en"


@pytest.mark.parametrize("broken, message", [
    ("not a dict", "must be a mapping"),
    ({"version": 99}, "version 99"),
    ({"scene": 3}, '"scene" as str'),
    ({"school": 1}, '"school" as bool'),
    ({"path": ["cafe", "dock"]}, "path ends elsewhere"),
    ({"moves": []}, "lengths"),
    ({"variables": {"x": [1]}}, "bad variable"),
    ({"variables": {"x": float("nan")}}, "bad variable"),
    ({"visits": {"dock": -1}}, '"visits"'),
    ({"visits": {"dock": True}}, '"visits"'),
])
def test_a_malformed_saved_state_is_a_clear_error(drive, broken, message):
    d = drive("ferry")
    d.start("en")
    d.do("choose", "c1")
    data = broken if isinstance(broken, str) else {**d.state.to_dict(), **broken}
    with pytest.raises(StoryError, match=message):
        StoryState.from_dict(data)


def test_a_failing_event_callback_does_not_break_the_story(trail, caplog):
    def broken(event):
        raise OSError("disk full")

    engine = StoryEngine(trail, "ferry", emit=broken)
    with caplog.at_level(logging.ERROR, logger="kiosk.story"):
        state = engine.start("en")
        engine.choose(state, "c1")
        engine.advance(state)
        engine.choose(state, "call")
    assert state.ending == "call_end" and len(caplog.records) == 1
