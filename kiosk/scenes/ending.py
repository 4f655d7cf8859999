"""The ending: what happened, what helped, what you can do, and the helplines with QR codes.

The "fictional composite" note shows where the story's consent kind says so.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen
from kiosk.scenes.helplines import draw_helplines
from kiosk.scenes.passage import fictional_note
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, ScrollBox, label_width


class Ending(Screen):
    """The end of a story."""

    name = "ending"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.qr = app.ctx.qr

    def prepare(self, **params) -> None:
        """params: view=SceneView of an ending scene; text_read=True when its passage
        showed the scene's text already (an ending with media, `Flow.ending_has_media`)."""
        self.view = params["view"]
        lines = self.ctx.lines()
        v = self.view
        self.parts: list[tuple[str, str, str, tuple, bool]] = []
        lang = self.ctx.language
        self.parts.append((self.t(S.THE_END), lang, "title", theme.INK, True))
        if v.text_line and not params.get("text_read"):
            self.parts.append((lines.text(v.text_line),
                               lines.language_of(v.text_line) or lang, "body", theme.INK, False))
        for heading, line in ((S.WHAT_HELPED, v.ending_helped_line),
                              (S.WHAT_YOU_CAN_DO, v.ending_action_line)):
            if line:
                self.parts.append((self.t(heading), lang, "heading", theme.PRIMARY, True))
                self.parts.append((lines.text(line), lines.language_of(line) or lang, "body",
                                   theme.INK, False))
        note = fictional_note(self.ctx, v.story_id)
        if note:
            self.parts.append((note, lang, "small", theme.MUTED, False))
        super().prepare(**params)

    def started(self) -> None:
        """Prepare the after-story questions."""
        self.app.warm("survey", phase="after", story=self.view.story_id)

    def layout(self, rect: pygame.Rect) -> None:
        """Story text on one side (scrolling), helplines on the other; Continue low."""
        m = self.ctx.metrics
        bh = control_height(m)
        if m.portrait:
            text_rect = pygame.Rect(rect.x, rect.y, rect.width, int(rect.height * 0.45))
            self.help_rect = pygame.Rect(rect.x, text_rect.bottom + m.gap, rect.width,
                                         rect.bottom - bh - 2 * m.gap - text_rect.bottom)
        else:
            half = (rect.width - 3 * m.gap) // 2
            text_rect = pygame.Rect(rect.x, rect.y, half, rect.height - bh - m.gap)
            self.help_rect = pygame.Rect(rect.x + half + 3 * m.gap, rect.y, half,
                                         rect.height - bh - m.gap)
            if self.rtl:
                text_rect.x, self.help_rect.x = self.help_rect.x, rect.x
        width = text_rect.width - m.u(20)
        gap = m.u(18)
        self.placed, height = [], 0
        for t, lg, role, color, bold in self.parts:
            block = self.ctx.texts.block(t, lg, width, m.text(role), bold)
            self.placed.append((block, color, height))
            height += block.height + gap
        self.box = ScrollBox(pygame.Rect(text_rect.x, text_rect.y, width, text_rect.height),
                             height)
        bw = label_width(self.ctx.texts, self.t(S.CONTINUE), self.lang, bh, m.text("button"),
                         m.u(420))
        x = rect.x if self.rtl else rect.right - bw
        self.buttons.add(Button("continue", self.t(S.CONTINUE), self.lang,
                                pygame.Rect(x, rect.bottom - bh, bw, bh),
                                self.app.flow.ending_done, "primary", m.text("button")))

    def draw_content(self, surface: pygame.Surface) -> None:
        """Text and helplines."""
        self.box.draw_parts(surface, [(b.render(c), y) for b, c, y in self.placed])
        pygame.draw.rect(surface, theme.CARD, self.help_rect.inflate(2 * self.ctx.metrics.gap,
                                                                     2 * self.ctx.metrics.gap),
                         border_radius=12)
        draw_helplines(surface, self.ctx, self.help_rect, self.qr, limit=4)

    def pointer(self, event) -> bool:
        """Scroll the text or press a button."""
        return self.box.pointer(event) or super().pointer(event)
