"""Import of an export gives back the same story: every demo story, and random story graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import conditions, load_pack
from kiosk.content import model as M
from kiosk.content.twine import read
from kiosk.content.twine.convert import convert
from kiosk.content.twine.export import export

DEMO = Path(__file__).resolve().parents[2] / "content"


def _essence(story: M.Story, lang: str) -> dict:
    """What Twine can carry of a story: text, the ways on, conditions, variables."""
    scenes = {}
    for sid, sc in story.scenes.items():
        scenes[sid] = {
            "text": sc.text.get(lang, "").strip(),
            "next": sc.next,
            "ending": sc.ending is not None,
            "content_notes": list(sc.content_notes),
            "choices": [(c.label.get(lang, ""), c.goto, c.condition, dict(c.set), dict(c.add))
                        for c in sc.choices],
        }
    return {"start": story.start, "variables": dict(story.variables), "scenes": scenes}


def _imported(data: dict, lang: str) -> dict:
    scenes = {}
    for sid, sc in data["scenes"].items():
        scenes[sid] = {
            "text": sc["text"][lang],
            "next": sc.get("next"),
            "ending": "ending" in sc,
            "content_notes": sc.get("content_notes", []),
            "choices": [(c["label"][lang], c["goto"],
                         conditions.parse(c["if"]) if "if" in c else None,
                         c.get("set", {}), c.get("add", {})) for c in sc.get("choices", [])],
        }
    return {"start": data["start"], "variables": data.get("variables", {}), "scenes": scenes}


def _round_trip(story: M.Story, lang: str, fmt: str, notes: set[str]) -> dict:
    text, _ = export(story, lang, fmt)
    [tw] = read(text, f"{story.id}.twee")
    result = convert(tw, story.id, lang, notes)
    assert not [f for f in result.findings], [f.format() for f in result.findings]
    return _imported(yaml.safe_load(result.yaml_text), lang)


@pytest.fixture(scope="module")
def demo():
    loaded = load_pack(DEMO)
    assert loaded.pack is not None
    return loaded.pack


@pytest.mark.parametrize("fmt", ["harlowe", "sugarcube"])
@pytest.mark.parametrize("story_id", ["emil", "nadia", "samir"])
def test_every_demo_story_comes_back(demo, story_id, fmt):
    story = demo.stories[story_id]
    for lang in story.languages:
        back = _round_trip(story, lang, fmt, set(demo.content_notes))
        assert back == _essence(story, lang)


def test_the_demo_pack_has_exactly_these_stories(demo):
    assert sorted(demo.stories) == ["emil", "nadia", "samir"]


# Random story graphs: ids, labels and text from alphabets that Twine's link markup can hold
# (no "[", "]", "<", ">", "$", "(", ")" and "|", which would be markup in a link).
_id = st.from_regex(r"\A[a-z][a-z0-9\-]{0,8}\Z")
_var = st.from_regex(r"\A[a-z][a-z0-9_]{0,5}\Z").filter(
    lambda v: v not in ("and", "or", "not", "true", "false", "visits", "is", "it", "to", "eq",
                        "neq", "gt", "gte", "lt", "lte", "isnot"))
_words = st.text(st.sampled_from("abc xyzÅéλ.,!?'\"-"), min_size=1, max_size=30).map(str.strip)\
    .filter(bool).filter(lambda s: "->" not in s and "<-" not in s and not s.startswith(":"))
_value = st.one_of(st.booleans(), st.integers(-50, 50), _words)


@st.composite
def stories(draw):
    ids = draw(st.lists(_id, min_size=1, max_size=7, unique=True))
    variables = draw(st.dictionaries(_var, _value, max_size=3))
    names = list(variables)
    scenes = {}
    for sid in ids:
        text = {"en": draw(_words)}
        way = draw(st.sampled_from(["next", "choices", "ending"]))
        others = [t for t in ids if t != sid] or [sid]
        if way == "next" and others != [sid]:
            scenes[sid] = M.Scene(id=sid, text=text, next=draw(st.sampled_from(others)))
        elif way == "choices":
            choices = []
            for i in range(draw(st.integers(1, 3))):
                cond_src = None
                if names and draw(st.booleans()):
                    v = draw(st.sampled_from(names))
                    cond_src = draw(st.sampled_from(
                        [v, f"not {v}", f"{v} == 3", f"{v} != \"x\" and visits({ids[0]}) >= 1",
                         f"{v} > 1 or {v} < -1"]))
                sets = draw(st.dictionaries(_var, _value, max_size=2))
                adds = draw(st.dictionaries(_var, st.integers(-9, 9).filter(bool), max_size=1))
                adds = {k: v for k, v in adds.items() if k not in sets}
                choices.append(M.Choice(
                    id=f"c{i}", label={"en": draw(_words)}, goto=draw(st.sampled_from(ids)),
                    condition=conditions.parse(cond_src) if cond_src else None,
                    condition_source=cond_src, set=sets, add=adds))
            scenes[sid] = M.Scene(id=sid, text=text, choices=choices)
        else:
            scenes[sid] = M.Scene(id=sid, text=text, ending=M.Ending())
    return M.Story(id="random", file="stories/random.yaml", title={"en": "Random"}, summary={},
                   languages=["en"], duration=5, age_min=13, start=ids[0], scenes=scenes,
                   variables=variables)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story=stories(), fmt=st.sampled_from(["harlowe", "sugarcube"]))
def test_random_story_graphs_come_back(story, fmt):
    assert _round_trip(story, "en", fmt, set()) == _essence(story, "en")


def test_a_text_line_that_looks_like_a_header_survives_export_and_import():
    story = M.Story(id="h", file="stories/h.yaml", title={"en": "H"}, summary={},
                    languages=["en"], duration=1, age_min=0, start="a",
                    scenes={"a": M.Scene(id="a", text={"en": ":: not a passage\nStill a."},
                                         next="b"),
                            "b": M.Scene(id="b", text={"en": "B."}, ending=M.Ending())})
    for fmt in ("harlowe", "sugarcube"):
        assert _round_trip(story, "en", fmt, set()) == _essence(story, "en")
