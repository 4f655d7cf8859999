"""Golden playthroughs replayed by the strict harness, straight and round-tripped."""

from __future__ import annotations

import pytest

from tests.support.story_transcripts import TRANSCRIPTS, replay

TRANSCRIPT_FILES = sorted(TRANSCRIPTS.glob("*.txt"))


def test_there_are_transcripts():
    assert len(TRANSCRIPT_FILES) >= 4


@pytest.mark.parametrize("path", TRANSCRIPT_FILES, ids=lambda p: p.stem)
def test_transcript_replays_exactly(path, mode):
    assert replay(path, roundtrip_each_step=mode == "roundtrip") == []


def _tampered(tmp_path, name: str, edit) -> list[str]:
    lines = (TRANSCRIPTS / name).read_text(encoding="utf-8").splitlines()
    edit(lines)
    copy = tmp_path / name
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return replay(copy, roundtrip_each_step=False)


def test_an_event_the_transcript_does_not_expect_fails(tmp_path):
    def drop_story_ended(lines):
        lines.remove(next(x for x in lines if x.startswith("  event story_ended")))

    problems = _tampered(tmp_path, "ferry_en_ask_and_call.txt", drop_story_ended)
    assert len(problems) == 1 and "+event story_ended" in problems[0]


def test_an_expected_event_that_does_not_happen_fails(tmp_path):
    def add_event(lines):
        at = lines.index("advance") + 1
        lines.insert(at, '  event choice_made scene="cafe" choice="c1" goto="deck"')

    problems = _tampered(tmp_path, "ferry_en_ask_and_call.txt", add_event)
    assert len(problems) == 1 and '-event choice_made scene="cafe"' in problems[0]


def test_a_different_text_or_choice_fails(tmp_path):
    def reword(lines):
        i = lines.index("  choice c2 Watch the passengers")
        lines[i] = "  choice c2 Watch the crew"

    assert _tampered(tmp_path, "ferry_en_ask_and_call.txt", reword)


def test_an_unexpected_error_fails(tmp_path):
    def wrong_move(lines):
        i = lines.index("choose call")
        lines[i] = "choose nope"

    problems = _tampered(tmp_path, "ferry_en_ask_and_call.txt", wrong_move)
    assert problems and '+error choice "nope" of scene "deck"' in problems[0]
