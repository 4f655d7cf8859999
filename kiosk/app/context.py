"""The small context object every screen gets: no globals, everything passed down."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.app.config import KioskConfig
from kiosk.app.health import StoryHealth
from kiosk.app.packs import PackSource
from kiosk.app.visit import Visit
from kiosk.content.model import Pack
from kiosk.story import LineProvider
from kiosk.ui.fonts import FontBook
from kiosk.ui.text import TextCache
from kiosk.ui.theme import TEXT_SCALES, Metrics


@dataclass
class AppContext:
    """What the screens share: pack, language, text, media, record, settings, clock."""

    size: tuple[int, int]
    packs: PackSource
    config: KioskConfig
    health: StoryHealth
    fonts: FontBook
    texts: TextCache
    catalogs: object  # kiosk.i18n.Catalogs
    data_dir: Path | None = None
    media: object | None = None  # kiosk.media.Media, or None when media cannot start
    recorder: object | None = None  # kiosk.record.Recorder, or None
    syncer: object | None = None  # kiosk.sync.Syncer when a server is configured, or None
    clock: Callable[[], float] = time.monotonic
    language: str = "en"
    text_step: int = 0
    sound_on: bool = True
    visit: Visit | None = None
    qr: object | None = None  # kiosk.scenes.helplines.QRCache, shared by ending and help
    school: object | None = None  # kiosk.school.SchoolMode while a school session runs
    _translators: dict = field(default_factory=dict)
    _lines: dict = field(default_factory=dict)

    @property
    def pack(self) -> Pack:
        """The pack being played."""
        assert self.packs.pack is not None
        return self.packs.pack

    @property
    def metrics(self) -> Metrics:
        """Sizes for the current screen and text size."""
        return Metrics(self.size[0], self.size[1], self.config.diagonal_in,
                       TEXT_SCALES[self.text_step])

    def tr(self, language: str | None = None):
        """The interface-string translator for a language (default: the current one)."""
        lang = language or self.language
        key = (lang, self.packs.content_hash)
        translator = self._translators.get(key)
        if translator is None:
            # No pack yet (the out-of-order screen): the kiosk's own catalogues only.
            overrides = self.packs.pack.string_overrides() if self.packs.pack else {}
            translator = self.catalogs.translator(lang, overrides)
            self._translators[key] = translator
        return translator

    def t(self, message: str, **values) -> str:
        """Shortcut: an interface string in the current language."""
        return self.tr().gettext(message, **values)

    def lines(self, language: str | None = None) -> LineProvider:
        """The story line provider for a language (default: the current one)."""
        lang = language or self.language
        key = (lang, self.packs.content_hash)
        provider = self._lines.get(key)
        if provider is None:
            provider = self._lines[key] = LineProvider(self.pack, lang)
        return provider

    def pack_changed(self) -> None:
        """Forget everything derived from the previous pack."""
        self._translators.clear()
        self._lines.clear()
        self.texts.clear()
        if self.media is not None:
            try:
                self.media.clear()
            except Exception:
                pass
