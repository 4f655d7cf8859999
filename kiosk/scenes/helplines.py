"""The helpline panel: the pack's helplines, at every ending and in the Help overlay.

The panel's rules (docs/kiosk.md, "The helpline panel"):

- every helpline the pack offers for its country is shown whole: name, number, the
  languages it answers in (each named in itself), hours, audience and a QR code;
- the cards take as few columns as let them all fit; when none does, the panel scrolls,
  with a bar and an arrow strip below it as the cue (a tap on the strip scrolls a page);
- the date of the information shows once below the cards when every line shares it;
- where no line answers in the visitor's language, the panel says so, in that language.

`panel_view` builds what to show from the pack; `panel_layout` is a pure function from the
text cache, the metrics and a box to the boxes of every text and code; `HelplinePanel`
draws exactly those boxes, and the tests read them.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from dataclasses import dataclass

import pygame

from kiosk.content.helplines import helplines_for
from kiosk.content.model import Helpline
from kiosk.i18n import strings as S
from kiosk.ui import theme
from kiosk.ui.input import UP
from kiosk.ui.text import TextBlock, TextCache
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import ScrollBox


def tel_uri(number: str) -> str:
    """A tel: URI for a number as printed ("020-50 50 50" -> "tel:020505050")."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def answers_in(line: Helpline, language: str) -> bool | None:
    """True when the line answers in `language` (sv-FI matches sv); None when the pack
    does not say which languages it answers in."""
    if not line.languages:
        return None
    base = re.split(r"[-_]", language)[0]
    return any(code == language or re.split(r"[-_]", code)[0] == base
               for code in line.languages)


def endonym(code: str) -> str:
    """A language's name in itself, as written inside a sentence ("svenska", "English")."""
    from kiosk.i18n.languages import UnknownLanguage, language_name

    try:
        return language_name(code, code)
    except UnknownLanguage:
        return code


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


# -- what the panel shows ---------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One text of the panel: its kind (name, number, languages, hours, audience, verified,
    heading, note), the text, the language it is written in, its text role and colour."""

    key: str
    text: str
    lang: str
    role: str = "small"
    bold: bool = False
    color: tuple = theme.MUTED


@dataclass(frozen=True)
class Card:
    """One helpline: its id, its tel: URI (the QR code) and its texts, top to bottom."""

    id: str
    tel: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class PanelView:
    """The panel's heading, notes above the cards, the cards, and notes below them."""

    heading: Piece
    before: tuple[Piece, ...]
    cards: tuple[Card, ...]
    after: tuple[Piece, ...]


def panel_view(ctx) -> PanelView:
    """What the panel shows in the interface language: every helpline for the pack's
    country, in the pack's order."""
    lang = ctx.language
    lines = ctx.lines()
    helplines = helplines_for(ctx.pack)
    shared_date = len({h.verified for h in helplines}) == 1
    verified = [Piece("verified", ctx.t(S.LAST_VERIFIED, date=ctx.tr().format_value(
        h.verified)), lang) for h in helplines]
    cards = []
    for h, when in zip(helplines, verified, strict=True):
        pieces = [Piece("name", lines.pick(h.name, "helpline"),
                        lines.pick_language(h.name) or lang, "body", True, theme.INK),
                  Piece("number", h.number, lang, "heading", True, theme.PRIMARY)]
        if h.languages:
            names = ctx.tr().join([endonym(code) for code in h.languages])
            pieces.append(Piece("languages", ctx.t(S.HELPLINE_LANGUAGES, languages=names),
                                lang, "small", False, theme.INK))
        pieces.append(Piece("hours", lines.pick(h.hours, "hours"),
                            lines.pick_language(h.hours) or lang))
        if h.audience:
            pieces.append(Piece("audience", lines.pick(h.audience, "audience"),
                                lines.pick_language(h.audience) or lang))
        if not shared_date:
            pieces.append(when)
        cards.append(Card(h.id, tel_uri(h.number), tuple(pieces)))
    known = [answers_in(h, lang) for h in helplines]
    before = ()
    if known and all(k is not None for k in known) and not any(known):
        before = (Piece("note", ctx.t(S.NO_HELPLINE_IN_LANGUAGE), lang, "body", True,
                        theme.INK),)
    after = (verified[0],) if shared_date and verified else ()
    return PanelView(Piece("heading", ctx.t(S.HELPLINES), lang, "heading", True, theme.INK),
                     before, tuple(cards), after)


