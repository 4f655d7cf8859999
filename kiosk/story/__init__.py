"""The story runtime: a pure engine over one story of a loaded pack (no pygame, no yaml,
no files). The contract with the kiosk is docs/story-runtime.md and the
docstrings here (kiosk/story/engine.py lists the rules the content format left open).

    engine = StoryEngine(pack, "mara", school=False, clock=time.monotonic, emit=record)
    state = engine.start(language="sv")  # a language the story offers (engine.languages)
    # a host that must not refuse a visitor: engine.start(engine.language_for(wanted))
    view = engine.view(state)            # SceneView: scene id, phase, choices, line ids
    engine.choose(state, view.choices[0].id)
    lines = LineProvider(pack, state.language)
    lines.text(view.text_line)
"""

from kiosk.story.engine import StoryEngine
from kiosk.story.errors import StoryError
from kiosk.story.ids import choice_line, scene_line, story_line
from kiosk.story.lines import LineProvider, placeholder
from kiosk.story.state import Phase, StoryState
from kiosk.story.view import ChoiceView, SceneView

__all__ = [
    "ChoiceView", "LineProvider", "Phase", "SceneView", "StoryEngine", "StoryError",
    "StoryState", "choice_line", "placeholder", "scene_line", "story_line",
]
