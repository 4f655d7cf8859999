"""After Leave now: a calm, neutral screen that says nothing about what was showing."""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.attract import prefetch_slide
from kiosk.scenes.base import Screen, put_text
from kiosk.ui import theme
from kiosk.ui.input import UP

SHOW_S = 12.0


class Leave(Screen):
    """Thank you for visiting."""

    name = "leave"
    chrome = False
    has_back = False

    def shown(self, **params) -> None:
        """The visit is already wiped; return to the attract loop after a while."""
        self.until = self.ctx.clock() + SHOW_S
        super().shown(**params)
        prefetch_slide(self.ctx, 0)  # the attract loop comes next

    @property
    def lang(self) -> str:
        """The language the visitor was reading (the visit itself is already wiped)."""
        return self.params.get("language") or self.ctx.language

    def t(self, message: str, **values) -> str:
        """An interface string in the visitor's language."""
        return self.ctx.tr(self.lang).gettext(message, **values)

    def update(self, dt: float) -> None:
        """Back to the attract loop when the time is up."""
        if self.ctx.clock() >= self.until:
            self.app.flow.attract()

    def draw_content(self, surface: pygame.Surface) -> None:
        """One short sentence, in the middle."""
        w, h = self.ctx.size
        m = self.ctx.metrics
        put_text(surface, self.ctx, self.t(S.THANK_YOU_VISITING), self.lang, m.margin,
                 h // 2 - m.text("title"), w - 2 * m.margin, "title", theme.INK, False,
                 "center")

    def pointer(self, event) -> bool:
        """A tap goes to the attract loop."""
        if event.kind == UP:
            self.app.flow.attract()
            return True
        return False
