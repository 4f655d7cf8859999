"""Loading the interface catalogues and translating for one language, with a pack's overrides.

`Catalogs` reads each language's .po with Babel the first time it is asked for (about 90
strings, a few milliseconds) and keeps it until the file changes; there is no compile step, so
a fresh clone works as it is. `Catalogs.translator(language, overrides)` gives a `Translator`
that looks a string up in this order, taking the first that exists and formats:

1. the pack's override in the language, 2. the kiosk's catalogue in the language,
3. the pack's override in English, 4. the English catalogue, 5. the msgid itself.

A missing string is logged once per language and never raises.
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from kiosk.i18n.files import DOMAIN, LOCALE_DIR
from kiosk.i18n.languages import LanguageInfo, UnknownLanguage, language_info, parse_language
from kiosk.i18n.placeholders import plural_rule
from kiosk.i18n.strings import LIST_SEPARATOR, Plural

log = logging.getLogger(__name__)

Text = str | Sequence[str]
Overrides = Mapping[str, Mapping[str, Text]]
FALLBACK = "en"
# Babel picks a locale's number symbols but always writes ASCII digits; CLDR's default
# numbering system says which digits the language uses (fa: arabext). Zero of each system:
_DIGIT_ZERO = {"arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966,
               "mymr": 0x1040, "tibt": 0x0F20, "thai": 0x0E50, "laoo": 0x0ED0}


def native_digits(text: str, locale: Locale) -> str:
    """`text` with ASCII digits written in the locale's default numbering system."""
    zero = _DIGIT_ZERO.get(locale.default_numbering_system)
    if zero is None:
        return text
    return text.translate({0x30 + i: zero + i for i in range(10)})


def _candidates(language: str) -> list[str]:
    """Codes to try for a language, most specific first: pt_BR, pt."""
    norm = language.strip().replace("-", "_")
    base = norm.split("_")[0]
    return [norm, base] if base != norm else [norm]


@dataclass
class Source:
    """One place a translation can come from: a pack's overrides or a catalogue."""

    language: str
    origin: str
    messages: Callable[[str], Text | None]
    plural_index: Callable[[int], int]


@dataclass
class LoadedCatalogue:
    """The translated messages of one .po file, keyed by (singular) msgid."""

    language: str
    path: Path
    mtime_ns: int
    messages: dict[str, Text]
    plural_index: Callable[[int], int]


def read_catalogue(path: Path, language: str) -> LoadedCatalogue:
    """Read one .po file with Babel, keeping only confirmed, non-empty translations."""
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    messages: dict[str, Text] = {}
    for m in catalog:
        if not m.id or "fuzzy" in m.flags:
            continue
        if isinstance(m.id, tuple | list):
            forms = tuple(m.string or ())
            if forms and all(forms):
                messages[m.id[0]] = forms
        elif m.string:
            messages[m.id] = m.string
    return LoadedCatalogue(language, path, path.stat().st_mtime_ns, messages,
                           gettext.c2py(catalog.plural_expr))


class Catalogs:
    """The kiosk's interface catalogues in one folder, read lazily and cached."""

    def __init__(self, locale_dir: Path = LOCALE_DIR) -> None:
        self.locale_dir = Path(locale_dir)
        self._cache: dict[str, LoadedCatalogue | None] = {}

    def languages(self) -> list[str]:
        """Language codes with a catalogue."""
        pattern = f"*/LC_MESSAGES/{DOMAIN}.po"
        return sorted(p.parent.parent.name for p in self.locale_dir.glob(pattern))

    def _path(self, code: str) -> Path:
        return self.locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"

    def load(self, language: str) -> LoadedCatalogue | None:
        """The catalogue for `language` (or its base language), or None if there is none."""
        for code in _candidates(language):
            path = self._path(code)
            try:
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            cached = self._cache.get(code)
            if cached is not None and cached.mtime_ns == mtime:
                return cached
            try:
                loaded = read_catalogue(path, code)
            except Exception as exc:  # a broken file must not take the kiosk down
                log.error("interface catalogue %s cannot be read: %s", path, exc)
                self._cache[code] = None
                continue
            self._cache[code] = loaded
            return loaded
        return None

    def translator(self, language: str, overrides: Overrides | None = None,
                   fallback: str | None = FALLBACK) -> Translator:
        """A Translator for `language` with a pack's overrides and fallback to `fallback`."""
        chain: list[Source] = []
        languages = [language]
        if fallback and _candidates(fallback)[-1] != _candidates(language)[-1]:
            languages.append(fallback)
        for lang in languages:
            if overrides:
                chain.append(_override_source(lang, overrides))
            loaded = self.load(lang)
            if loaded is not None:
                chain.append(Source(loaded.language, "catalogue", loaded.messages.get,
                                    loaded.plural_index))
        if not any(s.language in _candidates(language) for s in chain):
            log.info("no interface strings for %s: showing %s", language, fallback)
        return Translator(language, chain)


