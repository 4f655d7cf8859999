"""Language metadata from CLDR through Babel: names, writing direction and script.

Everything comes from Babel's CLDR data: the name of a language in itself and in English
(`Locale.get_display_name`), the direction (`Locale.character_order`) and the script (the
locale's explicit script subtag, else CLDR's likely subtags: el -> el_Grek_GR). The only rule
of our own is capitalisation of the name for a language picker, which CLDR records as a
context transform that Babel does not ship: the first letter is capitalised with the
case helpers (so "svenska" shows as "Svenska", "azərbaycan" as "Azərbaycan"), and Greek is
left exactly as CLDR writes it ("Ελληνικά"), by the rule that code never changes Greek case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

from kiosk.i18n.case import capitalize_first


@dataclass(frozen=True)
class LanguageInfo:
    """What the screens and the text shaper need to know about one language."""

    code: str
    name_in_itself: str
    english_name: str
    direction: Literal["ltr", "rtl"]
    script: str

    @property
    def rtl(self) -> bool:
        """True for right-to-left languages (Arabic, Farsi, Hebrew, ...)."""
        return self.direction == "rtl"


class UnknownLanguage(ValueError):
    """A language code that CLDR does not know."""


def parse_language(code: str) -> Locale:
    """Parse a code such as 'sv', 'pt-BR' or 'sr_Latn' into a Babel Locale, or raise."""
    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLanguage(f"unknown language code {code!r}: CLDR has no such locale") from exc


def _likely_script(locale: Locale) -> str:
    """The script CLDR's likely subtags give for the locale (e.g. 'Grek' for 'el')."""
    likely = get_global("likely_subtags")
    keys = [str(locale), locale.language]
    if locale.territory:
        keys.insert(1, f"{locale.language}_{locale.territory}")
    for key in keys:
        if key in likely:
            script = parse_locale(likely[key])[2]
            if script:
                return script
    raise UnknownLanguage(f"CLDR gives no script for {locale}")


@lru_cache(maxsize=256)
def language_info(code: str) -> LanguageInfo:
    """Name in itself, English name, direction ('ltr'/'rtl') and ISO 15924 script of `code`."""
    locale = parse_language(code)
    own = locale.get_display_name(locale) or code
    return LanguageInfo(
        code=code,
        name_in_itself=capitalize_first(own, str(locale)),
        english_name=locale.get_display_name("en") or code,
        direction="rtl" if locale.character_order == "right-to-left" else "ltr",
        script=locale.script or _likely_script(locale),
    )


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` as written inside a sentence in `in_language`."""
    try:
        name = parse_language(code).get_display_name(parse_language(in_language))
    except UnknownLanguage:
        name = None
    return name or language_info(code).english_name
