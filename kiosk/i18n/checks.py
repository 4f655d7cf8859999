"""Completeness and correctness of the interface catalogues and of a pack's string overrides.

Problems come back as plain sentences naming the file (or the pack's `strings` section), the
message and what is wrong, for `kiosk ui-strings check`, the tests and the pack validator.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from kiosk.content.phrase import Phrase
from kiosk.i18n.files import DOMAIN, LOCALE_DIR, TEMPLATE
from kiosk.i18n.languages import UnknownLanguage, language_info, parse_language
from kiosk.i18n.placeholders import (
    placeholder_problems,
    placeholders,
    plural_rule,
    single_number_forms,
)

# Unicode name prefixes of the letters each script uses, to catch a copied English string.
_SCRIPT_LETTERS = {"Grek": "GREEK", "Cyrl": "CYRILLIC", "Arab": "ARABIC", "Hebr": "HEBREW",
                   "Thai": "THAI", "Ethi": "ETHIOPIC", "Armn": "ARMENIAN", "Geor": "GEORGIAN"}


@dataclass(frozen=True)
class TemplateMessage:
    """One interface string of the template: its msgid and, for a plural, msgid_plural."""

    msgid: str
    plural: str | None = None


def template_messages(template: Path = TEMPLATE) -> dict[str, TemplateMessage]:
    """The interface strings of the template, keyed by (singular) msgid, in file order."""
    with template.open("rb") as fh:
        catalog = read_po(fh)
    out = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            out[message.id[0]] = TemplateMessage(message.id[0], message.id[1])
        else:
            out[message.id] = TemplateMessage(message.id)
    return out


def catalogue_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Language codes that have a catalogue in `locale_dir`."""
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _orthography(language: str, text: str) -> list[str]:
    """Spelling slips that code can see: Greek final sigma and question mark, Romanian
    cedillas, a translation with no letter of the language's script."""
    problems = []
    base = language.split("_")[0]
    if base == "el":
        words = [w for w in "".join(c if c.isalpha() else " " for c in text).split() if w]
        if any(w.endswith("σ") for w in words):
            problems.append(Phrase("a word ends in σ: Greek writes final sigma as ς"))
        if "?" in text:
            problems.append(Phrase("Greek asks with ';' (erotimatiko), not '?'"))
    if base == "ro" and any(c in text for c in "şţŞŢ"):
        problems.append(Phrase("Romanian writes ș ț with a comma below, not ş ţ with a "
                               "cedilla"))
    try:
        prefix = _SCRIPT_LETTERS.get(language_info(language).script)
    except UnknownLanguage:
        prefix = None
    letters = [c for c in text if c.isalpha()]
    if prefix and letters and not any(unicodedata.name(c, "").startswith(prefix)
                                      for c in letters):
        problems.append(Phrase("no %(script)s letters: is it still untranslated?",
                               script=prefix.title()))
    return problems


def _check_entry(language: str, tm: TemplateMessage, string) -> list[str]:
    """Problems of one translation (a str, or a sequence of plural forms)."""
    expected = placeholders(tm.msgid) | (placeholders(tm.plural) if tm.plural else set())
    if tm.plural is None:
        if not isinstance(string, str):
            return [Phrase("is a plain message but was given plural forms")]
        if not string.strip():
            return [Phrase("is not translated")]
        return placeholder_problems(expected, [string]) + _orthography(language, string)
    forms = [string] if isinstance(string, str) else list(string)
    num, index_of = plural_rule(language)
    if isinstance(string, str):
        forms = forms * num
    if len(forms) != num:
        return [Phrase("has %(count)s plural form(s); %(language)s needs %(num)s",
                       count=str(len(forms)), language=language, num=str(num))]
    if any(not isinstance(f, str) or not f.strip() for f in forms):
        return [Phrase("has an empty plural form")]
    problems = placeholder_problems(expected, forms, single_number_forms(num, index_of))
    for form in forms:
        problems += _orthography(language, form)
    return problems


