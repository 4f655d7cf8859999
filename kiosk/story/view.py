"""What a screen draws: a view model of the current scene, all text as line ids."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.content.model import Scene
from kiosk.story.state import Phase


@dataclass(frozen=True)
class ChoiceView:
    """One choice on offer: its id (for `engine.choose`) and its label's line id."""

    id: str
    label_line: str
    discussion_line: str | None = None


@dataclass(frozen=True)
class SceneView:
    """The current scene as the kiosk shows it (see docs in kiosk/story/__init__.py).

    `scene` is the model Scene actually shown (the school alternative already applied).
    `text_line` is None when the scene has no text, or when the visitor skipped its passage
    (`passage_skipped`); then the screen shows only what is needed to go on: the choices, or
    the ending's lines. `can_skip` is True for a scene with a content note that has not been
    skipped yet. `step` counts the scenes on the path so far (1-based); `estimate` is a rough
    total for a progress bar (never below `step`).
    """

    story_id: str
    scene_id: str
    phase: Phase
    scene: Scene
    language: str
    choices: list[ChoiceView] = field(default_factory=list)
    is_ending: bool = False
    has_next: bool = False
    left: bool = False
    step: int = 1
    estimate: int = 1
    content_notes: list[str] = field(default_factory=list)
    can_go_back: bool = False
    can_skip: bool = False
    passage_skipped: bool = False
    is_first: bool = False
    text_line: str | None = None
    ending_helped_line: str | None = None
    ending_action_line: str | None = None
    discussion_line: str | None = None