def _override_source(language: str, overrides: Overrides) -> Source:
    """A Source over a pack's `strings` section for one language."""
    codes = _candidates(language)
    spellings = [c for code in codes for c in (code, code.replace("_", "-"))]

    def lookup(msgid: str) -> Text | None:
        per_language = overrides.get(msgid)
        if not isinstance(per_language, Mapping):
            return None
        for code in spellings:
            text = per_language.get(code)
            if isinstance(text, str) or (isinstance(text, list | tuple) and text):
                return text
        return None

    try:
        index = plural_rule(codes[0])[1]
    except Exception:  # a code Babel has no plural rule for: English's rule is a safe guess
        index = plural_rule("en")[1]
    return Source(codes[0], "pack", lookup, index)


WRITTEN_VALUES = 1024  # numbers and dates a Translator keeps as written (see `_written`)


class _Lenient(dict):
    """Format values where a missing placeholder stays visible as {name}."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Translator:
    """Interface strings for one language: gettext, ngettext, with named placeholders."""

    language: str
    chain: list[Source]
    _warned: set[str] = field(default_factory=set, repr=False)
    # Numbers and dates as written, per language: Babel formats one in 20-60 us, and a screen
    # draws its "part 2 of 5" every frame. Bounded: cleared when full.
    _written: dict[tuple[type, object, str], str] = field(default_factory=dict, repr=False)

    @property
    def info(self) -> LanguageInfo:
        """Name, direction and script of this translator's language."""
        return language_info(self.language)

    def gettext(self, message: str, /, **values: object) -> str:
        """The translation of `message`, with `{placeholders}` filled from `values`."""
        for source in self.chain:
            text = source.messages(message)
            if isinstance(text, list | tuple):
                text = text[0] if text else None
            if text:
                out = self._format(text, values, source)
                if out is not None:
                    return out
        self._missing(message)
        return self._format_lenient(message, values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a plural message that fits `n` in this language, formatted."""
        for source in self.chain:
            text = source.messages(singular)
            if text is None:
                continue
            if not isinstance(text, str):
                idx = source.plural_index(n)
                text = text[idx] if 0 <= idx < len(text) else None
            if text:
                out = self._format(text, values, source)
                if out is not None:
                    return out
        self._missing(singular)
        return self._format_lenient(singular if n == 1 else plural, values)

    def plural(self, message: Plural, n: int, /, **values: object) -> str:
        """`ngettext` for a Plural constant from kiosk.i18n.strings."""
        return self.ngettext(message.singular, message.plural, n, **values)

    def join(self, items: Sequence[str]) -> str:
        """Items as a list in this language: the catalogue's list separator between them
        ("svenska, English"; Arabic "svenska، English"). CLDR's list patterns end with a
        conjunction ("och", Arabic "و"), which an enumeration of names does not want."""
        return self.gettext(LIST_SEPARATOR).join(items)

    def has(self, message: str) -> bool:
        """True when the translator's own language (pack or catalogue) has `message`."""
        own = _candidates(self.language)
        return any(s.language in own and s.messages(message) for s in self.chain)

    def format_value(self, value: object, language: str | None = None) -> str:
        """A value as the language writes it: numbers with its digits, dates in full."""
        if isinstance(value, bool) or not isinstance(value, int | float | dt.date):
            return str(value)
        key = (type(value), value, language or self.language)
        written = self._written.get(key)
        if written is None:
            try:
                locale: Locale = parse_language(language or self.language)
            except UnknownLanguage:
                return str(value)
            if isinstance(value, dt.date):
                written = native_digits(format_date(value, format="long", locale=locale),
                                        locale)
            else:
                written = native_digits(
                    format_decimal(value, locale=locale, numbering_system="default"), locale)
            if len(self._written) >= WRITTEN_VALUES:
                self._written.clear()
            self._written[key] = written
        return written

    def _format(self, text: str, values: Mapping[str, object], source: Source) -> str | None:
        """Fill `text`; None (and a log line) when a translation's placeholders are broken."""
        if not values and "{" not in text:
            return text
        filled = {k: self.format_value(v, source.language) for k, v in values.items()}
        try:
            return text.format_map(filled)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            log.warning("interface string %r (%s, %s) cannot be filled: %s; using the next "
                        "source", text, source.language, source.origin, exc)
            return None

    def _format_lenient(self, text: str, values: Mapping[str, object]) -> str:
        """Fill what can be filled and leave the rest visible, for the last resort."""
        filled = _Lenient({k: self.format_value(v, FALLBACK) for k, v in values.items()})
        try:
            return text.format_map(filled)
        except (IndexError, ValueError, AttributeError):
            return text

    def _missing(self, message: str) -> None:
        """Log a missing interface string once per translator."""
        if message not in self._warned:
            self._warned.add(message)
            log.warning("interface string %r has no translation in %s or the fallback",
                        message, self.language)
