"""Help: the pack's helplines over whatever is showing; Close returns to it unchanged."""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, shade
from kiosk.scenes.helplines import HelplinePanel, panel_layout, panel_view
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, label_width


class Help(Screen):
    """The helplines overlay."""

    name = "help"
    chrome = False
    overlay = True

    def __init__(self, app) -> None:
        super().__init__(app)
        self.qr = app.ctx.qr

    def layout(self, rect: pygame.Rect) -> None:
        """A large panel with a Close button low in it."""
        m = self.ctx.metrics
        self.panel = pygame.Rect(0, 0, *self.ctx.size).inflate(-2 * m.margin, -2 * m.margin)
        bh = control_height(m)
        list_rect = self.panel.inflate(-2 * m.margin, -2 * m.margin)
        list_rect.height -= bh + 2 * m.gap
        self.helplines = HelplinePanel(panel_layout(self.ctx.texts, m, list_rect, self.rtl,
                                                    panel_view(self.ctx)), self.qr)
        y = self.panel.bottom - m.margin - bh
        size = m.text("button")
        close, leave = self.t(S.CLOSE), self.t(S.LEAVE_NOW)
        cw = label_width(self.ctx.texts, close, self.lang, bh, size, m.u(400))
        self.buttons.add(Button("close", close, self.lang,
                                pygame.Rect(self._close_x(m, cw), y, cw, bh),
                                lambda: self.app.manager.close_overlay("help"), "primary",
                                size))
        # Leave now stays one tap away, over the help too (ETHICS.md rule 7), wherever Help
        # opens: every visitor screen, the first language picker (no visit yet) included.
        lw = label_width(self.ctx.texts, leave, self.lang, bh, size, m.u(260))
        lx = self.panel.x + m.margin if self.rtl else self.panel.right - m.margin - lw
        self.buttons.add(Button("leave", leave, self.lang, pygame.Rect(lx, y, lw, bh),
                                self.app.flow.leave_now, "leave", size))

    def _close_x(self, m, width: int) -> int:
        # With Leave now beside it, Close sits at the start side.
        return self.panel.right - m.margin - width if self.rtl else self.panel.x + m.margin

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen, draw the panel."""
        shade(surface)
        pygame.draw.rect(surface, theme.BG, self.panel, border_radius=16)
        self.helplines.draw(surface)
        self.buttons.draw(surface, self.ctx.texts)

    def pointer(self, event) -> bool:
        """Everything under the overlay waits; the helplines scroll, Close acts."""
        self.buttons.pointer(event) or self.helplines.pointer(event)
        return True
