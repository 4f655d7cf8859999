"""Language metadata from CLDR through Babel: names, writing direction and script.

Everything comes from Babel's CLDR data: the name of a language in itself and in English
(`Locale.get_display_name`), the direction (`Locale.character_order`) and the script (the
locale's explicit script subtag, else CLDR's likely subtags: el -> el_Grek_GR). The only rule
of our own is capitalisation of the name for a language picker, which CLDR records as a
context transform that Babel does not ship: the first letter is capitalised with the
case helpers in the scripts that write names with a capital (Latin, Cyrillic, Armenian: so
"svenska" shows as "Svenska", "azərbaycan" as "Azərbaycan"); every other name is exactly as
CLDR writes it: Greek ("Ελληνικά", by the rule that code never changes Greek case), and
Georgian ("ქართული": Python would turn its first letter into Mtavruli, which Georgian never
uses to start a word), Arabic, Thai, Ethiopic and the other scripts without case.

`pack_language(code)` is the stricter gate for a pack's languages: the code must name a
language CLDR has data for, as written (`und`, old codes such as `iw`, and country codes
such as `gr` are refused, with the code the author probably meant).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global, parse_locale

from kiosk.content.phrase import Country, LanguageName, Phrase
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


# Scripts whose language names CLDR's picker transform capitalises ("titlecase-firstword").
_CAPITALISED_SCRIPTS = {"Latn", "Cyrl", "Armn"}


class UnknownLanguage(ValueError):
    """A language code that CLDR does not know; `hint` names the code probably meant.

    `message` and `hint` are Phrases where a validator finding shows them (the admin
    translates them); str() is the English."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


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
    script = locale.script or _likely_script(locale)
    if script in _CAPITALISED_SCRIPTS:
        own = capitalize_first(own, str(locale))
    return LanguageInfo(
        code=code,
        name_in_itself=own,
        english_name=locale.get_display_name("en") or code,
        direction="rtl" if locale.character_order == "right-to-left" else "ltr",
        script=script,
    )


def _written(locale_id: str) -> str:
    """A CLDR id as a pack writes it: 'fa_AF' -> 'fa-AF'."""
    return locale_id.replace("_", "-")


def _meant(locale_id: str) -> LanguageName:
    """'el (Greek)': a code and its name (English here, the staff's in the admin), for a
    "did you mean"."""
    return LanguageName(_written(locale_id), locale_id,
                        Locale.parse(locale_id).get_display_name("en"))


def _did_you_mean(locale_id: str) -> Phrase:
    """'did you mean el (Greek)?'."""
    return Phrase("did you mean %(language)s?", language=_meant(locale_id))


def pack_language(code: str) -> LanguageInfo:
    """The language a pack may offer for `code`, or UnknownLanguage with a hint.

    Locale.parse alone is too lenient for a pack: it maps "und" to English and old codes
    (iw, tl, mo) to others, so the kiosk would key text by one code and show another.
    """
    raw = str(code).strip()
    subtags = raw.replace("-", "_").split("_")
    first = subtags[0].lower()
    aliases = get_global("language_aliases")
    likely = get_global("likely_subtags")
    own_code = Phrase("write the language's own code, e.g. sv, en, el")
    if first == "und" or first == "root":
        raise UnknownLanguage(Phrase('"%(code)s" names no language ("undetermined"): the kiosk '
                                     "cannot name it, pick its script or its plural rules",
                                     code=raw), own_code)
    if "qaa" <= first <= "qtz" and len(first) == 3:
        raise UnknownLanguage(Phrase('"%(code)s" is a code for private use: CLDR knows no such '
                                     "language", code=raw), own_code)
    alias = aliases.get(first) or aliases.get(raw.replace("-", "_"))
    if alias:
        raise UnknownLanguage(Phrase('"%(code)s" is an old code that CLDR replaces by '
                                     "%(new)s", code=raw, new=_written(alias)),
                              _did_you_mean(alias))
    try:
        locale = Locale.parse(raw.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        locale = None
    if locale is not None and locale.language == first:
        return language_info(raw)
    country = likely.get(f"und_{first.upper()}") if len(first) == 2 else None
    if country:
        name = Country(first.upper(), Locale.parse("en").territories.get(first.upper(),
                                                                          first.upper()))
        language = parse_locale(country)[0]
        raise UnknownLanguage(Phrase('"%(code)s" is not a language code: %(country)s is the '
                                     "country code of %(name)s", code=raw,
                                     country=first.upper(), name=name),
                              _did_you_mean(language))
    if locale is None and first != raw.lower() and localedata.exists(first):
        raise UnknownLanguage(Phrase('"%(code)s": CLDR has no data for this region or script of '
                                     "%(language)s", code=raw, language=_meant(first)),
                              Phrase("did you mean %(language)s?", language=_written(first)))
    raise UnknownLanguage(Phrase('"%(code)s" is not a language CLDR knows', code=raw),
                          Phrase("use an ISO 639 code CLDR has data for, e.g. sv, en, el, ar, "
                                 "fa, ti"))


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` as written inside a sentence in `in_language`."""
    try:
        name = parse_language(code).get_display_name(parse_language(in_language))
    except UnknownLanguage:
        name = None
    return name or language_info(code).english_name