def check_catalogue(po_path: Path, template: Mapping[str, TemplateMessage],
                    language: str) -> list[str]:
    """Problems of one .po file against the template."""
    where = str(po_path)
    try:
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as exc:
        return [f"{where}: cannot be read: {exc}"]
    problems = []
    expected_rule = plural_rule(language)
    if catalog.num_plurals != expected_rule[0]:
        problems.append(f"{where}: Plural-Forms header has nplurals={catalog.num_plurals}; "
                        f"CLDR gives {expected_rule[0]} for {language}")
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        seen.add(key)
        tm = template.get(key)
        if tm is None:
            problems.append(f"{where}: “{key}” is no longer in the template (run update)")
            continue
        if "fuzzy" in message.flags:
            problems.append(f"{where}: “{key}” is marked fuzzy: check and confirm it")
        po_plural = message.id[1] if isinstance(message.id, tuple | list) else None
        if po_plural != tm.plural:
            problems.append(f"{where}: “{key}” has a different plural msgid than the template")
            continue
        for p in _check_entry(language, tm, message.string):
            problems.append(f"{where}: “{key}” {p}")
    for key in template:
        if key not in seen:
            problems.append(f"{where}: “{key}” is missing (run update, then translate it)")
    return problems


def check_catalogues(locale_dir: Path = LOCALE_DIR, template: Path = TEMPLATE) -> list[str]:
    """Problems of every catalogue in `locale_dir`: missing, untranslated, broken strings."""
    messages = template_messages(template)
    problems = []
    for msgid, tm in messages.items():
        for text in (msgid, tm.plural):
            try:
                placeholders(text or "")
            except ValueError as exc:
                problems.append(f"{template}: “{msgid}”: {exc}")
    languages = catalogue_languages(locale_dir)
    if "en" not in languages:
        problems.append(f"{locale_dir}: no English catalogue, which every language falls back to")
    for language in languages:
        po = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        problems += check_catalogue(po, messages, language)
    return problems


def check_overrides(overrides: object, template: Path = TEMPLATE,
                    messages: Mapping[str, TemplateMessage] | None = None) -> list[str]:
    """Problems of a pack's `strings` section: {msgid: {language: text or [plural forms]}}.

    `messages` is `template_messages(template)` when the caller has read it already (the
    validator checks each override on its own and reads the template once per pack)."""
    if not isinstance(overrides, Mapping):
        return ["pack strings: expected a mapping of interface string to translations"]
    return [f"pack strings: {p}" for p in override_problems(overrides, template, messages)]


def override_problems(overrides: Mapping, template: Path = TEMPLATE,
                      messages: Mapping[str, TemplateMessage] | None = None) -> list[Phrase]:
    """`check_overrides`' problems as Phrases, without its prefix (the validator's findings,
    which the admin shows translated); `messages` as in `check_overrides`."""
    if messages is None:
        messages = template_messages(template)
    problems: list[Phrase] = []
    for msgid, per_language in overrides.items():
        tm = messages.get(msgid) if isinstance(msgid, str) else None
        if tm is None:
            near = difflib.get_close_matches(str(msgid), list(messages), n=1)
            problems.append(Phrase("“%(key)s” is not a kiosk interface string (did you mean "
                                   "“%(near)s”?)", key=str(msgid), near=near[0]) if near
                            else Phrase("“%(key)s” is not a kiosk interface string",
                                        key=str(msgid)))
            continue
        if not isinstance(per_language, Mapping):
            problems.append(Phrase("“%(key)s” needs a mapping of language to text",
                                   key=msgid))
            continue
        for language, text in per_language.items():
            try:
                code = str(parse_language(str(language)))
            except UnknownLanguage as exc:
                problems.append(Phrase("“%(key)s”: %(problem)s", key=msgid,
                                       problem=exc.message))
                continue
            if not (isinstance(text, str) or (isinstance(text, list | tuple) and tm.plural)):
                problems.append(Phrase("“%(key)s” in %(language)s: expected text, got "
                                       "%(type)s", key=msgid, language=str(language),
                                       type=type(text).__name__))
                continue
            for p in _check_entry(code, tm, text):
                problems.append(Phrase("“%(key)s” in %(language)s %(problem)s", key=msgid,
                                       language=str(language), problem=p))
    return problems