# -- where everything goes --------------------------------------------------------------------
@dataclass(frozen=True)
class Placed:
    """A laid-out text and its box on screen when the panel is not scrolled."""

    key: str
    rect: pygame.Rect
    block: TextBlock
    color: tuple


@dataclass(frozen=True)
class CardBox:
    """A helpline's card: its box, its QR code's box and its texts' boxes."""

    id: str
    tel: str
    rect: pygame.Rect
    qr: pygame.Rect
    texts: tuple[Placed, ...]

    def text(self, key: str) -> Placed | None:
        """The placed text of one kind ("name", "number"...), or None."""
        return next((p for p in self.texts if p.key == key), None)


@dataclass(frozen=True)
class PanelLayout:
    """The panel's boxes. `view` is the window the cards scroll in; every other box is
    where it sits at scroll offset 0, so content lies in `view` moved down by up to
    `content_height - view.height`. `bar` (the scroll bar's track) and `cue` (the arrow
    strip below the view) exist exactly when the content is taller than the view."""

    rect: pygame.Rect
    heading: Placed
    view: pygame.Rect
    content_height: int
    notes: tuple[Placed, ...]
    cards: tuple[CardBox, ...]
    columns: int
    bar: pygame.Rect | None = None
    cue: pygame.Rect | None = None

    @property
    def scrollable(self) -> bool:
        """True when the cards need scrolling."""
        return self.content_height > self.view.height


def qr_side(m: Metrics) -> int:
    """The side of a helpline's QR code."""
    return m.u(150)


def min_card_width(m: Metrics) -> int:
    """The narrowest card worth a column of its own: a code beside a text column that holds
    a phone number in the heading size."""
    return qr_side(m) + m.gap + max(m.u(420), m.text("heading") * 8)


def panel_layout(texts: TextCache, m: Metrics, rect: pygame.Rect, rtl: bool,
                 view: PanelView) -> PanelLayout:
    """The boxes of the panel in `rect`: the first arrangement (fewest columns, texts
    stacked before split in two) that fits all cards, else the one that needs the least
    scrolling, with room kept for the scroll cue."""
    heading = _place(texts, m, view.heading, rect.x, rect.y, rect.width)
    top = heading.rect.bottom + m.gap
    body = pygame.Rect(rect.x, top, rect.width, max(1, rect.bottom - top))
    for columns, split in _arrangements(texts, m, body.width, view):
        notes, cards, height = _flow(texts, m, body, rtl, view, columns, split)
        if height <= body.height:
            return PanelLayout(rect, heading, body, height, notes, cards, columns)
    bar_w = m.u(12)
    cue_h = m.min_target
    inner = pygame.Rect(body.x + (bar_w + m.gap if rtl else 0), body.y,
                        body.width - bar_w - m.gap, max(1, body.height - cue_h - m.gap))
    best = min((_flow(texts, m, inner, rtl, view, c, split) + (c,)
                for c, split in _arrangements(texts, m, inner.width, view)),
               key=lambda laid: laid[2])
    notes, cards, height, columns = best
    bar = pygame.Rect(body.x if rtl else body.right - bar_w, inner.y, bar_w, inner.height)
    cue = pygame.Rect(body.x, inner.bottom + m.gap, body.width, cue_h)
    return PanelLayout(rect, heading, inner, height, notes, cards, columns, bar, cue)


