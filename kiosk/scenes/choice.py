"""A branching point: the choices the runtime offers, as large buttons."""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.ui import theme
from kiosk.ui.layouts import choice_layout, choice_width
from kiosk.ui.widgets import Button


class ChoiceScreen(Screen):
    """The choices, under a neutral heading (the story format gives a scene no question of
    its own, and the screen must not ask one the passage did not ask)."""

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

    def back(self) -> None:
        """Back from the choices: the scene's passage."""
        self.app.flow.back_to_passage()

    def layout(self, rect: pygame.Rect) -> None:
        """The heading, then one wide button per choice (taller when its label wraps)."""
        m = self.ctx.metrics
        size = m.text("button")
        inner = choice_width(m, rect) - 2 * m.u(24)
        heights = [self.ctx.texts.block(label, lang, inner, size, True, "center").height
                   for _, label, lang in self.options]
        self.head, rects = choice_layout(m, rect, heights)
        flow = self.app.flow
        for (cid, label, lang), r in zip(self.options, rects, strict=True):
            self.buttons.add(Button(f"choice:{cid}", label, lang, r,
                                    lambda cid=cid: flow.choose(cid), "primary", size))

    def draw_content(self, surface: pygame.Surface) -> None:
        """The heading."""
        r = self.head
        put_text(surface, self.ctx, self.t(S.CHOOSE_HOW_TO_GO_ON), self.lang, r.x, r.y, r.width,
                 "title", theme.INK, True, "center")
