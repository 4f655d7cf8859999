"""A branching point: the choices the runtime offers, as large buttons."""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.ui import theme
from kiosk.ui.widgets import Button


class ChoiceScreen(Screen):
    """What happens next?"""

    name = "choice"

    def prepare(self, **params) -> None:
        """params: view=SceneView awaiting a choice."""
        self.view = params["view"]
        lines = self.ctx.lines()
        self.options = [(c.id, lines.text(c.label_line),
                         lines.language_of(c.label_line) or self.ctx.language)
                        for c in self.view.choices]
        super().prepare(**params)

    def started(self) -> None:
        """Prepare the screens each choice leads to."""
        self.app.flow.warm_after(self.view, at_choice=True)

    def layout(self, rect: pygame.Rect) -> None:
        """The heading, then one wide button per choice (taller when its label wraps)."""
        m = self.ctx.metrics
        width = min(rect.width, m.u(1200))
        x = rect.centerx - width // 2
        self.head = pygame.Rect(x, rect.y, width, m.text("title") * 2)
        pad = m.u(24)
        size = m.text("button")
        heights = []
        for _, label, lang in self.options:
            block = self.ctx.texts.block(label, lang, width - 2 * pad, size, True, "center")
            heights.append(max(m.min_target + m.u(24), block.height + 2 * pad))
        total = sum(heights) + m.gap * 2 * (len(heights) - 1)
        avail = rect.bottom - self.head.bottom - m.gap
        # Low on the screen in portrait (reachable from a wheelchair); centred in landscape.
        y = (rect.bottom - total) if m.portrait else self.head.bottom + max(
            m.gap, (avail - total) // 2)
        y = max(y, self.head.bottom + m.gap)
        flow = self.app.flow
        for (cid, label, lang), h in zip(self.options, heights, strict=True):
            self.buttons.add(Button(f"choice:{cid}", label, lang, pygame.Rect(x, y, width, h),
                                    lambda cid=cid: flow.choose(cid), "primary", size))
            y += h + 2 * m.gap

    def draw_content(self, surface: pygame.Surface) -> None:
        """The heading."""
        r = self.head
        put_text(surface, self.ctx, self.t(S.WHAT_NEXT), self.lang, r.x, r.y, r.width,
                 "title", theme.INK, True, "center")
