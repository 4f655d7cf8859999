"""A piece of text as a message id with parameters: English for the command line, translated
by the admin.

``Phrase("choice %(choice)s", choice="c2")`` prints as ``choice c2``; the admin's
``admin.i18n.reason`` looks ``msgid`` up in the staff member's catalogue and fills in
``params``, as it does for refusals (``pybabel extract -k Phrase``, see admin/i18n.py). The
content model keeps no Flask: only the admin translates.
"""

from __future__ import annotations


class Phrase(str):
    """A str (the English) that also carries its msgid and params for translation."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Phrase:
        """The English text, remembering how to translate it."""
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self


# The msgid of a country's name: never looked up in a catalogue; the admin names the country
# in the staff member's language from CLDR (admin.i18n.reason).
COUNTRY = "%(country_code)s"


class Country(Phrase):
    """A country's name in a message: CLDR's English on the command line, the staff member's
    language in the admin (its msgid is COUNTRY, its one param the ISO 3166 code)."""

    def __new__(cls, code: str, english: str) -> Country:
        """The English name, remembering the code."""
        self = str.__new__(cls, english)
        self.msgid, self.params = COUNTRY, {"country_code": code}
        return self


# The msgid of a language named with its code ("el (Greek)"): never looked up in a catalogue;
# the admin names the language in the staff member's language from CLDR (admin.i18n.reason).
LANGUAGE = "%(language_code)s (%(language_name)s)"


class LanguageName(Phrase):
    """A language as its code and name ("el (Greek)"): CLDR's English name on the command
    line, the staff member's language in the admin (msgid LANGUAGE; params: the code as the
    pack writes it, and CLDR's id)."""

    def __new__(cls, written: str, locale_id: str, english: str) -> LanguageName:
        """The English form, remembering the code."""
        self = str.__new__(cls, f"{written} ({english})")
        self.msgid = LANGUAGE
        self.params = {"language_code": written, "locale_id": locale_id,
                       "language_name": english}
        return self
