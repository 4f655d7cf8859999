"""Headless checks that a pack's text fits the kiosk's boxes at the largest text size.

Both lay text out with the kiosk's own code (the same fonts, wrapping and boxes as the
screens) on the configured screens, without a display:

- `choice_fit_findings`: a branching point whose buttons do not fit on the screen. Choice
  buttons do not scroll, so the last ones would be out of reach; `kiosk check` always runs it.
- `text_fit_findings`: a passage whose text is taller than its box. The kiosk scrolls such
  text, so this is advice for authors (`kiosk check --layout`): visitors who choose larger
  text will have to scroll.
"""

from __future__ import annotations

import os

from kiosk.content.findings import WARNING, Finding
from kiosk.content.model import Pack
from kiosk.ui.theme import TEXT_SCALES, Metrics

SCREENS = ((1920, 1080), (1080, 1920))


def _setup(screens, diagonal_in: float):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.ui.fonts import FontBook
    from kiosk.ui.text import TextCache

    pygame.font.init()
    metrics = [Metrics(w, h, diagonal_in, TEXT_SCALES[-1]) for w, h in screens]
    return TextCache(FontBook(), capacity=50), metrics


def _warning(code: str, story, scene, field: str, message: str, hint: str) -> Finding:
    """A fit warning at the scene's place in its story file."""
    return Finding(WARNING, code, message, file=story.file, line=scene.loc[0],
                   col=scene.loc[1], path=f"scenes.{scene.id}.{field}", hint=hint)


def text_fit_warnings(pack: Pack, screens=SCREENS, diagonal_in: float = 24.0) -> list[str]:
    """One line per scene whose text overflows its box at the largest text size."""
    return [f.format() for f in text_fit_findings(pack, screens, diagonal_in)]


def text_fit_findings(pack: Pack, screens=SCREENS, diagonal_in: float = 24.0) -> list[Finding]:
    """One warning (code `text-overflow`) per scene whose text is too long for its box."""
    from kiosk.ui.layouts import passage_layout
    from kiosk.ui.text import language_layout

    texts, metrics = _setup(screens, diagonal_in)
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
                warnings.append(_warning(
                    "text-overflow", story, scene, "text",
                    f'the text of scene "{scene.id}" does not fit its box at the largest '
                    f"text size ({'; '.join(over)}): visitors who choose it will scroll",
                    "shorten the text or split the scene"))
    return warnings


def choice_fit_findings(pack: Pack, screens=SCREENS,
                        diagonal_in: float = 24.0) -> list[Finding]:
    """One warning (code `choices-overflow`) per branching point whose buttons run off the
    screen at the largest text size, laid out as the choice screen lays them out."""
    from kiosk.ui.layouts import choice_layout, choice_width, chrome_rects

    texts, metrics = _setup(screens, diagonal_in)
    warnings: list[Finding] = []
    for story in pack.stories.values():
        for scene in story.scenes.values():
            if not scene.choices:
                continue
            over: list[str] = []
            for lang in story.languages:
                labels = [c.label.get(lang) for c in scene.choices]
                if not all(labels):
                    continue  # a missing label is a coverage finding of its own
                for m in metrics:
                    rect = chrome_rects(m)[1].inflate(-2 * m.margin, -2 * m.gap)
                    inner = choice_width(m, rect) - 2 * m.u(24)
                    heights = [texts.block(label, lang, inner, m.text("button"), True,
                                           "center").height for label in labels]
                    bottom = choice_layout(m, rect, heights)[1][-1].bottom
                    if bottom > rect.bottom:
                        over.append(f"{lang} on {m.width}x{m.height} needs "
                                    f"{bottom - rect.y} px of {rect.height}")
            if over:
                warnings.append(_warning(
                    "choices-overflow", story, scene, "choices",
                    f'the choices of scene "{scene.id}" do not fit on the screen at the '
                    f"largest text size ({'; '.join(over)}): the last would be out of reach",
                    "shorten the choice labels or offer fewer choices"))
    return warnings
