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
from kiosk.ui.layouts import chrome_rects, chrome_row_height, chrome_rows
from kiosk.ui.text import language_layout
from kiosk.ui.widgets import Button, Buttons, label_box


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
        m = self.ctx.metrics
        self.buttons.min_size = m.min_label
        if self.chrome:
            self.chrome_rect, self.content = chrome_rects(m)
        else:
            self.chrome_rect, self.content = pygame.Rect(0, 0, 0, 0), pygame.Rect(0, 0, *self.ctx.size)
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
        """The Back control: the story menu, unless the screen says otherwise."""
        self.app.flow.to_menu()

    def _chrome(self) -> None:
        """The controls of every screen, in the bar's rows: each button as wide as its label
        on one line (at least its design width) when the row has room, else the row shared
        evenly and labels wrap; labels keep the text size (the bar grew for them)."""
        m = self.ctx.metrics
        size = m.text("chrome")
        flow = self.app.flow
        sound = S.TURN_SOUND_OFF if self.ctx.sound_on else S.TURN_SOUND_ON  # what it does
        larger = S.SMALLER_TEXT if self.ctx.text_step == 2 else S.LARGER_TEXT
        start = [("back", S.BACK, self.back, "chrome")] if self.has_back else []
        end = [
            ("language", S.LANGUAGE, flow.open_language, "chrome"),
            ("text_size", larger, flow.cycle_text_size, "chrome"),
            ("sound", sound, flow.toggle_sound, "chrome"),
            ("help", S.HELP, flow.open_help, "chrome"),
            ("leave", S.LEAVE_NOW, flow.leave_now, "leave"),
        ]
        if chrome_rows(m) == 2:  # Leave now in the lower row (in portrait, nearest the hand)
            rows = [(start, end[:2]), ([], end[2:])]
        else:
            rows = [(start, end)]
        height = chrome_row_height(m)
        y = self.chrome_rect.y + m.gap
        for row_start, row_end in rows:
            row = pygame.Rect(self.chrome_rect.x + m.margin, y,
                              self.chrome_rect.width - 2 * m.margin, height)
            self._chrome_row(row, row_start, row_end, size)
            y += height + m.gap

    def _chrome_row(self, row: pygame.Rect, start: list, end: list, size: int) -> None:
        m = self.ctx.metrics
        design = {"leave": m.u(230), "back": m.u(170)}
        items = start + end
        probe = pygame.Rect(0, 0, m.u(190), row.height)
        pad = label_box(probe)[0]
        texts, room = self.ctx.texts, 2 * pad + 4
        widths, least = [], []
        for key, label, _action, _style in items:
            text = self.t(label)
            line = texts.block(text, self.lang, 100000, size, True).used_width + room
            word = max(texts.block(w, self.lang, 100000, size, True).used_width
                       for w in text.split() or [text]) + room
            widths.append(max(design.get(key, m.u(190)), line))
            least.append(word)
        gaps = m.gap * (len(items) - 1) + (m.gap if start else 0)
        spare = row.width - gaps - sum(least)
        if sum(widths) + gaps > row.width and spare >= 0:
            # Too narrow for every label on one line: each gets its longest word, and the
            # rest of the row goes where a label would wrap most.
            want = [max(0, w - lo) for w, lo in zip(widths, least, strict=True)]
            total = sum(want) or 1
            widths = [lo + spare * w // total for lo, w in zip(least, want, strict=True)]
        elif spare < 0:
            widths = [(row.width - gaps) // len(items)] * len(items)
        xs = []
        x = row.x
        for width in widths[:len(start)]:  # Back at the start
            xs.append(x)
            x += width + m.gap
        x = row.right - sum(widths[len(start):]) - m.gap * (len(end) - 1)
        for width in widths[len(start):]:  # the rest at the end
            xs.append(x)
            x += width + m.gap
        items = [(*item, x) for item, x in zip(items, xs, strict=True)]
        for (key, label, action, style, x), width in zip(items, widths, strict=True):
            if self.rtl:
                x = row.right - (x - row.x) - width
            self.buttons.add(Button(key, self.t(label), self.lang,
                                    pygame.Rect(x, row.y, width, row.height), action, style,
                                    size))


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
