"""The story menu: a card per story with title, summary, length, minimum age, content notes.

Stories taken off the menu after repeated failures (until staff clear them) are left out.
Cards that do not fit scroll inside their own area, clipped to it (never over the title or
the controls), with a cue: a scroll bar beside them and a fade at each edge with more
beyond it. A card takes taps only where it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, text_height
from kiosk.ui import theme
from kiosk.ui.input import DOWN, MOVE, UP
from kiosk.ui.widgets import Button, veil


@dataclass
class CardView:
    """What one card shows."""

    story: str
    title: str
    summary: str
    meta: str
    notes: str
    lang: str


def build_cards(ctx) -> list[CardView]:
    """The menu's view model: one card per story on offer in the visitor's language."""
    pack, lines, tr = ctx.pack, ctx.lines(), ctx.tr()
    off = ctx.health.disabled()
    cards = []
    stories = pack.stories_in(ctx.language)
    if ctx.school is not None:  # a school session offers only its own stories
        stories = ctx.school.filter(stories)
    for story in stories:
        if story.id in off:
            continue
        minutes = tr.plural(S.MINUTES, story.duration, minutes=story.duration)
        meta = f"{minutes}  ·  {tr.gettext(S.AGE_MIN, age=story.age_min)}"
        labels = [lines.pick(pack.content_notes[n].label, n) if n in pack.content_notes else n
                  for n in story.content_notes]
        notes = (tr.gettext(S.CONTENT_NOTE_HEADING) + " " + tr.join(labels)) if labels else ""
        cards.append(CardView(story.id, lines.story_title(story.id),
                              lines.story_summary(story.id), meta, notes,
                              lines.language_of(f"{story.id}/title") or ctx.language))
    return cards


class Menu(Screen):
    """Choose a story."""

    name = "menu"

    def started(self) -> None:
        """Prepare each story's content note."""
        for card in self.cards:
            self.app.warm("content_note", story=card.story)

    def back(self) -> None:
        """Back from the story menu: the language picker, or the attract loop."""
        self.app.flow.leave_menu()

    def layout(self, rect: pygame.Rect) -> None:
        """Cards in columns (landscape) or a list (portrait), scrolling if needed."""
        m = self.ctx.metrics
        self.cards = build_cards(self.ctx)
        self.title_rect = pygame.Rect(rect.x, rect.y, rect.width, m.text("title") * 2)
        area = pygame.Rect(rect.x, self.title_rect.bottom + m.gap, rect.width,
                           rect.bottom - self.title_rect.bottom - m.gap)
        self.area, self.pad, self.scroll, self._drag = area, m.u(28), 0, None
        self.card_rects = self._grid(area)
        if self.max_scroll:  # the cards scroll: lay them out again beside the scroll bar
            bar = m.u(10) + m.gap
            self.card_rects = self._grid(area.inflate(-bar, 0).move(bar // 2 if self.rtl
                                                                   else -bar // 2, 0))
        for card, rect_i in zip(self.cards, self.card_rects, strict=True):
            self.buttons.add(Button(f"story:{card.story}", "", card.lang, rect_i.copy(),
                                    lambda s=card.story: self.app.flow.pick_story(s),
                                    "card", draw_label=False))
        self._place()

    def _grid(self, area: pygame.Rect) -> list[pygame.Rect]:
        """The cards' rectangles in `area` before scrolling (sets the content's height)."""
        m, pad = self.ctx.metrics, self.pad
        cols = 1 if m.portrait else max(1, min(3, len(self.cards)))
        card_w = (area.width - (cols - 1) * m.gap * 2) // cols
        heights = [self._card_height(c, card_w - 2 * pad) + 2 * pad for c in self.cards]
        rows = (len(self.cards) + cols - 1) // cols
        row_h = [max(heights[r * cols:(r + 1) * cols] or [0]) for r in range(rows)]
        self.content_h = sum(row_h) + max(0, rows - 1) * m.gap * 2
        rects = []
        y = area.y
        for r in range(rows):
            for c in range(cols):
                if r * cols + c >= len(self.cards):
                    break
                cc = cols - 1 - c if self.rtl else c
                rects.append(pygame.Rect(area.x + cc * (card_w + 2 * m.gap), y, card_w,
                                         row_h[r]))
            y += row_h[r] + 2 * m.gap
        return rects

    def _card_height(self, card: CardView, width: int) -> int:
        ctx = self.ctx
        gap = ctx.metrics.u(12)
        return (text_height(ctx, card.title, card.lang, width, "heading", True) + gap
                + text_height(ctx, card.summary, card.lang, width, "body") + gap
                + text_height(ctx, card.meta, self.lang, width, "small", True) + gap
                + text_height(ctx, card.notes, self.lang, width, "small"))

    @property
    def max_scroll(self) -> int:
        """How far the cards scroll."""
        return max(0, self.content_h - self.area.height)

    def pointer(self, event) -> bool:
        """Drag scrolls the cards; a tap opens one."""
        if self.max_scroll:
            if event.kind == DOWN and self.area.collidepoint(event.pos):
                self._drag = (event.pos[1], self.scroll)
            elif event.kind == MOVE and self._drag:
                self.scroll = max(0, min(self.max_scroll,
                                         self._drag[1] + self._drag[0] - event.pos[1]))
                self._place()
            elif event.kind == UP:
                self._drag = None
        return super().pointer(event)

    def _cards(self) -> list[Button]:
        return [b for b in self.buttons.items if b.key.startswith("story:")]

    def _place(self) -> None:
        """Each card's touch area: the part of it that shows in the area."""
        for button, rect in zip(self._cards(), self.card_rects, strict=False):
            button.rect = rect.move(0, -self.scroll).clip(self.area)

    def draw_content(self, surface: pygame.Surface) -> None:
        """Title and cards (the cards' text drawn over their buttons, clipped to the area)."""
        r = self.title_rect
        put_text(surface, self.ctx, self.t(S.CHOOSE_STORY), self.lang, r.x, r.y, r.width,
                 "title", theme.INK, True)

    def draw(self, surface: pygame.Surface) -> None:
        """Title; the cards clipped to their area with the scroll cue; then the chrome."""
        surface.fill(theme.BG)
        self.draw_content(surface)
        clip = surface.get_clip()
        surface.set_clip(self.area.clip(clip) if clip else self.area)
        for card, button, rect in zip(self.cards, self._cards(), self.card_rects, strict=False):
            shown = rect.move(0, -self.scroll)
            if shown.colliderect(self.area):
                button.draw(surface, self.ctx.texts, rect=shown)
                self._draw_card(surface, card, shown)
        surface.set_clip(clip)
        self._scroll_cue(surface)
        pygame.draw.rect(surface, theme.CHROME, self.chrome_rect)
        for button in self.buttons.items:
            if not button.key.startswith("story:"):
                button.draw(surface, self.ctx.texts, min_size=self.buttons.min_size)

    def _scroll_cue(self, surface: pygame.Surface) -> None:
        """A scroll bar beside the cards, and a fade at an edge with more cards beyond it."""
        if not self.max_scroll:
            return
        m, area = self.ctx.metrics, self.area
        width = m.u(10)
        x = area.x if self.rtl else area.right - width
        track = pygame.Rect(x, area.y, width, area.height)
        pygame.draw.rect(surface, theme.LINE, track, border_radius=width // 2)
        knob_h = max(m.u(48), area.height * area.height // self.content_h)
        knob_y = area.y + (area.height - knob_h) * self.scroll // self.max_scroll
        pygame.draw.rect(surface, theme.PRIMARY, (x, knob_y, width, knob_h),
                         border_radius=width // 2)
        fade = m.u(56)
        steps = 8
        for i in range(steps):  # paper over the cut edge, strongest at the edge
            alpha = 200 * (steps - i) // steps
            h = fade // steps
            cards = pygame.Rect(area.x, 0, area.width - width - m.u(8), h)
            if self.rtl:
                cards.x = area.x + width + m.u(8)
            if self.scroll < self.max_scroll:
                veil(surface, cards.move(0, area.bottom - (i + 1) * h), theme.BG, alpha)
            if self.scroll > 0:
                veil(surface, cards.move(0, area.y + i * h), theme.BG, alpha)

    def _draw_card(self, surface: pygame.Surface, card: CardView, rect: pygame.Rect) -> None:
        ctx, pad = self.ctx, self.pad
        gap = ctx.metrics.u(12)
        x, w = rect.x + pad, rect.width - 2 * pad
        y = rect.y + pad
        y += put_text(surface, ctx, card.title, card.lang, x, y, w, "heading", theme.INK,
                      True) + gap
        y += put_text(surface, ctx, card.summary, card.lang, x, y, w, "body", theme.INK) + gap
        y += put_text(surface, ctx, card.meta, self.lang, x, y, w, "small", theme.PRIMARY,
                      True) + gap
        put_text(surface, ctx, card.notes, self.lang, x, y, w, "small", theme.MUTED)
