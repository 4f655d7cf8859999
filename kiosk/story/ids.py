"""Line ids: how the runtime names every piece of story text without holding any of it.

    mara/title                              mara/scenes/home/text
    mara/scenes/offer/choices/c2/label      mara/scenes/end/ending/helped

The ids and what each names are defined once, with a story's slots, in kiosk.content.slots;
opaque to the kiosk: it hands them to a LineProvider.
"""

from __future__ import annotations

from kiosk.content.slots import choice_line, lookup, scene_line, story_line

__all__ = ["choice_line", "lookup", "scene_line", "story_line"]
