"""Unattended operation: the idle reset and the staff gesture.

Idle: after the pack's timeout without a touch (the clock stands still while narration or a
video plays), "Are you still there?" opens with a countdown; when it runs out the visit is
wiped and the attract loop returns. Staff: five taps in the staff corner within three seconds
open the PIN pad. The corner is the one no screen puts a button in: bottom left on a
landscape screen, top left on a portrait one (the chrome bar holds Back on that side).
"""

from __future__ import annotations

COUNTDOWN_S = 20
STAFF_TAPS = 5
STAFF_WINDOW_S = 3.0
QUIET_SCREENS = ("attract", "leave", "out_of_order")


class IdleWatch:
    """Counts idle time on visitor screens and opens the idle overlay."""

    def __init__(self, app) -> None:
        self.app = app
        self.last_touch = app.clock()
        self._last_update: float | None = None

    @property
    def timeout(self) -> float:
        """The pack's idle timeout in seconds."""
        return float(self.app.ctx.pack.kiosk.idle_timeout or 60)

    def touched(self, now: float) -> None:
        """A touch: the visitor is here."""
        self.last_touch = now

    def update(self, now: float) -> None:
        """Open the idle overlay when the time has come (paused while media plays)."""
        last = self._last_update if self._last_update is not None else now
        self._last_update = now
        manager = self.app.manager
        if manager.name in QUIET_SCREENS or manager.has_overlay("staff"):
            self.last_touch = now
            return
        screen = manager.current
        if screen is not None and _busy(screen):
            self.last_touch += now - last  # the idle clock waits while media plays
            return
        if not manager.has_overlay("idle") and now - self.last_touch >= self.timeout:
            countdown = self.app.ctx.config.idle_countdown or COUNTDOWN_S
            manager.open_overlay("idle", deadline=now + countdown)


def _busy(screen) -> bool:
    try:
        return bool(screen.busy())
    except Exception:
        return False


class StaffGesture:
    """Five taps in the staff corner within three seconds."""

    def __init__(self, app) -> None:
        self.app = app
        self.taps: list[float] = []

    def corner(self):
        """The staff corner's rectangle."""
        import pygame

        ctx = self.app.ctx
        side = ctx.metrics.margin
        w, h = ctx.size
        if ctx.metrics.portrait:
            return pygame.Rect(0, 0, side, side)
        return pygame.Rect(0, h - side, side, side)

    def tap(self, pos: tuple[int, int], now: float) -> bool:
        """Count a tap; True on the fifth in time."""
        if not self.corner().collidepoint(pos):
            self.taps.clear()
            return False
        self.taps = [t for t in self.taps if now - t <= STAFF_WINDOW_S] + [now]
        if len(self.taps) >= STAFF_TAPS:
            self.taps.clear()
            return True
        return False
