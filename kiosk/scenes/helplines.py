"""The pack's helplines with QR codes: drawn at every ending and in the Help overlay."""

from __future__ import annotations

import io
import re
from collections import OrderedDict

import pygame

from kiosk.content.model import Helpline, Pack
from kiosk.i18n import strings as S
from kiosk.scenes.base import put_text, text_height
from kiosk.ui import theme


def helplines_for(pack: Pack) -> list[Helpline]:
    """The helplines reachable in the pack's country (those without countries everywhere)."""
    lines = [h for h in pack.helplines if not h.countries or pack.country in h.countries]
    return lines or list(pack.helplines)


def tel_uri(number: str) -> str:
    """A tel: URI for a number as printed ("020-50 50 50" -> "tel:020505050")."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


class QRCache:
    """QR codes (segno) as pygame surfaces, one per content and size, the `capacity` most
    recently used kept (a pack has a handful of helplines; a code at 1080p is about 90 kB)."""

    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self._codes: OrderedDict[tuple[str, int], pygame.Surface] = OrderedDict()

    def get(self, content: str, side: int) -> pygame.Surface:
        """A QR code for `content`, dark on white, about `side` pixels square."""
        key = (content, side)
        surface = self._codes.get(key)
        if surface is None:
            import segno

            code = segno.make(content, error="m")
            modules = code.symbol_size(scale=1, border=2)[0]
            scale = max(1, side // modules)
            buffer = io.BytesIO()
            code.save(buffer, kind="png", scale=scale, border=2, dark="#1e242c", light="#ffffff")
            buffer.seek(0)
            surface = pygame.image.load(buffer, "qr.png")
            # Nearest-neighbour to the exact side: every code the same size, modules crisp.
            surface = pygame.transform.scale(surface, (side, side))
            if pygame.display.get_surface() is not None:
                surface = surface.convert()
            self._codes[key] = surface
            while len(self._codes) > self.capacity:
                self._codes.popitem(last=False)
        else:
            self._codes.move_to_end(key)
        return surface


def draw_helplines(surface: pygame.Surface, ctx, rect: pygame.Rect, qr: QRCache,
                   limit: int = 6) -> int:
    """Draw the heading and helplines in `rect` (two columns when wide); returns the height."""
    lang = ctx.language
    lines = ctx.lines()
    m = ctx.metrics
    rtl = lang_rtl(ctx)
    y = rect.y
    y += put_text(surface, ctx, ctx.t(S.HELPLINES), lang, rect.x, y, rect.width, "heading",
                  theme.INK, True) + m.gap
    helplines = helplines_for(ctx.pack)[:limit]
    columns = 2 if rect.width > m.u(1100) else 1
    col_w = (rect.width - (columns - 1) * m.gap * 2) // columns
    qr_side = m.u(150)
    row_top, row_h = y, 0
    for index, line in enumerate(helplines):
        col = index % columns
        if col == 0 and index:
            row_top += row_h + m.gap
            row_h = 0
        x = rect.x + col * (col_w + m.gap * 2)
        if rtl:
            x = rect.right - (x - rect.x) - col_w
        text_w = col_w - qr_side - m.gap
        qx, tx = (x, x + qr_side + m.gap) if rtl else (x + text_w + m.gap, x)
        if row_top + qr_side > rect.bottom:
            break
        code = qr.get(tel_uri(line.number), qr_side)
        surface.blit(code, (qx, row_top))
        ty = row_top
        ty += put_text(surface, ctx, lines.pick(line.name, "helpline"), lang, tx, ty, text_w,
                       "body", theme.INK, True)
        ty += put_text(surface, ctx, line.number, lang, tx, ty, text_w, "heading",
                       theme.PRIMARY, True)
        ty += put_text(surface, ctx, lines.pick(line.hours, "hours"), lang, tx, ty, text_w,
                       "small", theme.MUTED)
        if line.audience:
            ty += put_text(surface, ctx, lines.pick(line.audience, "audience"), lang, tx, ty,
                           text_w, "small", theme.MUTED)
        verified = ctx.tr().format_value(line.verified)
        ty += put_text(surface, ctx, ctx.t(S.LAST_VERIFIED, date=verified), lang, tx, ty,
                       text_w, "small", theme.MUTED)
        row_h = max(row_h, ty - row_top, qr_side)
    bottom = row_top + row_h
    return bottom - rect.y


def helplines_height(ctx, width: int) -> int:
    """A rough height of the helplines block, for layout decisions."""
    return text_height(ctx, "X", ctx.language, width, "heading") * 6


def lang_rtl(ctx) -> bool:
    """True when the interface language is right to left."""
    from kiosk.ui.text import language_layout

    return language_layout(ctx.language)[1]
