"""Changing letter case safely: the only place the kiosk changes the case of visible text.

Screens must call these helpers, never `str.upper()`, `.lower()`, `.title()` or
`.capitalize()` on content or translations. What they guard against:

- **Greek** loses its accents when upper-cased (ΈΝΑ is wrong; the tonos is dropped by
  Greek rules only in all-caps, and authors decide that, not code), and lower-casing all-caps
  Greek cannot put the accents back. So text in Greek, or containing any Greek letter, is
  returned unchanged by `upper`, `lower`, `title` and `capitalize_first` (or, with
  ``strict=True``, refused with `CaseChangeRefused`). `casefold` is allowed: it is for
  comparing and searching, never for display.
- **Turkish and Azerbaijani** have dotted and dotless i as separate letters: i/İ and ı/I.
  Python's default mapping turns i into I and İ into i̇ (i plus a combining dot).
- **Dutch** capitalises the digraph ij as one letter (IJsland) when a word is capitalised.

Scripts without case (Arabic, Thai, Ethiopic, ...) come back unchanged in every function.
"""

from __future__ import annotations

import re
import unicodedata

# Greek and Coptic, and Greek Extended (polytonic).
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_DOTTED_I_LANGUAGES = {"tr", "az", "crh", "tt", "ba"}
_GREEK_LANGUAGES = {"el", "grc"}
# A word for title case: a run of letters, marks, digits and inner apostrophes/hyphens.
_WORD = re.compile(r"[^\W_](?:[\w\u0300-\u036f'’\-]*[^\W_])?")


class CaseChangeRefused(ValueError):
    """Raised with strict=True when a case change would damage the text (Greek)."""


def _base(lang: str | None) -> str:
    """The language subtag of a code: 'tr' for 'tr-TR' or 'tr_CY'."""
    return (lang or "").replace("-", "_").split("_")[0].lower()


def is_greek(text: str, lang: str | None = None) -> bool:
    """True when the language is Greek or the text contains any Greek letter."""
    return _base(lang) in _GREEK_LANGUAGES or bool(_GREEK.search(text))


def _guard(text: str, lang: str | None, strict: bool, what: str) -> bool:
    """True when the text must be left alone; raises instead when strict."""
    if not is_greek(text, lang):
        return False
    if strict:
        raise CaseChangeRefused(f"refusing to {what} Greek text: {text[:40]!r}")
    return True


def upper(text: str, lang: str | None, *, strict: bool = False) -> str:
    """Upper-case `text` by the rules of `lang`; Greek is returned unchanged."""
    if _guard(text, lang, strict, "upper-case"):
        return text
    if _base(lang) in _DOTTED_I_LANGUAGES:
        text = text.replace("i", "İ")
    return text.upper()


def lower(text: str, lang: str | None, *, strict: bool = False) -> str:
    """Lower-case `text` by the rules of `lang`; Greek is returned unchanged."""
    if _guard(text, lang, strict, "lower-case"):
        return text
    if _base(lang) in _DOTTED_I_LANGUAGES:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def casefold(text: str, lang: str | None) -> str:
    """A caseless form for comparing and searching (never for display); Greek allowed."""
    if _base(lang) in _DOTTED_I_LANGUAGES:
        text = text.replace("I", "ı").replace("İ", "i")
    return unicodedata.normalize("NFC", text.casefold())


def _capitalize_word(word: str, lang: str, rest_lower: bool) -> str:
    """Upper-case the first letter of one word; optionally lower-case the rest."""
    base = _base(lang)
    if base == "nl" and word[:2].lower() == "ij":
        head, tail = "IJ", word[2:]
    else:
        head, tail = upper(word[0], lang), word[1:]
    return head + (lower(tail, lang) if rest_lower else tail)


def capitalize_first(text: str, lang: str | None, *, strict: bool = False) -> str:
    """Sentence case: upper-case the first letter only, leaving the rest as written."""
    if _guard(text, lang, strict, "capitalise"):
        return text
    match = _WORD.search(text)
    if not match:
        return text
    start, end = match.span()
    return text[:start] + _capitalize_word(text[start:end], lang or "", False) + text[end:]


def title(text: str, lang: str | None, *, strict: bool = False) -> str:
    """Title case: each word's first letter upper-cased and the rest lower-cased."""
    if _guard(text, lang, strict, "title-case"):
        return text
    return _WORD.sub(lambda m: _capitalize_word(m.group(0), lang or "", True), text)
