"""Where things go on a passage screen: shared by the screen and the validator's fit check,
so both measure the same box."""

from __future__ import annotations

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


def chrome_rects(m: Metrics) -> tuple[pygame.Rect, pygame.Rect]:
    """The chrome bar and the content area of a screen."""
    bar = m.min_target + 2 * m.gap
    if m.portrait:
        return (pygame.Rect(0, m.height - bar, m.width, bar),
                pygame.Rect(0, 0, m.width, m.height - bar))
    return pygame.Rect(0, 0, m.width, bar), pygame.Rect(0, bar, m.width, m.height - bar)


def passage_layout(m: Metrics, has_media: bool, rtl: bool = False,
                   note_lines: int = 0, progress_h: int | None = None) -> PassageLayout:
    """The passage screen's boxes for a screen size, text size and direction."""
    chrome, content = chrome_rects(m)
    inner = content.inflate(-2 * m.margin, -2 * m.gap)
    controls_h = m.min_target + m.u(16)
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
