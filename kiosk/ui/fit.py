"""Headless check that every scene's text fits its box at the largest text size.

The validator calls `text_fit_warnings(pack)`; it lays text out with the kiosk's own layout
code (the same fonts, wrapping and boxes as the passage screen) on the configured screens,
without a display. A scene that does not fit still works on the kiosk (its text scrolls);
the warning tells authors that visitors who choose larger text will have to scroll.
"""

from __future__ import annotations

import os

from kiosk.content.findings import WARNING, Finding
from kiosk.content.model import Pack
from kiosk.ui.theme import TEXT_SCALES, Metrics

SCREENS = ((1920, 1080), (1080, 1920))


def text_fit_warnings(pack: Pack, screens=SCREENS, diagonal_in: float = 24.0) -> list[str]:
    """One line per scene whose text overflows its box at the largest text size."""
    return [f.format() for f in text_fit_findings(pack, screens, diagonal_in)]


def text_fit_findings(pack: Pack, screens=SCREENS, diagonal_in: float = 24.0) -> list[Finding]:
    """One warning (code `text-overflow`) per scene whose text is too long for its box."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.ui.fonts import FontBook
    from kiosk.ui.layouts import passage_layout
    from kiosk.ui.text import TextCache, language_layout

    pygame.font.init()
    texts = TextCache(FontBook(), capacity=50)
    metrics = [Metrics(w, h, diagonal_in, TEXT_SCALES[-1]) for w, h in screens]
    warnings: list[Finding] = []
    for story in pack.stories.values():
        for scene in story.scenes.values():
            has_media = scene.image is not None or scene.video is not None
            over: list[str] = []
            for lang, text in scene.text.items():
                rtl = language_layout(lang)[1]
                for m in metrics:
                    box = passage_layout(m, has_media, rtl, 1).text
                    height = texts.block(text, lang, box.width, m.text("body")).height
                    if height > box.height:
                        over.append(f"{lang} on {m.width}x{m.height} needs {height} px "
                                    f"of {box.height}")
            if over:
                warnings.append(Finding(
                    WARNING, "text-overflow",
                    f'the text of scene "{scene.id}" does not fit its box at the largest '
                    f"text size ({'; '.join(over)}): visitors who choose it will scroll",
                    file=story.file, line=scene.loc[0], col=scene.loc[1],
                    path=f"scenes.{scene.id}.text", hint="shorten the text or split the scene"))
    return warnings
