"""A passage: the scene's picture (or film), its text, narration with captions, and progress.

The text scrolls when it does not fit its box. Narration starts on entering the scene when
the pack says so and sound is on; the idle timer waits while it (or a video) plays. A film
shows its poster on the tap's frame and plays from the frames after (its player opens off
the main thread). The next scenes' pictures and narration are prefetched when the passage
shows.
"""

from __future__ import annotations

import logging

import pygame

from kiosk.i18n import language_info
from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.scenes.media_panel import MediaPanel
from kiosk.story import Phase
from kiosk.ui import theme
from kiosk.ui.layouts import passage_layout
from kiosk.ui.widgets import Button, ScrollBox, label_height, label_width

log = logging.getLogger(__name__)


def fictional_note(ctx, story_id: str) -> str:
    """The "fictional composite" label when the story's consent kind says so, else ''."""
    consent = ctx.pack.stories[story_id].consent
    if consent is not None and consent.kind == "composite-fiction":
        return ctx.t(S.FICTIONAL_COMPOSITE)
    return ""


class Passage(Screen):
    """Image, text, narration and a progress marker; Next (or Continue to the choices)."""

    name = "passage"

    def prepare(self, **params) -> None:
        """params: view=SceneView."""
        self.view = params["view"]
        lines = self.ctx.lines()
        self.text = lines.text(self.view.text_line) if self.view.text_line else ""
        self.text_lang = (lines.language_of(self.view.text_line) if self.view.text_line
                          else None) or self.ctx.language
        self.note = fictional_note(self.ctx, self.view.story_id) if self.view.is_first else ""
        self.media = MediaPanel(self.ctx, self.view)
        super().prepare(**params)

    def started(self) -> None:
        """Narration (or film) starts; the next scenes are prefetched and warmed."""
        self.media.start()
        # After this frame is out: the film's player opens (on the video engine's thread)
        # and the media worker wakes for the next scenes.
        self.app.next_frame(self.media.after_first_frame)
        self.app.flow.warm_after(self.view)

    def hidden(self) -> None:
        """Stop narration and video."""
        self.media.stop()

    def busy(self) -> bool:
        """Narration or video playing."""
        return self.media.playing()

    def back(self) -> None:
        """Back from a passage: the scene before, or the menu from the first."""
        self.app.flow.back_from_passage()

    def layout(self, rect: pygame.Rect) -> None:
        """Boxes from the shared passage layout; buttons in the controls row."""
        m = self.ctx.metrics
        probe = passage_layout(m, self.media.has_visual, self.rtl)
        progress_h = self._progress(None, probe.progress)
        lay = passage_layout(m, self.media.has_visual, self.rtl, progress_h=progress_h)
        widths, next_w, row_h = self._control_widths(lay.controls)
        if row_h > lay.controls.height:  # a shared label wraps taller: the row grows
            lay = passage_layout(m, self.media.has_visual, self.rtl, progress_h=progress_h,
                                 controls_h=row_h)
        self.lay = lay
        self.media.layout(lay.media)
        text = self.text
        if self.media.transcript:
            text = "\n\n".join(t for t in (text, self.t(S.VIDEO_UNAVAILABLE_TEXT),
                                            self.media.transcript) if t)
        block = self.ctx.texts.block(text, self.text_lang, lay.text.width, m.text("body"))
        self.box = ScrollBox(lay.text, block.height)
        self.block = block
        c = lay.controls
        flow = self.app.flow
        size = m.text("button")
        label, controls = self._control_labels()
        next_x = c.x if self.rtl else c.right - next_w
        self.buttons.add(Button("next", label, self.lang,
                                pygame.Rect(next_x, c.y, next_w, c.height), flow.passage_next,
                                "primary", size))
        x = c.x
        for (key, text, action), width in zip(controls, widths, strict=True):
            bx = c.right - (x - c.x) - width if self.rtl else x
            self.buttons.add(Button(key, text, self.lang, pygame.Rect(bx, c.y, width, c.height),
                                    action, "secondary", size))
            x += width + m.gap

    def _control_labels(self) -> tuple[str, list[tuple[str, str, object]]]:
        """Next's (or Continue's) label, and the media controls (key, label, action)."""
        label = self.t(S.CONTINUE if self.view.phase == Phase.AWAITING_CHOICE else S.NEXT)
        return label, [(key, self.t(text), action) for key, text, action, _slot
                       in sorted(self.media.controls(), key=lambda control: control[3])]

    def _control_widths(self, c: pygame.Rect) -> tuple[list[int], int, int]:
        """The media controls' widths, Next's width, and the row's height their labels need.

        Each as wide as its label on one line; where the row is too narrow for that, it is
        shared evenly and the labels wrap: the row is then as tall as the tallest wrapped
        label at its full size (two lines of Arabic are taller than two of Latin)."""
        m, texts = self.ctx.metrics, self.ctx.texts
        size = m.text("button")
        label, controls = self._control_labels()
        widths = [label_width(texts, t, self.lang, c.height, size, m.u(200))
                  for _key, t, _action in controls]
        next_w = label_width(texts, label, self.lang, c.height, size,
                             max(m.u(300), c.width // 3))
        if sum(widths) + next_w + m.gap * len(widths) <= c.width:
            return widths, next_w, c.height
        next_w = (c.width - m.gap * len(widths)) // (len(widths) + 1)
        row_h = max(label_height(texts, t, self.lang, next_w, size, c.height)
                    for t in [label, *(t for _key, t, _action in controls)])
        return [next_w] * len(widths), next_w, row_h

    def update(self, dt: float) -> None:
        """Keep the play/pause label true to the narration."""
        if self.media.update():
            self.rebuild()

    def draw_content(self, surface: pygame.Surface) -> None:
        """Media, progress, notes and text."""
        self.media.draw(surface)
        self._progress(surface, self.lay.progress)
        self.box.draw(surface, self.block.render(theme.INK))

    def _progress(self, surface: pygame.Surface | None, p: pygame.Rect) -> int:
        """Draw the progress marker and notes (or only measure them when surface is None);
        returns their height."""
        ctx, m = self.ctx, self.ctx.metrics
        if surface is None:
            surface = pygame.Surface((1, 1))
            p = pygame.Rect(-10 * p.width, 0, p.width, p.height)
        label = ctx.t(S.PART_OF, current=self.view.step, total=max(self.view.step,
                                                                   self.view.estimate))
        y = p.y
        y += put_text(surface, ctx, label, self.lang, p.x, y, p.width, "small", theme.MUTED,
                      True)
        bar = pygame.Rect(p.x, y + m.u(4), p.width, m.u(6))
        pygame.draw.rect(surface, theme.LINE, bar, border_radius=3)
        done = bar.copy()
        done.width = int(bar.width * min(1.0, self.view.step / max(1, self.view.estimate)))
        if self.rtl:
            done.right = bar.right
        pygame.draw.rect(surface, theme.PRIMARY, done, border_radius=3)
        y = bar.bottom + m.u(6)
        if self.note:
            y += put_text(surface, ctx, self.note, self.lang, p.x, y, p.width, "small",
                          theme.MUTED)
        if self.text_lang != ctx.language:
            name = language_info(self.text_lang).name_in_itself
            y += put_text(surface, ctx, ctx.t(S.SHOWN_IN, language=name), self.lang, p.x, y,
                          p.width, "small", theme.MUTED)
        return y - p.y

    def pointer(self, event) -> bool:
        """Scroll the text or press a button."""
        return self.box.pointer(event) or super().pointer(event)
