"""The ending: what happened, what helped, what you can do, and the helplines with QR codes.

The "fictional composite" note shows where the story's consent kind says so.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen
from kiosk.scenes.helplines import HelplinePanel, panel_layout, panel_view
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

    def back(self) -> None:
        """Back from an ending: its passage, or the scene before."""
        self.app.flow.back_from_ending()

    def layout(self, rect: pygame.Rect) -> None:
        """Story text with Continue under it on one side, the helpline panel on the other,
        the full height (landscape); text above the panel, Continue below both (portrait)."""
        m = self.ctx.metrics
        bh = control_height(m)
        bw = label_width(self.ctx.texts, self.t(S.CONTINUE), self.lang, bh, m.text("button"),
                         m.u(420))
        pad = m.gap  # the panel's card reaches this far around its boxes
        if m.portrait:
            text_rect = pygame.Rect(rect.x, rect.y, rect.width, int(rect.height * 0.38))
            panel = pygame.Rect(rect.x + pad, text_rect.bottom + 2 * pad, rect.width - 2 * pad,
                                rect.bottom - bh - 2 * pad - text_rect.bottom - 3 * pad)
            button_x = rect.x if self.rtl else rect.right - bw
        else:
            panel_w = int((rect.width - 3 * m.gap) * 0.62)
            text_w = rect.width - 3 * m.gap - panel_w
            text_rect = pygame.Rect(rect.x, rect.y, text_w, rect.height - bh - 2 * m.gap)
            panel = pygame.Rect(rect.right - panel_w + pad, rect.y + pad, panel_w - 2 * pad,
                                rect.height - 2 * pad)
            if self.rtl:
                text_rect.x, panel.x = rect.right - text_w, rect.x + pad
            bw = min(bw, text_rect.width)
            button_x = text_rect.x if self.rtl else text_rect.right - bw
        width = text_rect.width - m.u(20)
        gap = m.u(18)
        self.placed, height = [], 0
        for t, lg, role, color, bold in self.parts:
            block = self.ctx.texts.block(t, lg, width, m.text(role), bold)
            self.placed.append((block, color, height))
            height += block.height + gap
        self.box = ScrollBox(pygame.Rect(text_rect.x, text_rect.y, width, text_rect.height),
                             height)
        self.helplines = HelplinePanel(panel_layout(self.ctx.texts, m, panel, self.rtl,
                                                    panel_view(self.ctx)), self.qr)
        self.buttons.add(Button("continue", self.t(S.CONTINUE), self.lang,
                                pygame.Rect(button_x, rect.bottom - bh, bw, bh),
                                self.app.flow.ending_done, "primary", m.text("button")))

    def draw_content(self, surface: pygame.Surface) -> None:
        """Text and helplines."""
        self.box.draw_parts(surface, [(b.render(c), y) for b, c, y in self.placed])
        pad = self.ctx.metrics.gap
        pygame.draw.rect(surface, theme.CARD, self.helplines.layout.rect.inflate(2 * pad, 2 * pad),
                         border_radius=12)
        self.helplines.draw(surface)

    def pointer(self, event) -> bool:
        """Scroll the text or the helplines, or press a button."""
        return (self.box.pointer(event) or self.helplines.pointer(event)
                or super().pointer(event))
