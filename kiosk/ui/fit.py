"""Headless check that every scene's text fits its box at the largest text size.

The validator calls `text_fit_warnings(pack)`; it lays text out with the kiosk's own layout
code (the same fonts, wrapping and boxes as the passage screen) on the configured screens,
without a display. A scene that does not fit still works on the kiosk (its text scrolls);
the warning tells authors that visitors who choose larger text will have to scroll.
"""

from __future__ import annotations

import os

from kiosk.content.model import Pack
from kiosk.ui.theme import TEXT_SCALES, Metrics

SCREENS = ((1920, 1080), (1080, 1920))


def text_fit_warnings(pack: Pack, screens=SCREENS, diagonal_in: float = 24.0) -> list[str]:
    """One sentence per scene and language whose text overflows its box at the largest size."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.ui.fonts import FontBook
    from kiosk.ui.layouts import passage_layout
    from kiosk.ui.text import TextCache, language_layout

    pygame.font.init()
    texts = TextCache(FontBook(), capacity=50)
    warnings: list[str] = []
    for w, h in screens:
        metrics = Metrics(w, h, diagonal_in, TEXT_SCALES[-1])
        size = metrics.text("body")
        for story in pack.stories.values():
            for scene in story.scenes.values():
                has_media = scene.image is not None or scene.video is not None
                for lang, text in scene.text.items():
                    rtl = language_layout(lang)[1]
                    box = passage_layout(metrics, has_media, rtl, 1).text
                    block = texts.block(text, lang, box.width, size)
                    if block.height > box.height:
                        warnings.append(
                            f'{story.file}:{scene.loc[0]}: scene "{scene.id}" of story '
                            f'"{story.id}" in {lang} needs {block.height} px at the largest '
                            f"text size on a {w}x{h} screen, but its box is {box.height} px: "
                            f"visitors will have to scroll")
    return warnings
