"""The content model, loader, validator and compiled cache (no pygame, no Flask).

    from kiosk.content import load_pack, load_cached
    loaded = load_cached("content")        # LoadedPack: .pack, .findings, .ok, .coverage
    story = loaded.pack.stories["mara"]    # Story -> Scene -> Choice (kiosk.content.model)

The format is documented in docs/content-format.md.
"""

from kiosk.content.conditions import evaluate as evaluate_condition
from kiosk.content.findings import ERROR, WARNING, Finding, has_errors
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


def __getattr__(name: str):
    """The loaders on first use: they need PyYAML, which the runtime (kiosk.story) does not."""
    if name == "load_pack":
        from kiosk.content.loader import load_pack

        return load_pack
    if name == "load_cached":
        from kiosk.content.cache import load_cached

        return load_cached
    raise AttributeError(f"module 'kiosk.content' has no attribute {name!r}")


__all__ = [
    "ERROR", "WARNING", "Choice", "ContentNote", "Ending", "Finding", "Helpline", "LoadedPack",
    "MediaRef", "Pack", "Question", "Scene", "Story", "Surveys", "Video", "evaluate_condition",
    "has_errors", "load_cached", "load_pack",
]
