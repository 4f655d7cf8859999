"""Property tests: random walks over generated valid stories, and the state's round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import validate
from kiosk.content.model import (
    Choice,
    Consent,
    ContentNote,
    Ending,
    Helpline,
    Pack,
    Scene,
    Story,
)
from kiosk.story import Phase, StoryEngine, StoryState

TODAY = dt.date.today()
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conditions(draw, scene_ids: list[str]):
    """A parsed condition over the generated variables and scenes."""
    return draw(st.sampled_from([
        ["var", "a"],
        ["not", ["var", "b"]],
        ["cmp", ">=", ["var", "n"], ["lit", draw(st.integers(0, 3))]],
        ["cmp", "<", ["visits", draw(st.sampled_from(scene_ids))], ["lit", 2]],
        ["or", ["var", "a"], ["var", "b"]],
        ["and", ["var", "a"], ["not", ["var", "b"]]],
    ]))


@st.composite
def stories(draw, dag: bool = False):
    """A story the validator accepts: every scene reaches the last one (an ending) through
    its `next` or its first choice, which point forward; other choices may loop back
    (unless `dag`), and any choice may have a condition."""
    n = draw(st.integers(2, 9))
    ids = [f"s{i}" for i in range(n)]
    scenes = {}
    for i, sid in enumerate(ids):
        later = ids[i + 1:]
        kind = "ending" if i == n - 1 else draw(st.sampled_from(
            ["next", "choices", "choices"] + (["ending"] if i else [])))
        text = {"en": f"Scene {i}."}
        if draw(st.booleans()):
            text["sv"] = f"Scen {i}."
        fields = dict(
            id=sid, text=text,
            content_notes=draw(st.sampled_from([[], [], ["threats"]])),
            school=draw(st.none() | st.sampled_from(later)) if later else None,
            discussion={"en": "Why?"} if draw(st.booleans()) else {},
        )
        if kind == "ending":
            fields["ending"] = Ending(helped={"en": "help"}) if draw(st.booleans()) else Ending()
        elif kind == "next":
            fields["next"] = draw(st.sampled_from(later))
        else:
            k = draw(st.integers(1, 3))
            targets = [draw(st.sampled_from(later))]
            targets += [draw(st.sampled_from(later if dag else ids)) for _ in range(k - 1)]
            fields["choices"] = [
                Choice(id=f"c{j + 1}", label={"en": f"Choice {j + 1}"}, goto=t,
                       condition=draw(st.none() | conditions(ids)),
                       set=draw(st.fixed_dictionaries({}, optional={
                           "a": st.booleans(), "b": st.booleans()})),
                       add=draw(st.fixed_dictionaries({}, optional={"n": st.integers(-1, 2)})))
                for j, t in enumerate(targets)]
        scenes[sid] = Scene(**fields)
    return Story(id="gen", file="stories/gen.yaml", title={"en": "Generated"},
                 summary={"en": "A generated story."}, languages=["en", "sv"], duration=1,
                 age_min=12, start="s0", scenes=scenes, content_notes=[],
                 consent=Consent(kind="composite-fiction", record="GEN-1", countries=["SE"],
                                 review_by=TODAY + dt.timedelta(days=365)),
                 variables=draw(st.fixed_dictionaries({}, optional={"n": st.integers(0, 2)})))


def pack_of(story: Story) -> Pack:
    """A pack around one generated story, checked by the content validator."""
    pack = Pack(id="gen", version="1", title={"en": "Gen"}, languages=["en", "sv"],
                default_language="en", country="SE",
                helplines=[Helpline(id="h", name={"en": "112"}, number="112",
                                    hours={"en": "24/7"}, verified=TODAY)],
                stories={"gen": story},
                content_notes={"threats": ContentNote(label={"en": "Threats"})})
    rep = validate.Report("stories/gen.yaml", {})
    validate.check_story(pack, story, rep, Path("/nonexistent-pack"), TODAY, {})
    assert [f for f in rep.findings if f.severity == "error"] == [], rep.findings
    return pack


def roundtrip(state: StoryState) -> StoryState:
    """Through a dict and JSON text and back; it must come back equal."""
    again = StoryState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state and again.to_dict() == state.to_dict()
    return again


def check_view(engine: StoryEngine, state: StoryState) -> None:
    """Until an ending there is always a way on, and the view agrees with the phase."""
    v = engine.view(state)
    assert v.step == len(state.path) and v.estimate >= v.step
    if v.phase is Phase.SHOWING:
        assert v.has_next and v.choices == []
    elif v.phase is Phase.AWAITING_CHOICE:
        assert v.choices, f"stranded in {state.scene_id}"
    else:
        assert state.left or state.ending == state.scene_id
    assert engine.view(roundtrip(state)) == v


@SETTINGS
@given(story=stories(), school=st.booleans(), rnd=st.randoms(use_true_random=False))
def test_random_walks_never_raise_and_always_offer_a_way_on(story, school, rnd):
    pack = pack_of(story)
    events: list[dict] = []
    engine = StoryEngine(pack, "gen", school=school, emit=events.append)
    state = roundtrip(engine.start(rnd.choice(["en", "sv"])))
    seen_vars = [dict(state.variables)]  # the walk's own record of variables per path scene
    for _ in range(200):
        check_view(engine, state)
        v = engine.view(state)
        roll = rnd.random()
        if v.phase is Phase.ENDED and state.left:
            break
        if roll < 0.12 and v.can_go_back:
            engine.back(state)
            seen_vars.pop()
            assert state.variables == seen_vars[-1], "back restores the variables"
        elif roll < 0.2 and v.can_skip:
            before = len(state.path)
            engine.skip(state)
            if len(state.path) > before:
                seen_vars.append(dict(state.variables))
        elif roll < 0.25:
            engine.set_language(state, rnd.choice(["en", "sv"]))
        elif roll < 0.27 or v.phase is Phase.ENDED:
            engine.leave(state)
        elif v.phase is Phase.SHOWING:
            engine.advance(state)
            seen_vars.append(dict(state.variables))
        else:
            engine.choose(state, rnd.choice(v.choices).id)
            seen_vars.append(dict(state.variables))
        state = roundtrip(state)
        assert len(seen_vars) == len(state.path)
    times = [e["t"] for e in events]
    assert times == sorted(times)
    json.dumps(events)


@SETTINGS
@given(story=stories(dag=True), school=st.booleans(), rnd=st.randoms(use_true_random=False))
def test_going_forward_reaches_an_ending(story, school, rnd):
    pack = pack_of(story)
    engine = StoryEngine(pack, "gen", school=school)
    state = engine.start("en")
    for _ in range(len(story.scenes)):
        check_view(engine, state)
        phase = engine.phase(state)
        if phase is Phase.ENDED:
            break
        if phase is Phase.SHOWING:
            engine.advance(state)
        else:
            engine.choose(state, rnd.choice(engine.view(state).choices).id)
        state = roundtrip(state)
    assert engine.phase(state) is Phase.ENDED and state.ending == state.scene_id


values = (st.booleans() | st.integers() | st.text()
          | st.floats(allow_nan=False, allow_infinity=False))
names = st.text(min_size=1, max_size=12)


@st.composite
def states(draw):
    """Any well-formed state, whether or not a story could reach it."""
    path = draw(st.lists(names, min_size=1, max_size=8))
    return StoryState(
        story=draw(names), scene_id=path[-1], language=draw(st.sampled_from(["en", "sv", "ar"])),
        school=draw(st.booleans()), path=path,
        moves=draw(st.lists(st.sampled_from(["next", "skip", "choice:c1"]),
                            min_size=len(path) - 1, max_size=len(path) - 1)),
        snapshots=draw(st.lists(st.dictionaries(names, values, max_size=3),
                                min_size=len(path), max_size=len(path))),
        variables=draw(st.dictionaries(names, values, max_size=5)),
        visits=draw(st.dictionaries(names, st.integers(0, 10**6), max_size=5)),
        ending=draw(st.none() | names), left=draw(st.booleans()),
        passage_skipped=draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(state=states())
def test_a_state_always_survives_the_round_trip(state):
    assert roundtrip(state) == state
