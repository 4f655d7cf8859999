"""The school-session keypad: enter a session's code to start it, or again to end it.

Opened over the attract loop ("School session" button) or from the staff menu. The keys are
the code alphabet only (no look-alike characters, ``kiosk.school.ALPHABET``). A code that is
not a session, or is of another day, is refused with the reason; nothing else changes.
"""

from __future__ import annotations

import logging

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, shade
from kiosk.school import ALPHABET, LENGTH, CodeRefused, finder_for
from kiosk.ui import theme
from kiosk.ui.widgets import Button

log = logging.getLogger(__name__)
COLUMNS = 5


class SchoolCode(Screen):
    """Keypad for a session code (params: purpose="start" or "end")."""

    name = "school_code"
    chrome = False
    overlay = True

    def shown(self, **params) -> None:
        """An empty code; ending asks for the running session's code again."""
        self.code = ""
        self.message = ""
        self.purpose = params.get("purpose", "start")
        super().shown(**params)

    def layout(self, rect: pygame.Rect) -> None:
        """Five columns of keys, then delete, cancel and OK."""
        m = self.ctx.metrics
        self.panel = pygame.Rect(0, 0, *self.ctx.size).inflate(-2 * m.margin, -2 * m.margin)
        side = max(m.min_target, m.u(96))
        width = COLUMNS * side + (COLUMNS - 1) * m.gap
        x0 = self.panel.centerx - width // 2
        y0 = self.panel.y + m.u(250)
        size = m.text("heading")
        for i, key in enumerate(ALPHABET):
            r, c = divmod(i, COLUMNS)
            self.buttons.add(Button(f"code:{key}", key, "en", pygame.Rect(
                x0 + c * (side + m.gap), y0 + r * (side + m.gap), side, side),
                lambda k=key: self._type(k), "secondary", size))
        y = y0 + (len(ALPHABET) + COLUMNS - 1) // COLUMNS * (side + m.gap)
        third = (width - 2 * m.gap) // 3
        bsize = m.text("button")
        self.buttons.add(Button("code:delete", "⌫", "en", pygame.Rect(x0, y, third,
                                m.min_target), self._delete, "secondary", bsize))
        self.buttons.add(Button("cancel", self.t(S.CANCEL), self.lang, pygame.Rect(
            x0 + third + m.gap, y, third, m.min_target), self.close, "secondary", bsize))
        self.buttons.add(Button("code:ok", "OK", "en", pygame.Rect(
            x0 + 2 * (third + m.gap), y, third, m.min_target), self._ok, "primary", bsize))

    def _type(self, key: str) -> None:
        if len(self.code) < LENGTH:
            self.code += key
        self.message = ""

    def _delete(self) -> None:
        self.code = self.code[:-1]
        self.message = ""

    def _ok(self) -> None:
        if self.purpose == "end":
            self._end()
            return
        try:
            mode = finder_for(self.app).find(self.code, self.ctx.pack)
        except CodeRefused as exc:
            log.info("school session code refused: %s", exc)
            self.message = self.t(S.CODE_EXPIRED if exc.reason == "expired"
                                  else S.CODE_NOT_VALID)
            self.code = ""
            return
        log.info("school session started: %d stories, discussion %s", len(mode.stories),
                 "on" if mode.discussion else "off")
        self.app.flow.end_visit("done")
        self.ctx.school = mode
        self.close()
        self.app.flow.attract()

    def _end(self) -> None:
        school = self.ctx.school
        if school is not None and self.code != school.code:
            self.message = self.t(S.CODE_NOT_VALID)
            self.code = ""
            return
        end_session(self.app)
        self.close()

    def close(self) -> None:
        """Close the keypad."""
        self.app.manager.close_overlay("school_code")

    def pointer(self, event) -> bool:
        """Everything under the overlay waits."""
        self.buttons.pointer(event)
        return True

    def draw(self, surface: pygame.Surface) -> None:
        """Heading, the code typed so far, the refusal, the keys."""
        shade(surface, 200)
        pygame.draw.rect(surface, theme.BG, self.panel, border_radius=16)
        m, ctx = self.ctx.metrics, self.ctx
        inner = self.panel.inflate(-2 * m.margin, -2 * m.margin)
        y = inner.y
        heading = S.END_SESSION if self.purpose == "end" else S.SCHOOL_SESSION
        y += put_text(surface, ctx, self.t(heading), self.lang, inner.x, y, inner.width,
                      "title", theme.INK, True, "center")
        typed = " ".join(self.code.ljust(LENGTH, "_"))
        y += put_text(surface, ctx, self.t(S.ENTER_CODE) + ":  " + typed, self.lang, inner.x,
                      y + m.gap, inner.width, "heading", theme.INK, False, "center")
        put_text(surface, ctx, self.message, self.lang, inner.x, y + m.gap, inner.width, "body",
                 theme.LEAVE, True, "center")
        self.buttons.draw(surface, ctx.texts)


def end_session(app) -> None:
    """Back to normal mode: the visit ends, the session is forgotten, the attract loop shows."""
    if app.ctx.school is not None:
        log.info("school session ended")
    app.flow.end_visit("done")
    app.ctx.school = None
    app.flow.attract()


def school_button(screen) -> None:
    """Put the attract loop's "School session" / "End session" button on a screen."""
    ctx = screen.ctx
    m = ctx.metrics
    w, h = ctx.size
    width = m.u(360)
    if ctx.school is not None and ctx.school.expired():  # past midnight: back to normal mode
        ctx.school = None
    rect = pygame.Rect(w - m.margin - width, h - m.margin - m.min_target, width, m.min_target)
    running = ctx.school is not None
    screen.buttons.add(Button(
        "school", screen.t(S.END_SESSION if running else S.SCHOOL_SESSION), screen.lang, rect,
        lambda: screen.app.manager.open_overlay("school_code",
                                                purpose="end" if running else "start"),
        "secondary", m.text("button")))
