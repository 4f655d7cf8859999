"""Discussion mode: the class gathered round one screen talks, then the pedagogue taps.

Shown instead of the choice screen while a school session in discussion mode runs. It shows
the pack's discussion prompt for the branching point (and each choice's own prompt), the
choices as buttons for the pedagogue to tap the one the class settled on, and on request how
other visitors chose (the admin's aggregated numbers; a suppressed cell reads "Fewer than 5
visitors"). The idle timer waits: a discussion may take minutes.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, text_height
from kiosk.ui import theme
from kiosk.ui.widgets import Button

SUPPRESSED = "<5"
MIN_CELL = 5


def others_rows(school, view, lines, tr) -> list[tuple[str, str, float]]:
    """For each choice on offer: its label, how many chose it (or "fewer than"), bar share."""
    counts = school.others(view.story_id, view.scene_id) if school is not None else {}
    if not counts:  # no numbers for this point: as far as anyone can tell, fewer than 5
        counts = {c.id: SUPPRESSED for c in view.choices}
    known = [v for v in counts.values() if isinstance(v, int)]
    top = max(known, default=0) or 1  # bars relative to the largest shown number
    rows = []
    for c in view.choices:
        n = counts.get(c.id, 0)
        if n == SUPPRESSED:
            rows.append((lines.text(c.label_line), tr.plural(S.FEWER_THAN, MIN_CELL,
                                                              count=MIN_CELL), 0.0))
        else:
            rows.append((lines.text(c.label_line), tr.plural(S.VISITORS, int(n), count=int(n)),
                         int(n) / top))
    return rows


class Discussion(Screen):
    """Talk about it together, then tap the class's choice."""

    name = "discussion"

    def shown(self, **params) -> None:
        """params: view=SceneView awaiting a choice."""
        self.view = params["view"]
        self.showing_others = False
        lines = self.ctx.lines()
        self.prompt = lines.text(self.view.discussion_line) if self.view.discussion_line else ""
        self.options = [(c.id, lines.text(c.label_line),
                         lines.text(c.discussion_line) if c.discussion_line else "",
                         lines.language_of(c.label_line) or self.ctx.language)
                        for c in self.view.choices]
        super().shown(**params)

    def busy(self) -> bool:
        """The class is talking: the idle timer waits."""
        return True

    def back(self) -> None:
        """Back from the discussion: the scene's passage."""
        self.app.flow.back_to_passage()

    def layout(self, rect: pygame.Rect) -> None:
        """Prompt on the left (or on top in portrait), choices and "show others" beside it."""
        m = self.ctx.metrics
        if m.portrait:
            self.text_rect = pygame.Rect(rect.x, rect.y, rect.width, rect.height // 2)
            col = pygame.Rect(rect.x, self.text_rect.bottom + m.gap, rect.width,
                              rect.bottom - self.text_rect.bottom - m.gap)
        else:
            half = rect.width // 2 - m.gap
            self.text_rect = pygame.Rect(rect.x, rect.y, half, rect.height)
            col = pygame.Rect(rect.right - half, rect.y, half, rect.height)
        if self.rtl:
            self.text_rect.x, col.x = col.x, self.text_rect.x
        size = m.text("button")
        pad = m.u(20)
        y = col.y
        flow = self.app.flow
        for cid, label, _prompt, lang in self.options:
            block = self.ctx.texts.block(label, lang, col.width - 2 * pad, size, True, "center")
            h = max(m.min_target + m.u(16), block.height + 2 * pad)
            self.buttons.add(Button(f"choice:{cid}", label, lang, pygame.Rect(col.x, y,
                                    col.width, h), lambda cid=cid: flow.choose(cid), "primary",
                                    size))
            y += h + m.gap
        self.others_top = y + m.gap
        self.buttons.add(Button("show_others", self.t(S.SHOW_OTHERS), self.lang, pygame.Rect(
            col.x, col.bottom - m.min_target, col.width, m.min_target), self._toggle,
            "secondary", size))
        self.others_rect = pygame.Rect(col.x, self.others_top, col.width,
                                       col.bottom - m.min_target - m.gap - self.others_top)

    def _toggle(self) -> None:
        self.showing_others = not self.showing_others

    def draw_content(self, surface: pygame.Surface) -> None:
        """The prompts; and the other visitors' choices when asked for."""
        ctx, m = self.ctx, self.ctx.metrics
        r = self.text_rect
        y = r.y
        y += put_text(surface, ctx, self.t(S.DISCUSS_TOGETHER), self.lang, r.x, y, r.width,
                      "title", theme.INK, True) + m.gap
        if self.prompt:
            y += put_text(surface, ctx, self.prompt, self.lang, r.x, y, r.width, "body",
                          theme.INK) + m.gap
        for _cid, label, prompt, lang in self.options:
            if prompt and y < r.bottom:
                y += put_text(surface, ctx, f"{label}: {prompt}", lang, r.x, y, r.width,
                              "small", theme.MUTED) + m.u(8)
        put_text(surface, ctx, self.t(S.TAP_CLASS_CHOICE), self.lang, r.x,
                 max(y + m.gap, r.bottom - text_height(ctx, self.t(S.TAP_CLASS_CHOICE),
                                                       self.lang, r.width, "body", True)),
                 r.width, "body", theme.PRIMARY, True)
        if self.showing_others:
            self._draw_others(surface)

    def _draw_others(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        r = self.others_rect
        y = r.y
        y += put_text(surface, ctx, self.t(S.HOW_OTHERS_CHOSE), self.lang, r.x, y, r.width,
                      "heading", theme.INK, True) + m.u(8)
        for label, count, share in others_rows(ctx.school, self.view, ctx.lines(), ctx.tr()):
            y += put_text(surface, ctx, f"{label} — {count}", self.lang, r.x, y, r.width,
                          "small", theme.INK) + m.u(4)
            bar = pygame.Rect(r.x, y, max(2, int(r.width * share)), m.u(14))
            pygame.draw.rect(surface, theme.PRIMARY if share else theme.LINE, bar)
            y += bar.height + m.u(12)
