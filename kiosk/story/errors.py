"""The one error the runtime raises: a host asked for something the story cannot do now."""

from __future__ import annotations


class StoryError(Exception):
    """A wrong move (choosing when no choice is awaited, an unavailable choice, back at the
    start...) or a state that does not fit the story; names the story, scene and choice."""

    def __init__(self, message: str, *, story: str | None = None, scene: str | None = None,
                 choice: str | None = None):
        super().__init__(message)
        self.story = story
        self.scene = scene
        self.choice = choice
