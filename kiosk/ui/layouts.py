"""Where things go on a passage screen: shared by the screen and the validator's fit check,
so both measure the same box."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from kiosk.ui.theme import Metrics


@dataclass(frozen=True)
class PassageLayout:
    """The rectangles of a passage screen."""

    chrome: pygame.Rect
    media: pygame.Rect | None
    progress: pygame.Rect
    text: pygame.Rect
    controls: pygame.Rect


# One line of label text in the tallest script (Arabic's Naskh, about 2.1 ems) fits in
# ONE_LINE_EM; two lines of Latin or Cyrillic (1.4 ems each) in CONTROL_EM; two lines of
# accented bold Greek (1.49 ems each) in TWO_LINES_EM.
ONE_LINE_EM = 2.2
CONTROL_EM = 2.8
TWO_LINES_EM = 3.0


# Six chrome buttons in one row need about this many label-font ems of screen width: each
# must hold the longest word of its label ("Μικρότερα", "Lielāks") with its padding.
CHROME_ROW_EMS = 48


def chrome_rows(m: Metrics) -> int:
    """The chrome's rows of buttons: two where six in one row would be too narrow for a word
    of a label (portrait; a small landscape screen at the largest text), else one."""
    return 2 if m.portrait or m.width < CHROME_ROW_EMS * m.text("chrome") else 1


def chrome_row_height(m: Metrics) -> int:
    """The height of a chrome button: a target's, and room for its label at the label's full
    size (the bar grows; the labels never shrink): one line in any script (Arabic's lines
    are the tallest), or at larger text in one row of six, two lines of a label that wraps."""
    em = TWO_LINES_EM if m.text_scale > 1.0 and chrome_rows(m) == 1 else ONE_LINE_EM
    return max(m.min_target, math.ceil(em * m.text("chrome")) + 8)


def control_height(m: Metrics) -> int:
    """The height of a screen's control buttons (Next, Continue, Skip, Close...): a
    target's, and at larger text as much as the label needs at its full size."""
    return max(m.min_target + m.u(16), math.ceil(CONTROL_EM * m.text("button")) + 4)


def chrome_rects(m: Metrics) -> tuple[pygame.Rect, pygame.Rect]:
    """The chrome bar and the content area of a screen."""
    rows = chrome_rows(m)
    bar = rows * chrome_row_height(m) + (rows - 1) * m.gap + 2 * m.gap
    if m.portrait:
        return (pygame.Rect(0, m.height - bar, m.width, bar),
                pygame.Rect(0, 0, m.width, m.height - bar))
    return pygame.Rect(0, 0, m.width, bar), pygame.Rect(0, bar, m.width, m.height - bar)


def passage_layout(m: Metrics, has_media: bool, rtl: bool = False,
                   note_lines: int = 0, progress_h: int | None = None,
                   controls_h: int | None = None) -> PassageLayout:
    """The passage screen's boxes for a screen size, text size and direction (`controls_h`:
    a controls row taller than `control_height`, for labels that wrap to more lines)."""
    chrome, content = chrome_rects(m)
    inner = content.inflate(-2 * m.margin, -2 * m.gap)
    controls_h = max(control_height(m), controls_h or 0)
    media = None
    if has_media and m.portrait:
        media = pygame.Rect(inner.x, inner.y, inner.width, int(inner.height * 0.36))
        column = pygame.Rect(inner.x, media.bottom + m.gap, inner.width,
                             inner.bottom - media.bottom - m.gap)
    elif has_media:
        media_w = int(inner.width * 0.46)
        media = pygame.Rect(inner.x, inner.y, media_w, inner.height)
        column = pygame.Rect(inner.x + media_w + 2 * m.gap, inner.y,
                             inner.width - media_w - 2 * m.gap, inner.height)
        if rtl:
            media.x = inner.right - media_w
            column.x = inner.x
    else:
        width = min(inner.width, m.u(1300))
        column = pygame.Rect(inner.centerx - width // 2, inner.y, width, inner.height)
    if progress_h is None:
        progress_h = round(m.text("small") * 1.6) + m.u(16) + note_lines * round(
            m.text("small") * 1.6)
    progress = pygame.Rect(column.x, column.y, column.width, progress_h)
    controls = pygame.Rect(column.x, column.bottom - controls_h, column.width, controls_h)
    text = pygame.Rect(column.x, progress.bottom + m.gap, column.width - m.u(20),
                       controls.y - progress.bottom - 2 * m.gap)
    return PassageLayout(chrome, media, progress, text, controls)


def choice_width(m: Metrics, rect: pygame.Rect) -> int:
    """How wide the choice buttons are in the content rectangle `rect`."""
    return min(rect.width, m.u(1200))


def choice_layout(m: Metrics, rect: pygame.Rect,
                  label_heights: list[int]) -> tuple[pygame.Rect, list[pygame.Rect]]:
    """The heading and one wide button per choice (taller when its label wraps).

    `label_heights` are the laid-out labels' heights at `choice_width` less the padding.
    Buttons sit low on a portrait screen (reachable from a wheelchair) and centred on a
    landscape one; they never start above the heading, so labels too tall for the screen
    push the last buttons past `rect.bottom` (the validator's fit check warns about that).
    """
    width = choice_width(m, rect)
    x = rect.centerx - width // 2
    head = pygame.Rect(x, rect.y, width, m.text("title") * 2)
    pad = m.u(24)
    heights = [max(m.min_target + m.u(24), h + 2 * pad) for h in label_heights]
    total = sum(heights) + m.gap * 2 * (len(heights) - 1)
    avail = rect.bottom - head.bottom - m.gap
    y = (rect.bottom - total) if m.portrait else head.bottom + max(m.gap, (avail - total) // 2)
    y = max(y, head.bottom + m.gap)
    buttons = []
    for h in heights:
        buttons.append(pygame.Rect(x, y, width, h))
        y += h + 2 * m.gap
    return head, buttons
