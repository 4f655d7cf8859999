"""Buttons and a scrolling text box, drawn with the theme and the kiosk's text layout.

A button shows its pressed state from the pointer-down event on (the same frame), and acts
on pointer-up inside it. A drag that starts on a button and moves away cancels it, so
scrolling a story never chooses by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from kiosk.ui import theme
from kiosk.ui.input import DOWN, MOVE, UP, Pointer
from kiosk.ui.text import TextCache

STYLES = {
    # style: (fill, pressed fill, text colour, border)
    "primary": (theme.PRIMARY, theme.PRIMARY_PRESSED, theme.ON_PRIMARY, None),
    "secondary": (theme.CARD, theme.SECONDARY_PRESSED, theme.PRIMARY, theme.PRIMARY),
    "leave": (theme.LEAVE, theme.LEAVE_PRESSED, theme.ON_PRIMARY, None),
    "chrome": (theme.CARD, theme.SECONDARY_PRESSED, theme.INK, theme.EDGE),
    "card": (theme.CARD, theme.SECONDARY_PRESSED, theme.INK, theme.EDGE),
    "selected": (theme.PRIMARY, theme.PRIMARY_PRESSED, theme.ON_PRIMARY, None),
}


@dataclass
class Button:
    """A touch target with a label (laid out in the label's language)."""

    key: str
    label: str
    lang: str
    rect: pygame.Rect
    action: Callable[[], None] | None = None
    style: str = "primary"
    size: int = 30
    bold: bool = True
    enabled: bool = True
    pressed: bool = False
    draw_label: bool = True
    extra: dict = field(default_factory=dict)
    drawn_size: int | None = None  # the label's size as last drawn (after fitting)
    label_fits: bool = True  # False when the label ran out of the button as last drawn

    def hit(self, pos: tuple[int, int]) -> bool:
        """True when a point is inside the button."""
        return self.enabled and self.rect.collidepoint(pos)

    def draw(self, surface: pygame.Surface, texts: TextCache, radius: int = 12,
             min_size: int | None = None, rect: pygame.Rect | None = None) -> None:
        """Draw the button in its current state (at `rect` when given: a card drawn where it
        scrolled to, while its touch area is only the visible part)."""
        rect = self.rect if rect is None else rect
        fill, pressed_fill, ink, border = STYLES[self.style]
        if not self.enabled:
            fill, ink, border = theme.DISABLED, theme.ON_PRIMARY, None
        pygame.draw.rect(surface, pressed_fill if self.pressed else fill, rect,
                         border_radius=radius)
        if border is not None:
            pygame.draw.rect(surface, border, rect, width=2, border_radius=radius)
        if self.draw_label and self.label:
            floor = int(self.size * 0.6) if min_size is None else min(self.size, min_size)
            self.drawn_size, self.label_fits = draw_label(
                surface, texts, self.label, self.lang, rect, self.size, ink, self.bold, floor)


def label_box(rect: pygame.Rect) -> tuple[int, int]:
    """The padding and the text width of a label in a button's rectangle."""
    pad = max(8, min(24, rect.height // 6))  # a tall button keeps room for its label
    return pad, max(1, rect.width - 2 * pad)


def label_width(texts: TextCache, label: str, lang: str, height: int, size: int,
                least: int, bold: bool = True) -> int:
    """The width a button `height` tall needs for `label` on one line at `size` (at least
    `least`)."""
    pad = label_box(pygame.Rect(0, 0, least, height))[0]
    block = texts.block(label, lang, 100000, size, bold, "center")
    return max(least, block.used_width + 2 * pad + 4)


def label_height(texts: TextCache, label: str, lang: str, width: int, size: int,
                 least: int, bold: bool = True) -> int:
    """The height a button `width` wide needs for `label` wrapped at `size` (at least
    `least`; the padding grows with the height, so it is settled in a few rounds)."""
    height = least
    for _ in range(3):
        _pad, inner = label_box(pygame.Rect(0, 0, width, height))
        block = texts.block(label, lang, inner, size, bold, "center")
        if block.height + 4 <= height:
            break
        height = block.height + 4
    return height


def draw_label(surface: pygame.Surface, texts: TextCache, label: str, lang: str,
               rect: pygame.Rect, size: int, color, bold: bool = True,
               min_size: int | None = None) -> tuple[int, bool]:
    """A label centred in a rectangle, shrunk (down to `min_size`, else 60%) until it fits;
    returns the size drawn and whether it fits."""
    floor = int(size * 0.6) if min_size is None else min_size
    pad, width = label_box(rect)
    block = texts.block(label, lang, width, size, bold, "center")
    step = size

    def fits(block) -> bool:
        return block.height <= rect.height - 4 and block.used_width <= width

    while not fits(block) and step > floor:
        step = max(floor, int(step * 0.9))
        block = texts.block(label, lang, width, step, bold, "center")
    image = block.render(tuple(color))
    surface.blit(image, (rect.x + pad, rect.centery - block.height // 2))
    return step, fits(block)


class Buttons:
    """The buttons of a screen: press, release, cancel on drag."""

    def __init__(self) -> None:
        self.items: list[Button] = []
        self.min_size: int | None = None  # no label drawn smaller (the screen sets it)
        self._down: Button | None = None
        self._down_at: tuple[int, int] = (0, 0)

    def clear(self) -> None:
        """Remove every button."""
        self.items.clear()
        self._down = None

    def add(self, button: Button) -> Button:
        """Add a button (later ones are on top)."""
        self.items.append(button)
        return button

    def find(self, key: str) -> Button | None:
        """The button with a key."""
        return next((b for b in self.items if b.key == key), None)

    def pointer(self, event: Pointer, slop: int = 24) -> bool:
        """Handle a pointer event; True when a button took it."""
        if event.kind == DOWN:
            for button in reversed(self.items):
                if button.hit(event.pos):
                    button.pressed = True
                    self._down, self._down_at = button, event.pos
                    return True
            return False
        button = self._down
        if button is None:
            return False
        if event.kind == MOVE:
            dx, dy = event.pos[0] - self._down_at[0], event.pos[1] - self._down_at[1]
            if abs(dx) > slop or abs(dy) > slop:
                button.pressed = False
                self._down = None
                return False
            return True
        if event.kind == UP:
            button.pressed = False
            self._down = None
            if button.hit(event.pos) and button.action is not None:
                button.action()
            return True
        return False

    def draw(self, surface: pygame.Surface, texts: TextCache) -> None:
        """Draw every button."""
        for button in self.items:
            button.draw(surface, texts, min_size=self.min_size)


def veil(surface: pygame.Surface, rect: pygame.Rect, color, alpha: int) -> None:
    """Blend `color` over `rect` at `alpha` in place (no veil surface made every frame)."""
    keep = 255 - alpha
    surface.fill((keep, keep, keep), rect, special_flags=pygame.BLEND_MULT)
    surface.fill(tuple(c * alpha // 255 for c in color[:3]), rect,
                 special_flags=pygame.BLEND_ADD)


class ScrollBox:
    """A region showing part of a tall surface; dragged by a finger, with a scroll bar."""

    def __init__(self, rect: pygame.Rect, content_height: int) -> None:
        self.rect = pygame.Rect(rect)
        self.content_height = content_height
        self.offset = 0
        self._drag: tuple[int, int] | None = None

    @property
    def scrollable(self) -> bool:
        """True when the content is taller than the box."""
        return self.content_height > self.rect.height

    @property
    def max_offset(self) -> int:
        """How far the content can scroll."""
        return max(0, self.content_height - self.rect.height)

    def scroll_by(self, dy: int) -> None:
        """Scroll by a number of pixels, within bounds."""
        self.offset = max(0, min(self.max_offset, self.offset + dy))

    def pointer(self, event: Pointer) -> bool:
        """Drag to scroll; True while a drag that started inside is going on."""
        if not self.scrollable:
            return False
        if event.kind == DOWN and self.rect.collidepoint(event.pos):
            self._drag = (event.pos[1], self.offset)
            return False
        if event.kind == MOVE and self._drag is not None:
            start_y, start_offset = self._drag
            self.offset = max(0, min(self.max_offset, start_offset + start_y - event.pos[1]))
            return True
        if event.kind == UP:
            self._drag = None
        return False

    def draw(self, surface: pygame.Surface, content: pygame.Surface) -> None:
        """Draw the visible part of `content` and, when it scrolls, a slim bar."""
        area = pygame.Rect(0, self.offset, self.rect.width, self.rect.height)
        surface.blit(content, self.rect.topleft, area)
        self._bar(surface)

    def draw_parts(self, surface: pygame.Surface,
                   parts: list[tuple[pygame.Surface, int]]) -> None:
        """Draw content made of pieces stacked at heights `y` (rendered text blocks), each
        clipped to the box: no surface the size of the whole content is made."""
        clip = surface.get_clip()
        surface.set_clip(self.rect.clip(clip) if clip else self.rect)
        for piece, y in parts:
            top = self.rect.y + y - self.offset
            if top < self.rect.bottom and top + piece.get_height() > self.rect.y:
                surface.blit(piece, (self.rect.x, top))
        surface.set_clip(clip)
        self._bar(surface)

    def _bar(self, surface: pygame.Surface) -> None:
        if not self.scrollable:
            return
        track = pygame.Rect(self.rect.right + 6, self.rect.y, 6, self.rect.height)
        pygame.draw.rect(surface, theme.LINE, track, border_radius=3)
        knob_h = max(24, self.rect.height * self.rect.height // self.content_height)
        knob_y = self.rect.y + (self.rect.height - knob_h) * self.offset // max(1, self.max_offset)
        pygame.draw.rect(surface, theme.PRIMARY, (track.x, knob_y, 6, knob_h), border_radius=3)
