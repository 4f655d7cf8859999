"""The line provider: turns line ids into text and media for one language, with fallback.

The requested language first, then the languages the pack's `fallback:` names for it (a
country overlay's, e.g. Latvian then English), then the pack's default language. A line missing in both
comes out as a visible placeholder, "⟦mara/scenes/home/text⟧", and one logged warning per
line (a screen redraws many times; the log should not), never an exception. The validator
reports missing translations ahead of time; this is the safety net at the kiosk.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.content.model import Pack, Scene, Text
from kiosk.story import ids

log = logging.getLogger(__name__)


def placeholder(what: str) -> str:
    """The visible stand-in for a line that has no text in any language tried."""
    return f"\u27e6{what}\u27e7"


class LineProvider:
    """Text and media paths for one language of a pack (the language is an argument,
    never a global: make another provider, or `with_language`, to switch)."""

    def __init__(self, pack: Pack, language: str):
        self.pack = pack
        self.language = language
        self.default = pack.default_language
        # the languages tried, in order (Pack.fallback, docs/content-format.md)
        self.order = tuple(dict.fromkeys(
            (language, *pack.fallback.get(language, ()), pack.default_language)))
        self._warned: set[str] = set()

    def with_language(self, language: str) -> LineProvider:
        """A provider for another language of the same pack."""
        return LineProvider(self.pack, language)

    def text(self, line_id: str) -> str:
        """The text of a line id in this language, the default language or a placeholder."""
        text = ids.lookup(self.pack, line_id)
        if text is None:
            self._warn(line_id, f'line "{line_id}" names nothing in pack "{self.pack.id}"')
            return placeholder(line_id)
        return self._pick(text, line_id)

    def language_of(self, line_id: str) -> str | None:
        """The language the line's text actually comes from (to shape and align it), or
        None when it is a placeholder."""
        text = ids.lookup(self.pack, line_id) or {}
        return self._which(text)

    def has(self, line_id: str) -> bool:
        """True when the line has text in this very language (no fallback needed)."""
        text = ids.lookup(self.pack, line_id) or {}
        return _present(text.get(self.language))

    def story_title(self, story_id: str) -> str:
        """A story's title."""
        return self.text(ids.story_line(story_id, "title"))

    def story_summary(self, story_id: str) -> str:
        """A story's summary for the menu."""
        return self.text(ids.story_line(story_id, "summary"))

    def pick(self, text: Text, what: str = "text") -> str:
        """Any Text mapping (helpline hours, note labels...) in this language or the default;
        `what` names it in the placeholder and the warning when both are missing."""
        return self._pick(text, what)

    def pick_language(self, text: Text) -> str | None:
        """The language `pick` takes the text from (to shape and align it), or None when it
        gives a placeholder."""
        return self._which(text)

    def alt(self, scene: Scene) -> str | None:
        """What the scene's picture shows, in this language or the default (the library's
        alt text, or the scene's own override); None when it has no picture or no alt text."""
        if scene.image is None:
            return None
        text = self.pack.alt_text(scene.image)
        lang = self._which(text)
        return text[lang] if lang else None

    def narration(self, scene: Scene) -> Path | None:
        """The scene's narration audio, language then default language, as an absolute path."""
        return self._media(scene.narration)

    def captions(self, scene: Scene) -> Path | None:
        """The captions of the scene's narration (of the same language as `narration`)."""
        narration = self._which(scene.narration)
        if narration is not None and _present(scene.captions.get(narration)):
            return self.pack.media_path(scene.captions[narration])
        return self._media(scene.captions)

    def subtitles(self, scene: Scene) -> Path | None:
        """The subtitles of the scene's video, language then default language."""
        return self._media(scene.video.subtitles) if scene.video else None

    def _which(self, text: dict[str, str]) -> str | None:
        for lang in self.order:
            if _present(text.get(lang)):
                return lang
        return None

    def _pick(self, text: Text, what: str) -> str:
        lang = self._which(text)
        if lang is None:
            self._warn(what, f'line "{what}" has no text in "{self.language}" nor in the '
                             f'default language "{self.default}"')
            return placeholder(what)
        return text[lang]

    def _media(self, paths: dict[str, str]) -> Path | None:
        lang = self._which(paths)
        return self.pack.media_path(paths[lang]) if lang else None

    def _warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)


def _present(value: str | None) -> bool:
    return bool(value and value.strip())
