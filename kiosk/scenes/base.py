"""The screen lifecycle (arcade's View): shown, hidden, update, draw, pointer; and the chrome.

Every visitor screen carries the same controls (the chrome): Leave now, Help, language,
larger text, sound on/off, and back. On a landscape screen they sit in a bar at the top; on a
portrait screen at the bottom, within reach from a wheelchair. For right-to-left languages
the bar is mirrored. A screen builds its own buttons in `layout(content_rect)`; it draws a
view model the flow built from the runtime and the line provider, and holds no story logic.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.ui import theme
from kiosk.ui.input import Pointer
from kiosk.ui.text import language_layout
from kiosk.ui.widgets import Button, Buttons


class Screen:
    """Base of every screen and overlay."""

    name = "screen"
    chrome = True
    overlay = False
    has_back = True

    def __init__(self, app) -> None:
        self.app = app
        self.ctx = app.ctx
        self.buttons = Buttons()
        self.params: dict = {}
        self.content = pygame.Rect(0, 0, *self.ctx.size)
        self.chrome_rect = pygame.Rect(0, 0, 0, 0)

    # -- lifecycle ------------------------------------------------------------------------
    def shown(self, **params) -> None:
        """The screen comes on (params from the flow): prepare, lay out, start."""
        self.prepare(**params)
        self.rebuild()
        self.started()

    def prepare(self, **params) -> None:
        """Build the view model from the params (no side effects: also used to warm caches
        for a screen that may come next)."""
        self.params = params

    def started(self) -> None:
        """Side effects of coming on screen (narration, prefetch)."""

    def hidden(self) -> None:
        """The screen goes away (stop media here)."""

    def discard(self) -> None:
        """Let go of everything this instance holds, now. For a screen built only to warm
        the caches (`App.warm`), drawn once and thrown away: its buttons' callbacks are bound
        methods, reference cycles that kept every warmed screen, with its pictures and text,
        alive until the garbage collector's next full pass (the soak's peak memory)."""
        self.buttons.clear()
        self.__dict__.clear()

    def update(self, dt: float) -> None:
        """Advance time by `dt` seconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole screen."""
        surface.fill(theme.BG)
        self.draw_content(surface)
        if self.chrome:
            pygame.draw.rect(surface, theme.CHROME, self.chrome_rect)
        self.buttons.draw(surface, self.ctx.texts)

    def draw_content(self, surface: pygame.Surface) -> None:
        """Draw what is behind the buttons."""

    def pointer(self, event: Pointer) -> bool:
        """A pointer event; True when taken."""
        return self.buttons.pointer(event)

    def busy(self) -> bool:
        """True while narration or video plays (the idle timer waits)."""
        return False

    # -- building -------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay the screen out again (shown, language, text size or window changed)."""
        self.buttons.clear()
        w, h = self.ctx.size
        m = self.ctx.metrics
        bar = m.min_target + 2 * m.gap if self.chrome else 0
        if m.portrait:
            self.chrome_rect = pygame.Rect(0, h - bar, w, bar)
            self.content = pygame.Rect(0, 0, w, h - bar)
        else:
            self.chrome_rect = pygame.Rect(0, 0, w, bar)
            self.content = pygame.Rect(0, bar, w, h - bar)
        self.layout(self.content.inflate(-2 * m.margin, -2 * m.gap))
        if self.chrome:
            self._chrome()

    def layout(self, rect: pygame.Rect) -> None:
        """Place the screen's own buttons and text in `rect`."""

    @property
    def lang(self) -> str:
        """The interface language."""
        return self.ctx.language

    @property
    def rtl(self) -> bool:
        """True when the interface language is written right to left."""
        return language_layout(self.ctx.language)[1]

    def t(self, message: str, **values) -> str:
        """An interface string in the current language."""
        return self.ctx.t(message, **values)

    def back(self) -> None:
        """The Back control (each screen says where back is)."""
        self.app.flow.back_from(self.name)

    def _chrome(self) -> None:
        m = self.ctx.metrics
        size = m.text("chrome")
        flow = self.app.flow
        sound = S.SOUND_ON if self.ctx.sound_on else S.SOUND_OFF
        larger = S.SMALLER_TEXT if self.ctx.text_step == 2 else S.LARGER_TEXT
        start = [("back", S.BACK, self.back, "chrome")] if self.has_back else []
        end = [
            ("language", S.LANGUAGE, flow.open_language, "chrome"),
            ("text_size", larger, flow.cycle_text_size, "chrome"),
            ("sound", sound, flow.toggle_sound, "chrome"),
            ("help", S.HELP, flow.open_help, "chrome"),
            ("leave", S.LEAVE_NOW, flow.leave_now, "leave"),
        ]
        r = self.chrome_rect
        gap = m.gap
        height = m.min_target
        y = r.y + (r.height - height) // 2
        widths = {"leave": m.u(230), "back": m.u(170)}
        default_w = m.u(190)
        total_end = sum(widths.get(k, default_w) for k, *_ in end)
        avail = r.width - 2 * m.margin - (widths["back"] + gap if start else 0)
        shrink = min(1.0, (avail - gap * (len(end) - 1)) / total_end)
        x_end = r.right - m.margin
        placed: list[tuple[str, str, object, str, int]] = []
        for key, label, action, style in reversed(end):
            width = int(widths.get(key, default_w) * shrink)
            x_end -= width
            placed.append((key, label, action, style, x_end))
            x_end -= gap
        if start:
            key, label, action, style = start[0]
            placed.append((key, label, action, style, r.x + m.margin))
        for key, label, action, style, x in placed:
            width = widths.get(key, default_w) if key == "back" else \
                int(widths.get(key, default_w) * shrink)
            if self.rtl:
                x = r.right - (x - r.x) - width
            self.buttons.add(Button(key, self.t(label), self.lang,
                                    pygame.Rect(x, y, width, height), action, style, size))


def put_text(surface: pygame.Surface, ctx, text: str, lang: str, x: int, y: int, width: int,
             role: str = "body", color=theme.INK, bold: bool = False,
             align: str | None = None) -> int:
    """Lay out and draw text at (x, y) in a column `width` wide; returns its height."""
    if not text:
        return 0
    block = ctx.texts.block(text, lang, width, ctx.metrics.text(role), bold, align)
    surface.blit(block.render(tuple(color)), (x, y))
    return block.height


def text_height(ctx, text: str, lang: str, width: int, role: str = "body",
                bold: bool = False) -> int:
    """The height text would take in a column (the same layout as `put_text`)."""
    if not text:
        return 0
    return ctx.texts.block(text, lang, width, ctx.metrics.text(role), bold).height


def shade(surface: pygame.Surface, alpha: int = 150) -> None:
    """Dim what is behind an overlay (blended in place: no full-screen surface per frame)."""
    keep = 255 - alpha
    surface.fill((keep, keep, keep), special_flags=pygame.BLEND_MULT)
    surface.fill(tuple(c * alpha // 255 for c in theme.SHADE[:3]),
                 special_flags=pygame.BLEND_ADD)
