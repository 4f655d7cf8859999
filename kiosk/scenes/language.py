"""The language picker: each pack language named in itself, as large targets.

Shown after the attract loop, and over any screen from the Language control (then it is an
overlay with Close, and choosing keeps the visitor's place). After the attract loop nobody
has chosen a language yet, so the heading speaks each pack language in turn, changing every
`HEADING_CYCLE_S` seconds.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import language_info
from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, shade
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, label_width

HEADING_CYCLE_S = 3.0


class Language(Screen):
    """Choose your language."""

    name = "language"

    def prepare(self, **params) -> None:
        """The heading's turn through the languages starts now."""
        self.since = self.ctx.clock()
        super().prepare(**params)

    def started(self) -> None:
        """Prepare the story menu in each language (the visitor's pick is not known yet)."""
        if not self.overlay:
            warm_menus(self.app)

    def heading_language(self) -> str:
        """The heading's language now: the interface's over a visit; on the first picker each
        pack language in turn, from the pack's default."""
        languages = list(self.ctx.pack.languages)
        if self.overlay or self.ctx.visit is not None or len(languages) < 2:
            return self.lang
        first = languages.index(self.lang) if self.lang in languages else 0
        turn = int((self.ctx.clock() - self.since) // HEADING_CYCLE_S)
        return languages[(first + turn) % len(languages)]

    def layout(self, rect: pygame.Rect) -> None:
        """A grid of language buttons."""
        m = self.ctx.metrics
        if not self.chrome:
            rect = pygame.Rect(0, 0, *self.ctx.size).inflate(-4 * m.margin, -4 * m.margin)
            self.panel = rect.inflate(2 * m.gap, 2 * m.gap)
        self.title_y = rect.y
        title_h = m.text("title") * 2
        languages = self.ctx.pack.languages
        cols = 2 if m.portrait or len(languages) <= 4 else 3
        rows = (len(languages) + cols - 1) // cols
        top = rect.y + title_h + m.gap
        bottom = rect.bottom - (control_height(m) + m.gap if not self.chrome else 0)
        bh = min(m.u(130), (bottom - top - (rows - 1) * m.gap) // max(1, rows))
        bh = max(bh, m.min_target)
        bw = min(m.u(560), (rect.width - (cols - 1) * m.gap) // cols)
        grid_w = cols * bw + (cols - 1) * m.gap
        x0 = rect.centerx - grid_w // 2
        for i, code in enumerate(languages):
            r, c = divmod(i, cols)
            if self.rtl:
                c = cols - 1 - c
            info = language_info(code)
            style = "selected" if code == self.ctx.language and self.ctx.visit else "secondary"
            self.buttons.add(Button(f"lang:{code}", info.name_in_itself, code,
                                    pygame.Rect(x0 + c * (bw + m.gap), top + r * (bh + m.gap),
                                                bw, bh),
                                    lambda code=code: self.app.flow.choose_language(code),
                                    style, m.text("heading")))
        if not self.chrome:
            close, ch = self.t(S.CLOSE), control_height(m)
            cw = label_width(self.ctx.texts, close, self.lang, ch, m.text("button"), m.u(320))
            self.buttons.add(Button("close", close, self.lang,
                                    pygame.Rect(rect.centerx - cw // 2, rect.bottom - ch, cw,
                                                ch),
                                    lambda: self.app.manager.close_overlay(self.name),
                                    "primary", m.text("button")))
        self.title_rect = pygame.Rect(rect.x, rect.y, rect.width, title_h)

    def draw(self, surface: pygame.Surface) -> None:
        """The grid, as a screen or over a dimmed screen."""
        if self.chrome:
            super().draw(surface)
            return
        shade(surface)
        pygame.draw.rect(surface, theme.BG, self.panel, border_radius=16)
        self.draw_content(surface)
        self.buttons.draw(surface, self.ctx.texts)

    def draw_content(self, surface: pygame.Surface) -> None:
        """The title, in the current language."""
        r = self.title_rect
        lang = self.heading_language()
        put_text(surface, self.ctx, self.ctx.tr(lang).gettext(S.CHOOSE_LANGUAGE), lang, r.x,
                 r.y, r.width, "title", theme.INK, True, "center")

    def back(self) -> None:
        """Back from the picker: to the attract loop."""
        self.app.flow.attract()


def warm_menus(app) -> None:
    """Warm the story menu in every pack language, the current one first."""
    languages = list(app.ctx.pack.languages)
    if app.ctx.language in languages:
        languages.remove(app.ctx.language)
        languages.insert(0, app.ctx.language)
    for code in languages:
        app.warm("menu", language=code)


class LanguageOverlay(Language):
    """The picker over the current screen (the Language control): Close keeps the place."""

    name = "language_overlay"
    chrome = False
    overlay = True
