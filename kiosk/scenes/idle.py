"""Are you still there? A countdown over the screen; Continue, or the visit is wiped."""

from __future__ import annotations

import math

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, shade
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, label_width


class Idle(Screen):
    """The idle overlay."""

    name = "idle"
    chrome = False
    overlay = True

    def shown(self, **params) -> None:
        """params: deadline (clock time when the visit is wiped)."""
        self.deadline = params["deadline"]
        super().shown(**params)

    def layout(self, rect: pygame.Rect) -> None:
        """A small panel in the middle, Continue in it."""
        m = self.ctx.metrics
        w, h = self.ctx.size
        pw, ph = min(w - 2 * m.margin, m.u(1000)), m.u(440)
        self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        bh = control_height(m)
        label = self.t(S.CONTINUE)
        bw = label_width(self.ctx.texts, label, self.lang, bh, m.text("button"), m.u(440))
        self.buttons.add(Button("continue", label, self.lang,
                                pygame.Rect(self.panel.centerx - bw // 2,
                                            self.panel.bottom - m.margin - bh, bw, bh),
                                self.keep, "primary", m.text("button")))

    def keep(self) -> None:
        """The visitor is still here."""
        self.app.idle.touched(self.ctx.clock())
        self.app.manager.close_overlay("idle")

    def update(self, dt: float) -> None:
        """Wipe the visit when the countdown ends."""
        if self.ctx.clock() >= self.deadline:
            self.app.flow.idle_reset()

    def draw(self, surface: pygame.Surface) -> None:
        """Panel with the question and the seconds left."""
        shade(surface)
        pygame.draw.rect(surface, theme.BG, self.panel, border_radius=16)
        m = self.ctx.metrics
        inner = self.panel.inflate(-2 * m.margin, -2 * m.margin)
        seconds = max(0, math.ceil(self.deadline - self.ctx.clock()))
        y = inner.y
        y += put_text(surface, self.ctx, self.t(S.STILL_THERE), self.lang, inner.x, y,
                      inner.width, "title", theme.INK, True, "center") + m.gap
        put_text(surface, self.ctx, self.ctx.tr().plural(S.RETURNING_IN, seconds,
                                                         seconds=seconds),
                 self.lang, inner.x, y, inner.width, "body", theme.MUTED, False, "center")
        self.buttons.draw(surface, self.ctx.texts)

    def pointer(self, event) -> bool:
        """Any touch counts as "still here" once Continue is tapped."""
        self.buttons.pointer(event)
        return True
