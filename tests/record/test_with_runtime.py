"""The story runtime's events, recorded as a visitor plays a real story of a fixture pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fixture_date import TODAY
from tests.support.record_rows import rows

TRAIL = Path(__file__).resolve().parents[1] / "story" / "fixtures" / "trail"


@pytest.fixture(scope="module")
def pack():
    story = pytest.importorskip("kiosk.story")
    content = pytest.importorskip("kiosk.content")
    if not TRAIL.is_dir():
        pytest.skip("the story runtime's fixture pack is not there")
    loaded = content.load_pack(TRAIL, today=TODAY)
    assert loaded.ok
    return story, loaded.pack


def play(story_mod, pack, session, clock, leave_after: int | None = None):
    """Walk the first story, taking the first choice, one second per move."""
    story_id = sorted(pack.stories)[0]
    engine = story_mod.StoryEngine(pack, story_id, school=False, clock=lambda: clock[0],
                                   emit=session.record_runtime)
    state = engine.start()
    moves = 0
    while True:
        view = engine.view(state)
        if view.is_ending or moves == leave_after:
            break
        clock[0] += 1.0
        if view.choices:
            engine.choose(state, view.choices[0].id)
        elif view.has_next:
            engine.advance(state)
        else:
            break
        moves += 1
    clock[0] += 1.0
    if leave_after is not None:
        engine.leave(state)
    return story_id, state


def test_a_story_played_to_its_ending(pack, open_recorder, tmp_path):
    story_mod, p = pack
    rec = open_recorder()
    clock = [100.0]
    session = rec.begin_session("trail", "1", "en", at=clock[0])
    story_id, state = play(story_mod, p, session, clock)
    session.end("done", at=clock[0] + 5)
    assert rec.flush(5)
    got = rows(tmp_path / "data")
    kinds = [r["kind"] for r in got]
    assert kinds[:2] == ["session_started", "story_started"]
    assert kinds[-2:] == ["scene_shown", "session_ended"]
    assert "story_finished" in kinds and "choice_made" in kinds
    shown = [r["payload"] for r in got if r["kind"] == "scene_shown"]
    assert len(shown) >= 3 and [s["scene"] for s in shown] == state.path
    # Every scene but the ending lasted one tick of the clock; the ending until end().
    assert {s["duration_ms"] for s in shown[:-1]} <= {1000}
    assert shown[-1]["duration_ms"] == 6000
    finished = next(r for r in got if r["kind"] == "story_finished")
    assert finished["payload"] == {"story": story_id, "ending": state.ending}


def test_a_visitor_who_leaves_midway(pack, open_recorder, tmp_path):
    story_mod, p = pack
    rec = open_recorder()
    clock = [0.0]
    session = rec.begin_session("trail", "1", "en", at=0.0)
    story_id, state = play(story_mod, p, session, clock, leave_after=1)
    session.end("leave_now", story=story_id, scene=state.scene_id, at=clock[0])
    assert rec.flush(5)
    got = rows(tmp_path / "data")
    left = next(r for r in got if r["kind"] == "story_left")
    assert left["payload"] == {"story": story_id, "scene": state.scene_id}
    assert [r["kind"] for r in got][-2:] == ["leave_now", "session_ended"]
