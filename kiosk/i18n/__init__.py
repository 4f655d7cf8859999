"""The kiosk's interface languages: catalogues, translators, language metadata, case rules.

- `Catalogs(locale_dir)` reads the gettext catalogues in `kiosk/i18n/locale/` (Babel, no
  compile step); `Catalogs.translator(lang, overrides)` gives a `Translator` with a pack's
  `strings` overrides, falling back to English, then to the msgid.
- `strings` holds every interface string as a constant (`strings.START`, `strings.RETURNING_IN`).
- `language_info(code)` gives a language's own name, English name, direction and script (CLDR).
- `case` changes letter case safely (never Greek; Turkish dotted i). Screens use it, never
  `str.upper()` on content.
- `check_catalogues()` and `check_overrides()` report missing or broken translations.

No pygame, no Flask: the admin and the command line use this package too.
"""

from kiosk.i18n import case, strings
from kiosk.i18n.catalogs import Catalogs, Translator
from kiosk.i18n.checks import check_catalogues, check_overrides, template_messages
from kiosk.i18n.languages import (
    LanguageInfo,
    UnknownLanguage,
    language_info,
    language_name,
    parse_language,
)
from kiosk.i18n.strings import N_, NP_, Plural

__all__ = [
    "N_",
    "NP_",
    "Catalogs",
    "LanguageInfo",
    "Plural",
    "Translator",
    "UnknownLanguage",
    "case",
    "check_catalogues",
    "check_overrides",
    "language_info",
    "language_name",
    "parse_language",
    "strings",
    "template_messages",
]
