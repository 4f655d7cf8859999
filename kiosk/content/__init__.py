"""The content model, loader, validator and compiled cache (no pygame, no Flask).

    from kiosk.content import load_pack, load_cached
    loaded = load_cached("content")        # LoadedPack: .pack, .findings, .ok, .coverage
    story = loaded.pack.stories["mara"]    # Story -> Scene -> Choice (kiosk.content.model)

The format is documented in docs/content-format.md.
"""

from kiosk.content.cache import load_cached
from kiosk.content.conditions import evaluate as evaluate_condition
from kiosk.content.findings import ERROR, WARNING, Finding, has_errors
from kiosk.content.loader import load_pack
from kiosk.content.model import (
    Choice,
    ContentNote,
    Ending,
    Helpline,
    LoadedPack,
    MediaRef,
    Pack,
    Question,
    Scene,
    Story,
    Surveys,
    Video,
)

__all__ = [
    "ERROR", "WARNING", "Choice", "ContentNote", "Ending", "Finding", "Helpline", "LoadedPack",
    "MediaRef", "Pack", "Question", "Scene", "Story", "Surveys", "Video", "evaluate_condition",
    "has_errors", "load_cached", "load_pack",
]
