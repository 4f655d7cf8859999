"""One manager swaps the screens: cross-fades, overlays, and catching every failure.

A failing screen (any exception in shown, update, draw or pointer) is logged with its
traceback and handed to `on_failure`, which takes the visitor to a safe screen. Should the
safe screen fail too, a last-resort frame that cannot fail is drawn: the screen is never
left blank and the program never ends.

A tap acts once: after a screen change a tap led to, a touch that begins within `settle_ms` (the
theme's TAP_SETTLE_MS) is dropped with the rest of its press, unless it lands on Leave now.
So the second of two quick taps on Next never acts on the screen the first one led to.

A cross-fade starts from a copy of the last frame, kept with an alpha channel: each step
lowers its alpha in place (`BLEND_RGBA_MIN`, 0.4 ms at 1080p) and blends it per pixel
(pygame-ce's SIMD blitter, 1.1 ms), where a whole-surface alpha blit took 2.1 ms. While a
finger is down (a tap's release, and a screen change with it, may come next) each frame is
copied as it is drawn, already at the first step's alpha, so the frame of the tap only blends
(the copy, 1.8 ms at 1080p, is made off the tap's frame).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pygame

from kiosk.ui import theme
from kiosk.ui.input import DOWN, UP, Pointer

log = logging.getLogger(__name__)
FIRST_STEP_S = 1 / 60


class ScreenManager:
    """The current screen, overlays above it, and the cross-fade between screens."""

    def __init__(self, factory: Callable[[str], object], clock: Callable[[], float],
                 on_failure: Callable[[str, BaseException], None], fade_ms: int = theme.FADE_MS,
                 settle_ms: int = theme.TAP_SETTLE_MS):
        self.factory = factory
        self.clock = clock
        self.on_failure = on_failure
        self.fade_ms = fade_ms
        self.settle_ms = settle_ms
        self._settle_until = float("-inf")  # clock time before which a new press is dropped
        self._dropping = False  # the press going on was dropped (its moves and release too)
        self._in_pointer = False  # a pointer event is being handled
        self.screens: dict[str, object] = {}
        self.current = None
        self.overlays: list = []
        self._fade_from: pygame.Surface | None = None
        self._fade_buffer: pygame.Surface | None = None
        self._fade_start: float | None = None  # set by the fade's first step
        self._fade_alpha = 255  # the alpha the fade buffer's pixels hold
        self._ahead = False  # the fade buffer holds a copy of last_frame, made as it was drawn
        self.held = False  # a finger is down (set by `pointer`; App forgets it with the finger)
        self._failing = 0
        # The surface last drawn on (the display): it still holds the previous frame when
        # the next screen is chosen, so the fade starts from a copy of it, taken once.
        self.last_frame: pygame.Surface | None = None
        self.changed_at = 0.0  # clock time of the last screen change (for measurements)
        self.changes = 0  # screen changes so far (what was warmed for which screen)
        self.frames_since_change = 0

    def screen(self, name: str):
        """The one instance of a screen, made on first use."""
        screen = self.screens.get(name)
        if screen is None:
            screen = self.screens[name] = self.factory(name)
        return screen

    @property
    def name(self) -> str | None:
        """The current screen's name."""
        return self.current.name if self.current is not None else None

    @property
    def top(self):
        """What receives input: the topmost overlay, else the screen."""
        return self.overlays[-1] if self.overlays else self.current

    @property
    def fading(self) -> bool:
        """True during a cross-fade."""
        return self._fade_from is not None

    def go(self, name: str, fade: bool = True, **params) -> None:
        """Show another screen (overlays close), cross-fading from the last frame."""
        for overlay in list(self.overlays):
            self._safe(overlay.hidden, overlay.name)
        self.overlays.clear()
        if self.current is not None:
            self._safe(self.current.hidden, self.current.name)
        if fade and self.last_frame is not None and self.fade_ms > 0:
            # One kept buffer, not a copy per change: a fresh 8 MB surface is a fresh mapping
            # (kiosk/media/memory.py), whose first touch costs a few ms on the tap's frame.
            buffer = self._fade_buffer
            if not (self._ahead and buffer is not None
                    and buffer.get_size() == self.last_frame.get_size()):
                buffer = self._copy_for_fade(self.last_frame)
            self._ahead = False
            self._fade_from = buffer
            # The next screen shows from the frame of the tap on: that frame is the fade's
            # first step (one 60 Hz frame in), not a copy of the screen that was tapped.
            self._fade_start = None
        else:
            self._fade_from = None
        if self._in_pointer:  # a tap led here (a timeout's change needs no settling)
            self._settle_until = self.clock() + self.settle_ms / 1000
        self.current = self.screen(name)
        self.changed_at = self.clock()
        self.changes += 1
        self.frames_since_change = 0
        self._safe(lambda: self.current.shown(**params), name)

    def spare_surface(self, like: pygame.Surface) -> pygame.Surface:
        """The fade's kept buffer (the size of `like`, with an alpha channel), lent out
        between fades: the app warms the next screens by drawing them there, only when no
        fade is running. One full-screen surface instead of two (8 MB at 1080p)."""
        self._ahead = False  # whoever borrows it draws over the copy
        buffer = self._fade_buffer
        if buffer is None or buffer.get_size() != like.get_size():
            buffer = self._fade_buffer = pygame.Surface(like.get_size(), pygame.SRCALPHA, 32)
        return buffer

    @property
    def _first_alpha(self) -> int:
        """The old frame's alpha in the fade's first step (one 60 Hz frame into it)."""
        return int(255 * (1 - FIRST_STEP_S * 1000 / self.fade_ms))

    def _copy_for_fade(self, frame: pygame.Surface) -> pygame.Surface:
        """The fade buffer holding frame at the first step's alpha."""
        buffer = self.spare_surface(frame)
        buffer.blit(frame, (0, 0))  # an opaque frame: every pixel's alpha 255
        self._fade_alpha = 255
        self._fade_to(self._first_alpha)
        return buffer

    def _fade_to(self, alpha: int) -> None:
        """Lower the fade buffer's alpha to `alpha` (a fade's alpha only goes down)."""
        if alpha < self._fade_alpha:
            self._fade_buffer.fill((255, 255, 255, alpha), special_flags=pygame.BLEND_RGBA_MIN)
            self._fade_alpha = alpha

    def open_overlay(self, name: str, **params) -> None:
        """Show an overlay over the current screen (Help, Are you still there?, PIN)."""
        overlay = self.screen(name)
        if overlay in self.overlays:
            self.overlays.remove(overlay)
        self.overlays.append(overlay)
        self._safe(lambda: overlay.shown(**params), name)

    def close_overlay(self, name: str | None = None) -> None:
        """Close the top overlay (or the named one)."""
        for overlay in reversed(self.overlays):
            if name is None or overlay.name == name:
                self.overlays.remove(overlay)
                self._safe(overlay.hidden, overlay.name)
                return

    def has_overlay(self, name: str) -> bool:
        """True when the named overlay is open."""
        return any(o.name == name for o in self.overlays)

    def rebuild(self) -> None:
        """Lay out every visible screen again (language, text size or window changed)."""
        for screen in [self.current, *self.overlays]:
            if screen is not None:
                self._safe(screen.rebuild, screen.name)

    def reshow(self) -> None:
        """Show the current screen again with its parameters (the language changed: text,
        narration and captions follow)."""
        if self.current is not None:
            screen = self.current
            self._safe(screen.hidden, screen.name)
            self._safe(lambda: screen.shown(**screen.params), screen.name)
        for overlay in self.overlays:
            self._safe(overlay.rebuild, overlay.name)

    def pointer(self, event: Pointer) -> None:
        """Give a pointer event to the topmost screen (a press that begins while a new screen
        settles is dropped whole; see the module docstring)."""
        top = self.top
        if top is None:
            return
        self.held = event.kind != UP
        if event.kind == DOWN:
            self._dropping = self.clock() < self._settle_until and not _on_leave(top, event)
        if self._dropping:
            return
        self._in_pointer = True
        try:
            self._safe(lambda: top.pointer(event), top.name)
        finally:
            self._in_pointer = False

    def update(self, dt: float) -> None:
        """Advance the screen and overlays."""
        for screen in [self.current, *self.overlays]:
            if screen is not None:
                self._safe(lambda s=screen: s.update(dt), screen.name)

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the frame: screen, cross-fade, overlays; a plain safe frame if all fails."""
        self._ahead = False  # the copy of the frame before is of the frame before no more
        try:
            if self.current is not None:
                self.current.draw(surface)
            if self._fade_from is not None:
                now = self.clock()
                if self._fade_start is None:  # its first step: one 60 Hz frame into it
                    self._fade_start = now - FIRST_STEP_S
                    alpha = self._first_alpha
                else:
                    t = (now - self._fade_start) * 1000 / self.fade_ms
                    alpha = int(255 * (1 - t)) if 0 <= t < 1 else None
                if alpha is None:
                    self._fade_from = None
                else:
                    self._fade_to(alpha)
                    surface.blit(self._fade_from, (0, 0))
            for overlay in self.overlays:
                overlay.draw(surface)
            if self.held and self._fade_from is None and self.fade_ms > 0:
                # The next frame may be a tap's, whose fade starts from this one.
                self._copy_for_fade(surface)
                self._ahead = True
            self._failing = 0
        except Exception as exc:
            name = self.top.name if self.top is not None else "?"
            log.exception("screen %s failed to draw", name)
            self._failing += 1
            surface.fill(theme.BG)
            if self._failing < 3:
                self.on_failure(name, exc)
        self.frames_since_change += 1
        self.last_frame = surface

    def _safe(self, call: Callable[[], object], name: str) -> None:
        try:
            call()
        except Exception as exc:
            log.exception("screen %s failed", name)
            self._failing += 1
            if self._failing < 3:
                self.on_failure(name, exc)


def _on_leave(screen, event: Pointer) -> bool:
    """True when a press lands on the screen's Leave now (it acts at once, always)."""
    buttons = getattr(screen, "buttons", None)
    leave = buttons.find("leave") if buttons is not None else None
    return leave is not None and leave.hit(event.pos)
