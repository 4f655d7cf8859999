"""Every path of every demo story, in every language it offers, played through the runtime:
each scene has its own text, narration, captions and picture in that language, no fallback."""

from __future__ import annotations

import pytest

from kiosk.story import LineProvider, Phase, StoryEngine, StoryState


def play_all(engine: StoryEngine, lines: LineProvider, state: StoryState, seen: list) -> None:
    """Walk every branch from the state, checking each scene shown; collects finished paths."""
    view = engine.view(state)
    scene = view.scene
    lang = lines.language
    assert view.text_line and lines.has(view.text_line), (view.story_id, view.scene_id, lang)
    assert lines.text(view.text_line) == scene.text[lang]
    assert lines.narration(scene).name.endswith(f".{lang}.ogg")
    assert lines.captions(scene).name.endswith(f".{lang}.vtt")
    assert lines.captions(scene).is_file() and lines.narration(scene).is_file()
    assert engine.pack.media_path(scene.image.src).is_file()
    if view.phase is Phase.ENDED:
        assert lines.has(view.ending_helped_line) and lines.has(view.ending_action_line)
        assert lines.subtitles(scene).name.endswith(f".{lang}.vtt")
        seen.append(list(state.path))
        return
    if view.phase is Phase.SHOWING:
        play_all(engine, lines, engine.advance(state), seen)
        return
    assert len(view.choices) >= 2
    for choice in view.choices:
        assert lines.has(choice.label_line)
        branch = StoryState.from_dict(state.to_dict())  # each branch from a saved state
        play_all(engine, lines, engine.choose(branch, choice.id), seen)


@pytest.mark.parametrize("school", [False, True], ids=["public", "school"])
def test_every_path_plays_in_every_language(pack, school):
    for story in pack.stories.values():
        counts = set()
        for lang in story.languages:
            engine = StoryEngine(pack, story.id, school=school)
            seen: list = []
            play_all(engine, LineProvider(pack, lang), engine.start(lang), seen)
            counts.add(len(seen))
            assert all(p[-1] == seen[0][-1] for p in seen)
            hard = {sid for sid, s in story.scenes.items() if s.school}
            visited = {sid for p in seen for sid in p}
            assert not (visited & hard) if school else not (visited & {
                s.school for s in story.scenes.values() if s.school})
        assert len(counts) == 1 and counts.pop() >= 4, story.id
