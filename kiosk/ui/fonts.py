"""Fonts per script from Debian's Noto families, with a fallback chain per character.

SDL_ttf (2.24, with HarfBuzz) shapes one run in one font; it has no fallback of its own. So a
line is cut into runs, each drawn with the first font of the chain that has every character:
the script's own Noto font first (its file: `kiosk.ui.fontfiles`), then Noto Sans, then the
symbol fonts. A font "has" a character when its glyph metrics differ from the font's .notdef box (pygame reports the box
for a missing glyph rather than None).
"""

from __future__ import annotations

import unicodedata

import pygame

from kiosk.ui.fontfiles import NOTO_DIR, SCRIPT_FONTS, font_file

__all__ = ["NOTO_DIR", "SHAPED_SCRIPTS", "FontBook", "font_file"]

FALLBACK_FAMILIES = ("NotoSans", "NotoSansArabic", "NotoSansSymbols", "NotoSansSymbols2",
                     "NotoSansMath")
# Scripts whose runs SDL_ttf must be told about for HarfBuzz to shape them right.
SHAPED_SCRIPTS = {"Arab", "Hebr", "Thai", "Ethi", "Deva", "Beng", "Khmr", "Laoo", "Mymr",
                  "Sinh", "Taml", "Armn", "Geor", "Guru", "Gujr", "Knda", "Mlym", "Orya",
                  "Telu", "Thaa", "Syrc", "Tibt"}
_NOTDEF_PROBE = "\U0010fffd"


class FontBook:
    """Opened fonts by (family, size, bold), and the fallback chain for each script."""

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[tuple[str, int, bool], pygame.font.Font] = {}
        self._has: dict[tuple[str, str], bool] = {}
        self._notdef: dict[str, tuple] = {}
        self._chains: dict[str, list[str]] = {}
        self._families: dict[tuple[str, str], str] = {}

    def chain(self, script: str) -> list[str]:
        """The families tried, in order, for text of a script."""
        chain = self._chains.get(script)
        if chain is None:
            first = SCRIPT_FONTS.get(script, "NotoSans")
            families = [first] + [f for f in FALLBACK_FAMILIES if f != first]
            chain = [f for f in families if font_file(f) is not None] or ["__default__"]
            self._chains[script] = chain
        return chain

    def font(self, family: str, size: int, bold: bool = False) -> pygame.font.Font:
        """An opened font (pygame's default font when the family is not installed)."""
        key = (family, size, bold)
        font = self._fonts.get(key)
        if font is None:
            path = font_file(family, bold) if family != "__default__" else None
            font = pygame.font.Font(str(path) if path else None, size)
            if bold and path is not None and not path.name.endswith("Bold.ttf"):
                font.bold = True
            self._fonts[key] = font
        return font

    def has_glyph(self, family: str, char: str) -> bool:
        """True when the family draws `char` with a real glyph (not the .notdef box)."""
        key = (family, char)
        known = self._has.get(key)
        if known is None:
            if family == "__default__" or unicodedata.category(char) in ("Zs", "Cc", "Cf"):
                known = True
            else:
                font = self.font(family, 24)
                notdef = self._notdef.get(family)
                if notdef is None:
                    notdef = self._notdef[family] = tuple(font.metrics(_NOTDEF_PROBE)[0] or ())
                metric = font.metrics(char)
                known = bool(metric) and metric[0] is not None and tuple(metric[0]) != notdef
            self._has[key] = known
        return known

    def family_for(self, char: str, script: str) -> str:
        """The first family of the script's chain that has `char`."""
        key = (char, script)
        family = self._families.get(key)
        if family is None:
            chain = self.chain(script)
            family = chain[0]
            if not unicodedata.combining(char):
                family = next((f for f in chain if self.has_glyph(f, char)), chain[0])
            self._families[key] = family
        return family