def _arrangements(texts: TextCache, m: Metrics, width: int,
                  view: PanelView) -> list[tuple[int, bool]]:
    """(columns, split) in order of preference: one column first; a card's texts split into
    name and number beside the rest only where both halves get room."""
    most = max(1, min(len(view.cards), width // max(1, min_card_width(m))))
    out = []
    for columns in range(1, most + 1):
        col_w = (width - (columns - 1) * 2 * m.gap) // columns
        out.append((columns, False))
        text_w = col_w - qr_side(m) - m.gap
        if text_w - _first_width(texts, m, view, text_w) - 2 * m.gap >= m.u(420):
            out.append((columns, True))
    return out


def _first_width(texts: TextCache, m: Metrics, view: PanelView, text_w: int) -> int:
    """The width of a split card's name-and-number column: as wide as the longest name or
    number on one line, up to a third of the texts' width, and never narrower than its
    longest word (words never break there)."""
    def widths(split_words: bool):
        for card in view.cards:
            for piece in card.pieces:
                if piece.key in ("name", "number"):
                    for part in (piece.text.split() if split_words else [piece.text]):
                        yield texts.block(part, piece.lang, 10_000, m.text(piece.role),
                                          piece.bold).used_width

    whole = max(widths(False), default=0)
    widest_word = max(widths(True), default=0)
    return max(m.u(280), min(whole, text_w * 32 // 100), widest_word) + 1


def _place(texts: TextCache, m: Metrics, piece: Piece, x: int, y: int, width: int) -> Placed:
    block = texts.block(piece.text, piece.lang, width, m.text(piece.role), piece.bold)
    return Placed(piece.key, pygame.Rect(x, y, width, block.height), block, piece.color)


def _flow(texts: TextCache, m: Metrics, box: pygame.Rect, rtl: bool, view: PanelView,
          columns: int, split: bool = False
          ) -> tuple[tuple[Placed, ...], tuple[CardBox, ...], int]:
    """Notes, then the cards in rows of `columns`, then notes; returns their boxes and the
    height they take below `box.top`. A split card has its name and number in a narrower
    text column beside its other texts."""
    col_gap = 2 * m.gap
    col_w = (box.width - (columns - 1) * col_gap) // columns
    side = qr_side(m)
    beside = col_w - side - m.gap >= m.u(260)  # else the code goes under the texts
    text_w = col_w - side - m.gap if beside else col_w
    first_w = _first_width(texts, m, view, text_w) if split else text_w
    notes: list[Placed] = []
    y = box.y
    for piece in view.before:
        notes.append(_place(texts, m, piece, box.x, y, box.width))
        y = notes[-1].rect.bottom + m.gap
    cards: list[CardBox] = []
    row_top, row_h = y, 0
    for index, card in enumerate(view.cards):
        col = index % columns
        if col == 0 and index:
            row_top += row_h + m.gap + m.u(8)
            row_h = 0
        x = box.x + col * (col_w + col_gap)
        if rtl:
            x = box.right - (x - box.x) - col_w
        tx = x + side + m.gap if rtl and beside else x  # the text area's left edge
        placed: list[Placed] = []
        bottom = row_top
        for part, (left, width) in _text_columns(tx, text_w, first_w, m.gap, rtl, split):
            ty = row_top
            for piece in card.pieces:
                if split and (piece.key in ("name", "number")) != (part == 0):
                    continue
                placed.append(_place(texts, m, piece, left, ty, width))
                ty = placed[-1].rect.bottom + m.u(4)
            bottom = max(bottom, ty)
        if beside:
            qr = pygame.Rect(x if rtl else x + col_w - side, row_top, side, side)
        else:
            qr = pygame.Rect(x + col_w - side if rtl else x, bottom + m.u(8), side, side)
        height = max(qr.bottom, bottom) - row_top
        cards.append(CardBox(card.id, card.tel, pygame.Rect(x, row_top, col_w, height), qr,
                             tuple(placed)))
        row_h = max(row_h, height)
    y = row_top + row_h
    for piece in view.after:
        notes.append(_place(texts, m, piece, box.x, y + m.gap, box.width))
        y = notes[-1].rect.bottom
    return tuple(notes), tuple(cards), y - box.y


def _text_columns(x: int, width: int, first_w: int, gap: int, rtl: bool,
                  split: bool) -> list[tuple[int, tuple[int, int]]]:
    """The text area's columns as (part, (left, width)): part 0 holds the name and number,
    on the reading's start side."""
    if not split:
        return [(0, (x, width))]
    rest_w = width - first_w - 2 * gap
    if rtl:
        return [(0, (x + width - first_w, first_w)), (1, (x, rest_w))]
    return [(0, (x, first_w)), (1, (x + first_w + 2 * gap, rest_w))]


# -- drawing and scrolling --------------------------------------------------------------------
class HelplinePanel:
    """The panel on a screen: draws its layout's boxes and scrolls them by drag or by a tap
    on the cue."""

    def __init__(self, layout: PanelLayout, qr: QRCache) -> None:
        self.layout = layout
        self.qr = qr
        self.scroll = ScrollBox(layout.view, layout.content_height)

    def draw(self, surface: pygame.Surface) -> None:
        """The heading, the visible part of the cards, and the cue when it scrolls."""
        lay = self.layout
        surface.blit(lay.heading.block.render(lay.heading.color), lay.heading.rect.topleft)
        off = self.scroll.offset
        clip = surface.get_clip()
        surface.set_clip(lay.view.clip(clip))
        for card in lay.cards:
            if card.rect.bottom - off >= lay.view.y and card.rect.y - off < lay.view.bottom:
                surface.blit(self.qr.get(card.tel, card.qr.width), (card.qr.x, card.qr.y - off))
                for placed in card.texts:
                    self._blit(surface, placed, off)
        for placed in lay.notes:
            self._blit(surface, placed, off)
        surface.set_clip(clip)
        if lay.scrollable:
            self._cue(surface, off)

    @staticmethod
    def _blit(surface: pygame.Surface, placed: Placed, off: int) -> None:
        surface.blit(placed.block.render(tuple(placed.color)), (placed.rect.x, placed.rect.y - off))

    def _cue(self, surface: pygame.Surface, off: int) -> None:
        lay, box = self.layout, self.scroll
        pygame.draw.rect(surface, theme.LINE, lay.bar, border_radius=lay.bar.width // 2)
        knob_h = max(lay.bar.width * 3, lay.bar.height * lay.view.height // lay.content_height)
        knob_y = lay.bar.y + (lay.bar.height - knob_h) * off // max(1, box.max_offset)
        pygame.draw.rect(surface, theme.PRIMARY, (lay.bar.x, knob_y, lay.bar.width, knob_h),
                         border_radius=lay.bar.width // 2)
        cue = lay.cue
        pygame.draw.rect(surface, theme.CARD, cue, border_radius=12)
        pygame.draw.rect(surface, theme.PRIMARY, cue, width=2, border_radius=12)
        s = cue.height // 4
        cx, cy = cue.centerx, cue.centery
        if off < box.max_offset:  # more below: a chevron pointing down
            points = [(cx - 2 * s, cy - s), (cx, cy + s), (cx + 2 * s, cy - s)]
        else:  # at the end: pointing up, back to the top
            points = [(cx - 2 * s, cy + s), (cx, cy - s), (cx + 2 * s, cy + s)]
        pygame.draw.lines(surface, theme.PRIMARY, False, points, max(3, s // 3))

    def pointer(self, event) -> bool:
        """Drag the cards; a tap on the cue scrolls a page down (at the end: to the top)."""
        lay = self.layout
        if lay.cue is not None and event.kind == UP and lay.cue.collidepoint(event.pos):
            box = self.scroll
            box.offset = 0 if box.offset >= box.max_offset else \
                min(box.max_offset, box.offset + lay.view.height * 4 // 5)
            return True
        return self.scroll.pointer(event)
