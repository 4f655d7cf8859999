"""The attract loop: the pack's pictures, and "Touch to begin" in each pack language in turn.

Its showing is the moment between visits: a new or changed pack is picked up here, on the
frame after it first shows and every `PACK_CHECK_S` while it runs (a kiosk left at the loop
overnight takes up a pack installed in the night without waiting for a visitor). Looking
walks the pack's files (2-3 ms for the demo pack): never on the frame of the tap that led
here.
"""

from __future__ import annotations

import logging

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.scenes.language import warm_menus
from kiosk.scenes.school_code import school_button
from kiosk.ui import theme
from kiosk.ui.input import UP
from kiosk.ui.widgets import veil

log = logging.getLogger(__name__)
SLIDE_S = 8.0
LANGUAGE_S = 3.0
FADE_S = 0.3
PACK_CHECK_S = 30.0


def prefetch_slide(ctx, index: int) -> bool:
    """Ask the media prefetcher (a worker thread) for an attract slide, so that showing it
    never decodes a picture on a frame (between visits: nothing else is being prefetched)."""
    slides = ctx.pack.kiosk.attract
    media = ctx.media
    if not slides or media is None:
        return False
    from kiosk.media import ImageRequest

    picture = slides[index % len(slides)]
    try:
        media.prefetch.want([ImageRequest(ctx.pack.media_path(picture.src), ctx.size, "cover",
                                          picture.focus)])
    except Exception as exc:
        log.warning("attract slide prefetch: %s", exc)
    return True


class Attract(Screen):
    """The attract loop."""

    name = "attract"
    chrome = False
    has_back = False
    complete = False  # the first slide drawn (see draw)

    def shown(self, **params) -> None:
        """Between visits: start the slides; a new pack is looked for on the next frame."""
        self.t0 = self.ctx.clock()
        self.next_pack_check = self.t0 + PACK_CHECK_S
        self._images: dict[int, pygame.Surface | None] = {}
        self._asked = -1
        super().shown(**params)
        self.app.warm("language")
        self.app.warm("help")  # makes the helplines' QR codes, for every ending and Help
        for code in self.ctx.pack.languages:  # Leave now thanks in the visitor's language
            self.app.warm("leave", language=code)
        warm_menus(self.app)
        self.app.later(self.app.collect_garbage)
        self.app.next_frame(self._pick_up_pack)

    def _pick_up_pack(self) -> bool:
        """Take up a new or changed pack: the loop starts again with it (True)."""
        if self.app.check_pack():
            self.app.manager.go("attract", fade=False)  # the new pack's loop
            return True
        return False

    def hidden(self) -> None:
        """The slides stay only in the image cache (within its byte budget) during a visit."""
        self._images = {}

    def update(self, dt: float) -> None:
        """The next slide's picture is prepared in the background while this one shows."""
        now = self.ctx.clock()
        index = int((now - self.t0) // SLIDE_S)
        if self.app.manager.frames_since_change == 0:
            return  # not on the frame that first shows the loop
        if now >= self.next_pack_check and not self.app.manager.overlays:
            self.next_pack_check = now + PACK_CHECK_S
            if self._pick_up_pack():
                return
        if index != self._asked and prefetch_slide(self.ctx, index + 1):
            self._asked = index

    def layout(self, rect: pygame.Rect) -> None:
        """The "School session" button (or "End session" while one runs), bottom right."""
        school_button(self)

    def _slide(self, index: int) -> pygame.Surface | None:
        slides = self.ctx.pack.kiosk.attract
        if not slides:
            return None
        index %= len(slides)
        if index not in self._images:
            image = None
            media = self.ctx.media
            if media is not None:
                picture = slides[index]
                try:
                    # Cropped to the screen's shape around the picture's focal point (the
                    # centre unless the pack names one): in portrait a person at the side
                    # stays whole.
                    image = media.images.get(self.ctx.pack.media_path(picture.src),
                                             box=self.ctx.size, mode="cover",
                                             focus=picture.focus)
                except Exception as exc:
                    log.warning("attract image %s: %s", picture.src, exc)
            if media is not None:  # until media has started, try again next frame
                self._images[index] = image
        return self._images.get(index)

    def draw(self, surface: pygame.Surface) -> None:
        """Slides (a short cross-fade between them) and the invitation."""
        surface.fill(theme.ATTRACT_PANEL)
        elapsed = self.ctx.clock() - self.t0
        index = int(elapsed // SLIDE_S)
        image = self._slide(index)
        # Complete once the slide is drawn, or known to be missing (no slides, no media, a
        # picture that failed to load): the "first attract frame" of bench/kiosk_start.py.
        self.complete = (not self.ctx.pack.kiosk.attract or index in self._images
                         or self.ctx.media is None)
        if image is not None:
            surface.blit(image, (0, 0))
            into = elapsed - index * SLIDE_S
            if index and into < FADE_S:
                previous = self._slide(index - 1)
                if previous is not None:
                    previous.set_alpha(int(255 * (1 - into / FADE_S)))
                    surface.blit(previous, (0, 0))
                    previous.set_alpha(None)
        self._invitation(surface, elapsed)
        self.buttons.draw(surface, self.ctx.texts)

    def _invitation(self, surface: pygame.Surface, elapsed: float) -> None:
        pack = self.ctx.pack
        languages = pack.languages or [pack.default_language]
        lang = languages[int(elapsed // LANGUAGE_S) % len(languages)]
        m = self.ctx.metrics
        w, h = self.ctx.size
        panel_h = m.u(260)
        panel = pygame.Rect(0, h - panel_h - m.u(80), w, panel_h)
        veil(surface, panel, theme.ATTRACT_PANEL, 215)
        inner = panel.inflate(-2 * m.margin, -m.u(40))
        title = self.ctx.lines(lang).pick(pack.title, "pack title")
        y = inner.y
        y += put_text(surface, self.ctx, title, lang, inner.x, y, inner.width, "heading",
                      theme.ATTRACT_INK, False, "center") + m.u(12)
        put_text(surface, self.ctx, self.ctx.tr(lang).gettext(S.TOUCH_TO_BEGIN), lang, inner.x,
                 y, inner.width, "title", theme.ATTRACT_INK, True, "center")

    def pointer(self, event) -> bool:
        """Any tap (outside the staff corner and the school button) begins."""
        if self.buttons.pointer(event):
            return True
        if event.kind == UP and not self.app.staff_gesture.corner().collidepoint(event.pos):
            self.app.flow.begin()
            return True
        return False
