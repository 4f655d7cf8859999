"""The settings pages read a whole story or pack.yaml on every request through
`yamledit.load_for_reading`: one parse per distinct text (ruamel takes 50-200 ms a story),
and each caller gets its own copy, equal to a fresh parse, that it may change freely."""

from __future__ import annotations

from pathlib import Path

from admin.content import yamledit

DEMO = Path(__file__).resolve().parents[2] / "content"


def test_a_text_is_parsed_once_and_each_reader_gets_its_own_equal_copy(monkeypatch):
    text = (DEMO / "stories" / "emil.yaml").read_text(encoding="utf-8")
    parses = []
    real = yamledit.load
    monkeypatch.setattr(yamledit, "load", lambda t: parses.append(t) or real(t))
    monkeypatch.setattr(yamledit, "_parsed", type(yamledit._parsed)())

    first = yamledit.load_for_reading(text)
    second = yamledit.load_for_reading(text)
    assert len(parses) == 1, "the same text is parsed once"
    assert second is not first
    assert yamledit.dump(second) == yamledit.dump(real(text)), "as a fresh parse, comments too"
    second["scenes"]["start"]["text"]["en"] = "changed by one reader"
    third = yamledit.load_for_reading(text)
    assert third["scenes"]["start"]["text"]["en"] != "changed by one reader"

    changed = text.replace("start:", "begin:", 1)
    yamledit.load_for_reading(changed)
    assert len(parses) == 2, "another text is parsed anew"


def test_the_parsed_texts_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(yamledit, "_parsed", type(yamledit._parsed)())
    monkeypatch.setattr(yamledit, "PARSED_KEPT", 3)
    for n in range(5):
        yamledit.load_for_reading(f"id: story{n}\n")
    assert len(yamledit._parsed) == 3
    assert yamledit.load_for_reading("id: story4\n") == {"id": "story4"}
