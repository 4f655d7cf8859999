"""Touch and mouse as one stream of pointer events, never acted on twice.

Under a touchscreen SDL sends finger events *and* synthetic mouse events for the same touch;
pygame-ce marks the synthetic ones with `event.touch == True`. Fingers are taken from the
FINGER* events (their coordinates are 0..1 of the window) and synthetic mouse events are
dropped, so a tap acts once whichever way it arrives. Only the first finger down is followed
(a second finger on a kiosk is a palm or a child's hand, not a gesture we support).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

DOWN, MOVE, UP = "down", "move", "up"


@dataclass(frozen=True)
class Pointer:
    """One pointer event in window pixels."""

    kind: str
    pos: tuple[int, int]
    source: str  # "touch" or "mouse"


class PointerInput:
    """Turns SDL events into Pointer events (see the module docstring)."""

    def __init__(self) -> None:
        self._finger: int | None = None

    def reset(self) -> None:
        """Forget the finger being followed (after a screen change or a lost window)."""
        self._finger = None

    def convert(self, event: pygame.event.Event, size: tuple[int, int]) -> Pointer | None:
        """The pointer event an SDL event stands for, or None."""
        et = event.type
        if et in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return None
            if et == pygame.MOUSEMOTION:
                return Pointer(MOVE, event.pos, "mouse") if event.buttons[0] else None
            if getattr(event, "button", 1) != 1:
                return None
            return Pointer(DOWN if et == pygame.MOUSEBUTTONDOWN else UP, event.pos, "mouse")
        if et in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            fid = getattr(event, "finger_id", 0)
            pos = (int(event.x * size[0]), int(event.y * size[1]))
            if et == pygame.FINGERDOWN:
                if self._finger is not None:
                    return None
                self._finger = fid
                return Pointer(DOWN, pos, "touch")
            if fid != self._finger:
                return None
            if et == pygame.FINGERUP:
                self._finger = None
                return Pointer(UP, pos, "touch")
            return Pointer(MOVE, pos, "touch")
        return None
