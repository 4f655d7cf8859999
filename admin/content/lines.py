"""A story's translatable lines, as the translation pages, PO files and marks use them.

A line is a translatable text slot of ``kiosk.content.slots`` (its id, its place in the file,
its scene, its text per language, its label); PO files use the ids as message contexts.
"""

from __future__ import annotations

import hashlib

from kiosk.content.slots import Slot as Line
from kiosk.content.slots import story_lines

__all__ = ["Line", "source_hash", "story_lines"]


def source_hash(text: str) -> str:
    """The hash recorded with a translation: of the source text, whitespace-normalised."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:32]
